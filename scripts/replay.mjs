#!/usr/bin/env node
// Replays a recorded dialogue through the blue CLI exactly as a judge would drive it: start with
// --date and --rfc, then for each round open (with the judge's panel), copy the real expert outputs
// to the files blue names, ingest, score with the judge's numbers and decisions; then the final
// verdict and the export. The judge script format is described in ../shared/fixtures/rfc-0058/README.md.
//
//   node scripts/replay.mjs [judge.json] [--root <dir>] [--store file] [--fresh]
//
// Used by `npm run example` (the bundled copy in .blue/examples/rfc-0058), the replay tests and the bench.
// bin/blue runs through scripts/blue.mjs, as everywhere else.

import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runBlue, runBlueAsync } from './blue.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * runBlue with the options this script has always taken ({root, env, allowFail}); throws with the CLI's
 * own words on a failure unless allowFail. Kept for bench/dynamodb.mjs.
 */
export function blue(args, { root, env = {}, allowFail = false } = {}) {
  return runBlue(args, { cwd: root, env, check: !allowFail });
}

function mismatch(problems, what, expected, actual) {
  if (expected !== undefined && expected !== actual) problems.push(`${what}: expected ${expected}, got ${actual}`);
}

/** The replay as a sequence of CLI calls: yields each call's arguments and takes back its result. */
function* replaySteps({ judgeFile, root, store = 'file' }) {
  const fixtureDir = dirname(resolve(judgeFile));
  const judge = JSON.parse(readFileSync(judgeFile, 'utf8'));
  const dialogueDir = resolve(fixtureDir, judge.dialogue_dir);
  mkdirSync(root, { recursive: true });
  if (!existsSync(join(root, '.git')) && !existsSync(join(root, '.blue'))) mkdirSync(join(root, '.blue'), { recursive: true });
  const scratch = join(root, '.replay');
  mkdirSync(scratch, { recursive: true });
  const common = ['--store', store, '--json'];
  // Each call is yielded to the driver (replay or replayAsync), which runs it and sends back its result.
  const run = (args) => [...args, ...common];
  const problems = [];

  const started = (yield run([
    'dialogue', 'start', judge.title,
    '--pool', resolve(fixtureDir, judge.pool),
    '--question', judge.question,
    '--date', judge.date,
    ...(judge.rfc ? ['--rfc', judge.rfc] : []),
  ])).json;
  mismatch(problems, 'id', judge.expect_id, started.id);
  const id = started.id;
  const rounds = [];

  for (const round of judge.rounds) {
    const panelFile = join(scratch, `panel-${round.round}.json`);
    writeFileSync(panelFile, JSON.stringify(round.panel, null, 2));
    const opened = (yield run(['dialogue', 'round', 'open', id, '--panel', panelFile])).json;
    mismatch(problems, `round ${round.round} opened`, round.round, opened.round);
    for (const member of opened.panel) {
      const source = round.outputs[member.name];
      if (!source) continue; // a missing output stays missing
      copyFileSync(resolve(dialogueDir, source), join(root, member.output_file));
    }
    const ingested = (yield run(['dialogue', 'round', 'ingest', id])).json;
    const expect = round.expect ?? {};
    mismatch(problems, `R${round.round} ingest tensions`, expect.ingest_tensions, ingested.counts.tensions);
    mismatch(problems, `R${round.round} ingest converge signals`, expect.ingest_converge_signals, ingested.counts.converge_signals);

    const args = ['dialogue', 'score', id];
    for (const [name, score] of Object.entries(round.scores)) args.push('--expert', `${name}=${score}`);
    const rs = round.round_score;
    if (rs) args.push('--round-score', [rs.w, rs.c, rs.t, rs.r].join(','));
    const counts = round.judge ?? {};
    if (counts.new_perspectives !== undefined) args.push('--new-perspectives', String(counts.new_perspectives));
    if (counts.open_tensions !== undefined) args.push('--open-tensions', String(counts.open_tensions));
    if (counts.converge_signals !== undefined) args.push('--converge-signals', String(counts.converge_signals));
    const t = round.tensions ?? {};
    for (const r of t.resolve ?? []) args.push('--resolve', r.note ? `${r.id}=${r.note}` : r.id);
    for (const r of t.narrow ?? []) args.push('--narrow', r.note ? `${r.id}=${r.note}` : r.id);
    for (const r of t.supersede ?? []) args.push('--supersede', `${r.id}=${r.by}`);
    for (const r of t.accept ?? []) args.push('--accept', `${r.id}=${r.note}`);
    for (const r of t.reopen ?? []) args.push('--reopen', r.id);
    if (round.label) args.push('--label', round.label);
    if (round.summary_file) args.push('--summary-file', resolve(dialogueDir, round.summary_file));
    const scored = (yield run(args)).json;
    mismatch(problems, `R${round.round} round total`, expect.round_total, scored.round_score.total);
    mismatch(problems, `R${round.round} cumulative`, expect.cumulative_total, scored.cumulative.total);
    mismatch(problems, `R${round.round} velocity`, expect.velocity, scored.velocity);
    mismatch(problems, `R${round.round} converge %`, expect.converge_percent, scored.converge_percent);
    mismatch(problems, `R${round.round} can converge`, expect.can_converge, expect.can_converge === undefined ? undefined : scored.can_converge);
    rounds.push({ round: round.round, opened, ingested, scored });
  }

  const v = judge.verdict;
  yield run([
    'dialogue', 'verdict', id,
    '--type', v.type ?? 'final',
    '--text-file', resolve(fixtureDir, v.text_file),
    ...(v.insights_file ? ['--insights-file', resolve(fixtureDir, v.insights_file)] : []),
  ]);
  const exported = (yield run(['dialogue', 'export', id])).json;
  rmSync(scratch, { recursive: true, force: true });
  return { id, record: join(root, exported.written[0]), recordRelative: exported.written[0], rounds, problems, referenceRecord: judge.record ? resolve(fixtureDir, judge.record) : undefined };
}

/**
 * Replays the judge script into `root` (a folder; created). Returns the id, the record path, the
 * per-round CLI answers and any MISMATCH between what the script expects and what blue reported.
 * `onCall(args, result)`, if given, is called after every blue call with its arguments and
 * {status, stdout, stderr, json, ms} (ms: the call's wall time), e.g. for the bench to read stderr.
 * A call that fails throws with the CLI's own words.
 */
export function replay({ judgeFile, root, store = 'file', env = {}, onCall }) {
  const steps = replaySteps({ judgeFile, root, store });
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    const t0 = performance.now();
    const result = runBlue(step.value, { cwd: root, env, check: true });
    onCall?.(step.value, { ...result, ms: performance.now() - t0 });
    step = steps.next(result);
  }
}

/** replay, without blocking: two replays (or a replay and a test) can run side by side. */
export async function replayAsync({ judgeFile, root, store = 'file', env = {}, onCall }) {
  const steps = replaySteps({ judgeFile, root, store });
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    const t0 = performance.now();
    const result = await runBlueAsync(step.value, { cwd: root, env, check: true });
    onCall?.(step.value, { ...result, ms: performance.now() - t0 });
    step = steps.next(result);
  }
}

// As a script: replay, then print where the record is and its header.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = argv.indexOf(name);
    return i === -1 ? fallback : argv.splice(i, 2)[1];
  };
  const fresh = argv.includes('--fresh') ? (argv.splice(argv.indexOf('--fresh'), 1), true) : false;
  const root = resolve(option('--root', 'demo'));
  const store = option('--store', 'file');
  const judgeFile = resolve(argv[0] ?? join(here, '..', '.blue', 'examples', 'rfc-0058', 'judge.json'));
  if (fresh) rmSync(root, { recursive: true, force: true });
  try {
    const result = replay({ judgeFile, root, store });
    const record = readFileSync(result.record, 'utf8');
    process.stdout.write(`Replayed ${result.rounds.length} rounds of ${result.id} through bin/blue (${store} store) in ${root}\n`);
    process.stdout.write(`Record: ${result.record}\n\n${record.split('\n').slice(0, 10).join('\n')}\n`);
    if (result.problems.length) {
      process.stdout.write(`\nMISMATCH:\n${result.problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
