// `blue dialogue abandon <id> --reason <text>`

import { ID_ARG, type CommandSpec } from './spec.js';

export const abandonCommand: CommandSpec = {
  path: ['dialogue', 'abandon'],
  args: [ID_ARG],
  description: 'end a dialogue that will not be finished; its rounds, scores and verdicts are refused from then on',
  options: [{ flags: '--reason <text>', description: 'why it is abandoned (goes into the record)', required: true }],
  examples: ['blue dialogue abandon <id> --reason "superseded by RFC 0061"'],
  async run(ctx, [id], o) {
    const { abandon } = await import('../app/abandon.js');
    const d = await abandon(ctx.ports, { id: id!, reason: o.reason });
    return {
      json: { id: d.id, status: d.status, abandoned: d.abandoned },
      human: `Abandoned ${d.id} after round ${d.abandoned!.round}: ${d.abandoned!.reason}\nIts record says so once exported.`,
      dialogue: d,
    };
  },
};
