#!/usr/bin/env node
// A stand-in for an agent command-line tool, for `round run` tests: `node test/support/fake-agent.mjs`.
// It reads the expert's prompt on stdin, as a real agent does, and answers with markers drawn from it:
// the expert's name and round, a perspective, in round 0 a tension, and from round 1 a [RESOLVED ...] of
// each tension it raised that tensions.md still lists as open, then [MOVE:CONVERGE], so that a dialogue
// run with it converges. It writes $BLUE_OUTPUT_FILE, as the prompt tells it to.
//
// Each run records what it was given in $FAKE_AGENT_STATE (default .fake-agent/ in the working
// directory, the project root): r<round>-<name>.<attempt>.json with its argv, cwd, the BLUE_* variables and the
// prompt's length, and <name>.pids with its pid and any grandchild's.
//
// Driven by the environment; each takes a comma-separated list of expert names (any case) or `*`:
//   FAKE_AGENT_FAIL        print to stderr and exit 3 (after writing half an output, with FAKE_AGENT_PARTIAL=1)
//   FAKE_AGENT_FAIL_ONCE   fail like that on the first attempt only, then answer
//   FAKE_AGENT_HANG        write half an output, start a grandchild `sleep` that holds the pipes, and wait
//                          forever (FAKE_AGENT_IGNORE_TERM=1: and ignore SIGTERM, so that only SIGKILL stops it)
//   FAKE_AGENT_PRINT       print the answer on stdout instead of writing the file
//   FAKE_AGENT_SILENT      exit 0 having written and printed nothing
//   FAKE_AGENT_FLOOD       print without end on stdout (the capture limit keeps blue's memory bounded)
//   FAKE_AGENT_CONFIRM     print the FILE_WRITTEN confirmation without writing the file (a denied write)
// FAKE_AGENT_SLEEP=<seconds> waits that long before answering; FAKE_AGENT_STDERR=<text> is printed on
// stderr by every run. Without BLUE_OUTPUT_FILE in its environment it prints the answer.

import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const env = process.env;
const prompt = await readStdin();
const name = /^You are (\S+)/m.exec(prompt)?.[1] ?? env.BLUE_EXPERT ?? 'Expert';
const round = Number(/This is round (\d+)\./.exec(prompt)?.[1] ?? env.BLUE_ROUND ?? 0);
const output = env.BLUE_OUTPUT_FILE ?? /^OUTPUT FILE: (.+)$/m.exec(prompt)?.[1];
const state = env.FAKE_AGENT_STATE ?? '.fake-agent';
mkdirSync(state, { recursive: true });
const attempt = nextAttempt();
writeFileSync(
  join(state, `${recordStem()}.${attempt}.json`),
  JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), pid: process.pid, promptBytes: Buffer.byteLength(prompt), prompt, env: Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('BLUE_'))) }, null, 2),
);
appendFileSync(join(state, `${name.toLowerCase()}.pids`), `${process.pid}\n`);

const applies = (variable) => {
  const list = env[variable];
  if (!list) return false;
  return list.split(',').some((n) => n.trim() === '*' || n.trim().toLowerCase() === name.toLowerCase());
};

if (env.FAKE_AGENT_STDERR) process.stderr.write(`${env.FAKE_AGENT_STDERR}\n`);
if (env.FAKE_AGENT_SLEEP) await new Promise((resolve) => setTimeout(resolve, Number(env.FAKE_AGENT_SLEEP) * 1000));

if (applies('FAKE_AGENT_HANG')) {
  if (env.FAKE_AGENT_IGNORE_TERM === '1') process.on('SIGTERM', () => process.stderr.write('fake agent: ignoring SIGTERM\n'));
  if (output) writeFile(output, `[PERSPECTIVE P01: ${name} started but never finished]\nHalf a thou`);
  // The grandchild inherits stdout and stderr: the pipes stay open until the whole group is gone.
  const sleeper = spawn('sleep', ['1000'], { stdio: ['ignore', 'inherit', 'inherit'] });
  appendFileSync(join(state, `${name.toLowerCase()}.pids`), `${sleeper.pid}\n`);
  process.stderr.write(`fake agent: ${name} hangs (pid ${process.pid}, grandchild ${sleeper.pid})\n`);
  setInterval(() => undefined, 1 << 30);
} else if (applies('FAKE_AGENT_FAIL') || (applies('FAKE_AGENT_FAIL_ONCE') && attempt === 1)) {
  if (env.FAKE_AGENT_PARTIAL === '1' && output) writeFile(output, `[PERSPECTIVE P01: ${name} broke off]\nThe first half of`);
  process.stderr.write(`fake agent: warming up\nfake agent: ${name} cannot answer: the model is overloaded (attempt ${attempt})\n`);
  process.exit(3);
} else if (applies('FAKE_AGENT_FLOOD')) {
  const line = Buffer.from(`${name} says the same thing again and again and again\n`.repeat(1000));
  const flood = () => {
    while (process.stdout.write(line));
    process.stdout.once('drain', flood);
  };
  flood();
} else if (applies('FAKE_AGENT_SILENT')) {
  process.exit(0);
} else if (applies('FAKE_AGENT_CONFIRM')) {
  process.stdout.write(`FILE_WRITTEN: ${output}\nPerspectives: P01 [${name}'s view]\nTensions: none\nMoves: none\nClaim: none\n`);
} else {
  const answer = answerFor();
  if (applies('FAKE_AGENT_PRINT') || !output) process.stdout.write(answer);
  else {
    writeFile(output, answer);
    process.stdout.write(`FILE_WRITTEN: ${output}\n`);
  }
}

function answerFor() {
  const lines = [`[PERSPECTIVE P01: ${name} on round ${round}]`, `${name} looks at the question again in round ${round} and keeps the argument short.`, ''];
  if (round === 0) {
    lines.push(`[TENSION T01: ${name}'s doubt]`, `${name} is not sure the numbers hold.`, '');
  } else {
    for (const id of ownOpenTensions()) lines.push(`[RESOLVED ${id}]`, `${name} is satisfied: the panel answered it.`, '');
    lines.push('[MOVE:CONVERGE]', '');
  }
  return lines.join('\n');
}

/** The tensions this expert raised that tensions.md (named in the prompt) lists as still open. */
function ownOpenTensions() {
  const file = /^1\. (\S+tensions\.md)/m.exec(prompt)?.[1];
  if (!file || !existsSync(file)) return [];
  const ids = [];
  const blocks = readFileSync(file, 'utf8').split(/^### /m).slice(1);
  for (const block of blocks) {
    const id = block.slice(0, block.indexOf(':')).replace(/\s*\(R\d+\)$/, '');
    const raisedBy = /^Raised by (\S+) in/m.exec(block)?.[1];
    const status = /^\*\*Status: (\w+)/m.exec(block)?.[1];
    if (raisedBy === name && ['OPEN', 'ADDRESSED', 'NARROWED', 'REOPENED'].includes(status ?? '')) ids.push(id);
  }
  return ids;
}

/** Attempts are counted per expert and round: `r1-muffin.2.json` is Muffin's second attempt in round 1. */
function recordStem() {
  return `r${round}-${name.toLowerCase()}`;
}

function nextAttempt() {
  for (let n = 1; ; n++) if (!existsSync(join(state, `${recordStem()}.${n}.json`))) return n;
}

function writeFile(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function readStdin() {
  return new Promise((resolve) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
