// `blue dialogue verdict <id>`

import { ID_ARG, type CommandSpec } from './spec.js';

export const verdictCommand: CommandSpec = {
  path: ['dialogue', 'verdict'],
  args: [ID_ARG],
  description: 'record a final, interim, minority or dissent verdict',
  options: [
    { flags: '--type <type>', description: 'final, interim, minority or dissent', default: 'final', choices: ['final', 'interim', 'minority', 'dissent'] },
    { flags: '--text-file <md>', description: 'the verdict, as Markdown (required)' },
    { flags: '--insights-file <md>', description: 'key insights, a Markdown list' },
    { flags: '--vote <text>', description: 'the vote, e.g. 6-0' },
    { flags: '--confidence <level>', description: 'unanimous, strong, split or contested', choices: ['unanimous', 'strong', 'split', 'contested'] },
    { flags: '--experts <names>', description: 'supporters of a minority or dissent verdict, comma-separated' },
    { flags: '--force', description: 'record a final verdict although the dialogue has not converged (needs --warning)' },
    { flags: '--warning <text>', description: 'why the verdict is forced' },
  ],
  examples: ['blue dialogue verdict <id> --text-file verdict.md --insights-file insights.md'],
  async run(ctx, [id], o) {
    const { verdict } = await import('../app/verdict.js');
    const { id: full, verdict: v, dialogue } = await verdict(ctx.ports, {
      id: id!,
      type: o.type,
      textFile: o.textFile,
      insightsFile: o.insightsFile,
      vote: o.vote,
      confidence: o.confidence,
      experts: (o.experts as string | undefined)?.split(/[,\s]+/).filter(Boolean),
      force: o.force,
      warning: o.warning,
    });
    return {
      json: { id: full, verdict: { type: v.type, round: v.round, forced: v.forced ?? false, warning: v.warning ?? null, at: v.at } },
      human: `Recorded the ${v.type} verdict of ${full} (after round ${v.round})${v.forced ? ', forced' : ''}.`,
      dialogue,
    };
  },
};
