// `blue dialogue list`

import type { CommandSpec } from './spec.js';

export const listCommand: CommandSpec = {
  path: ['dialogue', 'list'],
  description: 'every dialogue: id, title, status, rounds, total ALIGNMENT',
  options: [{ flags: '--status <status>', description: 'open, converged or abandoned', choices: ['open', 'converged', 'abandoned'] }],
  examples: ['blue dialogue list --status open'],
  async run(ctx, _args, o) {
    const { list } = await import('../app/list.js');
    const { status, dialogues, problems } = await list(ctx.ports, { status: o.status });
    const rows = dialogues.map((d) => ({ id: d.id, title: d.title, status: d.status, rounds: d.rounds, alignment: d.alignment }));
    const width = Math.max(2, ...rows.map((r) => r.id.length));
    const human = rows.length
      ? [
          `${'ID'.padEnd(width)}  ${'STATUS'.padEnd(9)} ${'ROUNDS'.padStart(6)} ${'ALIGNMENT'.padStart(9)}  TITLE`,
          ...rows.map((r) => `${r.id.padEnd(width)}  ${r.status.padEnd(9)} ${String(r.rounds).padStart(6)} ${String(r.alignment).padStart(9)}  ${r.title}`),
        ].join('\n')
      : status
        ? `No ${status} dialogues.`
        : 'No dialogues yet. Start one: blue dialogue start "<title>" --pool <pool.yaml>';
    return {
      json: { dialogues: rows, ...(problems.length ? { problems: problems.map((p) => ({ id: p.id, file: p.file, code: p.code, message: p.message })) } : {}) },
      human,
      // A dialogue that cannot be read is an integrity failure: named above, and the exit code says so.
      ...(problems.length ? { exitCode: problems.every((x) => x.code === 'store_io_error') ? 1 : 4 } : {}),
    };
  },
};
