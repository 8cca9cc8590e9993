// `blue dialogue list`

import type { DialogueSummary } from '../domain/model.js';
import type { NextStep } from '../domain/next.js';
import { blueCommand } from '../domain/shell.js';
import type { CommandSpec } from './spec.js';
import { problemsJson, unreadableCount, unreadableExit } from './unreadable.js';

const START = blueCommand('dialogue', 'start', '<title>', '--pool', '<pool.yaml>');

/** Where each open dialogue stands (its own answer has its next steps), and how to start another. */
function listNext(rows: ReadonlyArray<Pick<DialogueSummary, 'id' | 'title' | 'status'>>): NextStep[] {
  return [
    ...rows.filter((r) => r.status === 'open').map((r) => ({ command: blueCommand('dialogue', 'show', r.id), why: `where "${r.title}" stands, and its next steps` })),
    { command: START, why: 'start another dialogue: one hard question, a pool of 8 to 24 expert roles' },
  ];
}

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
    // A dialogue that cannot be read is never passed over as if there were none: the count is said.
    const unread = problems.length ? unreadableCount(problems) : undefined;
    const human = rows.length
      ? [
          `${'ID'.padEnd(width)}  ${'STATUS'.padEnd(9)} ${'ROUNDS'.padStart(6)} ${'ALIGNMENT'.padStart(9)}  TITLE`,
          ...rows.map((r) => `${r.id.padEnd(width)}  ${r.status.padEnd(9)} ${String(r.rounds).padStart(6)} ${String(r.alignment).padStart(9)}  ${r.title}`),
          ...(unread ? [`Besides these, ${unread}.`] : []),
        ].join('\n')
      : unread
        ? `No ${status ? `${status} ` : ''}dialogue could be read: ${unread}.`
        : status
          ? `No ${status} dialogues.`
          : `No dialogues yet. Start one: ${START}`;
    return {
      json: { dialogues: rows, ...problemsJson(problems) },
      human,
      next: listNext(rows),
      ...unreadableExit(problems),
    };
  },
};
