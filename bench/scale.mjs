// How blue's commands grow with the dialogue: `round ingest`, `score`, `show --json` and `export` on a
// synthetic dialogue of 1x, 10x and 100x the RFC 0058 reference's size in expert outputs (4 rounds of 6
// experts, 20 of 12, 100 of 24, each writing about 2.3 KB as the reference's experts do; a round number
// has two digits in blue's ids, so 100 rounds is as far as rounds go), each through bin/blue in its own process:
// its wall time, its CPU time and its peak memory (maxRSS), the median of BENCH_SCALE_RUNS runs (default
// 3), and the 10x-to-100x ratio of each (linear work stays near 10). Run by bench/run.mjs, or on its own:
// node bench/scale.mjs (after npm run build).

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { assertDistCurrent, BIN } from '../scripts/blue.mjs';
import { syntheticProject } from '../scripts/synthetic-project.mjs';
import { median } from './startup.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PROBE = join(here, 'peak-memory.cjs');
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 3);
const SCALES = [
  { name: '1x', rounds: 4, panelSize: 6 },
  { name: '10x', rounds: 20, panelSize: 12 },
  { name: '100x', rounds: 100, panelSize: 24 },
];
const COMMANDS = ['ingest', 'score', 'show', 'export'];
/** The prose under each marker that makes an output about 2.3 KB, the size of the reference's. */
const PARAGRAPH_BYTES = 700;

/**
 * One bin/blue run in `cwd`: its wall time and CPU time (ms) and peak resident memory (MB), and with `heap`
 * the peaks of V8's heap (in use, taken from the system) and of the memory outside it (MB). Fails loudly.
 */
function measured(args, cwd, script = [BIN], heap = false) {
  const memoryFile = join(cwd, '.peak-memory');
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['--require', PROBE, ...script, ...args], {
    cwd,
    env: { ...process.env, BENCH_PEAK_MEMORY_FILE: memoryFile, ...(heap ? { BENCH_PEAK_HEAP: '1' } : {}) },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`blue ${args.slice(0, 3).join(' ')} exited ${run.status}: ${run.stderr}${run.stdout.slice(0, 2000)}`);
  const usage = JSON.parse(readFileSync(memoryFile, 'utf8'));
  const mb = (bytes) => bytes / 1024 / 1024;
  return {
    ms,
    cpu: usage.cpuMs,
    mb: usage.maxRSS / 1024,
    ...(heap ? { heapUsed: mb(usage.peakHeapUsed), heapTotal: mb(usage.peakHeapTotal), external: mb(usage.peakExternal) } : {}),
  };
}

/** Each command once more on a fresh copy, with V8's heap recorded at every collection (a run apart from the timed ones). */
async function heapPeaks(template, project) {
  const dir = mkdtempSync(join(tmpdir(), 'blue-scale-heap-'));
  cpSync(template, dir, { recursive: true });
  const peaks = {
    ingest: measured(['dialogue', 'round', 'ingest', project.id, '--json'], dir, [BIN], true),
    score: measured([...(await project.scoreArgs(dir)), '--json'], dir, [BIN], true),
    show: measured(['dialogue', 'show', project.id, '--json'], dir, [BIN], true),
    export: measured(['dialogue', 'export', project.id, '--json'], dir, [BIN], true),
  };
  rmSync(dir, { recursive: true, force: true });
  return peaks;
}

/** Each command's median time and memory at one scale; every run on a fresh copy of the project. */
async function measureScale(scale) {
  const template = mkdtempSync(join(tmpdir(), `blue-scale-${scale.name}-`));
  const project = await syntheticProject(template, { rounds: scale.rounds, panelSize: scale.panelSize, paragraphBytes: PARAGRAPH_BYTES });
  const storeMb = statSync(join(template, '.blue', 'dialogues', project.id, 'store.json')).size / 1024 / 1024;
  const runs = Object.fromEntries(COMMANDS.map((c) => [c, []]));
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), `blue-scale-${scale.name}-run-`));
    cpSync(template, dir, { recursive: true });
    runs.ingest.push(measured(['dialogue', 'round', 'ingest', project.id, '--json'], dir));
    // The judge's decisions depend on the ingested round; each copy gets the summary file they name.
    const scoreArgs = await project.scoreArgs(dir);
    runs.score.push(measured([...scoreArgs, '--json'], dir));
    runs.show.push(measured(['dialogue', 'show', project.id, '--json'], dir));
    runs.export.push(measured(['dialogue', 'export', project.id, '--json'], dir));
    rmSync(dir, { recursive: true, force: true });
  }
  const heap = scale.name === '100x' ? await heapPeaks(template, project) : undefined;
  rmSync(template, { recursive: true, force: true });
  const figures = Object.fromEntries(
    COMMANDS.map((c) => [c, { ms: median(runs[c].map((r) => r.ms)), cpu: median(runs[c].map((r) => r.cpu)), mb: median(runs[c].map((r) => r.mb)) }]),
  );
  return { ...scale, storeMb, figures, heap };
}

const LABEL = { ingest: 'round ingest', score: 'score', show: 'show --json', export: 'export' };

export async function scaleSection() {
  assertDistCurrent();
  const results = [];
  for (const scale of SCALES) results.push(await measureScale(scale));
  console.log(`\nScaling: synthetic dialogues of 1x, 10x and 100x the reference's expert outputs (~2.3 KB each), through bin/blue`);
  console.log(`  ${results.map((r) => `${r.name} = ${r.rounds} rounds x ${r.panelSize} experts (${r.storeMb.toFixed(1)} MB store)`).join(', ')}`);
  console.log(`  median of ${RUNS} runs: wall time, CPU time (user + system) and peak RSS of the command's own process`);
  const cell = (f) => `${`${f.ms.toFixed(0)}`.padStart(6)} ${`${f.cpu.toFixed(0)}`.padStart(6)} ${`${f.mb.toFixed(0)}`.padStart(5)}`;
  console.log(`  ${''.padEnd(13)}${results.map((r) => `${r.name.padStart(6)} ${'cpu'.padStart(6)} ${'MB'.padStart(5)}`).join('  ')}   10x->100x: wall   cpu   RSS`);
  const [, ten, hundred] = results;
  for (const c of COMMANDS) {
    const ratio = (k) => `x${(hundred.figures[c][k] / ten.figures[c][k]).toFixed(1)}`.padStart(6);
    console.log(`  ${LABEL[c].padEnd(13)}${results.map((r) => cell(r.figures[c])).join('  ')}   ${''.padEnd(10)}${ratio('ms')}${ratio('cpu')}${ratio('mb')}`);
  }
  // Peak memory beside the store file at 100x, whole and above what Node itself takes doing nothing, since
  // that floor (about 40 MB) is already several times a 10 MB store file.
  const idleDir = mkdtempSync(join(tmpdir(), 'blue-scale-idle-'));
  const idle = median(Array.from({ length: RUNS }, () => measured(['0'], idleDir, ['-e']).mb));
  rmSync(idleDir, { recursive: true, force: true });
  const times = (mb) => `${(mb / hundred.storeMb).toFixed(1)}x`;
  console.log(`  peak RSS at 100x beside its ${hundred.storeMb.toFixed(1)} MB store file, whole / above an idle node's ${idle.toFixed(0)} MB (node -e 0):`);
  console.log(`    ${COMMANDS.map((c) => `${LABEL[c]} ${times(hundred.figures[c].mb)} / ${times(hundred.figures[c].mb - idle)}`).join(', ')}`);
  // What the program itself held, apart from the runtime's floor and from the room V8 keeps for young
  // objects (two semispaces of up to 16 MB, however large the dialogue): one more run each, recording the
  // heap at every collection.
  console.log(`  the same at 100x, one run each with V8's heap recorded at every collection: peak heap in use (live, or dead and not yet collected) / heap V8 took / outside the heap (Buffers), beside the store file:`);
  console.log(`    ${COMMANDS.map((c) => { const h = hundred.heap[c]; return `${LABEL[c]} ${h.heapUsed.toFixed(0)} MB ${times(h.heapUsed)} / ${h.heapTotal.toFixed(0)} MB ${times(h.heapTotal)} / ${h.external.toFixed(0)} MB`; }).join(', ')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await scaleSection();
