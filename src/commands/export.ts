// `blue dialogue export [<id>]`

import type { Dialogue } from '../domain/model.js';
import { blueCommand } from '../domain/shell.js';
import type { CommandResult, CommandSpec } from './spec.js';
import { problemsJson, unreadableCount, unreadableExit } from './unreadable.js';

export const exportCommand: CommandSpec = {
  path: ['dialogue', 'export'],
  args: [['[id]', 'dialogue id, unique prefix or slug']],
  description: 'write the Markdown record, the transcript, or the dialogue as JSON',
  options: [
    { flags: '--format <format>', description: 'record, transcript or json', default: 'record', choices: ['record', 'transcript', 'json'] },
    { flags: '--output <path>', description: "where to write ('-' for stdout; default: the dialogue's folder)" },
    { flags: '--all', description: 'every dialogue in the store' },
    { flags: '--check', description: 'write nothing; exit 1 naming the files that differ' },
  ],
  examples: ['blue dialogue export <id>', 'blue dialogue export --all --check'],
  async run(ctx, [id], o) {
    const { exportDialogues } = await import('../app/export.js');
    const result = await exportDialogues(ctx.ports, { id, format: o.format, output: o.output, all: o.all, check: o.check });
    if (result.kind === 'content') {
      // With --json the document on stdout is the export itself (JSON format) or wraps the Markdown.
      const json = result.format === 'json' ? result.contents.map((c) => JSON.parse(c) as unknown) : result.contents.map((content) => ({ content }));
      return { json: result.all ? json : json[0], human: result.contents.join(result.format === 'json' ? '' : '\n'), exact: true, ...one(result.dialogues, result.all), ...unreadableExit(result.problems) };
    }
    if (result.kind === 'check') {
      const n = result.checked.length;
      const format = o.format && o.format !== 'record' ? ['--format', o.format] : [];
      const fix = blueCommand('dialogue', 'export', ...(result.all ? ['--all'] : [result.checked[0].id]), ...format);
      const stale = result.differ.length + result.missing.length;
      const current = n - result.differ.length - result.missing.length - result.skipped.length;
      const lines = [
        ...(result.differ.length ? [`Out of date (run \`${fix}\`):`, ...result.differ.map((f) => `  ${f}`)] : []),
        ...(result.missing.length ? [`Never exported (run \`${fix}\`):`, ...result.missing.map((f) => `  ${f}`)] : []),
        ...(result.skipped.length ? [`Abandoned and never exported (skipped):`, ...result.skipped.map((f) => `  ${f}`)] : []),
        // Dialogues that could not be read were not checked: never a count that looks like all is well.
        result.problems.length
          ? `Not checked: ${unreadableCount(result.problems)}; ${n ? `of the others, ${current} of ${n} export${n === 1 ? '' : 's'} up to date` : 'there are no others'}.`
          : `${current} of ${n} export${n === 1 ? '' : 's'} up to date.`,
      ];
      return {
        json: { differ: result.differ, missing: result.missing, skipped: result.skipped, checked: n, ...problemsJson(result.problems) },
        human: lines.join('\n'),
        exitCode: stale ? 1 : 0,
        next: stale ? [{ command: fix, why: `write the ${stale === 1 ? 'export that is' : `${stale} exports that are`} out of date or not written yet` }] : [],
        ...unreadableExit(result.problems),
      };
    }
    return { json: { written: result.written, ...problemsJson(result.problems) }, human: result.written.join('\n'), ...one(result.dialogues, o.all === true), ...unreadableExit(result.problems) };
  },
};

/** The answer is about one dialogue unless --all: then its next steps are that dialogue's; else none. */
function one(dialogues: readonly Dialogue[], all: boolean): Pick<CommandResult, 'dialogue' | 'next'> {
  return all || dialogues.length !== 1 ? { next: [] } : { dialogue: dialogues[0] };
}
