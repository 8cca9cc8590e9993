// Start-up: what a command costs before it does anything, beside `node -e 0`, for the commands hooks and
// agent loops run most: `blue --version`, and `blue dialogue list --json` on an empty file store without
// a config file and with the two-line `.blue/config.yaml` every DynamoDB project has (here naming the
// file store, so that only the config's cost differs); and `show --json` of a dialogue just started.
// Paired runs: each round runs every case once, so a burst of load on the machine falls on all of them;
// the median of BENCH_RUNS rounds (default 25), and the median of each round's ratio to node. Run by bench/run.mjs, or on its own: node bench/startup.mjs (after npm run build).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { assertDistCurrent, BIN } from '../scripts/blue.mjs';

/** How many paired runs each start-up figure is the median of (BENCH_RUNS, default 25). */
export const RUNS = Number(process.env.BENCH_RUNS ?? 25);

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * How `times` compare with `base`, run in the same rounds: the median of each round's own ratio. This
 * machine's speed drifts over a run (other tenants), and a round's cases run within a second of each other.
 */
export function pairedRatio(times, base) {
  return median(times.map((ms, i) => ms / base[i]));
}

/** Wall time of one child process, in ms; a failure throws with its words. */
function timed(args, cwd) {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

export async function startupSection() {
  assertDistCurrent();
  const bare = mkdtempSync(join(tmpdir(), 'blue-bench-'));
  mkdirSync(join(bare, '.blue'));
  const configured = mkdtempSync(join(tmpdir(), 'blue-bench-config-'));
  mkdirSync(join(configured, '.blue'));
  writeFileSync(join(configured, '.blue', 'config.yaml'), 'storage:\n  backend: file\n');
  // `show` of a dialogue just started, in a project of its own with the same config.
  const shown = mkdtempSync(join(tmpdir(), 'blue-bench-show-'));
  mkdirSync(join(shown, '.blue'));
  writeFileSync(join(shown, '.blue', 'config.yaml'), 'storage:\n  backend: file\n');
  writeFileSync(join(shown, 'pool.json'), JSON.stringify({ domain: 'Bench', question: 'How fast?', experts: Array.from({ length: 8 }, (_, i) => ({ role: `Role ${i}`, tier: i < 3 ? 'core' : 'adjacent', relevance: 0.9 - i * 0.05 })) }));
  const started = spawnSync(process.execPath, [BIN, 'dialogue', 'start', 'Show bench', '--pool', 'pool.json', '--json'], { cwd: shown, encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`dialogue start failed: ${started.stderr}`);
  const shownId = JSON.parse(started.stdout).id;
  const cases = [
    { label: 'node -e 0', args: ['-e', '0'], cwd: bare },
    { label: 'blue --version', args: [BIN, '--version'], cwd: bare },
    { label: 'blue dialogue list --json', args: [BIN, 'dialogue', 'list', '--json'], cwd: bare },
    { label: '  with a two-line config.yaml', args: [BIN, 'dialogue', 'list', '--json'], cwd: configured },
    { label: 'blue dialogue show <id> --json', args: [BIN, 'dialogue', 'show', shownId, '--json'], cwd: shown },
  ];
  const runs = cases.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    // Every other round runs the cases in reverse, so that none always follows the same one.
    const order = cases.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) runs[k][i] = timed(cases[k].args, cases[k].cwd);
  }
  const medians = runs.map(median);
  const ratios = runs.map((times) => pairedRatio(times, runs[0]));
  console.log(`Start-up (median of ${RUNS} paired runs, empty file store; the ratio is the median of the rounds' own ratios)`);
  cases.forEach((c, k) => {
    const vs = k === 0 ? '' : `   ${ratios[k].toFixed(2)}x node, +${(medians[k] - medians[0]).toFixed(1)} ms`;
    console.log(`  ${c.label.padEnd(30)} ${`${medians[k].toFixed(1)} ms`.padStart(10)}${vs}`);
  });
  rmSync(bare, { recursive: true, force: true });
  rmSync(configured, { recursive: true, force: true });
  rmSync(shown, { recursive: true, force: true });
  return medians;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await startupSection();
