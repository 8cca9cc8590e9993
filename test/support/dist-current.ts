// vitest globalSetup: brings dist/ up to date once per run, before any test file starts, so that
// `vitest run` on its own (without `npm test`'s build) never tests an old bin/blue. Listed in
// vitest.config.ts before dynamodb-local.ts. The spawn helper (scripts/blue.mjs) checks again before its
// first run in each test file and fails naming the stale file, for runs without this setup.

import { buildAll } from '../../scripts/build.mjs';
import { staleDist } from '../../scripts/blue.mjs';

export default async function setup(): Promise<void> {
  const problem = staleDist();
  if (!problem) return;
  process.stderr.write(`[dist-current] ${problem}: running npm run build's steps (tsc, then the bundle)\n`);
  await buildAll();
  const still = staleDist();
  if (still) throw new Error(`dist/ is still stale after the build: ${still}`);
}
