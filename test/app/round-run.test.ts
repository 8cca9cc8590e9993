// `round run` in process, with the fake agent (test/support/fake-agent.mjs) as the agent command line: the
// scheduling, the output decision, retries, timeouts that stop whole process groups, interruption, the
// logs and run.json, and where the settings come from.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abandon } from '../../src/app/abandon.js';
import { nextFor } from '../../src/app/next.js';
import { roundOpen } from '../../src/app/round-open.js';
import { roundRun, type RoundRunRequest } from '../../src/app/round-run.js';
import { score } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { createContext } from '../../src/cli/context.js';
import { parseRunState, type ExpertRunStatus } from '../../src/domain/agent-run.js';
import type { BlueError } from '../../src/domain/errors.js';
import { roundRunCommandLine } from '../../src/domain/next.js';
import { parseScore } from '../../src/domain/scoring.js';
import { SMALL_POOL_YAML, testProject, type TestProject } from '../support/app.js';
import { FAKE_AGENT, fakeAgentPids, fakeAgentRecord, isRunning, waitFor } from '../support/processes.js';

const PANEL = ['Muffin', 'Cupcake', 'Scone', 'Eclair'];

interface Opened {
  p: TestProject;
  id: string;
  dir: string;
  round: string;
  output: (name: string) => string;
}

async function opened(options: Parameters<typeof testProject>[0] = {}): Promise<Opened> {
  const p = testProject(options);
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Second shop?', pool: 'pool.yaml', panelSize: 4, seed: 7, rotation: 'none' });
  await roundOpen(p.ports, { id: dialogue.id });
  const dir = `.blue/dialogues/${dialogue.id}`;
  return { p, id: dialogue.id, dir, round: `${dir}/round-0`, output: (name) => `${dir}/round-0/${name.toLowerCase()}.md` };
}

/** Runs with the fake agent, no pause before a retry, and the states the observer saw. */
async function run(o: Opened, request: Partial<RoundRunRequest> = {}, env: Record<string, string> = {}) {
  for (const key of Object.keys(o.p.agentEnv)) if (key.startsWith('FAKE_AGENT_')) delete o.p.agentEnv[key];
  Object.assign(o.p.agentEnv, env);
  const seen: ExpertRunStatus[][] = [];
  const report = await roundRun(o.p.ports, { id: o.id, agent: FAKE_AGENT, retryPauseMs: 0, observer: { update: (e) => seen.push(e.map((x) => ({ ...x }))) }, ...request });
  return { report, seen, expert: (name: string) => report.experts.find((e) => e.name === name)! };
}

const files = (o: Opened, folder: string) => {
  try {
    return readdirSync(join(o.p.root, folder)).sort();
  } catch {
    return [];
  }
};

describe('round run with the fake agent', () => {
  it('runs every expert at once, each with its prompt on stdin (never in argv) and BLUE_* set, then ingests', async () => {
    const o = await opened();
    const { report, seen } = await run(o, {}, { FAKE_AGENT_SLEEP: '0.5' });
    expect(report.experts.map((e) => [e.name, e.status, e.attempts, e.exitCode, e.outputFile])).toEqual(PANEL.map((n) => [n, 'done', 1, 0, o.output(n)]));
    expect(report.ingest?.ingested).toEqual(PANEL);
    expect(report.ingest?.counts).toMatchObject({ perspectives: 4, tensions: 4 });
    expect(o.p.stored(o.id).rounds[0].status).toBe('open');
    // Four ran side by side: the fourth started before the first finished.
    const running = seen.map((states) => states.filter((s) => s.state === 'running').length);
    expect(Math.max(...running)).toBe(4);
    const muffin = fakeAgentRecord(o.p.root, 'Muffin');
    expect(muffin.argv).toEqual([]);
    expect(muffin.prompt).toBe(o.p.read(`${o.round}/muffin.prompt.md`));
    expect(muffin.cwd).toBe(o.p.root);
    expect(muffin.env).toMatchObject({ BLUE_DIALOGUE: o.id, BLUE_ROUND: '0', BLUE_EXPERT: 'Muffin', BLUE_PROMPT_FILE: `${o.round}/muffin.prompt.md`, BLUE_OUTPUT_FILE: o.output('Muffin') });
    expect(o.p.read(o.output('Muffin'))).toContain('[PERSPECTIVE P01: Muffin on round 0]');
    // Every expert's stdout and stderr are kept in its log, whatever the outcome.
    const log = o.p.read(`${o.round}/muffin.log`);
    expect(log).toMatch(/^=== Muffin, round 0, attempt 1 of 2: done: the output is the file it wrote ===$/m);
    expect(log).toContain(`command: ${FAKE_AGENT}`);
    expect(log).toContain(`FILE_WRITTEN: ${o.output('Muffin')}`);
  });

  it('keeps to --parallel: one at a time with --parallel 1', async () => {
    const o = await opened();
    const { seen } = await run(o, { parallel: 1 });
    expect(Math.max(...seen.map((states) => states.filter((s) => s.state === 'running').length))).toBe(1);
  });

  it('reports a failing command with its exit status and the end of its stderr, and leaves no output: what it half wrote is moved aside', async () => {
    const o = await opened();
    const { report, expert } = await run(o, { retries: 0 }, { FAKE_AGENT_FAIL: 'Scone', FAKE_AGENT_PARTIAL: '1' });
    const scone = expert('Scone');
    expect(scone).toMatchObject({ status: 'failed', attempts: 1, exitCode: 3, outputFile: null, logFile: `${o.round}/scone.log` });
    expect(scone.error!.split('\n')).toEqual(['exited with status 3', '  fake agent: warming up', '  fake agent: Scone cannot answer: the model is overloaded (attempt 1)']);
    expect(o.p.exists(o.output('Scone'))).toBe(false);
    expect(o.p.read(`${o.round}/failed/scone.md`)).toContain('broke off');
    expect(scone.movedAside).toEqual([{ from: o.output('Scone'), to: `${o.round}/failed/scone.md` }]);
    expect(o.p.read(`${o.round}/scone.log`)).toContain('the model is overloaded (attempt 1)');
    // The others are kept and ingested.
    expect(report.ingest).toMatchObject({ ingested: ['Muffin', 'Cupcake', 'Eclair'], missing: ['Scone'] });
  });

  it('retries a failure after a pause, and says so', async () => {
    const o = await opened();
    const started = Date.now();
    const { expert, seen } = await run(o, { retryPauseMs: 300 }, { FAKE_AGENT_FAIL_ONCE: 'Muffin' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(expert('Muffin')).toMatchObject({ status: 'done', attempts: 2, exitCode: 0, outputFile: o.output('Muffin') });
    const muffin = seen.map((states) => states.find((s) => s.name === 'Muffin')!);
    expect(muffin.map((s) => `${s.state}/${s.attempt}`).filter((s, i, all) => s !== all[i - 1])).toEqual(['waiting/0', 'running/1', 'retrying/1', 'running/2', 'done/2']);
    expect(muffin.find((s) => s.state === 'retrying')!.error).toBe('exited with status 3');
    const log = o.p.read(`${o.round}/muffin.log`);
    expect(log).toMatch(/attempt 1 of 2: exited with status 3/);
    expect(log).toMatch(/attempt 2 of 2: done/);
    // The others ran once.
    expect(expert('Cupcake').attempts).toBe(1);
  });

  it('a timeout stops the whole process group, grandchild included, and leaves no output', async () => {
    const o = await opened();
    const { expert } = await run(o, { timeoutSeconds: 2, retries: 0, experts: ['Muffin'] }, { FAKE_AGENT_HANG: 'Muffin' });
    const muffin = expert('Muffin');
    expect(muffin).toMatchObject({ status: 'timeout', attempts: 1, exitCode: null, outputFile: null });
    expect(muffin.error!.split('\n')[0]).toBe('timed out after 2 s: its process group was sent SIGTERM');
    const pids = fakeAgentPids(o.p.root, 'Muffin');
    expect(pids).toHaveLength(2); // the agent and its grandchild sleep
    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    expect(o.p.exists(o.output('Muffin'))).toBe(false);
    expect(o.p.read(`${o.round}/failed/muffin.md`)).toContain('never finished');
  });

  it('sends SIGKILL when SIGTERM is not enough', async () => {
    const o = await opened({ killGraceMs: 300 });
    const { expert } = await run(o, { timeoutSeconds: 2, retries: 0, experts: ['Muffin'] }, { FAKE_AGENT_HANG: 'Muffin', FAKE_AGENT_IGNORE_TERM: '1' });
    expect(expert('Muffin').error!.split('\n')[0]).toBe('timed out after 2 s: its process group was sent SIGTERM, then SIGKILL');
    for (const pid of fakeAgentPids(o.p.root, 'Muffin')) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('takes stdout as the output when the command exits 0 without writing the file', async () => {
    const o = await opened();
    const { expert } = await run(o, {}, { FAKE_AGENT_PRINT: 'Cupcake' });
    expect(expert('Cupcake')).toMatchObject({ status: 'done', outputFile: o.output('Cupcake') });
    expect(o.p.read(o.output('Cupcake'))).toMatch(/^\[PERSPECTIVE P01: Cupcake on round 0\]/);
    expect(o.p.read(`${o.round}/cupcake.log`)).toContain('done: the output is its stdout');
  });

  it('invents nothing: exit 0 with nothing written, or a confirmation of a file that is not there, is a failure', async () => {
    const o = await opened();
    const { expert } = await run(o, { retries: 0 }, { FAKE_AGENT_SILENT: 'Muffin', FAKE_AGENT_CONFIRM: 'Cupcake' });
    expect(expert('Muffin')).toMatchObject({ status: 'failed', exitCode: 0, outputFile: null, error: `exited 0 but wrote nothing: no ${o.output('Muffin')}, and nothing on stdout` });
    expect(expert('Cupcake')).toMatchObject({ status: 'failed', exitCode: 0, outputFile: null });
    expect(expert('Cupcake').error).toMatch(/printed FILE_WRITTEN, but .*cupcake\.md is not there/);
    expect(o.p.exists(o.output('Muffin'))).toBe(false);
    expect(o.p.exists(o.output('Cupcake'))).toBe(false);
  });

  it('a second run runs only the experts still without an output', async () => {
    const o = await opened();
    await run(o, { retries: 0 }, { FAKE_AGENT_FAIL: 'Scone,Eclair' });
    const { report, expert } = await run(o);
    expect(report.experts.map((e) => [e.name, e.status])).toEqual([['Muffin', 'skipped'], ['Cupcake', 'skipped'], ['Scone', 'done'], ['Eclair', 'done']]);
    expect(expert('Muffin')).toMatchObject({ attempts: 0, outputFile: o.output('Muffin'), reason: expect.stringContaining('has an output') });
    expect(fakeAgentPids(o.p.root, 'Muffin')).toHaveLength(1);
    expect(report.ingest?.ingested).toEqual(PANEL);
    // The failed run's log is kept beside the new one.
    expect(o.p.read(`${o.round}/previous/scone.log`)).toContain('exited with status 3');
    expect(o.p.read(`${o.round}/scone.log`)).toContain('done');
  });

  it('--rerun moves the old output aside, and puts it back when the new run fails', async () => {
    const o = await opened();
    await run(o);
    o.p.write(o.output('Muffin'), '[PERSPECTIVE P01: The first answer]\nkept\n');
    const again = await run(o, { experts: ['muffin'], rerun: true });
    expect(again.expert('Muffin')).toMatchObject({ status: 'done', attempts: 1 });
    expect(again.report.experts.filter((e) => e.status === 'skipped').map((e) => e.name)).toEqual(['Cupcake', 'Scone', 'Eclair']);
    expect(o.p.read(`${o.round}/previous/muffin.md`)).toContain('The first answer');
    expect(o.p.read(o.output('Muffin'))).toContain('Muffin on round 0');

    const failed = await run(o, { experts: ['Muffin'], rerun: true, retries: 0 }, { FAKE_AGENT_FAIL: 'Muffin' });
    expect(failed.expert('Muffin')).toMatchObject({ status: 'failed', outputFile: o.output('Muffin') });
    expect(failed.expert('Muffin').error).toContain(`its previous output is back at ${o.output('Muffin')}`);
    expect(o.p.read(o.output('Muffin'))).toContain('Muffin on round 0');
    expect(files(o, `${o.round}/previous`)).toEqual(['muffin.2.log', 'muffin.log', 'muffin.md']);
  });

  it('--expert runs only those experts; a name not on the panel is exit 2', async () => {
    const o = await opened();
    const { report } = await run(o, { experts: ['CUPCAKE'] });
    expect(report.experts.map((e) => [e.name, e.status])).toEqual([['Muffin', 'skipped'], ['Cupcake', 'done'], ['Scone', 'skipped'], ['Eclair', 'skipped']]);
    expect(report.experts[0].reason).toMatch(/not asked for/);
    expect(report.ingest).toMatchObject({ ingested: ['Cupcake'], missing: ['Muffin', 'Scone', 'Eclair'] });
    await expect(run(o, { experts: ['Croissant'] })).rejects.toMatchObject({ exitCode: 2, code: 'unknown_expert', message: expect.stringContaining('Muffin, Cupcake, Scone, Eclair') });
  });

  it('an abort stops every running command, writes no partial output, and leaves the round open', async () => {
    const o = await opened();
    const controller = new AbortController();
    let latest: readonly ExpertRunStatus[] = [];
    const running = run(o, { signal: controller.signal, observer: { update: (e) => (latest = e) } }, { FAKE_AGENT_HANG: 'Muffin,Scone' });
    const done = () => latest.filter((e) => e.state === 'done').length === 2;
    await waitFor(() => done() && fakeAgentPids(o.p.root, 'Muffin').length === 2 && fakeAgentPids(o.p.root, 'Scone').length === 2, 'two answers and the hanging agents');
    controller.abort();
    const { report, expert } = await running;
    expect(report.interrupted).toBe(true);
    // Nothing is ingested after an interrupt, and the ingest document says so and who is missing.
    expect(report.notIngested).toBe('interrupted');
    expect(report.ingest).toEqual({
      round: 0,
      ingested: [],
      missing: ['Muffin', 'Scone'],
      warnings: [{ file: `${o.round}/run.json`, line: 1, message: expect.stringMatching(/^the run was interrupted, so nothing was ingested: Cupcake, Eclair have outputs that wait/) }],
      counts: { perspectives: 0, tensions: 0, resolutions: 0, converge_signals: 0 },
    });
    expect(expert('Muffin')).toMatchObject({ status: 'failed', outputFile: null, error: expect.stringMatching(/^interrupted \(Ctrl-C, SIGTERM or SIGHUP\)/) });
    expect(expert('Cupcake').status).toBe('done'); // it had finished: its output stays
    for (const name of ['Muffin', 'Scone']) {
      expect(o.p.exists(o.output(name))).toBe(false);
      for (const pid of fakeAgentPids(o.p.root, name)) expect(isRunning(pid), `${name} pid ${pid}`).toBe(false);
    }
    const stored = o.p.stored(o.id);
    expect(stored.rounds[0].status).toBe('open');
    expect(stored.rounds[0].ingest).toBeUndefined();
    const state = parseRunState(JSON.parse(o.p.read(`${o.round}/run.json`)))!;
    expect(state).toMatchObject({ interrupted: true, finishedAt: expect.any(String) });
    // The next run runs only who is missing.
    const next = await run(o);
    expect(next.report.experts.filter((e) => e.status === 'done').map((e) => e.name)).toEqual(['Muffin', 'Scone']);
  });

  it('an abort before an expert starts leaves it waiting no more: it is reported not started', async () => {
    const o = await opened();
    const controller = new AbortController();
    const running = run(o, { signal: controller.signal, parallel: 1 }, { FAKE_AGENT_HANG: 'Muffin' });
    await waitFor(() => fakeAgentPids(o.p.root, 'Muffin').length === 2, 'Muffin to hang');
    controller.abort();
    const { report } = await running;
    expect(report.experts.slice(1).map((e) => [e.status, e.reason])).toEqual([1, 2, 3].map(() => ['skipped', 'not started: the run was stopped first']));
    expect(parseRunState(JSON.parse(o.p.read(`${o.round}/run.json`)))!.experts.map((e) => e.state)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
  });

  it('rewrites run.json on every change; at the end it holds every final state', async () => {
    const o = await opened();
    const snapshots: string[] = [];
    const { report } = await run(o, {
      retries: 0,
      observer: { update: () => snapshots.push(o.p.exists(`${o.round}/run.json`) ? o.p.read(`${o.round}/run.json`) : '') },
    }, { FAKE_AGENT_FAIL: 'Eclair' });
    expect(report.runFile).toBe(`${o.round}/run.json`);
    const state = parseRunState(JSON.parse(o.p.read(report.runFile)))!;
    expect(state).toMatchObject({ dialogue: o.id, round: 0, pid: process.pid, finishedAt: expect.any(String) });
    expect(state.interrupted).toBeUndefined();
    expect(state.experts.map((e) => [e.name, e.state, e.attempt, e.maxAttempts])).toEqual([
      ['Muffin', 'done', 1, 1],
      ['Cupcake', 'done', 1, 1],
      ['Scone', 'done', 1, 1],
      ['Eclair', 'failed', 1, 1],
    ]);
    expect(state.experts[3]).toMatchObject({ exitCode: 3, error: 'exited with status 3' });
    // The observer hears every change as run.json is rewritten for it (it reads the file one change behind).
    expect(snapshots.length).toBeGreaterThanOrEqual(9);
  });

  it('keeps memory bounded under a command that prints without end, and says so in the log', async () => {
    const o = await opened({ captureBytes: 20_000 });
    const { expert } = await run(o, { timeoutSeconds: 2, retries: 0, experts: ['Muffin'] }, { FAKE_AGENT_FLOOD: 'Muffin' });
    expect(expert('Muffin').status).toBe('timeout');
    const log = o.p.read(`${o.round}/muffin.log`);
    expect(log).toMatch(/--- stdout: \d+ bytes; blue kept the first 20000 \(limits.output_bytes\) and the last 16384 ---/);
    expect(log).toMatch(/\[\.\.\. \d+ bytes not kept \.\.\.\]/);
    expect(statSync(join(o.p.root, `${o.round}/muffin.log`)).size).toBeLessThan(60_000);
  });

  it('refuses a round another blue is running, and a missing prompt', async () => {
    const o = await opened();
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(o.p.root, `${o.round}/run.json`), JSON.stringify({ dialogue: o.id, round: 0, pid: sleeper.pid, startedAt: '2026-03-01T09:30:00Z', updatedAt: '2026-03-01T09:30:00Z', experts: [] }));
      await expect(run(o)).rejects.toMatchObject({ exitCode: 3, code: 'run_in_progress', message: expect.stringContaining(`pid ${sleeper.pid}`) });
    } finally {
      sleeper.kill();
    }
    await waitFor(() => !isRunning(sleeper.pid!), 'sleep to end');
    rmSync(join(o.p.root, `${o.round}/scone.prompt.md`));
    await expect(run(o)).rejects.toMatchObject({ exitCode: 1, code: 'prompt_missing', message: expect.stringContaining(`blue dialogue checkout ${o.id}`) });
  });

  it('every expert failed: the ingest document still names who is missing, and nothing is recorded', async () => {
    const o = await opened();
    const { report } = await run(o, { retries: 0 }, { FAKE_AGENT_FAIL: PANEL.join(',') });
    expect(report.experts.map((e) => e.status)).toEqual(PANEL.map(() => 'failed'));
    expect(report.notIngested).toBe('no_outputs');
    expect(report.ingest).toEqual({
      round: 0,
      ingested: [],
      missing: PANEL,
      warnings: [{ file: `${o.round}/run.json`, line: 1, message: 'no expert of round 0 has an output, so nothing was ingested' }],
      counts: { perspectives: 0, tensions: 0, resolutions: 0, converge_signals: 0 },
    });
    expect(o.p.stored(o.id).rounds[0].ingest).toBeUndefined();
    for (const name of PANEL) expect(o.p.exists(o.output(name))).toBe(false);
  });

  it('an ingest that ran has no notIngested', async () => {
    const o = await opened();
    const { report } = await run(o, { retries: 0, experts: ['Muffin'] });
    expect(report.notIngested).toBeUndefined();
    expect(report.ingest).toMatchObject({ ingested: ['Muffin'], missing: ['Cupcake', 'Scone', 'Eclair'], warnings: [] });
  });

  it('refuses a round that is not open in the words of round run, with next steps that keep its --agent', async () => {
    const o = await opened();
    const bad = await run(o, { experts: ['Croissant'] }).catch((e: BlueError) => e);
    expect(bad).toMatchObject({ code: 'unknown_expert' });
    expect((bad as BlueError).details.next![0].command).toBe(`${roundRunCommandLine(o.id, { given: FAKE_AGENT })}`);
    await run(o);
    await score(o.p.ports, { id: o.id, scores: PANEL.map((n) => [n, parseScore('1', n)]), judge: {}, decisions: [] });
    const scored = (await run(o).catch((e: BlueError) => e)) as BlueError;
    expect(scored).toMatchObject({ exitCode: 3, code: 'no_open_round' });
    expect(scored.message).toBe(`round 0 is scored; round run runs the open round's experts only. Open the next with \`blue dialogue round open ${o.id}\``);
    expect(scored.details.next![0].command).toBe(`blue dialogue round open ${o.id}`);
    await abandon(o.p.ports, { id: o.id, reason: 'enough' });
    const closed = (await run(o).catch((e: BlueError) => e)) as BlueError;
    expect(closed).toMatchObject({ exitCode: 3, code: 'dialogue_closed', message: `dialogue ${o.id} is abandoned; its experts cannot be run` });
  });

  it('offers round run next as it can run: --agent <command> with no agent configured, bare with agent.command, the --agent given kept', async () => {
    const o = await opened();
    const dialogue = o.p.stored(o.id);
    const first = async (options?: { agent?: string }) => (await nextFor(o.p.ports, dialogue, options))[0]!.command;
    expect(await first()).toBe(`blue dialogue round run ${o.id} --agent <command>`);
    expect(await first({ agent: 'claude' })).toBe(`blue dialogue round run ${o.id} --agent claude`);
    o.p.agentConfig.command = 'codex';
    expect(await first()).toBe(`blue dialogue round run ${o.id}`);
    expect(await first({ agent: 'gemini' })).toBe(`blue dialogue round run ${o.id} --agent gemini`);
  });

  it('without --agent and agent.command, it is exit 2 naming both', async () => {
    const o = await opened();
    await expect(roundRun(o.p.ports, { id: o.id })).rejects.toMatchObject({ exitCode: 2, code: 'agent_missing', message: expect.stringMatching(/--agent <command>.*agent\.command in \.blue\/config\.yaml/) });
  });
});

describe('round run settings from .blue/config.yaml', () => {
  async function project(config: string) {
    const root = mkdtempSync(join(tmpdir(), 'blue-run-config-'));
    mkdirSync(join(root, '.blue'));
    writeFileSync(join(root, '.blue', 'config.yaml'), config);
    writeFileSync(join(root, 'pool.yaml'), SMALL_POOL_YAML);
    const ctx = await createContext({}, root, { ...process.env, FAKE_AGENT_HANG: 'Muffin' });
    ctx.ports.log.progress = () => undefined;
    return { root, ctx };
  }

  it('takes agent.command, agent.parallel, agent.timeout and agent.retries; flags win', async () => {
    const { root, ctx } = await project(`agent:\n  command: ${FAKE_AGENT}\n  parallel: 1\n  timeout: 2.5\n  retries: 0\n`);
    const { dialogue } = await start(ctx.ports, { title: 'Config', pool: 'pool.yaml', panelSize: 3, seed: 7 });
    await roundOpen(ctx.ports, { id: dialogue.id });
    const seen: number[] = [];
    const report = await roundRun(ctx.ports, { id: dialogue.id, observer: { update: (e) => seen.push(e.filter((s) => s.state === 'running').length) } });
    expect(report.agent).toEqual({ command: FAKE_AGENT });
    expect(Math.max(...seen)).toBe(1); // parallel: 1
    const muffin = report.experts.find((e) => e.name === 'Muffin')!;
    expect(muffin).toMatchObject({ status: 'timeout', attempts: 1 }); // timeout 2.5, retries 0
    expect(muffin.error).toMatch(/^timed out after 2.5 s/);
    expect(report.experts.filter((e) => e.status === 'done')).toHaveLength(2);
    for (const pid of fakeAgentPids(root, 'Muffin')) expect(isRunning(pid)).toBe(false);

    const flags = await roundRun(ctx.ports, { id: dialogue.id, agent: 'true', retries: 2, timeoutSeconds: 5 });
    expect(flags.agent).toEqual({ command: 'true' });
    expect(flags.experts.find((e) => e.name === 'Muffin')).toMatchObject({ status: 'failed', attempts: 3, error: expect.stringContaining('exited 0 but wrote nothing') });
  }, 30_000);

  it('names a bad value (exit 2) and an unknown key (a warning)', async () => {
    const { ctx } = await project('agent:\n  command: claude\n  parallel: four\n  comand: x\n');
    expect(ctx.inputWarnings.map((w) => w.message)).toEqual([expect.stringContaining('agent.comand is not a known key and is ignored; did you mean command?')]);
    expect(() => ctx.ports.agents.config()).toThrow(/agent\.parallel must be a whole number from 1 to 24 \(got "four"\)/);
    // Commands that run no agent are not stopped by it.
    expect(ctx.ports.workspace.root).toBeTruthy();
    const { ctx: other } = await project('agent: claude\n');
    expect(() => other.ports.agents.config()).toThrow(expect.objectContaining({ exitCode: 2, code: 'invalid_config' }));
  });

  it('refuses (exit 2) a parallel, timeout or retries past its bound, naming the key and the bound', async () => {
    // A timeout past 24.8 days made Node's timer fire at once: every expert timed out on the spot.
    const cases: Array<[string, string]> = [
      ['parallel: 25', '.blue/config.yaml: agent.parallel is 25: at most 24 experts run at once, as many as a panel holds'],
      ['timeout: 3000000', '.blue/config.yaml: agent.timeout is 3000000: a timeout is at most 604,800 seconds (7 days)'],
      ['timeout: .inf', '.blue/config.yaml: agent.timeout is a figure past 2^53: a timeout is at most 604,800 seconds'],
      // YAML reads it as ...992: the message does not show a figure the judge never wrote.
      ['retries: 9007199254740993', '.blue/config.yaml: agent.retries is a figure past 2^53: an expert gets at most 10 further attempts'],
    ];
    for (const [line, message] of cases) {
      const { ctx } = await project(`agent:\n  command: claude\n  ${line}\n`);
      let error: unknown;
      try {
        ctx.ports.agents.config();
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ exitCode: 2, code: 'invalid_config', message: expect.stringContaining(message), details: { key: `agent.${line.split(':')[0]}` } });
    }
    const { ctx } = await project('agent:\n  command: claude\n  parallel: 24\n  timeout: 604800\n  retries: 10\n');
    expect(ctx.ports.agents.config()).toMatchObject({ parallel: 24, timeout: 604800, retries: 10 });
  });

  it('a preset name in the config is that preset', async () => {
    const { ctx } = await project('agent:\n  command: Codex\n');
    expect(ctx.ports.agents.resolve(ctx.ports.agents.config().command!)).toEqual({ command: 'codex exec --skip-git-repo-check --sandbox workspace-write -', preset: 'codex' });
  });
});
