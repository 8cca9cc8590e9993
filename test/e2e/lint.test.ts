// bin/blue dialogue lint as a user or a hook runs it: one line per finding (file:line: severity: message),
// the --json document, and the exit codes (0 clean, 1 a critical finding, not a record or transcript
// among them, 2 unreadable), as the README gives them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { REPO } from '../../scripts/blue.mjs';
import { renderRecord } from '../../src/render/record.js';
import { renderTranscript } from '../../src/render/export.js';
import { longDialogue } from '../support/dialogue-factory.js';
import { newProject, type Project } from '../support/cli.js';

describe.concurrent('blue dialogue lint', () => {
  let p: Project;
  const d = longDialogue(5);
  const record = renderRecord(d);

  beforeAll(() => {
    p = newProject();
    p.write('.blue/dialogues/x/dialogue.md', record);
    p.write('.blue/dialogues/x/transcript.md', renderTranscript(d));
    p.write('docs/bad.md', record.replace('**Total ALIGNMENT**: 337', '**Total ALIGNMENT**: 338'));
    p.write('docs/notes.md', '# Notes\n\nNothing here.\n');
  });

  it('says a clean record or transcript is ok, exit 0, and gives the --json document', async () => {
    expect(record).toContain('**Total ALIGNMENT**: 337 (W:91 C:84 T:85 R:77)');
    const run = await p.ok(['dialogue', 'lint', '.blue/dialogues/x/dialogue.md']);
    expect(run.stdout).toBe('.blue/dialogues/x/dialogue.md: ok (record, nothing to report)\n');
    const json = await p.ok(['dialogue', 'lint', '.blue/dialogues/x/transcript.md', '--json']);
    expect(json.json).toEqual({ file: '.blue/dialogues/x/transcript.md', kind: 'transcript', findings: [], ok: true, next: [] });
  });

  it('prints one line per finding and exits 1 on a critical one; paths are relative to the project root', async () => {
    const line = record.split('\n').findIndex((l) => l.startsWith('**Total ALIGNMENT**')) + 1;
    const run = await p.blue(['dialogue', 'lint', 'bad.md'], { cwd: `${p.root}/docs` });
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.every((l) => /^docs\/bad\.md:\d+: (critical|warning): \S/.test(l))).toBe(true);
    expect(lines[0]).toBe(`docs/bad.md:5: critical: the header's ALIGNMENT Score 337 (W:91 C:84 T:85 R:77) differs from the scoreboard's Total ALIGNMENT 338 (W:91 C:84 T:85 R:77)`);
    expect(run.stdout).toContain(`docs/bad.md:${line}: critical: Total ALIGNMENT is 338, but the rounds' Scores add up to 337`);
    const json = await p.blue(['dialogue', 'lint', 'docs/bad.md', '--json']);
    expect(json.status).toBe(1);
    expect(json.json).toMatchObject({ file: 'docs/bad.md', kind: 'record', ok: false });
    expect(json.json.findings[0]).toEqual({ severity: 'critical', rule: 'header-score', line: 5, message: expect.stringContaining('differs from the scoreboard') });
  });

  it('exits 1 for a file that is not a record or transcript (a critical finding), and 2 for one that cannot be read', async () => {
    const notes = await p.blue(['dialogue', 'lint', 'docs/notes.md', '--json']);
    expect(notes.status).toBe(1);
    expect(notes.json).toMatchObject({ file: 'docs/notes.md', kind: 'unknown', ok: false, findings: [{ severity: 'critical', rule: 'document', line: 1 }] });
    const missing = await p.blue(['dialogue', 'lint', 'docs/nope.md', '--json']);
    expect(missing.status).toBe(2);
    expect(missing.json.error.code).toBe('file_not_found');
    expect(missing.stderr).toMatch(/^blue: file to lint docs\/nope\.md does not exist/);
    expect(missing.json.error.details.file).toBe('docs/nope.md');
    const folder = await p.blue(['dialogue', 'lint', 'docs']);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toMatch(/docs: it is (a folder|not a regular file)/);
  });

  it('has those exit codes in the README, in the table of commands as in the section on lint', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `blue dialogue lint <file>` |'));
    expect(row).toContain('exit 1 on a critical finding (a file that is neither a record nor a transcript is one), 2 when the file cannot be read');
    expect(readme).toContain('**Critical** (exit 1): a file that is neither a record\nnor a transcript (a file that cannot be read is exit 2)');
    expect(readme).not.toMatch(/2 when the file is neither/);
  });

  it('is listed in --help with its examples', async () => {
    const help = await p.ok(['dialogue', 'lint', '--help']);
    expect(help.stdout).toMatch(/check a dialogue record or transcript/);
    expect(help.stdout).toContain('blue dialogue lint .blue/dialogues/<id>/dialogue.md');
  });
});
