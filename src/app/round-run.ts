// `blue dialogue round run`: runs the experts of the open round through an agent command-line tool, a few
// at a time, then ingests the round. Each expert's command gets its prompt on stdin; what it leaves
// decides the output: the file it wrote, else its stdout, else nothing. blue never invents an output: a
// command that fails, times out or writes nothing leaves no output file (what it left half-written is moved
// aside), and the expert is reported with its exit status and the tail of its stderr. Every state change is
// written to round-<n>/run.json (for `show --watch` in another process) and told to the observer.

import type { AgentResult, ResolvedAgent } from '../agents/types.js';
import { isFinalRunState, parseRunState, type ExpertRunState, type ExpertRunStatus, type RunObserver, type RunState } from '../domain/agent-run.js';
import { badInput, BlueError, failure, refused } from '../domain/errors.js';
import type { IngestReport } from '../domain/ingest.js';
import type { Dialogue, Round } from '../domain/model.js';
import { normaliseName } from '../domain/names.js';
import { withNextSteps } from '../domain/next.js';
import { failedOutputFolder, outputFile, previousRunFolder, promptFile, runLogFile, runStateFile } from '../workspace/layout.js';
import { observeFolder, runAgentContext } from './next.js';
import type { Ports } from './ports.js';
import { readOutputs, requireOpenRound, roundIngest } from './round-ingest.js';
import { loadDialogue, withStores } from './shared.js';

/** Who is told about every change of the experts' states: the plain progress lines, or a live view. */
export type { RunObserver };

export const DEFAULT_PARALLEL = 4;
export const DEFAULT_TIMEOUT_SECONDS = 600;
export const DEFAULT_RETRIES = 1;
/** The pause before a retry: long enough for a rate limit or a flaky network to pass, short enough to wait for. */
export const RETRY_PAUSE_MS = 1000;

export interface RoundRunRequest {
  id: string;
  /** `--agent`: a command line or a preset name; default `agent.command` in .blue/config.yaml. */
  agent?: string;
  parallel?: number;
  timeoutSeconds?: number;
  retries?: number;
  /** `--expert`: run only these (any case); default every expert without an output. */
  experts?: string[];
  /** Also run experts whose output exists (the old output is moved aside, and put back if the run fails). */
  rerun?: boolean;
  observer?: RunObserver;
  /** Ctrl-C, SIGTERM or SIGHUP: stops every running command; the round stays open. */
  signal?: AbortSignal;
  retryPauseMs?: number;
}

export type NotIngested = 'interrupted' | 'no_outputs';

export type ExpertRunOutcome = 'done' | 'failed' | 'timeout' | 'skipped';

export interface ExpertRun {
  name: string;
  status: ExpertRunOutcome;
  attempts: number;
  seconds: number;
  /** The last attempt's exit status; null when a signal ended it or it never ran. */
  exitCode: number | null;
  /** The expert's output file when there is one (written now, or already there). */
  outputFile: string | null;
  logFile: string | null;
  /** Why it failed: the first line says what happened, the lines after it are the end of its stderr. */
  error: string | null;
  /** Why a skipped expert did not run. */
  reason?: string;
  /** Files moved on the way: the output --rerun replaced, what a failed attempt left at the output path. */
  movedAside: Array<{ from: string; to: string }>;
}

export interface RoundRunReport {
  dialogue: string;
  round: number;
  agent: ResolvedAgent;
  experts: ExpertRun[];
  /**
   * The round's ingest document after the run. When nothing was ingested (see notIngested), one of the same
   * shape: nothing ingested, who is missing (read from the round's folder), and why in its warnings.
   */
  ingest: IngestReport;
  /** Why nothing was ingested: the run was interrupted (blue stops, and ingests nothing), or no expert has an output. */
  notIngested?: NotIngested;
  interrupted: boolean;
  runFile: string;
  /** The dialogue after the run (and its ingest). */
  state: Dialogue;
}

interface Plan {
  name: string;
  prompt?: string;
  /** What sits at the output path and goes aside before the first attempt: a real output (--rerun) or an empty file. */
  replace?: 'output' | 'empty';
  skipped?: { reason: string; outputFile: string | null };
  /** Refused without running (a file at the output path that blue does not read). */
  refusedWhy?: string;
}

/** How one attempt ended, as the use case sees it. */
type Verdict =
  | { kind: 'done'; via: 'file' | 'stdout' }
  | { kind: 'failed' | 'timeout' | 'interrupted'; error: string };

const STDERR_TAIL_LINES = 5;

export async function roundRun(ports: Ports, request: RoundRunRequest): Promise<RoundRunReport> {
  const { agents } = ports;
  const config = agents.config();
  const agentText = request.agent ?? config.command;
  if (agentText === undefined || agentText.trim() === '') {
    throw badInput(
      'agent_missing',
      'no agent to run the experts with: give --agent <command> (a command line, or a preset: claude, codex, gemini, llm), or set agent.command in .blue/config.yaml',
      { option: '--agent', config: 'agent.command', fix: `give --agent claude (or codex, gemini, llm, or a command line), or set agent.command in .blue/config.yaml` },
    );
  }
  const agent = agents.resolve(agentText);
  const parallel = request.parallel ?? config.parallel ?? DEFAULT_PARALLEL;
  const timeoutSeconds = request.timeoutSeconds ?? config.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  const retries = request.retries ?? config.retries ?? DEFAULT_RETRIES;

  const dialogue = await withStores(ports, (stores) => loadDialogue(stores, request.id));
  const id = dialogue.id;
  let round: Round;
  let plans: Plan[];
  try {
    round = requireOpenRound(dialogue, 'run');
    const chosen = chosenExperts(round, request.experts, id);
    await refuseConcurrentRun(ports, id, round.n);
    plans = await planExperts(ports, id, round, chosen, request.rerun === true);
  } catch (error) {
    // A refusal says what the judge can do instead; a `round run` it offers keeps this run's --agent.
    throw withNextSteps(error, dialogue, { ...(await observeFolder(ports.workspace, dialogue)), ...runAgentContext(ports, request.agent) });
  }

  const run = new RunRecorder(ports, id, round.n, plans, 1 + retries, request.observer);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  if (request.signal?.aborted) stop.abort();
  const reports = new Map<string, ExpertRun>();
  let unexpected: unknown;
  try {
    await run.publish();
    const queue = plans.filter((p) => p.prompt !== undefined);
    const worker = async () => {
      for (let plan = queue.shift(); plan; plan = queue.shift()) {
        if (stop.signal.aborted) continue; // reported as not started, below
        try {
          reports.set(plan.name, await runExpert(ports, { id, n: round.n, plan, agent, timeoutMs: timeoutSeconds * 1000, maxAttempts: 1 + retries, pauseMs: request.retryPauseMs ?? RETRY_PAUSE_MS, signal: stop.signal, run }));
        } catch (error) {
          // A failure of blue itself (a write that failed): stop the other commands too, then report it.
          unexpected ??= error;
          stop.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    const interrupted = stop.signal.aborted;
    for (const plan of plans) {
      if (reports.has(plan.name)) continue;
      const report = notRun(id, round.n, plan);
      reports.set(plan.name, report);
      run.set(plan.name, { state: report.status === 'failed' ? 'failed' : 'skipped', ...(report.error ? { error: report.error } : {}) });
    }
    await run.finish(interrupted);
  }
  if (unexpected !== undefined) throw unexpected;

  const interrupted = request.signal?.aborted === true;
  const experts = plans.map((p) => reports.get(p.name)!);
  // Ctrl-C, SIGTERM or SIGHUP asked blue to stop: it stops, and ingests nothing (the round stays as it was).
  const ingested = interrupted ? undefined : await ingestIfAny(ports, id);
  const runFile = runStateFile(id, round.n);
  if (ingested) {
    const { dialogue: state, ...ingest } = ingested;
    return { dialogue: id, round: round.n, agent, experts, ingest, interrupted, runFile, state };
  }
  const notIngested = interrupted ? 'interrupted' : 'no_outputs';
  const ingest = await nothingIngested(ports, id, round, notIngested, runFile);
  const state = await withStores(ports, (stores) => loadDialogue(stores, id));
  return { dialogue: id, round: round.n, agent, experts, ingest, notIngested, interrupted, runFile, state };
}

/** The experts to run: `--expert` names (any case), each on the round's panel; default all. */
function chosenExperts(round: Round, names: string[] | undefined, id: string): Set<string> {
  const panel = round.panel.map((m) => m.name);
  if (names === undefined || names.length === 0) return new Set(panel);
  const chosen = new Set<string>();
  for (const name of names) {
    const normal = normaliseName(name);
    if (!panel.includes(normal)) {
      throw badInput('unknown_expert', `${normal} is not on round ${round.n}'s panel (${panel.join(', ')}); see blue dialogue show ${id}`, { expert: normal, panel, fix: `name one of ${panel.join(', ')} with --expert` });
    }
    chosen.add(normal);
  }
  return chosen;
}

/** A second `round run` of the same round while the first still runs would start every expert twice. */
async function refuseConcurrentRun(ports: Ports, id: string, n: number): Promise<void> {
  const file = runStateFile(id, n);
  const text = await ports.workspace.read(file);
  if (text === undefined) return;
  let state: RunState | undefined;
  try {
    state = parseRunState(JSON.parse(text));
  } catch {
    return; // a damaged run.json says nothing about a live run; this run rewrites it
  }
  if (!state || state.finishedAt !== undefined || state.pid === ports.agents.pid || !ports.isProcessAlive(state.pid)) return;
  throw refused(
    'run_in_progress',
    `round ${n} is already being run by blue (pid ${state.pid}, since ${state.startedAt}); wait for it to finish, or stop it with Ctrl-C (if pid ${state.pid} is not blue, delete ${file})`,
    { pid: state.pid, file, fix: `wait for pid ${state.pid} to finish or stop it (Ctrl-C in its terminal); if that pid is not blue, delete ${file}` },
  );
}

async function planExperts(ports: Ports, id: string, round: Round, chosen: Set<string>, rerun: boolean): Promise<Plan[]> {
  const { workspace } = ports;
  const plans: Plan[] = [];
  const missingPrompts: string[] = [];
  for (const { name } of round.panel) {
    const file = outputFile(id, round.n, name);
    const current = await workspace.readOutput(file);
    const hasOutput = current.kind === 'text' && current.text.trim() !== '';
    if (!chosen.has(name)) {
      plans.push({ name, skipped: { reason: 'not asked for (--expert names others)', outputFile: hasOutput ? file : null } });
      continue;
    }
    if (hasOutput && !rerun) {
      plans.push({ name, skipped: { reason: 'has an output (--rerun runs it again; the old one is moved aside)', outputFile: file } });
      continue;
    }
    if (current.kind === 'refused') {
      plans.push({ name, refusedWhy: `${file} is there, but blue does not read it: ${current.why}. Remove it, then run ${name} again` });
      continue;
    }
    const prompt = await workspace.read(promptFile(id, round.n, name));
    if (prompt === undefined) missingPrompts.push(promptFile(id, round.n, name));
    plans.push({ name, prompt, ...(hasOutput ? { replace: 'output' as const } : current.kind === 'text' ? { replace: 'empty' as const } : {}) });
  }
  if (missingPrompts.length) {
    throw failure(
      'prompt_missing',
      `no prompt to give: ${missingPrompts.join(', ')} ${missingPrompts.length === 1 ? 'is' : 'are'} missing. \`blue dialogue checkout ${id}\` writes the prompts from the store`,
      { missing: missingPrompts, fix: `blue dialogue checkout ${id} writes the prompts from the store` },
    );
  }
  return plans;
}

/** The report of an expert that did not run: skipped (not chosen, has an output, interrupted first) or refused. */
function notRun(id: string, n: number, plan: Plan): ExpertRun {
  const base = { name: plan.name, attempts: 0, seconds: 0, exitCode: null, logFile: null, movedAside: [] };
  if (plan.refusedWhy) return { ...base, status: 'failed', outputFile: null, error: plan.refusedWhy };
  const reason = plan.skipped?.reason ?? 'not started: the run was stopped first';
  return { ...base, status: 'skipped', outputFile: plan.skipped?.outputFile ?? null, error: null, reason };
}

interface ExpertJob {
  id: string;
  n: number;
  plan: Plan;
  agent: ResolvedAgent;
  timeoutMs: number;
  maxAttempts: number;
  pauseMs: number;
  signal: AbortSignal;
  run: RunRecorder;
}

async function runExpert(ports: Ports, job: ExpertJob): Promise<ExpertRun> {
  const { workspace, agents } = ports;
  const { id, n, plan, signal, run } = job;
  const name = plan.name;
  const file = outputFile(id, n, name);
  const logFile = runLogFile(id, n, name);
  const movedAside: Array<{ from: string; to: string }> = [];
  const moveAside = async (path: string, folder: string): Promise<string | undefined> => {
    const to = await workspace.moveAside(path, folder);
    if (to) movedAside.push({ from: path, to });
    return to;
  };
  // What an earlier run left goes aside first: its log, and the output a --rerun replaces.
  await moveAside(logFile, previousRunFolder(id, n));
  const previousOutput = plan.replace ? await moveAside(file, previousRunFolder(id, n)) : undefined;

  const log: string[] = [];
  let ms = 0;
  let attempts = 0;
  let verdict: Verdict = { kind: 'interrupted', error: 'interrupted before it started' };
  let last: AgentResult | undefined;
  for (let attempt = 1; attempt <= job.maxAttempts && !signal.aborted; attempt++) {
    if (attempt > 1) await pause(job.pauseMs, signal);
    if (signal.aborted) break;
    attempts = attempt;
    const startedAt = ports.clock.now().toISOString();
    run.set(name, { state: 'running', attempt, startedAt });
    await run.publish();
    last = await agents.run({
      command: job.agent.command,
      env: { BLUE_DIALOGUE: id, BLUE_ROUND: String(n), BLUE_EXPERT: name, BLUE_PROMPT_FILE: promptFile(id, n, name), BLUE_OUTPUT_FILE: file },
      stdin: plan.prompt!,
      timeoutMs: job.timeoutMs,
      signal,
    });
    ms += last.ms;
    const movedBefore = movedAside.length;
    verdict = await decide(ports, last, file, failedOutputFolder(id, n), moveAside, job.timeoutMs);
    log.push(attemptLog({ name, n, attempt, of: job.maxAttempts, command: job.agent.command, startedAt, result: last, verdict, moved: movedAside.slice(movedBefore), captureBytes: agents.captureBytes }));
    await workspace.write([{ path: logFile, content: log.join('\n') }]);
    if (verdict.kind === 'done' || verdict.kind === 'interrupted' || attempt === job.maxAttempts) break;
    run.set(name, { state: 'retrying', error: firstLine(verdict.error), exitCode: last.exitCode });
    await run.publish();
  }

  const seconds = Math.round(ms / 100) / 10;
  const exitCode = last?.exitCode ?? null;
  if (verdict.kind === 'done') {
    run.set(name, { state: 'done', seconds, exitCode });
    await run.publish();
    return { name, status: 'done', attempts, seconds, exitCode, outputFile: file, logFile, error: null, movedAside };
  }
  let error = verdict.error;
  // A rerun that failed puts the output it replaced back: the round keeps what it had.
  if (previousOutput !== undefined && plan.replace === 'output') {
    await workspace.moveTo(previousOutput, file);
    movedAside.push({ from: previousOutput, to: file });
    error = `${firstLine(error)}; its previous output is back at ${file}${restOf(error)}`;
  }
  const status = verdict.kind === 'timeout' ? 'timeout' : 'failed';
  run.set(name, { state: status, seconds, exitCode, error: firstLine(error) });
  await run.publish();
  return {
    name,
    status,
    attempts,
    seconds,
    exitCode,
    outputFile: previousOutput !== undefined && plan.replace === 'output' ? file : null,
    logFile: log.length ? logFile : null,
    error,
    movedAside,
  };
}

/**
 * What an attempt produced. Exit 0 and the output file written: that file. Exit 0 without it: stdout,
 * written atomically. Anything else is a failure, and whatever the command left at the output path is
 * moved aside, so that a half-written file is never taken for an answer.
 */
async function decide(
  ports: Ports,
  result: AgentResult,
  file: string,
  failedFolder: string,
  moveAside: (path: string, folder: string) => Promise<string | undefined>,
  timeoutMs: number,
): Promise<Verdict> {
  const { workspace } = ports;
  const failed = async (kind: 'failed' | 'timeout' | 'interrupted', what: string): Promise<Verdict> => {
    await moveAside(file, failedFolder); // reported with the expert's moved_aside, and in its log
    return { kind, error: [what, ...stderrTail(result)].join('\n') };
  };
  if (result.outcome === 'spawn_failed') return failed('failed', `could not start /bin/sh: ${result.error ?? 'unknown error'}`);
  const stopped = result.killedWith === 'SIGKILL' ? 'sent SIGTERM, then SIGKILL' : 'sent SIGTERM';
  if (result.outcome === 'aborted') return failed('interrupted', `interrupted (Ctrl-C, SIGTERM or SIGHUP): its process group was ${stopped}`);
  if (result.outcome === 'timeout') return failed('timeout', `timed out after ${timeoutMs / 1000} s: its process group was ${stopped}`);
  if (result.exitCode !== 0) return failed('failed', result.exitCode === null ? `killed by ${result.signal}` : `exited with status ${result.exitCode}`);

  const written = await workspace.readOutput(file);
  if (written.kind === 'text' && written.text.trim() !== '') return { kind: 'done', via: 'file' };
  if (written.kind === 'refused') return failed('failed', `exited 0, but blue does not read the file it left: ${written.why}`);
  if (written.kind === 'text') await moveAside(file, failedFolder); // empty: no answer, but not deleted either
  const stdout = result.stdout;
  if (stdout.truncated) {
    return failed('failed', `exited 0 without writing ${file}, and its stdout (${stdout.bytes} bytes) is over the output limit of ${ports.agents.captureBytes} bytes (limits.output_bytes)`);
  }
  if (stdout.text.trim() === '') return failed('failed', `exited 0 but wrote nothing: no ${file}, and nothing on stdout`);
  if (/^FILE_WRITTEN:/m.test(stdout.text) && !/^[ \t#*_>-]*\[[A-Za-z]/m.test(stdout.text)) {
    return failed('failed', `exited 0 and printed FILE_WRITTEN, but ${file} is not there: the agent was not allowed to write it (a headless agent denies writes that are not pre-approved; see the presets in the README)`);
  }
  // Byte for byte: bytes that are not UTF-8 are ingest's to report, not this write's to replace.
  await workspace.write([{ path: file, content: stdout.raw ?? stdout.text }]);
  return { kind: 'done', via: 'stdout' };
}

/** The last lines of an attempt's stderr, for the report: what a failing command usually says last. */
function stderrTail(result: AgentResult): string[] {
  const text = result.stderr.truncated ? result.stderr.tail : result.stderr.text;
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-STDERR_TAIL_LINES)
    .map((line) => `  ${line.length > 300 ? `${line.slice(0, 297)}...` : line}`);
}

const firstLine = (text: string): string => text.split('\n', 1)[0];
const restOf = (text: string): string => {
  const i = text.indexOf('\n');
  return i === -1 ? '' : text.slice(i);
};

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

interface AttemptLog {
  name: string;
  n: number;
  attempt: number;
  of: number;
  command: string;
  startedAt: string;
  result: AgentResult;
  verdict: Verdict;
  moved: Array<{ from: string; to: string }>;
  captureBytes: number;
}

/** One attempt in round-<n>/<name>.log: what ran, how it ended, and its stdout and stderr as they came. */
function attemptLog(a: AttemptLog): string {
  const { result } = a;
  const outcome = a.verdict.kind === 'done' ? `done: the output is ${a.verdict.via === 'file' ? 'the file it wrote' : 'its stdout'}` : firstLine(a.verdict.error);
  const lines = [
    `=== ${a.name}, round ${a.n}, attempt ${a.attempt} of ${a.of}: ${outcome} ===`,
    `command: ${a.command}`,
    `started: ${a.startedAt}; took ${(result.ms / 1000).toFixed(1)} s; exit status ${result.exitCode ?? 'none'}${result.signal ? `; ended by ${result.signal}` : ''}`,
    ...(result.stdinUnread ? ['stdin: the command closed it before reading the whole prompt'] : []),
    ...a.moved.map((m) => `moved aside: ${m.from} -> ${m.to}`),
    stream('stdout', result.stdout, a.captureBytes),
    stream('stderr', result.stderr, a.captureBytes),
  ];
  return lines.join('\n') + '\n';
}

function stream(label: string, captured: AgentResult['stdout'], limit: number): string {
  if (!captured.truncated) return `--- ${label}: ${captured.bytes} bytes ---\n${captured.text}${captured.text.endsWith('\n') || captured.text === '' ? '' : '\n'}`;
  const tailBytes = Buffer.byteLength(captured.tail);
  const dropped = captured.bytes - limit - tailBytes;
  return [
    `--- ${label}: ${captured.bytes} bytes; blue kept the first ${limit} (limits.output_bytes) and the last ${tailBytes} ---`,
    captured.text,
    `[... ${dropped} bytes not kept ...]`,
    captured.tail,
  ].join('\n') + '\n';
}

/** The round's ingest after the run; none when no expert has an output to read (ingest refuses then). */
async function ingestIfAny(ports: Ports, id: string): Promise<(IngestReport & { dialogue: Dialogue }) | undefined> {
  try {
    return await roundIngest(ports, id);
  } catch (error) {
    if (error instanceof BlueError && error.code === 'no_outputs') return undefined;
    throw error;
  }
}

/**
 * The ingest document of a run that ingested nothing: what the round's folder holds, read as ingest reads
 * it, so that it names who is missing; and, as its one warning, why nothing was ingested. The store is
 * left as it was: an ingest recorded before this run stands.
 */
async function nothingIngested(ports: Ports, id: string, round: Round, why: NotIngested, runFile: string): Promise<IngestReport> {
  // As ingest reads them, with its reason for each file it did not read.
  const { outputs, missing, kept } = await readOutputs(ports.workspace, id, round);
  const written = outputs.map((o) => o.name);
  const message =
    why === 'interrupted'
      ? `the run was interrupted, so nothing was ingested${written.length ? `: ${written.join(', ')} ${written.length === 1 ? 'has an output that waits' : 'have outputs that wait'} for the next \`blue dialogue round run\` or \`blue dialogue round ingest\`` : ''}`
      : `no expert of round ${round.n} has an output, so nothing was ingested`;
  return { round: round.n, ingested: [], missing, warnings: [{ file: runFile, line: 1, message }, ...kept], counts: { perspectives: 0, tensions: 0, resolutions: 0, converge_signals: 0 } };
}

/**
 * The run's states: kept in order of the panel, written to run.json on every change (one write at a time, the
 * last one last) and told to the observer.
 */
class RunRecorder {
  private readonly state: RunState;
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();
  private writeError: unknown;

  constructor(
    private readonly ports: Ports,
    id: string,
    n: number,
    plans: Plan[],
    maxAttempts: number,
    private readonly observer: RunObserver | undefined,
  ) {
    const now = ports.clock.now().toISOString();
    const experts = plans.map((p): ExpertRunStatus => ({
      name: p.name,
      state: p.prompt !== undefined ? 'waiting' : p.refusedWhy ? 'failed' : 'skipped',
      attempt: 0,
      maxAttempts: p.prompt !== undefined ? maxAttempts : 0,
      ...(p.refusedWhy ? { error: firstLine(p.refusedWhy) } : {}),
    }));
    this.state = { dialogue: id, round: n, pid: ports.agents.pid, startedAt: now, updatedAt: now, experts };
    this.file = runStateFile(id, n);
  }

  set(name: string, change: Partial<Omit<ExpertRunStatus, 'name'>> & { state: ExpertRunState }): void {
    const i = this.state.experts.findIndex((e) => e.name === name);
    const current = { ...this.state.experts[i] };
    // An error belongs to the state it explains: the attempt after a retry carries none.
    if (change.state === 'running') delete current.error;
    this.state.experts[i] = { ...current, ...change };
  }

  /** Writes run.json and tells the observer; a failed write is reported once at the end, never fatal mid-run. */
  publish(): Promise<void> {
    this.state.updatedAt = this.ports.clock.now().toISOString();
    const snapshot: RunState = { ...this.state, experts: this.state.experts.map((e) => ({ ...e })) };
    this.observer?.update(snapshot.experts);
    const content = JSON.stringify(snapshot, null, 2) + '\n';
    this.writing = this.writing.then(() => this.ports.workspace.write([{ path: this.file, content }]).catch((error) => void (this.writeError ??= error)));
    return this.writing;
  }

  async finish(interrupted: boolean): Promise<void> {
    for (const e of this.state.experts) if (!isFinalRunState(e.state)) e.state = 'skipped';
    this.state.finishedAt = this.ports.clock.now().toISOString();
    if (interrupted) this.state.interrupted = true;
    await this.publish();
    await this.observer?.close?.();
    if (this.writeError !== undefined) {
      this.ports.log.warn(`could not write ${this.file}: ${(this.writeError as Error).message ?? this.writeError}; show --watch elsewhere may show an old state`);
    }
  }
}
