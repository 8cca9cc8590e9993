// Preloaded into a measured bin/blue (`node --require bench/peak-memory.cjs bin/blue ...`): at exit, writes
// the process's peak resident set size (kilobytes) and the CPU time it used (user + system, ms) as JSON to
// the file BENCH_PEAK_MEMORY_FILE names. The bench's scaling section (bench/scale.mjs) reads it, so each
// command's figures are its own process's; CPU time says what the command cost when a busy machine makes
// wall time wander. CommonJS, like bin/blue: an ES module preload would start Node's ES module loader in
// every measured command, which blue itself never does, and add its time and memory to blue's figures.
'use strict';

const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_PEAK_MEMORY_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRSS: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
