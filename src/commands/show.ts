// `blue dialogue show <id> [--watch]`

import { ID_ARG, type CommandSpec } from './spec.js';

export const showCommand: CommandSpec = {
  path: ['dialogue', 'show'],
  args: [ID_ARG],
  description: 'where the dialogue stands: rounds, scoreboard, open tensions, blockers, overrides',
  options: [{ flags: '--watch', description: 'a live view on a terminal, following changes from other processes (q quits); elsewhere, show once' }],
  examples: ['blue dialogue show <id>', 'blue dialogue show <id> --watch   # live: scoreboard, convergence, tensions, panel, round run, events'],
  async run(ctx, [id], options) {
    const terminal = ctx.terminal;
    // Without a terminal (a pipe, a file, CI), or when a program asked for JSON, --watch shows once.
    if (options.watch && terminal?.liveStdout && !ctx.json) {
      const { watchDialogue } = await import('../app/watch.js');
      const controller = new AbortController();
      const watch = watchDialogue(ctx.ports, id!, { signal: controller.signal });
      // The first snapshot before the screen changes: an unknown id is the usual error, on the usual screen.
      const first = await watch.next();
      if (!first.done) {
        // ink and React load here only, so that no other command pays for them.
        const { runWatchView } = await import('../views/watch-view.js');
        await runWatchView(terminal, first.value, watch, () => controller.abort());
      }
      return { json: null, human: '' };
    }
    const [{ show }, { renderShow, showDocument }] = await Promise.all([import('../app/show.js'), import('../render/show.js')]);
    const dialogue = await show(ctx.ports, id!);
    // A program that asked for JSON reads no text, so none is made (at 100x, a few ms and MB).
    return { json: showDocument(dialogue), human: ctx.json ? '' : renderShow(dialogue), dialogue };
  },
};
