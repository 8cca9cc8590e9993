// `blue dialogue lint <file>`

import type { CommandSpec } from './spec.js';

export const lintCommand: CommandSpec = {
  path: ['dialogue', 'lint'],
  args: [['<file>', 'a dialogue record or transcript (Markdown), e.g. .blue/dialogues/<id>/dialogue.md']],
  description: 'check a dialogue record or transcript: sections, arithmetic, ids, open tensions, tables, charts',
  examples: [
    'blue dialogue lint .blue/dialogues/<id>/dialogue.md      # exit 1 on a critical finding',
    'blue dialogue lint .blue/dialogues/<id>/transcript.md --json',
  ],
  async run(ctx, [file]) {
    // The Markdown parser loads only here, with the use case: no other command's start-up pays for it.
    const { lintFile } = await import('../app/lint.js');
    const linted = await lintFile(ctx.ports, file!);
    const lines = linted.findings.map((f) => `${linted.file}:${f.line}: ${f.severity}: ${f.message}`);
    const human = lines.length ? lines.join('\n') : `${linted.file}: ok (${linted.kind}, nothing to report)`;
    // A critical finding fails the check (exit 1, CLI.md), not being a record or transcript at all among
    // them; a file that cannot be read is bad input (2), thrown by the use case.
    const exitCode = linted.ok ? 0 : 1;
    return { json: { file: linted.file, kind: linted.kind, findings: linted.findings, ok: linted.ok }, human, ...(exitCode ? { exitCode } : {}) };
  },
};
