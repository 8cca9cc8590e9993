// `blue completion bash|zsh|fish` through the built bin/blue, each script loaded in its real shell (not
// interactive): bash with COMP_WORDS/COMP_CWORD set and COMPREPLY read back; zsh with `words`/`CURRENT` set
// and the completion system's output functions (_describe, compadd, _files) replaced by ones that print;
// fish through its own `complete -C`. Dialogue ids come from the hidden `blue completion --ids`, which
// these scripts call with the same bin/blue.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';
import { BIN, runBlue } from '../../scripts/blue.mjs';

const IDS = ['2026-02-06T1839Z-rfc-0058-supersession', '2026-03-01T0930Z-second-shop', '2026-03-02T1000Z-second-kitchen'];

/** A project with three dialogue folders (ids only: completion reads no store file) and a folder beside it. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'blue-completion-'));
  for (const id of IDS) mkdirSync(join(root, '.blue', 'dialogues', id), { recursive: true });
  mkdirSync(join(root, 'elsewhere'));
  writeFileSync(join(root, 'pool.yaml'), 'domain: x\n');
  return root;
}

function script(shell: string, root: string): string {
  const file = join(root, `blue.${shell}`);
  writeFileSync(file, runBlue(['completion', shell], { check: true }).stdout);
  return file;
}

/** Runs a shell program that prints one line per candidate, each case after a `[words]` line. */
function run(shell: string, args: string[], cwd: string): Map<string, string[]> {
  const out = execFileSync(shell, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const cases = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of out.split('\n')) {
    const head = /^\[(.*)\]$/.exec(line);
    if (head) cases.set(head[1], (current = []));
    else if (line !== '') current.push(line.replace(/\t.*$/, '').replace(/:.*$/, ''));
  }
  return cases;
}

const dialogueCommands = COMMANDS.filter((c) => c.path[0] === 'dialogue' && c.path.length === 2).map((c) => c.path[1]);

/** What every shell must offer, by the words typed (the last is the word under the cursor). */
const EXPECTED: Array<[string[], string[]]> = [
  [['blue', ''], ['completion', 'dialogue', 'hook', 'store']],
  [['blue', 'dialogue', ''], [...dialogueCommands, 'round']],
  [['blue', 'dialogue', 'ex'], ['export']],
  [['blue', 'dialogue', 'round', ''], ['ingest', 'open', 'run']],
  [['blue', 'dialogue', 'export', '--format', ''], ['json', 'record', 'transcript']],
  [['blue', 'dialogue', 'export', '--ch'], ['--check']],
  [['blue', '--store', ''], ['dynamodb', 'file']],
  [['blue', 'hook', 'run', ''], ['pre-commit', 'pre-merge-commit']],
  [['blue', 'hook', 'install', '--hook', ''], ['pre-commit', 'pre-merge-commit']],
  [['blue', 'completion', ''], ['bash', 'fish', 'zsh']],
  [['blue', 'dialogue', 'show', ''], [...IDS]],
  [['blue', 'dialogue', 'round', 'open', '2026-03'], [IDS[1], IDS[2]]],
  [['blue', 'dialogue', 'score', 'second-'], ['second-kitchen', 'second-shop']],
  [['blue', '--json', 'dialogue', 'verdict', '--type', 'final', '2026-02'], [IDS[0]]],
  [['blue', 'dialogue', 'start', '--pool', 'po'], ['pool.yaml']],
  [['blue', 'dialogue', 'show', IDS[0], ''], []],
];

const key = (words: string[]) => words.join(' ');
const sorted = (xs: string[] | undefined) => [...(xs ?? [])].sort();

// Each shell asks bin/blue for ids five times, one node start each; on a busy 2-core machine that is seconds.
describe.concurrent('shell completion', { timeout: 90_000 }, () => {
  let root: string;
  beforeAll(() => {
    root = project();
  });

  it('bash: COMPREPLY for commands, options, their values, files and dialogue ids', () => {
    const file = script('bash', root);
    // The program word is bin/blue itself, so that the id lookup runs the blue under test.
    const cases = EXPECTED.map(([words]) => `t ${[BIN, ...words.slice(1)].map((w) => `'${w}'`).join(' ')}`);
    const program = [
      `source '${file}'`,
      't() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _blue; echo "[${*:2}]"; printf "%s\\n" "${COMPREPLY[@]}"; }',
      ...cases,
    ].join('\n');
    const got = run('bash', ['--norc', '--noprofile', '-c', program], root);
    expect(got.size).toBe(EXPECTED.length);
    for (const [words, expected] of EXPECTED) expect(sorted(got.get(key(words.slice(1)))), key(words)).toEqual(sorted(expected));
  });

  it('bash: --root typed before the id is passed on to the id lookup', () => {
    const file = script('bash', root);
    const program = [
      `source '${file}'`,
      `COMP_WORDS=('${BIN}' --root .. dialogue show 2026-03-01); COMP_CWORD=5; _blue; printf "%s\\n" "\${COMPREPLY[@]}"`,
    ].join('\n');
    expect(execFileSync('bash', ['--norc', '--noprofile', '-c', program], { cwd: join(root, 'elsewhere'), encoding: 'utf8' }).trim()).toBe(IDS[1]);
  });

  it('zsh: the script parses and offers the same, with descriptions', () => {
    const file = script('zsh', root);
    execFileSync('zsh', ['-n', file]);
    const program = (cases: string[][]) =>
      [
        // What the completion system would show, printed instead, one candidate a line (unfiltered: zsh's
        // matcher keeps those that start with the word).
        'compdef() { :; }',
        '_describe() { print -l -- "${(@P)${@[-1]}}"; }',
        'compadd() { [[ $1 == -a ]] && print -l -- "${(@P)2}"; }',
        '_files() { print -l -- *(N); }',
        '_directories() { print -l -- *(N/); }',
        `source '${file}'`,
        't() { words=("$@"); CURRENT=${#words}; print -- "[${(j: :)@[2,-1]}]"; _blue; }',
        ...cases.map((words) => `t ${[BIN, ...words.slice(1)].map((w) => `'${w}'`).join(' ')}`),
      ].join('\n');
    const got = run('zsh', ['-f', '-c', program(EXPECTED.map(([words]) => words))], root);
    expect(got.size).toBe(EXPECTED.length);
    for (const [words, expected] of EXPECTED) {
      const word = words[words.length - 1];
      expect(sorted(got.get(key(words.slice(1)))?.filter((o) => o.startsWith(word))), key(words)).toEqual(sorted(expected));
    }
    const described = execFileSync('zsh', ['-f', '-c', program([['blue', 'dialogue', '']])], { cwd: root, encoding: 'utf8' });
    expect(described).toContain('export:write the Markdown record, the transcript, or the dialogue as JSON');
  });

  it('fish: the script parses, and `complete -C` offers the same', () => {
    const file = script('fish', root);
    execFileSync('fish', ['--no-execute', file]);
    const program = [
      `source '${file}'`,
      // `blue` is the built bin/blue here, as it would be on PATH.
      `function blue; '${process.execPath}' '${BIN}' $argv; end`,
      ...EXPECTED.map(([words]) => `echo '[${key(words.slice(1))}]'; complete -C '${key(words)}'`),
    ].join('\n');
    const got = run('fish', ['--no-config', '-c', program], root);
    expect(got.size).toBe(EXPECTED.length);
    for (const [words, expected] of EXPECTED) expect(sorted(got.get(key(words.slice(1)))), key(words)).toEqual(sorted(expected));
  });

  it('refuses an unknown shell, naming the ones there are', () => {
    const refused = runBlue(['completion', 'tcsh', '--json']);
    expect(refused.status).toBe(2);
    expect(refused.json.error).toMatchObject({ code: 'invalid_shell', message: 'which shell? blue completion bash|zsh|fish (got "tcsh")' });
    expect(runBlue(['completion']).stderr).toMatch(/which shell\? blue completion bash\|zsh\|fish \(got none\)/);
  });
});
