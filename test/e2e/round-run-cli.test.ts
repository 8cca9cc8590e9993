// `blue dialogue round run` through the built bin/blue: a whole dialogue whose experts the fake agent
// answers, Ctrl-C, SIGTERM and SIGHUP in the middle of a run, the presets (with stand-in executables named
// claude, codex, gemini and llm on PATH that record how they were called), and the wall time with and
// without --parallel.

import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertDistCurrent, BIN } from '../../scripts/blue.mjs';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';
import { ID } from '../support/dialogue-factory.js';
import { FAKE_AGENT, fakeAgentPids, fakeAgentRecord, isRunning, waitFor } from '../support/processes.js';

const DIR = `.blue/dialogues/${ID}`;
const PANEL = ['Muffin', 'Cupcake', 'Scone', 'Eclair'];
const step = it.sequential;

async function started(p: Project): Promise<void> {
  p.write('pool.yaml', SMALL_POOL);
  await p.ok(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--seed', '7', '--panel-size', '4', '--rotation', 'none', '--date', '2026-03-01T09:30Z']);
  await p.ok(['dialogue', 'round', 'open', ID]);
}

const scoreEveryone = (p: Project) => p.ok(['dialogue', 'score', ID, ...PANEL.flatMap((n) => ['--expert', `${n}=3,3,3,3`]), '--json']);
const roundOf = (p: Project, n: number) => JSON.parse(p.read(`${DIR}/store.json`)).dialogue.rounds[n];

/** `round run` started in the background, to be signalled: what it has printed so far, and its exit code. */
function runInBackground(p: Project, args: string[], env: Record<string, string>) {
  assertDistCurrent();
  const child = spawn(process.execPath, [BIN, 'dialogue', 'round', 'run', ID, '--agent', FAKE_AGENT, ...args], {
    cwd: p.root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (c) => (printed.stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (printed.stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, printed, exited };
}

describe.concurrent('round run through bin/blue', () => {
  describe('a whole dialogue answered by the fake agent', () => {
    const p = newProject();
    beforeAll(() => started(p));

    step('runs round 0 with plain progress on stderr and a summary on stdout, then ingests it', async () => {
      const run = await p.ok(['dialogue', 'round', 'run', ID, '--agent', FAKE_AGENT]);
      for (const name of PANEL) {
        expect(run.stderr).toContain(`${name}: running (attempt 1 of 2)`);
        expect(run.stderr).toMatch(new RegExp(`^${name}: done in \\d+\\.\\d s$`, 'm'));
        expect(p.read(`${DIR}/round-0/${name.toLowerCase()}.md`)).toContain(`[TENSION T01: ${name}'s doubt]`);
      }
      expect(run.stdout).toMatch(/^Round 0: 4 of 4 experts run produced an output\.$/m);
      expect(run.stdout).toMatch(/^Round 0: ingested 4 outputs \(Muffin, Cupcake, Scone, Eclair\)$/m);
      expect(run.stdout).toContain('4 perspectives, 4 tensions');
      const scored = await scoreEveryone(p);
      expect(scored.json).toMatchObject({ open_tensions: 4, can_converge: false });
    });

    step('runs round 1 with --json: every expert resolves its own tension and signals convergence', async () => {
      await p.ok(['dialogue', 'round', 'open', ID]);
      const run = await p.ok(['dialogue', 'round', 'run', ID, '--agent', FAKE_AGENT, '--json']);
      // --json: stdout is the answer alone; the progress still goes to stderr, as plain lines.
      for (const name of PANEL) {
        expect(run.stderr).toContain(`${name}: running (attempt 1 of 2)\n`);
        expect(run.stderr).toMatch(new RegExp(`^${name}: done in \\d+\\.\\d s$`, 'm'));
      }
      expect(run.stderr).not.toContain('\x1b');
      expect(run.stdout).not.toContain('running (attempt');
      expect(run.json.round).toBe(1);
      expect(run.json.experts.map((e: any) => [e.name, e.status, e.attempts, e.exit_code, e.output_file, e.log_file, e.error])).toEqual(
        PANEL.map((n) => [n, 'done', 1, 0, `${DIR}/round-1/${n.toLowerCase()}.md`, `${DIR}/round-1/${n.toLowerCase()}.log`, null]),
      );
      expect(run.json.experts.every((e: any) => typeof e.seconds === 'number')).toBe(true);
      expect(run.json.ingest).toMatchObject({ round: 1, ingested: PANEL, missing: [], counts: { resolutions: 4, converge_signals: 4 } });
      const scored = await scoreEveryone(p);
      expect(scored.json).toMatchObject({ velocity: 0, converge_percent: 100, can_converge: true });
    });

    step('converges: the final verdict and the record', async () => {
      p.write('verdict.md', 'Open the second shop.\n');
      await p.ok(['dialogue', 'verdict', ID, '--text-file', 'verdict.md']);
      const exported = await p.ok(['dialogue', 'export', ID, '--json']);
      const record = p.read(exported.json.written[0]);
      expect(record).toContain('**Status**: Converged');
      expect(record).toContain('**Tensions Resolved**: 4/4');
    });

    step('refuses a round that is not open, and no agent at all, with exit codes a script can branch on', async () => {
      const closed = await p.blue(['dialogue', 'round', 'run', ID, '--agent', FAKE_AGENT, '--json']);
      expect([closed.status, closed.json.error.code]).toEqual([3, 'no_open_round']);
      // In round run's words, not ingest's; and a converged dialogue is not told to open a round.
      expect(closed.json.error.message).toBe(`dialogue ${ID} has its final verdict: no round is open to run, and no more rounds open`);
      expect(closed.json.next).toEqual([]); // converged, its record exported: nothing is left to do
      const none = await p.blue(['dialogue', 'round', 'run', ID, '--json']);
      expect([none.status, none.json.error.code]).toEqual([2, 'agent_missing']);
      expect(none.stderr).toMatch(/--agent <command>.*agent\.command in \.blue\/config\.yaml/);
    });
  });

  describe('Ctrl-C during a run', () => {
    const p = newProject();
    beforeAll(() => started(p));

    step('stops every agent, leaves no partial output and the round open, exits 130; the next run works', async () => {
      const { child, printed, exited } = runInBackground(p, [], { FAKE_AGENT_HANG: 'Muffin,Scone' });
      await waitFor(() => fakeAgentPids(p.root, 'Muffin').length === 2 && fakeAgentPids(p.root, 'Scone').length === 2 && p.exists(`${DIR}/round-0/eclair.md`) && p.exists(`${DIR}/round-0/cupcake.md`), 'the hanging agents');
      // The other two have answered; give their commands a moment to exit.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const agents = [...fakeAgentPids(p.root, 'Muffin'), ...fakeAgentPids(p.root, 'Scone')];
      expect(agents.every(isRunning)).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(printed.stderr).toContain('blue: SIGINT: stopping the agents; the round stays open');
      for (const pid of agents) expect(isRunning(pid), `pid ${pid}`).toBe(false);
      expect(p.exists(`${DIR}/round-0/muffin.md`)).toBe(false);
      expect(p.exists(`${DIR}/round-0/scone.md`)).toBe(false);
      expect(p.read(`${DIR}/round-0/failed/muffin.md`)).toContain('never finished');
      expect(roundOf(p, 0)).toMatchObject({ status: 'open' });
      expect(roundOf(p, 0).ingest).toBeUndefined();
      expect(JSON.parse(p.read(`${DIR}/round-0/run.json`))).toMatchObject({ interrupted: true, finishedAt: expect.any(String) });

      const again = await p.ok(['dialogue', 'round', 'run', ID, '--agent', FAKE_AGENT, '--json']);
      expect(again.json.experts.map((e: any) => e.status)).toEqual(['done', 'skipped', 'done', 'skipped']);
      expect(again.json.ingest.ingested).toEqual(PANEL);
    });

    step('a failing expert is exit 1, the others kept and ingested; agent.command comes from the config', async () => {
      await scoreEveryone(p);
      await p.ok(['dialogue', 'round', 'open', ID]);
      p.write('.blue/config.yaml', `agent:\n  command: ${FAKE_AGENT}\n  retries: 0\n`);
      const run = await p.blue(['dialogue', 'round', 'run', ID], { env: { FAKE_AGENT_FAIL: 'Eclair' } });
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^Round 1: 3 of 4 experts run produced an output; Eclair did not\.$/m);
      expect(run.stdout).toContain('exited with status 3');
      expect(run.stdout).toContain('Eclair cannot answer: the model is overloaded (attempt 1)');
      expect(run.stderr).toMatch(/^Eclair: failed in \d+\.\d s: exited with status 3$/m);
      expect(p.exists(`${DIR}/round-1/eclair.md`)).toBe(false);
      expect(roundOf(p, 1).ingest.outputs).toHaveProperty('Muffin');
      // The agent comes from the config: the run offered again needs no --agent.
      expect(run.stderr).toContain(`Next: blue dialogue round run ${ID}\n`);
    });

    step('after a failure with --agent, the run offered again keeps that --agent', async () => {
      const run = await p.blue(['dialogue', 'round', 'run', ID, '--agent', 'claude', '--json'], { env: { PATH: `${p.root}/no-agents:/usr/bin:/bin` } });
      expect(run.status).toBe(1);
      expect(run.json.experts.find((e: any) => e.name === 'Eclair')).toMatchObject({ status: 'failed', exit_code: 127 });
      expect(run.json.ingest).toMatchObject({ round: 1, missing: ['Eclair'] });
      expect(run.json.next[0].command).toBe(`blue dialogue round run ${ID} --agent claude`);
    });
  });

  describe('no agent configured, and runs that ingest nothing', () => {
    const p = newProject();
    beforeAll(() => started(p));

    step('round open offers round run with --agent <command>; a run whose every expert failed answers an ingest document', async () => {
      const opened = await p.ok(['dialogue', 'round', 'open', ID, '--replace', '--json']);
      expect(opened.json.next[0].command).toBe(`blue dialogue round run ${ID} --agent <command>`);
      const run = await p.blue(['dialogue', 'round', 'run', ID, '--agent', FAKE_AGENT, '--retries', '0', '--json'], { env: { FAKE_AGENT_FAIL: PANEL.join(',') } });
      expect(run.status).toBe(1);
      expect(run.json.ingest).toEqual({
        round: 0,
        ingested: [],
        missing: PANEL,
        warnings: [{ file: `${DIR}/round-0/run.json`, line: 1, message: 'no expert of round 0 has an output, so nothing was ingested' }],
        counts: { perspectives: 0, tensions: 0, resolutions: 0, converge_signals: 0 },
      });
      expect(run.json.next[0].command).toBe(`blue dialogue round run ${ID} --agent '${FAKE_AGENT}'`);
      expect(run.stderr).toMatch(/^Muffin: failed in \d+\.\d s: exited with status 3$/m);
    });
  });

  describe('SIGTERM during a --json run', () => {
    const p = newProject();
    beforeAll(() => started(p));

    step('SIGTERM during a --json run: exit 130, nothing ingested, and the document names who is missing', async () => {
      const { child, printed, exited } = runInBackground(p, ['--json'], { FAKE_AGENT_HANG: 'Muffin' });
      await waitFor(() => fakeAgentPids(p.root, 'Muffin').length === 2 && ['cupcake', 'scone', 'eclair'].every((n) => p.exists(`${DIR}/round-0/${n}.md`)), 'the hanging agent');
      await new Promise((resolve) => setTimeout(resolve, 500));
      child.kill('SIGTERM');
      expect(await exited).toBe(130);
      const answer = JSON.parse(printed.stdout);
      expect(answer.interrupted).toBe(true);
      expect(answer.ingest).toMatchObject({ round: 0, ingested: [], missing: ['Muffin'], counts: { perspectives: 0, tensions: 0, resolutions: 0, converge_signals: 0 } });
      expect(answer.ingest.warnings[0].message).toMatch(/^the run was interrupted, so nothing was ingested: Cupcake, Scone, Eclair have outputs that wait/);
      expect(printed.stderr).toContain('Muffin: running (attempt 1 of 2)');
      expect(roundOf(p, 0).ingest).toBeUndefined();
    });
  });

  describe('SIGHUP during a --rerun (a closed terminal, a dropped SSH session)', () => {
    const p = newProject();
    beforeAll(() => started(p));

    step('stops every agent like Ctrl-C: exit 130, the old output put back, run.json finished', async () => {
      p.write(`${DIR}/round-0/muffin.md`, '[PERSPECTIVE P01: the answer before]\nKept.\n');
      const { child, printed, exited } = runInBackground(p, ['--expert', 'Muffin', '--rerun'], { FAKE_AGENT_HANG: 'Muffin' });
      await waitFor(() => fakeAgentPids(p.root, 'Muffin').length === 2, 'the hanging agent and its grandchild');
      const agents = fakeAgentPids(p.root, 'Muffin');
      expect(agents.every(isRunning)).toBe(true);
      child.kill('SIGHUP');
      expect(await exited).toBe(130);
      expect(printed.stderr).toContain('blue: SIGHUP: stopping the agents; the round stays open');
      for (const pid of agents) expect(isRunning(pid), `pid ${pid}`).toBe(false);
      expect(p.read(`${DIR}/round-0/muffin.md`)).toBe('[PERSPECTIVE P01: the answer before]\nKept.\n');
      const state = JSON.parse(p.read(`${DIR}/round-0/run.json`));
      expect(state).toMatchObject({ interrupted: true, finishedAt: expect.any(String) });
      expect(state.experts.find((e: any) => e.name === 'Muffin')).toMatchObject({ state: 'failed', error: expect.stringMatching(/^interrupted/) });
      expect(roundOf(p, 0).ingest).toBeUndefined();
    });
  });

  describe('the presets, run by stand-ins on PATH', () => {
    const p = newProject();
    const bin = join(p.root, 'stand-ins');
    const fake = fileURLToPath(new URL('../support/fake-agent.mjs', import.meta.url));
    beforeAll(async () => {
      mkdirSync(bin);
      for (const [name, extra] of [['claude', ''], ['codex', ''], ['gemini', ''], ['llm', "FAKE_AGENT_PRINT='*' "]]) {
        writeFileSync(join(bin, name), `#!/bin/sh\n${extra}exec node ${fake} "$@"\n`);
        chmodSync(join(bin, name), 0o755);
      }
      await started(p);
    });

    step('each runs headless with its flags, the prompt on stdin; llm prints and its stdout is the output', async () => {
      const env = { PATH: `${bin}:${process.env.PATH}` };
      const presets: Array<[string, string]> = [['claude', 'Muffin'], ['codex', 'Cupcake'], ['gemini', 'Scone'], ['llm', 'Eclair']];
      for (const [preset, name] of presets) {
        const run = await p.ok(['dialogue', 'round', 'run', ID, '--agent', preset, '--expert', name, '--json'], { env });
        expect(run.json.agent.preset).toBe(preset);
        expect(run.json.experts.find((e: any) => e.name === name).status).toBe('done');
      }
      const output = (name: string) => `${DIR}/round-0/${name.toLowerCase()}.md`;
      const argv = (name: string) => fakeAgentRecord(p.root, name).argv;
      expect(argv('Muffin')).toEqual(['-p', '--permission-mode', 'dontAsk', '--allowedTools', `Read,Grep,Glob,Edit(./${output('Muffin')})`, '--output-format', 'text']);
      expect(argv('Cupcake')).toEqual(['exec', '--skip-git-repo-check', '--sandbox', 'workspace-write', '-']);
      expect(argv('Scone')).toEqual(['--approval-mode', 'auto_edit', '-p', `Follow the instructions above and write your answer to ${output('Scone')}.`]);
      expect(argv('Eclair')).toEqual(['-s', expect.stringMatching(/^You cannot write files here: reply with exactly the content/)]);
      for (const [, name] of presets) {
        expect(fakeAgentRecord(p.root, name).prompt).toBe(p.read(`${DIR}/round-0/${name.toLowerCase()}.prompt.md`));
        expect(p.read(output(name))).toContain(`[PERSPECTIVE P01: ${name} on round 0]`);
      }
      expect(p.read(`${DIR}/round-0/eclair.log`)).toContain('done: the output is its stdout');
      expect(roundOf(p, 0).ingest.outputs).toHaveProperty('Eclair');
    });
  });
});

// On its own, after the others: a measurement, as little disturbed as the machine allows.
describe('wall time of round run with --parallel', () => {
  const p1 = newProject();
  const p4 = newProject();
  beforeAll(() => Promise.all([started(p1), started(p4)]));

  step('four experts that each take 1 s: --parallel 4 saves most of the time --parallel 1 sleeps', async () => {
    const timed = async (p: Project, parallel: string) => {
      const t0 = performance.now();
      await p.ok(['dialogue', 'round', 'run', ID, '--agent', FAKE_AGENT, '--parallel', parallel, '--json'], { env: { FAKE_AGENT_SLEEP: '1' } });
      return (performance.now() - t0) / 1000;
    };
    const one = await timed(p1, '1');
    const four = await timed(p4, '4');
    console.log(`round run, 4 experts of 1 s each: --parallel 1 ${one.toFixed(2)} s, --parallel 4 ${four.toFixed(2)} s`);
    expect(one).toBeGreaterThan(4);
    // Four runs side by side save three of the four seconds of sleep; the machine's load (and the start of
    // blue and of each agent) adds to both alike.
    expect(one - four).toBeGreaterThan(1.5);
  }, 60_000);
});
