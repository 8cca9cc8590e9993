// `blue dialogue round run <id>`

import { PRESET_NAMES } from '../agents/presets.js';
import type { Log } from '../app/ports.js';
import type { ExpertRun, RunObserver } from '../app/round-run.js';
import type { ExpertRunStatus } from '../domain/agent-run.js';
import { AGENT_TIMEOUT_BOUND, PARALLEL_BOUND, RETRIES_BOUND } from '../domain/bounds.js';
import { parseInteger, parsePositiveNumber } from './parse.js';
import { roundRunCommandLine } from '../domain/next.js';
import { ingestAnswer, ingestJson } from './round-ingest.js';
import { ID_ARG, type CommandContext, type CommandSpec } from './spec.js';

/** The exit code of a run stopped by Ctrl-C, SIGTERM or SIGHUP (CLI.md). */
const INTERRUPTED_EXIT = 130;

export const roundRunCommand: CommandSpec = {
  path: ['dialogue', 'round', 'run'],
  args: [ID_ARG],
  description: 'run the open round\'s experts through an agent command-line tool, then ingest the round',
  options: [
    { flags: '--agent <command>', description: `the command line (run by sh -c in the project root, the prompt on its stdin) or a preset: ${PRESET_NAMES.join(', ')}; default agent.command in .blue/config.yaml` },
    { flags: '--parallel <n>', description: 'experts running at once (default agent.parallel, else 4)' },
    { flags: '--timeout <seconds>', description: 'per attempt, then SIGTERM to its process group and SIGKILL 5 s later (default agent.timeout, else 600)' },
    { flags: '--retries <n>', description: 'further attempts after a failure or a timeout (default agent.retries, else 1)' },
    { flags: '--expert <name>', description: 'run only this expert; repeatable (default: every expert without an output)', repeatable: true },
    { flags: '--rerun', description: 'also run experts whose output exists (the old one is moved to round-<n>/previous/, and put back if the run fails)' },
  ],
  examples: [
    'blue dialogue round run <id> --agent claude            # the claude preset (see the README)',
    "blue dialogue round run <id> --agent 'my-agent --quiet' --parallel 2 --timeout 900",
    'blue dialogue round run <id> --expert Muffin --rerun   # run Muffin again; the old output goes to round-<n>/previous/',
  ],
  async run(ctx, [id], o) {
    const { roundRun } = await import('../app/round-run.js');
    const observer = await observerFor(ctx);
    const report = await roundRun(ctx.ports, {
      id: id!,
      ...(o.agent !== undefined ? { agent: o.agent as string } : {}),
      parallel: parseInteger(o.parallel, '--parallel', 1, PARALLEL_BOUND),
      timeoutSeconds: parsePositiveNumber(o.timeout, '--timeout', AGENT_TIMEOUT_BOUND),
      retries: parseInteger(o.retries, '--retries', 0, RETRIES_BOUND),
      experts: (o.expert ?? []) as string[],
      rerun: o.rerun === true,
      observer,
      // What blue says on Ctrl-C goes where the progress goes, so that a live view stays whole.
      ...(ctx.interruption ? { signal: ctx.interruption((message) => observer.notice?.(message)) } : {}),
    });
    // Nothing ingested (interrupted, or no output at all): the document says so and who is missing.
    const ingest = report.notIngested
      ? { json: ingestJson(report.ingest), human: report.ingest.warnings.map((w) => `Round ${report.round}: ${w.message}`).join('\n') }
      : ingestAnswer(ctx.ports.log, report.ingest);
    const failed = report.experts.filter((e) => e.status === 'failed' || e.status === 'timeout');
    const done = report.experts.filter((e) => e.status === 'done').length;
    const ran = report.experts.filter((e) => e.attempts > 0).length;
    // The same agent again: the one given, else agent.command (this run found one there).
    const again = roundRunCommandLine(report.dialogue, o.agent !== undefined ? { given: o.agent as string } : 'configured');
    const headline = report.interrupted
      ? `Round ${report.round}: interrupted; the round stays open. Run \`${again}\` again to run the experts still without an output.`
      : ran === 0 && failed.length === 0
        ? `Round ${report.round}: no expert to run (each has an output or was not asked for; --rerun runs them again).`
        : `Round ${report.round}: ${done} of ${ran} expert${ran === 1 ? '' : 's'} run produced an output${failed.length ? `; ${failed.map((e) => e.name).join(', ')} did not` : ''}.`;
    return {
      json: {
        round: report.round,
        agent: report.agent,
        experts: report.experts.map(expertJson),
        ingest: ingest.json,
        ...(report.interrupted ? { interrupted: true } : {}),
        run_file: report.runFile,
      },
      human: [headline, ...report.experts.map(expertLine), ingest.human].join('\n'),
      exitCode: report.interrupted ? INTERRUPTED_EXIT : failed.length ? 1 : 0,
      dialogue: report.state,
      // A `round run` offered next (experts still without an output) runs the agent this one ran.
      ...(o.agent !== undefined ? { nextOptions: { agent: o.agent as string } } : {}),
    };
  },
};

/**
 * How the run shows itself on stderr while it goes (CLI.md: progress always goes to stderr): the live view
 * on a terminal without --json (ink and React load here and only here); else, --json included, one plain
 * line per change, since stdout carries only the answer and stderr is the judge's to read or drop.
 */
async function observerFor(ctx: CommandContext): Promise<RunObserver> {
  if (!ctx.json && ctx.terminal?.liveStderr) {
    const { startRoundRunView } = await import('../views/round-run-view.js');
    return startRoundRunView(ctx.terminal.stderr, { color: ctx.terminal.color });
  }
  return plainProgress(ctx.ports.log);
}

/** One line on stderr per expert whose state changed; the first, unchanged states (waiting, skipped) say nothing. */
export function plainProgress(log: Log): RunObserver {
  const seen = new Map<string, string>();
  return {
    update(experts: readonly ExpertRunStatus[]) {
      for (const e of experts) {
        const key = `${e.state}/${e.attempt}`;
        const before = seen.get(e.name);
        seen.set(e.name, key);
        if (before === key || (before === undefined && (e.state === 'waiting' || e.state === 'skipped'))) continue;
        log.progress(`${e.name}: ${progressText(e)}`);
      }
    },
    notice: (message) => log.progress(message),
  };
}

function progressText(e: ExpertRunStatus): string {
  const seconds = e.seconds !== undefined ? ` in ${e.seconds.toFixed(1)} s` : '';
  switch (e.state) {
    case 'running':
      return `running (attempt ${e.attempt} of ${e.maxAttempts})`;
    case 'retrying':
      return `attempt ${e.attempt} failed (${e.error ?? 'no output'}); trying again`;
    case 'done':
      return `done${seconds}`;
    case 'failed':
    case 'timeout':
      return `${e.state === 'timeout' ? 'timed out' : 'failed'}${seconds}${e.attempt > 1 ? ` after ${e.attempt} attempts` : ''}: ${e.error ?? 'no output'}`;
    case 'skipped':
      return 'not run';
    case 'waiting':
      return 'waiting';
  }
}

function expertJson(e: ExpertRun) {
  return {
    name: e.name,
    status: e.status,
    attempts: e.attempts,
    seconds: e.seconds,
    exit_code: e.exitCode,
    output_file: e.outputFile,
    log_file: e.logFile,
    error: e.error,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.movedAside.length ? { moved_aside: e.movedAside } : {}),
  };
}

function expertLine(e: ExpertRun): string {
  const head = `  ${e.name.padEnd(12)} ${e.status.padEnd(8)}`;
  if (e.status === 'skipped') return `${head} ${e.reason ?? ''}`;
  const figures = `${e.attempts} attempt${e.attempts === 1 ? '' : 's'}, ${e.seconds.toFixed(1)} s`;
  const lines = [`${head} ${figures}  ${e.status === 'done' ? e.outputFile : `log: ${e.logFile ?? 'none'}`}`];
  if (e.error) lines.push(...e.error.split('\n').map((line) => `      ${line}`));
  for (const m of e.movedAside) lines.push(`      moved aside: ${m.from} -> ${m.to}`);
  return lines.join('\n');
}
