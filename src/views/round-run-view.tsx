// `blue dialogue round run`'s live view, on stderr: one line per expert (waiting, running with its time
// ticking, retrying with its attempt, done, failed or timed out with the error's first line, skipped)
// under a line that counts them. The round run use case reports every change to the RunObserver this
// returns; close() leaves the last table on the screen and gives the terminal back.

import { render, useStderr } from 'ink';
import type { ExpertRunStatus, RunObserver } from '../domain/agent-run.js';
import { printable } from '../domain/values.js';
import { RUN_STATE, runDetails, seg, type Line } from './format.js';
import { Lines, useTick } from './terminal.js';

export type { RunObserver };

export interface RoundRunViewOptions {
  /** Colour on (the default) unless NO_COLOR or --no-color said otherwise. */
  color?: boolean;
  /** Milliseconds since the epoch; the system clock unless a test fixes it. */
  now?: () => number;
}

/** Starts the live view on `stream` (the command's stderr) and returns the observer that updates it. */
export function startRoundRunView(stream: NodeJS.WriteStream, options: RoundRunViewOptions = {}): RunObserver {
  const now = options.now ?? Date.now;
  const color = options.color ?? true;
  // ink's own way to write beside a live frame: it takes the frame away, writes, and draws it again. A line
  // written to the stream past ink would shift the frame, and ink would then leave its top line behind.
  let writeAbove: ((text: string) => void) | undefined;
  const view = (experts: readonly ExpertRunStatus[]) => <LiveRoundRun experts={experts} now={now} color={color} onWriter={(write) => (writeAbove = write)} />;
  // stdout is the command's answer: the view never writes there, nor reads the keyboard (Ctrl-C stays a
  // signal, which round run turns into stopping every expert).
  const instance = render(view([]), { stdout: stream, stderr: stream, patchConsole: false, exitOnCtrlC: false });
  let closed = false;
  return {
    update(experts) {
      if (!closed) instance.rerender(view(experts));
    },
    notice(message) {
      const line = `${printable(message)}\n`;
      if (!closed && writeAbove) writeAbove(line);
      else stream.write(line);
    },
    async close() {
      if (closed) return;
      closed = true;
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}

function LiveRoundRun({ experts, now, color, onWriter }: { experts: readonly ExpertRunStatus[]; now: () => number; color: boolean; onWriter: (write: (text: string) => void) => void }) {
  useTick(experts.some((e) => e.state === 'running' || e.state === 'retrying'));
  onWriter(useStderr().write);
  // The width is ink's: it lays the lines out again, cut to the new width, on every resize.
  return <RoundRunView experts={experts} nowMs={now()} color={color} />;
}

export interface RoundRunViewProps {
  experts: readonly ExpertRunStatus[];
  nowMs: number;
  color?: boolean;
}

/** The table at one moment: what the live view shows, and what the tests render. */
export function RoundRunView({ experts, nowMs, color = true }: RoundRunViewProps) {
  return <Lines lines={roundRunLines(experts, nowMs)} color={color} />;
}

/** The summary line, then one line per expert in the order round run gave them. */
export function roundRunLines(experts: readonly ExpertRunStatus[], nowMs: number): Line[] {
  const count = (state: ExpertRunStatus['state']) => experts.filter((e) => e.state === state).length;
  const finished = experts.filter((e) => e.state === 'done' || e.state === 'failed' || e.state === 'timeout' || e.state === 'skipped').length;
  const parts = (['running', 'retrying', 'waiting', 'done', 'failed', 'timeout', 'skipped'] as const)
    .filter((state) => count(state) > 0)
    .map((state) => `${count(state)} ${RUN_STATE[state].word}`);
  const header: Line = [seg('round run', 'heading'), seg(`  ${finished}/${experts.length} finished`), seg(` · ${parts.join(' · ')}`, 'dim')];
  const width = Math.max(0, ...experts.map((e) => e.name.length));
  return [header, ...experts.map((e) => expertLine(e, width, nowMs))];
}

function expertLine(e: ExpertRunStatus, width: number, nowMs: number): Line {
  const look = RUN_STATE[e.state];
  const running = e.state === 'running' || e.state === 'retrying';
  const started = e.startedAt ? Date.parse(e.startedAt) : Number.NaN;
  // While it runs, the time so far (it ticks); once final, what its attempts took.
  const seconds = running ? (Number.isNaN(started) ? undefined : Math.max(0, (nowMs - started) / 1000)) : e.seconds;
  const details = runDetails({ state: e.state, attempt: e.attempt, maxAttempts: e.maxAttempts, seconds, error: e.error, exitCode: e.exitCode });
  return [seg(`  ${look.mark} `, look.tone), seg(`${e.name.padEnd(width)}  `), seg(look.word.padEnd(10), look.tone), ...details];
}
