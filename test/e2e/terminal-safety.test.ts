// README: "Nothing an expert or an agent wrote can send the terminal an escape sequence." bin/blue with
// outputs, agents and file names that hold escape sequences (clear the screen, set the window's title,
// switch to line drawing, ring the bell): every answer, warning, progress line and error a person reads
// has them drawn as spaces; the --json answers keep the text as written (JSON escapes it), and a file's
// content written to a pipe stays byte for byte (an export shows them as `\u{001B}`: test/app/hidden-characters.test.ts).

import { beforeAll, describe, expect, it } from 'vitest';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';
import { ID } from '../support/dialogue-factory.js';

const DIR = `.blue/dialogues/${ID}`;
const step = it.sequential;

/** A control character other than a line break: what must never reach a terminal from blue's text. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const CLEAR_AND_TITLE = '\u001b[2J\u001b]0;PWNED\u0007';
const LINE_DRAWING = '\u001b(0lqqk\u001b(B\u0007';

describe.concurrent('text from experts, agents and files, on the way to a terminal', () => {
  const p: Project = newProject();
  beforeAll(async () => {
    p.write('pool.yaml', SMALL_POOL);
    await p.ok(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--seed', '7', '--panel-size', '4', '--rotation', 'none', '--date', '2026-03-01T09:30Z']);
    await p.ok(['dialogue', 'round', 'open', ID]);
    p.write(`${DIR}/round-0/muffin.md`, `[PERSPECTIVE P01: p]\nx\n[TENSION T01: evil ${LINE_DRAWING}]\ny\n`);
    p.write(`${DIR}/round-0/cupcake.md`, `[PERSPECTIVE P01: red \u001b[31mflag\n[BOGUS ${CLEAR_AND_TITLE}]\n`);
  });

  step('round ingest: the warnings that quote an output have its escapes drawn as spaces; --json keeps them', async () => {
    const run = await p.ok(['dialogue', 'round', 'ingest', ID]);
    expect(run.stderr).toContain('marker is not closed in "[PERSPECTIVE P01: red  [31mflag"');
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stdout).not.toMatch(CONTROL);
    const json = await p.ok(['dialogue', 'round', 'ingest', ID, '--json']);
    expect(json.json.warnings.map((w: any) => w.message).join('\n')).toContain('red \u001b[31mflag');
    expect(json.stderr).not.toMatch(CONTROL);
  });

  step('show: a tension label with escapes is drawn as text; --json keeps the label as the expert wrote it', async () => {
    const run = await p.ok(['dialogue', 'show', ID]);
    expect(run.stdout).toMatch(/^ {2}MUFFIN-T01 +open +evil {2}\(0lqqk \(B $/m);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stderr).not.toMatch(CONTROL);
    const json = await p.ok(['dialogue', 'show', ID, '--json']);
    expect(json.json.open_tensions[0].label).toBe(`evil ${LINE_DRAWING}`);
  });

  step("round run: a failed agent's stderr tail, in the summary and the progress lines; --json keeps it", async () => {
    const agent = `printf 'bad ${CLEAR_AND_TITLE.replace(/\u001b/g, '\\033').replace('\u0007', '\\007')} tail\\n' >&2; exit 1`;
    const run = await p.blue(['dialogue', 'round', 'run', ID, '--agent', agent, '--expert', 'Scone', '--retries', '0']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('bad  [2J ]0;PWNED  tail');
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stderr).not.toMatch(CONTROL);
    const json = await p.blue(['dialogue', 'round', 'run', ID, '--agent', agent, '--expert', 'Scone', '--retries', '0', '--json']);
    expect(json.json.experts.find((e: any) => e.name === 'Scone').error).toContain(`bad ${CLEAR_AND_TITLE} tail`);
    expect(json.stderr).not.toMatch(CONTROL);
  });

  step('an error that quotes a file name; commander quoting an argument', async () => {
    const missing = await p.blue(['dialogue', 'lint', `notes${CLEAR_AND_TITLE}.md`]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^blue: file to lint notes \[2J \]0;PWNED \.md does not exist/);
    expect(missing.stderr).not.toMatch(CONTROL);
    const unknown = await p.blue(['dialogue', `show${CLEAR_AND_TITLE}`]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("blue: unknown command 'show [2J ]0;PWNED '");
    expect(unknown.stderr).not.toMatch(CONTROL);
  });

  step('export --output - to a pipe is the file byte for byte; the file shows the escapes instead of holding them', async () => {
    const written = (await p.ok(['dialogue', 'export', ID, '--format', 'transcript', '--json'])).json.written[0];
    const piped = await p.ok(['dialogue', 'export', ID, '--format', 'transcript', '--output', '-']);
    expect(piped.stdout).toBe(p.read(written));
    expect(piped.stdout).toContain('[TENSION T01: evil \\u{001B}(0lqqk\\u{001B}(B\\u{0007}]');
    expect(piped.stdout).not.toMatch(CONTROL);
  });
});
