// vitest globalSetup: brings dist/ up to date once per run, before any test file starts, so that
// `vitest run` on its own (without `npm test`'s build) never tests an old bin/blue. Listed in
// vitest.config.ts before dynamodb-local.ts. The spawn helper (scripts/blue.mjs) checks again before its
// first run in each test file and fails naming the stale file, for runs without this setup.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { REPO, staleDist } from '../../scripts/blue.mjs';

export default function setup(): void {
  const problem = staleDist();
  if (!problem) return;
  process.stderr.write(`[dist-current] ${problem}: running tsc -p tsconfig.json\n`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
  const still = staleDist();
  if (still) throw new Error(`dist/ is still stale after tsc -p tsconfig.json: ${still}`);
}
