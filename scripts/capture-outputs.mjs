#!/usr/bin/env node
// Captures what bin/blue writes and prints for the RFC 0058 replay and for synthetic dialogues of 4, 20,
// 40 and 80 rounds (their last round ingested and scored through bin/blue): every file of the dialogue's
// folder but store.json, the three export formats, `show --json` and `show`, and the ingest and score
// answers. Time stamps taken from the clock during the run are replaced by <now>, so two captures of the
// same build are identical; so are the replay's seed and the suggested panel drawn with it (`dialogue
// start` draws a seed when given none, and the replay gives none), left out of its JSON export. Compare
// two builds with `diff -r`:
//
//   node scripts/capture-outputs.mjs /tmp/before   # on the old build
//   node scripts/capture-outputs.mjs /tmp/after    # on the new one
//   diff -r /tmp/before /tmp/after && echo identical

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { REPO, runBlue } from './blue.mjs';
import { replay } from './replay.mjs';
import { syntheticProject } from './synthetic-project.mjs';

const out = resolve(process.argv[2] ?? 'outputs');
const startedAt = Date.now() - 60_000;
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;
/** Clock time stamps (from this run) become <now>; the dialogues' own fixed dates stay. */
const normalise = (text) => text.replace(ISO, (stamp) => (Date.parse(stamp) >= startedAt ? '<now>' : stamp));

/** The JSON export without what the random seed decides. */
function withoutDraw(json) {
  const doc = JSON.parse(json);
  delete doc.dialogue.seed;
  delete doc.dialogue.suggestedPanel;
  return JSON.stringify(doc, null, 2) + '\n';
}

function save(name, content) {
  const file = join(out, name);
  mkdirSync(dirname(file), { recursive: true });
  const text = normalise(content);
  writeFileSync(file, name === 'replay/export.json' ? withoutDraw(text) : text);
}

function saveFolder(prefix, dir, sub = '') {
  for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const path = sub ? `${sub}/${entry.name}` : entry.name;
    if (/^store\.(json|lock)/.test(path)) continue;
    if (entry.isDirectory()) saveFolder(prefix, dir, path);
    else save(`${prefix}/folder/${path}`, readFileSync(join(dir, path), 'utf8'));
  }
}

function saveViews(prefix, id, cwd) {
  const blue = (args) => runBlue(args, { cwd, check: true }).stdout;
  // Through files, not stdout: an 80-round JSON export is larger than a child's stdout buffer.
  for (const format of ['record', 'transcript', 'json']) {
    blue(['dialogue', 'export', id, '--format', format, '--output', `.capture/export.${format}`]);
    save(`${prefix}/export.${format}`, readFileSync(join(cwd, '.capture', `export.${format}`), 'utf8'));
  }
  save(`${prefix}/show.json`, blue(['dialogue', 'show', id, '--json']));
  save(`${prefix}/show.txt`, blue(['dialogue', 'show', id]));
  saveFolder(prefix, join(cwd, '.blue', 'dialogues', id));
}

rmSync(out, { recursive: true, force: true });
{
  const root = mkdtempSync(join(tmpdir(), 'blue-capture-'));
  const result = replay({ judgeFile: join(REPO, '.blue', 'examples', 'rfc-0058', 'judge.json'), root });
  if (result.problems.length) throw new Error(`the replay reported: ${result.problems.join('; ')}`);
  saveViews('replay', result.id, root);
  rmSync(root, { recursive: true, force: true });
}
for (const rounds of [4, 20, 40, 80]) {
  const root = mkdtempSync(join(tmpdir(), 'blue-capture-'));
  const project = await syntheticProject(root, { rounds });
  const prefix = `synthetic-${rounds}`;
  save(`${prefix}/ingest.json`, runBlue(['dialogue', 'round', 'ingest', project.id, '--json'], { cwd: root, check: true }).stdout);
  save(`${prefix}/score.json`, runBlue([...(await project.scoreArgs()), '--json'], { cwd: root, check: true }).stdout);
  saveViews(prefix, project.id, root);
  rmSync(root, { recursive: true, force: true });
}
const count = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(join(dir, e.name)) : 1), 0);
process.stdout.write(`captured ${count(out)} files in ${out}\n`);
