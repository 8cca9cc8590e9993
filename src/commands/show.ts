// `blue dialogue show <id>`

import { ID_ARG, type CommandSpec } from './spec.js';

export const showCommand: CommandSpec = {
  path: ['dialogue', 'show'],
  args: [ID_ARG],
  description: 'where the dialogue stands: rounds, scoreboard, open tensions, blockers, overrides',
  examples: ['blue dialogue show <id>'],
  async run(ctx, [id]) {
    const [{ show }, { renderShow, showDocument }] = await Promise.all([import('../app/show.js'), import('../render/show.js')]);
    const dialogue = await show(ctx.ports, id!);
    return { json: showDocument(dialogue), human: renderShow(dialogue), dialogue };
  },
};
