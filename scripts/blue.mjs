// The one way to run the built bin/blue from this repository's tests, scripts and bench: a child process
// of this very node, in a folder, with extra environment. Plain ESM so that node can load it without a
// TypeScript loader (scripts/replay.mjs, bench/run.mjs); blue.d.mts gives the TypeScript tests its types.
//
// bin/blue runs the bundle dist/bundle/, which `npm run build` makes from src/ (with tsc's dist/**/*.js
// beside it, which test helpers and the bench import). Before the first run in a process,
// assertDistCurrent() checks that every src/**/*.ts(x) has its dist/**/*.js, no older than itself (nor than
// tsconfig.json), and that the bundle is no older than any source: a run never tests an old build.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(REPO, 'bin', 'blue');

/** Every `.ts` and `.tsx` file under `dir` (not `.d.ts`), as paths relative to `dir`. */
function sources(dir, prefix = '') {
  const found = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...sources(dir, rel));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(rel);
  }
  return found;
}

/**
 * Why dist/ does not match src/ (a missing or older output, or a newer tsconfig.json), or undefined when
 * every output is current. `repo` defaults to this repository.
 */
export function staleDist(repo = REPO) {
  const src = join(repo, 'src');
  const dist = join(repo, 'dist');
  if (!existsSync(dist)) return 'dist/ does not exist';
  const config = statSync(join(repo, 'tsconfig.json')).mtimeMs;
  for (const file of sources(src)) {
    const output = join(dist, file.replace(/\.tsx?$/, '.js'));
    const shown = relative(repo, output);
    if (!existsSync(output)) return `${shown} is missing (src/${file} is not compiled)`;
    const built = statSync(output).mtimeMs;
    if (built < statSync(join(src, file)).mtimeMs) return `${shown} is older than src/${file}`;
    if (built < config) return `${shown} is older than tsconfig.json`;
  }
  // What ships is the bundle (scripts/build.mjs), built from the same sources.
  const bundle = join(dist, 'bundle', 'core.cjs');
  if (!existsSync(bundle)) return 'dist/bundle/core.cjs is missing (the bundle was not built)';
  const bundled = statSync(bundle).mtimeMs;
  for (const file of sources(src)) {
    if (bundled < statSync(join(src, file)).mtimeMs) return `dist/bundle/core.cjs is older than src/${file}`;
  }
  const builder = join(repo, 'scripts', 'build.mjs');
  if (existsSync(builder) && bundled < statSync(builder).mtimeMs) return 'dist/bundle/core.cjs is older than scripts/build.mjs';
  return undefined;
}

let checked = false;

/** Throws, naming the stale file and `npm run build`, unless dist/ is current. Checks once per process. */
export function assertDistCurrent() {
  if (checked) return;
  const problem = staleDist();
  if (problem) {
    throw new Error(`bin/blue would run a stale build: ${problem}. Run \`npm run build\` (tsc and the bundle) first; \`npm test\` does.`);
  }
  checked = true;
}

function environment(extra = {}) {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** stdout as JSON when it is a JSON object or array, else undefined. */
function parsed(stdout) {
  if (!/^\s*[[{]/.test(stdout)) return undefined;
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

function finish(args, status, signal, stdout, stderr, check) {
  const run = { status: status ?? -1, signal: signal ?? null, stdout, stderr, json: parsed(stdout) };
  if (check && run.status !== 0) {
    throw new Error(`blue ${args.join(' ')} exited ${signal ?? run.status}\n${stderr}${stdout}`);
  }
  return run;
}

/**
 * Runs `node bin/blue ...args` in `cwd` (default: the current folder) with process.env plus `env` (a value
 * of undefined removes a variable) and waits for it. Returns {status, signal, stdout, stderr, json}; json
 * is stdout parsed when it is a JSON document. With `check`, a non-zero exit throws with the CLI's words.
 */
export function runBlue(args, { cwd, env, check = false } = {}) {
  assertDistCurrent();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: environment(env), encoding: 'utf8' });
  if (result.error) throw result.error;
  return finish(args, result.status, result.signal, result.stdout, result.stderr, check);
}

/** runBlue without blocking: other runs (and the test's own work) go on meanwhile. */
export function runBlueAsync(args, { cwd, env, check = false } = {}) {
  assertDistCurrent();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status, signal) => {
      try {
        resolvePromise(finish(args, status, signal, stdout, stderr, check));
      } catch (error) {
        reject(error);
      }
    });
  });
}
