// The marker reader's scaling on the pathological shapes of the hostile-input trial: each at 1 MB and
// 5 MB, with the ratio between them (linear work stays near 5; the bound is 6). Run by bench/run.mjs, or on
// its own: node bench/reader.mjs (after npm run build).

import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each shape, as a function of the size in bytes. */
const SHAPES = {
  'one [RE:SUPPORT] naming many ids': (n) => `[RE:SUPPORT ${Array.from({ length: Math.floor(n / 7) }, (_, i) => `P${String(i % 9999).padStart(4, '0')}`).join(' ')}]\n`,
  'reference lines after blank lines': (n) => `[MUFFIN-P0101: x]\n${'\n[RE:SUPPORT P0001]\n'.repeat(Math.floor(n / 20))}`,
  'the same id again and again': (n) => '[PERSPECTIVE P01: x]\ny\n'.repeat(Math.floor(n / 24)),
  'markers chained on one line': (n) => `${'[MOVE:CONVERGE]'.repeat(Math.floor(n / 15))}\n`,
  'one unclosed bracket run': (n) => `${'['.repeat(n)}\n`,
};

export async function readerSection() {
  const { readMarkers } = await import(pathToFileURL(join(repo, 'dist', 'domain', 'markers.js')).href);
  console.log('\nMarker reader, 1 MB vs 5 MB of each pathological shape (best of 3 runs each):');
  console.log(`  ${'shape'.padEnd(36)} ${'1 MB'.padStart(9)} ${'5 MB'.padStart(9)}  ratio`);
  for (const [name, make] of Object.entries(SHAPES)) {
    const ms = [];
    for (const size of [1_000_000, 5_000_000]) {
      const text = make(size);
      // The best of three: one run's figure swings with garbage collection and the machine's load.
      let best = Infinity;
      for (let run = 0; run < 3; run++) {
        const t = performance.now();
        readMarkers(text);
        best = Math.min(best, performance.now() - t);
      }
      ms.push(best);
    }
    console.log(`  ${name.padEnd(36)} ${`${ms[0].toFixed(0)} ms`.padStart(9)} ${`${ms[1].toFixed(0)} ms`.padStart(9)}  ${(ms[1] / ms[0]).toFixed(1)}x`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await readerSection();
