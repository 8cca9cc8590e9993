// Preloaded into a measured bin/blue (`node --require bench/peak-memory.cjs bin/blue ...`): at exit, writes
// the process's peak resident set size (kilobytes) and the CPU time it used (user + system, ms) as JSON to
// the file BENCH_PEAK_MEMORY_FILE names. The bench's scaling section (bench/scale.mjs) reads it, so each
// command's figures are its own process's; CPU time says what the command cost when a busy machine makes
// wall time wander. CommonJS, like bin/blue: an ES module preload would start Node's ES module loader in
// every measured command, which blue itself never does, and add its time and memory to blue's figures.
//
// With BENCH_PEAK_HEAP set as well, it also records V8's heap at every collection (v8.GCProfiler) and adds
// the peaks: the heap in use (objects live, or dead and not yet collected: the most the program itself
// held), the heap V8 had taken from the system for it, and the memory outside the heap (Buffers). A run
// for the timings leaves it unset, so that they pay for none of it.
'use strict';

const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_PEAK_MEMORY_FILE;
if (file) {
  const v8 = process.env.BENCH_PEAK_HEAP ? require('node:v8') : undefined;
  const profiler = v8 && new v8.GCProfiler();
  profiler?.start();
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const figures = { maxRSS: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
    if (profiler) {
      const atExit = v8.getHeapStatistics();
      const points = [
        ...profiler.stop().statistics.map((gc) => gc.beforeGC.heapStatistics),
        { usedHeapSize: atExit.used_heap_size, totalHeapSize: atExit.total_heap_size, externalMemory: atExit.external_memory },
      ];
      const peak = (key) => Math.max(...points.map((point) => point[key] ?? 0));
      Object.assign(figures, { peakHeapUsed: peak('usedHeapSize'), peakHeapTotal: peak('totalHeapSize'), peakExternal: peak('externalMemory') });
    }
    writeFileSync(file, JSON.stringify(figures));
  });
}
