// One agent attempt as a child process: `sh -c <command>` in its own process group (detached), the prompt
// on its stdin, stdout and stderr captured apart and bounded. A timeout or an abort stops the whole group,
// grandchildren included: SIGTERM, then SIGKILL after a grace period. The promise settles only once the
// group is gone or has been sent SIGKILL, so no agent outlives the attempt that started it.

import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { BoundedCapture } from './capture.js';
import type { AgentOutcome, AgentResult } from './types.js';

export interface SpawnRequest {
  command: string;
  cwd: string;
  /** The child's whole environment. */
  env: NodeJS.ProcessEnv;
  stdin: string;
  timeoutMs: number;
  /** Bytes of each stream kept in memory. */
  captureBytes: number;
  /** How long a process group gets between SIGTERM and SIGKILL. */
  killGraceMs: number;
  signal?: AbortSignal;
}

/** How long the pipes may stay open after SIGKILL (a process that escaped the group can hold them). */
const PIPE_GRACE_MS = 1000;

/** Sends `signal` to the process group `pgid`; false when the group is gone. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    // ESRCH: nothing left in the group. EPERM cannot happen to our own children; either way there is
    // nothing more this process can stop.
    return false;
  }
}

export function runInProcessGroup(request: SpawnRequest): Promise<AgentResult> {
  const started = performance.now();
  const stdout = new BoundedCapture(request.captureBytes);
  const stderr = new BoundedCapture(request.captureBytes);
  const result = (outcome: AgentOutcome, extra: Partial<AgentResult> = {}): AgentResult => ({
    outcome,
    exitCode: null,
    signal: null,
    stdout: stdout.result(),
    stderr: stderr.result(),
    ms: performance.now() - started,
    ...extra,
  });
  if (request.signal?.aborted) return Promise.resolve(result('aborted'));

  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', request.command], {
      cwd: request.cwd,
      env: request.env,
      detached: true, // its own process group, so that the group can be stopped as one
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let outcome: AgentOutcome = 'exited';
    let killedWith: 'SIGTERM' | 'SIGKILL' | undefined;
    let exit: { code: number | null; signal: string | null } | undefined;
    let stdinUnread = false;
    let settled = false;
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, action: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        action();
      }, ms);
      timers.add(timer);
    };

    const finish = (extra: Partial<AgentResult> = {}) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      // Whatever the group left behind (a background process that let go of the pipes) goes too.
      if (child.pid !== undefined && signalGroup(child.pid, 0)) signalGroup(child.pid, 'SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(result(outcome, { exitCode: exit?.code ?? null, signal: exit?.signal ?? null, ...(killedWith ? { killedWith } : {}), ...(stdinUnread ? { stdinUnread } : {}), ...extra }));
    };

    const kill = () => {
      if (child.pid === undefined || killedWith === 'SIGKILL') return;
      if (killedWith === undefined) {
        killedWith = 'SIGTERM';
        if (!signalGroup(child.pid, 'SIGTERM')) return;
        later(request.killGraceMs, kill);
        return;
      }
      killedWith = 'SIGKILL';
      signalGroup(child.pid, 'SIGKILL');
      later(PIPE_GRACE_MS, () => finish());
    };
    const stop = (why: 'timeout' | 'aborted') => {
      if (exit !== undefined || killedWith !== undefined) return;
      outcome = why;
      kill();
    };
    const onAbort = () => stop('aborted');

    child.stdout!.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.add(chunk));
    // A command that exits (or closes stdin) before reading its whole prompt makes the write fail with
    // EPIPE; that is the command's business, reported in its log, never a crash of blue.
    child.stdin!.on('error', () => (stdinUnread = true));
    child.stdin!.end(request.stdin);

    child.once('error', (error) => {
      if (child.pid !== undefined) return; // a failed kill or write, not a failed start: 'close' follows
      outcome = 'spawn_failed';
      finish({ error: error.message });
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // The leader is gone; a grandchild still holding the pipes is stopped like a timed-out command.
      if (!settled && killedWith === undefined) later(PIPE_GRACE_MS, kill);
    });
    child.once('close', () => finish());

    later(request.timeoutMs, () => stop('timeout'));
    request.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
