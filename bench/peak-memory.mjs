// Preloaded into a measured bin/blue (`node --import bench/peak-memory.mjs bin/blue ...`): at exit, writes
// the process's peak resident set size in kilobytes to the file BENCH_PEAK_MEMORY_FILE names. The
// bench's scaling section (bench/scale.mjs) reads it, so each command's memory is its own process's.

import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_MEMORY_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
