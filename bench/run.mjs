#!/usr/bin/env node
// npm run bench: figures, not assertions. Prints
//  1. start-up (bench/startup.mjs): `blue --version` and `blue dialogue list --json`, without and with a
//     two-line config, beside `node -e 0` (median of N paired runs, and the ratio);
//     and the pre-commit hook on a commit with no dialogue file, beside `node -e 0` (paired runs);
//  2. for synthetic dialogues of growing size, the wall time of `round ingest`, `score` and
//     `export` through bin/blue, and the in-process time of ingest + record rendering;
//  3. the replay of the bundled RFC 0058 dialogue, end to end;
//  4. the marker reader on pathological shapes at 1 MB and 5 MB (bench/reader.mjs);
//  5. scaling (bench/scale.mjs): ingest, score, show and export at 1x, 10x and 100x the reference's size,
//     time and peak memory of each command's process, and the 10x-to-100x ratio;
//  6. DynamoDB (bench/dynamodb.mjs): envelope throughput, and requests per command on DynamoDB Local.
// Later work compares against these figures.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { assertDistCurrent, runBlue } from '../scripts/blue.mjs';
import { replay } from '../scripts/replay.mjs';
import { median, pairedRatio, RUNS } from './startup.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
assertDistCurrent(); // the bench times dist/, in process and through bin/blue

function time(fn) {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** bin/blue's stdout; a failure throws with its words. */
const blue = (args, cwd) => runBlue(args, { cwd, check: true }).stdout;

function fmt(ms) {
  return `${ms.toFixed(1)} ms`.padStart(10);
}

// 1. Start-up (bench/startup.mjs).
{
  const { startupSection } = await import('./startup.mjs');
  await startupSection();
}

// 1b. The pre-commit hook on a commit that stages no dialogue file: `blue hook run pre-commit` (answered
// before the command tree loads) and the installed hook script (which does not start node at all), each
// paired with `node -e 0`, in a repository with a dialogue and a staged change elsewhere.
{
  const repoDir = mkdtempSync(join(tmpdir(), 'blue-bench-hook-'));
  const git = (...args) => {
    const run = spawnSync('git', args, { cwd: repoDir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  };
  git('init', '-q');
  mkdirSync(join(repoDir, '.blue'));
  writeFileSync(join(repoDir, 'pool.json'), JSON.stringify({ domain: 'Bench', question: 'q?', experts: Array.from({ length: 8 }, (_, i) => ({ role: `Role ${i}`, tier: 'core', relevance: 0.9 })) }));
  const hookId = JSON.parse(blue(['dialogue', 'start', 'Hook bench', '--pool', 'pool.json', '--json'], repoDir)).id;
  blue(['dialogue', 'export', hookId], repoDir);
  git('add', '.blue', 'pool.json');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'the dialogue');
  blue(['hook', 'install'], repoDir);
  writeFileSync(join(repoDir, 'notes.txt'), 'a change that is no dialogue\n');
  git('add', 'notes.txt');
  const hookRuns = Math.max(RUNS, 15);
  const pairs = { node: [], run: [], script: [] };
  for (let i = 0; i < hookRuns; i++) {
    pairs.node.push(time(() => spawnSync(process.execPath, ['-e', '0'])).ms);
    pairs.run.push(time(() => blue(['hook', 'run', 'pre-commit'], repoDir)).ms);
    pairs.script.push(time(() => spawnSync('sh', ['.git/hooks/pre-commit'], { cwd: repoDir })).ms);
  }
  const base = median(pairs.node);
  const runMs = median(pairs.run);
  const scriptMs = median(pairs.script);
  console.log(`\npre-commit hook, nothing under .blue/dialogues/ staged (median of ${hookRuns} paired runs)`);
  console.log(`  node -e 0                        ${fmt(base)}`);
  console.log(`  blue hook run pre-commit         ${fmt(runMs)}   ${pairedRatio(pairs.run, pairs.node).toFixed(2)}x node (budget 1.35x)`);
  console.log(`  the installed hook script        ${fmt(scriptMs)}   ${pairedRatio(pairs.script, pairs.node).toFixed(2)}x node`);
  rmSync(repoDir, { recursive: true, force: true });
}

// 2. Dialogues of growing size.
const POOL_ROLES = Array.from({ length: 24 }, (_, i) => ({
  role: `Specialist ${i + 1}`,
  tier: i < 8 ? 'core' : i < 18 ? 'adjacent' : 'wildcard',
  relevance: Number((0.95 - i * 0.03).toFixed(2)),
}));

function expertOutput(name, round, paragraphs) {
  const upper = name.toUpperCase();
  const filler = 'The partition-scoped model keeps every read to one query; the cost is write amplification we can measure. '.repeat(4);
  const parts = [];
  for (let p = 1; p <= paragraphs; p++) parts.push(`[PERSPECTIVE P${String(p).padStart(2, '0')}: Point ${p} of ${name} in round ${round}]\n${filler}\n`);
  parts.push(`[TENSION T01: ${name}'s open question in round ${round}]\n${filler}\n`);
  if (round > 0) parts.push(`[RESOLVED ${upper}${round - 1 === 0 ? '-T01' : ` R${round - 1}-T01`}]\nSettled by the data.\n`);
  parts.push('[CONCESSION: the other side has a point]\nIt does.\n');
  return parts.join('\n');
}

const sizes = [
  { panel: 4, rounds: 3, paragraphs: 2 },
  { panel: 8, rounds: 6, paragraphs: 4 },
  { panel: 12, rounds: 10, paragraphs: 8 },
];
console.log('\nDialogues of growing size (wall time through bin/blue, last round; totals over all rounds)');
console.log('  panel rounds  store KB   ingest    score   export  ingest+score+export all rounds');
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'blue-bench-'));
  mkdirSync(join(dir, '.blue'));
  writeFileSync(join(dir, 'pool.json'), JSON.stringify({ domain: 'Bench', question: 'How fast is blue?', experts: POOL_ROLES }));
  const id = JSON.parse(blue(['dialogue', 'start', `Bench ${size.panel}x${size.rounds}`, '--pool', 'pool.json', '--panel-size', String(size.panel), '--seed', '1', '--max-rounds', String(size.rounds + 1), '--json'], dir)).id;
  let last = {};
  let total = 0;
  for (let round = 0; round < size.rounds; round++) {
    const opened = JSON.parse(blue(['dialogue', 'round', 'open', id, '--json'], dir));
    for (const m of opened.panel) writeFileSync(join(dir, m.output_file), expertOutput(m.name, round, size.paragraphs));
    const ingest = time(() => blue(['dialogue', 'round', 'ingest', id, '--json'], dir)).ms;
    const scoreArgs = ['dialogue', 'score', id, '--json'];
    for (const m of opened.panel) scoreArgs.push('--expert', `${m.name}=5,5,5,5`);
    const score = time(() => blue(scoreArgs, dir)).ms;
    const exp = time(() => blue(['dialogue', 'export', id, '--json'], dir)).ms;
    last = { ingest, score, exp };
    total += ingest + score + exp;
  }
  const kb = statSync(join(dir, '.blue', 'dialogues', id, 'store.json')).size / 1024;
  console.log(`  ${String(size.panel).padStart(5)} ${String(size.rounds).padStart(6)} ${kb.toFixed(0).padStart(9)} ${fmt(last.ingest)}${fmt(last.score)}${fmt(last.exp)}  ${fmt(total)}`);
  rmSync(dir, { recursive: true, force: true });
}

// In-process: the domain alone, without process start-up, on the largest size.
{
  const { startDialogue, openRound, scoreRound } = await import(pathToFileURL(join(repo, 'dist', 'domain', 'protocol.js')).href);
  const { ingestRound } = await import(pathToFileURL(join(repo, 'dist', 'domain', 'ingest.js')).href);
  const { renderRecord } = await import(pathToFileURL(join(repo, 'dist', 'render', 'record.js')).href);
  let d = startDialogue({ title: 'In process', pool: { domain: 'Bench', question: 'q', experts: POOL_ROLES }, panelSize: 12, seed: 1, maxRounds: 20, createdAt: new Date() });
  let ingestMs = 0;
  const heap0 = process.memoryUsage().heapUsed;
  for (let round = 0; round < 10; round++) {
    d = openRound(d, { at: new Date().toISOString() }).dialogue;
    const panel = d.rounds[round].panel;
    const outputs = panel.map((m) => ({ name: m.name, file: `${m.name}.md`, text: expertOutput(m.name, round, 8) }));
    const t = time(() => ingestRound(d, round, outputs, [], new Date().toISOString()));
    ingestMs += t.ms;
    d = t.value.dialogue;
    d = scoreRound(d, { scores: Object.fromEntries(panel.map((m) => [m.name, { w: 5, c: 5, t: 5, r: 5, total: 20 }])), at: new Date().toISOString() }).dialogue;
  }
  const render = time(() => renderRecord(d));
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  console.log(`\nIn process, 12 experts x 10 rounds: ingest ${ingestMs.toFixed(1)} ms in all (${(ingestMs / 10).toFixed(2)} ms a round), record ${render.ms.toFixed(2)} ms, heap +${heapMb.toFixed(1)} MB`);
}

// 3. The replay of the bundled example.
{
  const dir = mkdtempSync(join(tmpdir(), 'blue-bench-replay-'));
  const t = time(() => replay({ judgeFile: join(repo, '.blue', 'examples', 'rfc-0058', 'judge.json'), root: dir }));
  const commands = 1 + t.value.rounds.length * 3 + 2;
  console.log(`\nReplay of the RFC 0058 dialogue (${commands} CLI calls, file store): ${t.ms.toFixed(0)} ms, ${(t.ms / commands).toFixed(1)} ms a call${t.value.problems.length ? `, MISMATCH ${t.value.problems.join('; ')}` : ''}`);
  rmSync(dir, { recursive: true, force: true });
}

// 4. The marker reader's scaling.
{
  const { readerSection } = await import('./reader.mjs');
  await readerSection();
}
// 5. How the commands scale with the dialogue's size.
{
  const { scaleSection } = await import('./scale.mjs');
  await scaleSection();
}
// 6. DynamoDB: the envelope in process, then requests per command on DynamoDB Local (bench/dynamodb.mjs).
{
  const { dynamodbSection } = await import('./dynamodb.mjs');
  await dynamodbSection({ repo });
}
