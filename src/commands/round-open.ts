// `blue dialogue round open <id>`

import { ROUND_NUMBER_BOUND } from '../domain/bounds.js';
import { parseInteger, splitPair } from './parse.js';
import { ID_ARG, type CommandSpec } from './spec.js';

export const roundOpenCommand: CommandSpec = {
  path: ['dialogue', 'round', 'open'],
  args: [ID_ARG],
  description: 'open the next round and write one prompt per expert',
  options: [
    { flags: '--round <n>', description: 'the round to open (must be the next one)' },
    { flags: '--panel <file>', description: 'panel, JSON or YAML: [{name?, role, source: retained|pool|created, tier?, focus?}]' },
    { flags: '--focus <name=text>', description: 'a focus line for one expert; repeatable', repeatable: true },
    { flags: '--replace', description: 'redo the open round while nothing in it is scored: new panel and prompts; outputs of experts who leave are moved to round-<n>/replaced/' },
  ],
  examples: ['blue dialogue round open <id> --panel panel.yaml --focus Muffin="Resolve MUFFIN-T01"'],
  async run(ctx, [id], o) {
    const { roundOpen } = await import('../app/round-open.js');
    // The pairs as given, in order: a name given twice (or an empty focus) is refused, not silently dropped.
    const focus = ((o.focus ?? []) as string[]).map((f) => splitPair(f, '--focus', true, '<name>=<text>') as [string, string]);
    const opened = await roundOpen(ctx.ports, { id: id!, round: parseInteger(o.round, '--round', 0, ROUND_NUMBER_BOUND), panel: o.panel, focus, replace: o.replace === true });
    const { round: n, panel } = opened;
    return {
      json: { round: n, panel, ...(o.replace ? { moved_aside: opened.movedAside } : {}) },
      human: [
        ...opened.movedAside.map((m) => `moved aside: ${m.from} -> ${m.to}`),
        `Round ${n} is ${o.replace ? 're-opened' : 'open'} with ${panel.length} experts. Give each expert its prompt; each writes its output file:`,
        ...panel.map((p) => `  ${p.name.padEnd(12)} ${p.prompt_file}  ->  ${p.output_file}`),
      ].join('\n'),
      dialogue: opened.dialogue,
    };
  },
};
