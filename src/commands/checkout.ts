// `blue dialogue checkout <id>`

import { ID_ARG, type CommandSpec } from './spec.js';

export const checkoutCommand: CommandSpec = {
  path: ['dialogue', 'checkout'],
  args: [ID_ARG],
  description: "write the dialogue's folder from the store: pool, panels, prompts, outputs, judge files, record",
  options: [{ flags: '--force', description: 'move a file that differs from the store aside (into aside/ beside it) and write the store\'s' }],
  examples: ['blue dialogue checkout <id> --store dynamodb   # a second clone, on a dialogue a teammate started'],
  async run(ctx, [id], o) {
    const { checkout } = await import('../app/checkout.js');
    const r = await checkout(ctx.ports, { id: id!, force: o.force === true });
    return {
      json: { id: r.dialogue.id, written: r.written, unchanged: r.unchanged, moved_aside: r.movedAside },
      human: [
        ...r.movedAside.map((m) => `moved aside: ${m.from} -> ${m.to}`),
        `${r.dialogue.id}: ${r.written.length} file(s) written, ${r.unchanged.length} already as the store has them.`,
      ].join('\n'),
      dialogue: r.dialogue,
    };
  },
};
