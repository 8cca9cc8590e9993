// The DynamoDB section of `npm run bench` (bench/run.mjs calls it last). Figures, not assertions. Prints
//  1. the envelope in process: seal/open throughput (XChaCha20-Poly1305) by payload size, and the cost of
//     generating and unwrapping a data key with a local master key;
//  2. against a DynamoDB Local started here (and always stopped here): what each command of the bundled
//     RFC 0058 replay costs in wall time and in DynamoDB requests (BLUE_REPORT_REQUESTS), then list, show,
//     verify and a migrate to the file store; the replay on the file store beside it; the table's items.
// Without java the second part is skipped with a line that says so: the bench is not a test.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
// The one DynamoDB Local launcher, shared with the test run's globalSetup.
import { findJarDirectory, hasJava, startDynamoDBLocal } from '../scripts/dynamodb-local.mjs';
import { median } from './startup.mjs';

const MEASURE_MS = Number(process.env.BENCH_CRYPTO_MS ?? 500);
const TABLE = 'blue_bench';
const JAVA_HINT = 'apt-get install -y openjdk-17-jre-headless';
/** Columns in this order first; any other operation a command uses is added after them. */
const OPERATION_ORDER = ['GetItem', 'Query', 'TransactWriteItems', 'BatchWriteItem', 'PutItem', 'Scan', 'CreateTable', 'DescribeTable', 'UpdateTable'];

export async function dynamodbSection({ repo }) {
  await envelopeFigures(repo);
  await dynamodbFigures(repo);
}

// --- 1. The envelope, in process ------------------------------------------------------------------------

/** Calls fn (sync or async) for about `ms` after a warm-up; returns calls per second. */
async function rate(fn, ms = MEASURE_MS) {
  for (let i = 0; i < 20; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    await fn();
    n++;
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return (n * 1000) / elapsed;
}

/** The same for a synchronous fn, without an await a call (which would weigh on 256-byte seals). */
function rateSync(fn, ms = MEASURE_MS) {
  for (let i = 0; i < 20; i++) fn();
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    fn();
    n++;
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return (n * 1000) / elapsed;
}

function bytes(n) {
  return n >= 1024 ? `${n / 1024} KB` : `${n} B`;
}

function count(n) {
  return Math.round(n).toLocaleString('en-US');
}

async function envelopeFigures(repo) {
  const { seal, open, itemAad } = await import(pathToFileURL(join(repo, 'dist', 'store', 'crypto', 'envelope.js')).href);
  const { LocalKeyWrapper } = await import(pathToFileURL(join(repo, 'dist', 'store', 'crypto', 'keys.js')).href);
  const key = new Uint8Array(randomBytes(32));
  const keyId = 'dk:0123456789abcdef';
  // The additional data of a real item: its address, key id and plain attributes.
  const aad = itemAad('dialogue:2026-01-01-bench/expert/MUFFIN', keyId, { round: 3, rev: '00000007.a1b2c3d4' });

  console.log(`\nEnvelope, in process (XChaCha20-Poly1305, ${aad.length} B of AAD; ~${MEASURE_MS / 1000} s a figure; MB = 10^6 B)`);
  console.log('  payload   seal MB/s   open MB/s     seal ops/s     open ops/s');
  const sizes = [256, 4096, 65536, 262144];
  // Warm the JIT on every size first: measured cold, the first (small) size reads at half its speed.
  for (const size of sizes) {
    const plaintext = new Uint8Array(size);
    rateSync(() => open(seal(key, keyId, plaintext, aad), key, keyId, aad), MEASURE_MS / 4);
  }
  for (const size of sizes) {
    const plaintext = new Uint8Array(randomBytes(size));
    const sealed = seal(key, keyId, plaintext, aad);
    const sealRate = rateSync(() => seal(key, keyId, plaintext, aad));
    const openRate = rateSync(() => open(sealed, key, keyId, aad));
    const mb = (r) => ((r * size) / 1e6).toFixed(1).padStart(11);
    console.log(`  ${bytes(size).padStart(7)} ${mb(sealRate)} ${mb(openRate)} ${count(sealRate).padStart(14)} ${count(openRate).padStart(14)}`);
  }

  const wrapper = new LocalKeyWrapper(new Uint8Array(randomBytes(32)));
  const context = { table: TABLE, pk: 'd#benchbenchbenchbenchbenchbenchbenchbenchben' };
  const { wrapped } = await wrapper.generate(context);
  const generateRate = await rate(() => wrapper.generate(context));
  const unwrapRate = await rate(() => wrapper.unwrap(wrapped, context, 'the bench data key'));
  console.log(`  data key, local master key (LocalKeyWrapper): generate ${count(generateRate)} ops/s, unwrap ${count(unwrapRate)} ops/s (${(1e6 / unwrapRate).toFixed(1)} µs an unwrap)`);
}

// --- 2. DynamoDB Local ----------------------------------------------------------------------------------

/** A project folder: a fresh git repository, or a bare .blue/ when git is not there. */
function project(parent, name) {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  const git = spawnSync('git', ['init', '-q'], { cwd: dir, stdio: 'ignore' });
  if (git.error || git.status !== 0) mkdirSync(join(dir, '.blue'), { recursive: true });
  return dir;
}

/**
 * {operation: count}, and the milliseconds with a request under way, from the `blue: dynamodb requests:
 * GetItem=1 Query=1; 35 ms under way` line(s) of a command's stderr.
 */
function requestsOf(stderr) {
  const counts = {};
  let lines = 0;
  let requestMs = 0;
  for (const match of stderr.matchAll(/^blue: dynamodb requests: ([^;]*)(?:; (\d+) ms under way)?$/gm)) {
    lines++;
    requestMs += Number(match[2] ?? 0);
    for (const pair of match[1].trim().split(/\s+/)) {
      const [name, n] = pair.split('=');
      if (n !== undefined) counts[name] = (counts[name] ?? 0) + Number(n);
    }
  }
  return { counts, lines, requestMs };
}

/** A row name for a replay call: start, round open R0, round ingest R0, score R0, verdict, export. */
function labelOf(args, result, state) {
  const [, what, sub] = args;
  if (what === 'round' && sub === 'open') {
    state.round = result.json?.round ?? state.round + 1;
    return `round open R${state.round}`;
  }
  if (what === 'round') return `round ${sub} R${state.round}`;
  if (what === 'score') return `score R${state.round}`;
  return what;
}

/** DynamoDB's item size, roughly: attribute names plus values (binary and strings by bytes). */
function approximateSize(value) {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(value).replace(/[-.]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum, v) => sum + 1 + approximateSize(v), 0);
  if (value instanceof Set) return [...value].reduce((sum, v) => sum + approximateSize(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + approximateSize(v), 0);
  return 0;
}

function itemSize(item) {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + approximateSize(value), 0);
}

async function scanTable(endpoint) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'benchKey', secretAccessKey: 'benchSecret' } });
  const doc = DynamoDBDocumentClient.from(raw);
  const items = [];
  try {
    let start;
    do {
      const page = await doc.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    raw.destroy();
  }
  return items;
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`;
}

async function dynamodbFigures(repo) {
  const judgeFile = join(repo, '.blue', 'examples', 'rfc-0058', 'judge.json');
  if (!hasJava()) {
    console.log(`\nDynamoDB: section skipped, java is missing (DynamoDB Local runs on java: ${JAVA_HINT}).`);
    return;
  }
  try {
    findJarDirectory();
  } catch (error) {
    console.log(`\nDynamoDB: section skipped: ${error.message}`);
    return;
  }
  const { replay, blue } = await import(pathToFileURL(join(repo, 'scripts', 'replay.mjs')).href);
  const tmp = mkdtempSync(join(tmpdir(), 'blue-bench-ddb-'));
  let local;
  try {
    local = await startDynamoDBLocal();
    const env = {
      BLUE_DYNAMODB_ENDPOINT: local.endpoint,
      BLUE_DYNAMODB_TABLE: TABLE,
      BLUE_KEY_FILE: join(tmp, 'master.key'),
      AWS_ACCESS_KEY_ID: 'benchKey',
      AWS_SECRET_ACCESS_KEY: 'benchSecret',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      BLUE_REPORT_REQUESTS: '1',
    };
    const rows = [];
    const surprises = [];
    const record = (label, result) => {
      const { counts, lines, requestMs } = requestsOf(result.stderr);
      if (lines !== 1) surprises.push(`${label}: ${lines} request report lines on stderr, expected 1`);
      rows.push({ label, ms: result.ms, counts, requestMs });
    };
    const call = (label, args, root) => {
      const t0 = performance.now();
      const result = blue(args, { root, env });
      record(label, { ...result, ms: performance.now() - t0 });
      return result;
    };

    // Set-up, then the replay on DynamoDB with every call's stderr read.
    const root = project(tmp, 'dynamodb');
    call('store init', ['store', 'init', '--store', 'dynamodb', '--json'], root);
    const state = { round: -1 };
    let t0 = performance.now();
    const replayed = replay({ judgeFile, root, store: 'dynamodb', env, onCall: (args, result) => record(labelOf(args, result, state), result) });
    const dynamoMs = performance.now() - t0;
    const replayCount = rows.length - 1;
    const scanned = await scanTable(local.endpoint);

    // Reads and the way out, on the same table.
    const id = replayed.id;
    call('dialogue list', ['dialogue', 'list', '--store', 'dynamodb', '--json'], root);
    call('dialogue show', ['dialogue', 'show', id, '--store', 'dynamodb', '--json'], root);
    const verified = call('store verify', ['store', 'verify', id, '--store', 'dynamodb', '--json'], root);
    const fresh = project(tmp, 'migrated');
    const migrated = call('store migrate -> file', ['store', 'migrate', '--from', 'dynamodb', '--to', 'file', '--json'], fresh).json;

    // The same replay on the file store.
    const fileRoot = project(tmp, 'file');
    t0 = performance.now();
    const fileCalls = [];
    const fileReplay = replay({ judgeFile, root: fileRoot, store: 'file', onCall: (args, result) => fileCalls.push(result.ms) });
    const fileMs = performance.now() - t0;
    const storeJson = join(fileRoot, '.blue', 'dialogues', fileReplay.id, 'store.json');
    const fileBytes = existsSync(storeJson) ? statSync(storeJson).size : undefined;

    // The reads again, paired: each round runs a command on DynamoDB Local and then on the file store, and
    // the figure is the median over the rounds of the DynamoDB run's time apart from its requests, beside
    // the median of the file store's. One replay's single calls drift with the machine; these do less.
    // The first rounds of each command are not counted: DynamoDB Local's JVM is still compiling what the
    // replay ran, and on a machine of two cores that takes time from whichever process runs beside it.
    const PAIRED = Number(process.env.BENCH_DYNAMODB_RUNS ?? 15);
    const WARM_UP = 3;
    const paired = [];
    for (const [label, args] of [['export', ['dialogue', 'export', id, '--json']], ['dialogue show', ['dialogue', 'show', id, '--json']], ['dialogue list', ['dialogue', 'list', '--json']]]) {
      for (let i = 0; i < WARM_UP; i++) {
        blue([...args, '--store', 'dynamodb'], { root, env });
        blue(args, { root: fileRoot });
      }
      const apart = [];
      const file = [];
      for (let i = 0; i < PAIRED; i++) {
        let t = performance.now();
        const onDynamo = blue([...args, '--store', 'dynamodb'], { root, env });
        const dynamoMs = performance.now() - t;
        apart.push(dynamoMs - requestsOf(onDynamo.stderr).requestMs);
        t = performance.now();
        blue(args, { root: fileRoot });
        file.push(performance.now() - t);
      }
      paired.push({ label, apart: median(apart), file: median(file) });
    }

    // The table.
    const operations = [...new Set(rows.flatMap((row) => Object.keys(row.counts)))].sort((a, b) => {
      const ia = OPERATION_ORDER.indexOf(a);
      const ib = OPERATION_ORDER.indexOf(b);
      return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || a.localeCompare(b);
    });
    const labelWidth = Math.max(...rows.map((row) => row.label.length));
    const widths = operations.map((op) => Math.max(op.length, 3));
    // Each replay call beside the same call on the file store: its wall time, the time its requests were
    // under way, and what it cost apart from them, as a ratio to the file store's call.
    rows.slice(1, 1 + fileCalls.length).forEach((row, i) => (row.fileMs = fileCalls[i]));
    const header =
      `  ${'command'.padEnd(labelWidth)}  ${'wall ms'.padStart(8)}  ${'requests'.padStart(8)}  ${'apart'.padStart(6)}  ${'file ms'.padStart(7)}  ${'ratio'.padStart(5)}` +
      `  ${operations.map((op, i) => op.padStart(widths[i])).join('  ')}  ${'total'.padStart(5)}`;
    const line = (row) => {
      const total = Object.values(row.counts).reduce((a, b) => a + b, 0);
      const cells = operations.map((op, i) => String(row.counts[op] ?? '.').padStart(widths[i]));
      const apart = row.ms - row.requestMs;
      const file = row.fileMs === undefined ? ['', ''] : [row.fileMs.toFixed(0), `${(apart / row.fileMs).toFixed(2)}x`];
      return (
        `  ${row.label.padEnd(labelWidth)}  ${row.ms.toFixed(0).padStart(8)}  ${row.requestMs.toFixed(0).padStart(8)}  ${apart.toFixed(0).padStart(6)}  ${file[0].padStart(7)}  ${file[1].padStart(5)}` +
        `  ${cells.join('  ')}  ${String(total).padStart(5)}`
      );
    };
    console.log(`\nDynamoDB Local (${local.endpoint}, up in ${(local.readyMs / 1000).toFixed(1)} s): requests per command (BLUE_REPORT_REQUESTS), RFC 0058 replay`);
    console.log(header);
    console.log(line(rows[0]));
    console.log(`  ${'-'.repeat(header.length - 2)}`);
    for (const row of rows.slice(1, 1 + replayCount)) console.log(line(row));
    console.log(`  ${'-'.repeat(header.length - 2)}`);
    for (const row of rows.slice(1 + replayCount)) console.log(line(row));

    // What the figures show, read from the rows rather than assumed.
    const replayRows = rows.slice(1, 1 + replayCount);
    const find = (label) => rows.find((row) => row.label === label) ?? { counts: {} };
    const span = (list, op) => {
      const values = [...new Set(list.map((row) => row.counts[op] ?? 0))].sort((a, b) => a - b);
      return values.length === 1 ? String(values[0]) : `${values[0]}-${values[values.length - 1]}`;
    };
    const readers = ['export', 'dialogue show', 'store verify'].map(find);
    const changes = replayRows.filter((row) => /^(round|score|verdict)/.test(row.label));
    const scores = replayRows.filter((row) => row.label.startsWith('score'));
    const start = find('start');
    console.log(
      `  A read of one dialogue (export, show, verify) is ${span(readers, 'Query')} Query + ${span(readers, 'GetItem')} GetItem` +
        ` (GetItem: the table's keyring, once a process; resolve's Query serves the load); list is ${find('dialogue list').counts.Query ?? 0} Query of the catalog index.`,
    );
    console.log(
      `  A change (open, ingest, score, verdict) adds ${span(changes, 'TransactWriteItems')} TransactWriteItems (the commit, removing what it superseded)` +
        ` + ${span(changes, 'BatchWriteItem')} BatchWriteItem (staging a write over 100 items, or removals that did not fit); scoring a round is ${span(scores, 'TransactWriteItems')} TransactWriteItems,` +
        ` start ${start.counts.TransactWriteItems ?? 0}.`,
    );
    console.log("  store init's CreateTable/DescribeTable go through a client of their own and are not counted.");
    for (const row of replayRows) {
      const n = row.counts;
      if ((n.Query ?? 0) > 1) surprises.push(`${row.label}: ${n.Query} Query (one load should be one Query unless the partition pages past 1 MB)`);
      if ((n.TransactWriteItems ?? 0) > 1) surprises.push(`${row.label}: ${n.TransactWriteItems} TransactWriteItems (a write retried on a conflict?)`);
      if ((n.BatchWriteItem ?? 0) > 1) surprises.push(`${row.label}: ${n.BatchWriteItem} BatchWriteItem (staging before a commit of more than 100 items, or more than 25 items to remove)`);
    }
    if (verified.json && verified.json.ok === false) surprises.push(`store verify reported problems: ${JSON.stringify(verified.json)}`);
    if (migrated && (migrated.copied?.length ?? 0) !== 1) surprises.push(`store migrate copied ${migrated.copied?.length ?? '?'} dialogues, expected 1`);
    for (const problem of replayed.problems) surprises.push(`MISMATCH (dynamodb): ${problem}`);
    for (const problem of fileReplay.problems) surprises.push(`MISMATCH (file): ${problem}`);
    for (const surprise of surprises) console.log(`  NOTE ${surprise}`);

    // Totals and the table's contents.
    const calls = replayCount;
    const inRequests = replayRows.reduce((sum, row) => sum + row.requestMs, 0);
    const worst = replayRows.filter((row) => row.fileMs !== undefined).reduce((most, row) => Math.max(most, (row.ms - row.requestMs) / row.fileMs), 0);
    console.log(
      `\n  Replay (${calls} CLI calls): file store ${fileMs.toFixed(0)} ms (${(fileMs / calls).toFixed(0)} ms a call),` +
        ` DynamoDB Local ${dynamoMs.toFixed(0)} ms (${(dynamoMs / calls).toFixed(0)} ms a call): ${(dynamoMs / fileMs).toFixed(2)}x;` +
        ` apart from the ${inRequests.toFixed(0)} ms its requests were under way, ${((dynamoMs - inRequests) / fileMs).toFixed(2)}x (the costliest call ${worst.toFixed(2)}x)`,
    );
    console.log(`  Paired, median of ${PAIRED} rounds after ${WARM_UP} not counted, DynamoDB apart from its requests beside the file store:`);
    for (const row of paired) console.log(`    ${row.label.padEnd(14)} ${row.apart.toFixed(0).padStart(5)} ms beside ${row.file.toFixed(0).padStart(5)} ms: ${(row.apart / row.file).toFixed(2)}x`);
    const kinds = new Map();
    let total = 0;
    let sealed = 0;
    for (const item of scanned) {
      const kind = item.pk === 'blue#keyring' ? 'keyring' : String(item.sk).split(/[#@]/)[0];
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      total += itemSize(item);
      if (item.c instanceof Uint8Array) sealed += item.c.length;
      if (item.summary instanceof Uint8Array) sealed += item.summary.length;
    }
    const byKind = [...kinds].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n} ${kind}`).join(', ');
    console.log(
      `  Table ${TABLE} after the replay: ${scanned.length} items (${byKind}), ~${kb(total)} (names + values, approx.),` +
        ` ${kb(sealed)} of it sealed payload (c, summary)${fileBytes === undefined ? '' : `; the file store's store.json: ${kb(fileBytes)}`}`,
    );
  } finally {
    if (local) await local.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
