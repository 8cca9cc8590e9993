// What the live views share: a line as styled pieces, durations, small charts, and the words and marks
// of an expert's run state. Pure; the ink components (round-run-view.tsx, watch-view.tsx) draw the lines.

import type { ExpertRunState } from '../domain/agent-run.js';
import { firstLine } from '../domain/values.js';
import type { RunFacts } from '../render/watch.js';

/** How a piece of a line looks; without colour (NO_COLOR, --no-color) only the text is kept. */
export type Tone = 'plain' | 'title' | 'heading' | 'dim' | 'good' | 'warn' | 'bad' | 'accent';

export interface Segment {
  text: string;
  tone?: Tone;
}

/** One terminal line; the view truncates it to the window's width. */
export type Line = Segment[];

export const seg = (text: string, tone: Tone = 'plain'): Segment => ({ text, tone });

export const lineText = (line: Line): string => line.map((s) => s.text).join('');

/** `42s`, `1m 05s`, `2h 03m`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value, its height relative to the largest (all blank-low when every value is 0). */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (max === 0 ? SPARKS[0] : SPARKS[Math.min(SPARKS.length - 1, Math.round((Math.max(0, v) / max) * (SPARKS.length - 1)))])).join('');
}

/** A horizontal bar of `value` out of `max` in `width` cells, with eighths at its end. */
export function bar(value: number, max: number, width: number): string {
  if (width <= 0) return '';
  if (max <= 0 || value <= 0) return ' '.repeat(width);
  const eighths = Math.round((Math.min(value, max) / max) * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  const partial = rest ? ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][rest] : '';
  return ('█'.repeat(full) + partial).padEnd(width, ' ');
}

/** `■■■□□□`: `done` out of `total`, one cell each (at most `width` cells, scaled beyond). */
export function meter(done: number, total: number, width: number): string {
  if (total <= 0 || width <= 0) return '';
  const cells = Math.min(total, width);
  const filled = Math.round((Math.min(done, total) / total) * cells);
  return '■'.repeat(filled) + '□'.repeat(cells - filled);
}

export type RunMark = RunFacts['state'];

/** Each state's mark, word and tone; every mark is one terminal cell wide. */
export const RUN_STATE: Record<RunMark, { mark: string; word: string; tone: Tone }> = {
  waiting: { mark: '○', word: 'waiting', tone: 'dim' },
  running: { mark: '●', word: 'running', tone: 'accent' },
  retrying: { mark: '↻', word: 'retrying', tone: 'warn' },
  done: { mark: '✓', word: 'done', tone: 'good' },
  failed: { mark: '✗', word: 'failed', tone: 'bad' },
  timeout: { mark: '✗', word: 'timed out', tone: 'bad' },
  skipped: { mark: '–', word: 'skipped', tone: 'dim' },
  stopped: { mark: '■', word: 'stopped', tone: 'bad' },
};

/** `HH:MM:SS` of an ISO time, in UTC like every time blue records. */
export function clockTime(iso: string): string {
  return `${iso.slice(11, 19)}Z`;
}

/** What follows a run state's word: its time, its attempt, its error (the first line, or the exit status). */
export function runDetails(run: RunFacts): Segment[] {
  const error = firstLine(run.error) || (typeof run.exitCode === 'number' && run.exitCode !== 0 ? `exit ${run.exitCode}` : '');
  const time = run.seconds !== undefined ? duration(run.seconds) : undefined;
  const notes: string[] = [];
  if (run.state === 'stopped' && run.was) notes.push(`while ${RUN_STATE[run.was].word}`);
  if (run.state === 'retrying' || ((run.state === 'running' || run.state === 'stopped') && run.attempt > 1)) notes.push(`attempt ${run.attempt} of ${run.maxAttempts}`);
  if ((run.state === 'done' || run.state === 'failed' || run.state === 'timeout') && run.attempt > 1) notes.push(`${run.attempt} attempts`);
  const pieces: Segment[] = [];
  if (time && run.state !== 'waiting' && run.state !== 'skipped') pieces.push(seg(time));
  if (notes.length) pieces.push(seg(`${pieces.length ? '  ' : ''}${notes.join(', ')}`, 'dim'));
  if (error && run.state !== 'done' && run.state !== 'waiting') {
    const tone: Tone = run.state === 'skipped' ? 'dim' : run.state === 'retrying' ? 'warn' : 'bad';
    pieces.push(seg(`${pieces.length ? ' · ' : ''}${error}`, tone));
  }
  return pieces;
}

/**
 * `text` broken at spaces into lines of at most `width` characters (a word longer than that is cut by the
 * view), for the few sentences a view shows whole: convergence blockers, a problem with the store.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}
