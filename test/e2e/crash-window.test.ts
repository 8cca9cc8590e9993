// A judge's command killed (kill -9) right after its commit, before or while it writes its files:
// afterwards a single command restores the round's prompts and panel file (running `round open` again, or
// `checkout`), and `score` run again restores the judge files. 50 trials, five at a time.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SMALL_POOL_YAML } from '../support/app.js';

const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'bin', 'blue');
const run = (cwd: string, args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--json'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
/** The same, without blocking: the trials run side by side, and a blocked event loop would delay the kills. */
const runAsync = (cwd: string, args: string[]) =>
  new Promise<{ status: number; stdout: string }>((done) => {
    const child = spawn(process.execPath, [BIN, ...args, '--json'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (status) => done({ status: status ?? -1, stdout }));
  });

/**
 * Runs a command and kills it with SIGKILL the moment `committed()` turns true (polled as fast as the
 * event loop allows), which aims the kill at the window between its commit and its file writes.
 */
function killedAtCommit(cwd: string, args: string[], committed: () => boolean): Promise<void> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore' });
    let exited = false;
    const poll = () => {
      if (exited) return;
      if (committed()) child.kill('SIGKILL');
      else setImmediate(poll);
    };
    child.on('exit', () => {
      exited = true;
      done();
    });
    poll();
  });
}

async function trial(seed: number): Promise<{ opened: boolean; repaired: boolean }> {
  const root = mkdtempSync(join(tmpdir(), 'blue-crash-'));
  mkdirSync(join(root, '.blue'));
  writeFileSync(join(root, 'pool.yaml'), SMALL_POOL_YAML);
  const id = JSON.parse((await runAsync(root, ['dialogue', 'start', `Crash ${seed}`, '--pool', 'pool.yaml', '--panel-size', '4', '--seed', '1'])).stdout).id;
  const storeFile = join(root, `.blue/dialogues/${id}/store.json`);
  const roundOpened = () => {
    try {
      return JSON.parse(readFileSync(storeFile, 'utf8')).dialogue.rounds.length === 1;
    } catch {
      return false; // mid-rename: not yet
    }
  };
  await killedAtCommit(root, ['dialogue', 'round', 'open', id], roundOpened);
  const store = JSON.parse(readFileSync(storeFile, 'utf8')).dialogue;
  const opened = store.rounds.length === 1;
  const dir = join(root, `.blue/dialogues/${id}/round-0`);
  const names = ['muffin', 'cupcake', 'scone', 'eclair'];
  const complete = () => existsSync(join(dir, 'panel.json')) && names.every((n) => existsSync(join(dir, `${n}.prompt.md`)));
  const repaired = opened && !complete();
  // The one command that restores the folder, whatever the kill left.
  const again = await runAsync(root, ['dialogue', 'round', 'open', id]);
  expect([0, 3]).toContain(again.status);
  if (again.status === 3) expect(JSON.parse(again.stdout).error.code).toBe('round_not_scored');
  expect(complete()).toBe(true);
  expect(JSON.parse(readFileSync(join(root, `.blue/dialogues/${id}/store.json`), 'utf8')).dialogue.rounds).toHaveLength(1);
  return { opened, repaired };
}

describe('kill -9 between a commit and its files', () => {
  it('always ends with a dialogue whose prompts one command restores (50 trials)', async () => {
    const outcomes: Array<{ opened: boolean; repaired: boolean }> = [];
    for (let batch = 0; batch < 10; batch++) outcomes.push(...(await Promise.all([0, 1, 2, 3, 4].map((i) => trial(batch * 5 + i)))));
    expect(outcomes).toHaveLength(50);
    // The kills landed after the commit (that is what they aim at); most before all files were written.
    console.log(`crash trials: ${outcomes.filter((o) => !o.opened).length} before the commit, ${outcomes.filter((o) => o.repaired).length} between the commit and its files, ${outcomes.filter((o) => o.opened && !o.repaired).length} after`);
    expect(outcomes.every((o) => o.opened)).toBe(true);
    expect(outcomes.some((o) => o.repaired)).toBe(true);
  }, 120_000);

  it('score run again after its judge files were lost rewrites them', () => {
    const root = mkdtempSync(join(tmpdir(), 'blue-crash-'));
    mkdirSync(join(root, '.blue'));
    writeFileSync(join(root, 'pool.yaml'), SMALL_POOL_YAML);
    const id = JSON.parse(run(root, ['dialogue', 'start', 'Score crash', '--pool', 'pool.yaml', '--panel-size', '3', '--seed', '1']).stdout).id;
    const panel = JSON.parse(run(root, ['dialogue', 'round', 'open', id]).stdout).panel;
    for (const m of panel) writeFileSync(join(root, m.output_file), '[PERSPECTIVE P01: View]\nx\n');
    run(root, ['dialogue', 'round', 'ingest', id]);
    const args = ['dialogue', 'score', id, ...panel.flatMap((m: any) => ['--expert', `${m.name}=2,1,1,1`])];
    expect(run(root, args).status).toBe(0);
    const board = join(root, `.blue/dialogues/${id}/scoreboard.md`);
    const before = readFileSync(board, 'utf8');
    writeFileSync(board, 'torn');
    const again = run(root, args);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/rewritten from the store/);
    expect(readFileSync(board, 'utf8')).toBe(before);
  });
});
