// A teammate on Windows: git checks the repository out with CRLF line ends (core.autocrlf=true, or a
// `* text=auto eol=crlf` attribute), so every store.json, record and judge file blue wrote with LF now
// ends its lines in CRLF. blue must read the stores (their checksums are over the bytes blue wrote), count
// the records as current, and write nothing over them, exactly as in the clone that made them.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBlueAsync } from '../../scripts/blue.mjs';
import { replayAsync } from '../../scripts/replay.mjs';
import { JUDGE_FILE } from '../support/replay.js';

const temp = mkdtempSync(join(tmpdir(), 'blue-crlf-'));
const origin = join(temp, 'origin');
let id: string;

function git(cwd: string, args: string[]): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  expect(run.status, `git ${args.join(' ')}\n${run.stdout}${run.stderr}`).toBe(0);
  return run.stdout;
}

/** A clone of the origin made the way a Windows checkout makes it. */
function crlfClone(name: string, config: string[], attributes?: string): string {
  const clone = join(temp, name);
  git(temp, ['clone', '-q', ...config.flatMap((c) => ['-c', c]), origin, clone]);
  if (attributes !== undefined) {
    // An attribute file added after the clone applies once the files are checked out again.
    spawnSync('sh', ['-c', `printf '${attributes}' > .gitattributes && rm -rf .blue && git checkout -q -- .blue`], { cwd: clone });
  }
  return clone;
}

const blue = (cwd: string, args: string[]) => runBlueAsync(args, { cwd, env: { NO_COLOR: '1' }, check: false });

beforeAll(async () => {
  spawnSync('mkdir', ['-p', origin]);
  git(origin, ['init', '-q', '-b', 'main']);
  git(origin, ['config', 'user.email', 'judge@example.com']);
  git(origin, ['config', 'user.name', 'Judge']);
  ({ id } = await replayAsync({ judgeFile: JUDGE_FILE, root: origin }));
  git(origin, ['add', '-A']);
  git(origin, ['commit', '-qm', 'the RFC 0058 dialogue']);
}, 120_000);

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe.concurrent('a CRLF checkout of a repository holding dialogues', { timeout: 60_000 }, () => {
  for (const [name, config, attributes] of [
    ['core.autocrlf=true', ['core.autocrlf=true'], undefined],
    ['* text=auto eol=crlf', [], '* text=auto eol=crlf\\n'],
  ] as const) {
    it(`reads, checks and checks out every file as current (${name})`, async () => {
      const clone = crlfClone(name.replace(/\W+/g, '-'), [...config], attributes);
      const folder = join(clone, '.blue', 'dialogues', id);
      // The checkout did convert them: the test would prove nothing otherwise.
      expect(readFileSync(join(folder, 'store.json'), 'utf8')).toContain('\r\n');
      expect(readFileSync(join(folder, 'dialogue.md'), 'utf8')).toContain('\r\n');

      const check = await blue(clone, ['dialogue', 'export', '--all', '--check', '--json']);
      expect(check.status, check.stdout + check.stderr).toBe(0);
      expect(JSON.parse(check.stdout)).toMatchObject({ differ: [], missing: [] });
      const show = await blue(clone, ['dialogue', 'show', id, '--json']);
      expect(show.status, show.stderr).toBe(0);
      expect(JSON.parse(show.stdout).status).toBe('converged');
      const list = await blue(clone, ['dialogue', 'list', '--json']);
      expect(JSON.parse(list.stdout).dialogues.map((d: { id: string }) => d.id)).toEqual([id]);
      expect((await blue(clone, ['store', 'verify', '--json'])).status).toBe(0);

      // checkout finds every file as the store has it: nothing written, nothing moved aside.
      const before = readdirSync(folder, { recursive: true }).sort();
      const checkout = await blue(clone, ['dialogue', 'checkout', id, '--json']);
      expect(checkout.status, checkout.stdout + checkout.stderr).toBe(0);
      expect(JSON.parse(checkout.stdout).written).toEqual([]);
      expect(readdirSync(folder, { recursive: true }).sort()).toEqual(before);
      // And git sees no change at all.
      expect(git(clone, ['status', '--porcelain'])).toBe(attributes === undefined ? '' : '?? .gitattributes\n');
    });
  }
});
