// `round run`'s live view: one line per expert in each state it can be in (ink-testing-library), and the
// observer startRoundRunView returns, on a fake stderr: it draws every update, ticks the time of a running
// expert on its own, cuts lines to the window and keeps the last table when closed.

import { EventEmitter } from 'node:events';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { ExpertRunStatus } from '../../src/domain/agent-run.js';
import { RoundRunView, startRoundRunView } from '../../src/views/round-run-view.js';
import { expertRun, until } from '../support/watch.js';

// ink draws only a final frame under CI (is-in-ci, read when ink loads); these tests watch the live frames.
vi.hoisted(() => {
  delete process.env.CI;
});

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const since = (seconds: number) => new Date(T0 - seconds * 1000).toISOString();
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

function table(experts: ExpertRunStatus[], columns = 100): string[] {
  const { lastFrame, unmount } = render(
    <Box width={columns}>
      <RoundRunView experts={experts} nowMs={T0} color={false} />
    </Box>,
  );
  const lines = lastFrame()!.replace(ANSI, '').split('\n').map((l) => l.trimEnd());
  unmount();
  return lines;
}

describe('the table', () => {
  it('draws every state: waiting, running, retrying, done, failed, timed out, skipped', () => {
    expect(
      table([
        expertRun('Muffin', 'waiting'),
        expertRun('Cupcake', 'running', { startedAt: since(65) }),
        expertRun('Scone', 'retrying', { attempt: 2, maxAttempts: 3, startedAt: since(4), error: 'exit 1: rate limited\nretry after 30 s' }),
        expertRun('Eclair', 'done', { seconds: 42 }),
        expertRun('Donut', 'failed', { attempt: 2, seconds: 70, exitCode: 2, error: 'Error: no such model "gpt-9"\n    at main (cli.js:1)' }),
        expertRun('Brioche', 'timeout', { seconds: 600, exitCode: null, error: 'timed out after 600 s' }),
        expertRun('Croissant', 'skipped'),
      ]),
    ).toEqual([
      'round run  4/7 finished · 1 running · 1 retrying · 1 waiting · 1 done · 1 failed · 1 timed out · 1 …',
      '  ○ Muffin     waiting',
      '  ● Cupcake    running   1m 05s',
      '  ↻ Scone      retrying  4s  attempt 2 of 3 · exit 1: rate limited',
      '  ✓ Eclair     done      42s',
      '  ✗ Donut      failed    1m 10s  2 attempts · Error: no such model "gpt-9"',
      '  ✗ Brioche    timed out 10m 00s · timed out after 600 s',
      '  – Croissant  skipped',
    ]);
  });

  it('a failure without an error message shows its exit status; a second attempt that runs says so', () => {
    expect(table([expertRun('Muffin', 'failed', { seconds: 1, exitCode: 127 }), expertRun('Cupcake', 'running', { attempt: 2, startedAt: since(3) })])).toEqual([
      'round run  1/2 finished · 1 running · 1 failed',
      '  ✗ Muffin   failed    1s · exit 127',
      '  ● Cupcake  running   3s  attempt 2 of 2',
    ]);
  });

  it('everyone done: the count says so and nothing else', () => {
    expect(table([expertRun('Muffin', 'done', { seconds: 5 }), expertRun('Cupcake', 'done', { seconds: 7, attempt: 2 })])).toEqual([
      'round run  2/2 finished · 2 done',
      '  ✓ Muffin   done      5s',
      '  ✓ Cupcake  done      7s  2 attempts',
    ]);
  });

  it('fits narrow windows: a long error is cut, never wrapped onto the next line', () => {
    const experts = [expertRun('Religieuse', 'failed', { seconds: 3, error: `Error: ${'the agent said something long '.repeat(6)}` }), expertRun('Muffin', 'running', { startedAt: since(1) })];
    for (const columns of [72, 40]) {
      const lines = table(experts, columns);
      expect(lines).toHaveLength(3);
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      expect(lines[1]).toMatch(/…$/);
    }
  });

  it('draws no control character an agent wrote in its error', () => {
    const [, line] = table([expertRun('Muffin', 'failed', { seconds: 1, error: 'bad \u001b]0;owned\u0007 \u001b[2Jthing' })]);
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line).toContain('bad  ]0;owned   [2Jthing');
  });
});

/** A terminal's stderr: a TTY with a size, recording what is written to it. */
function fakeStderr(columns: number) {
  const stream = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns,
    rows: 30,
    written: '',
    write(chunk: string) {
      stream.written += chunk;
      return true;
    },
  });
  return stream;
}


describe('startRoundRunView', () => {
  it('draws each update on the stream it is given, ticks a running expert every second, and keeps the last table on close', async () => {
    const stderr = fakeStderr(80);
    let now = T0;
    const observer = startRoundRunView(stderr as unknown as NodeJS.WriteStream, { now: () => now, color: false });
    observer.update([expertRun('Muffin', 'running', { startedAt: since(5) }), expertRun('Cupcake', 'waiting')]);
    await until('the first table', () => stderr.written.replace(ANSI, '').includes('● Muffin   running   5s'));

    // Nothing is reported for a while: the time moves on by itself.
    now = T0 + 2000;
    await until('the time to tick', () => stderr.written.replace(ANSI, '').includes('● Muffin   running   7s'));

    observer.update([expertRun('Muffin', 'done', { seconds: 8 }), expertRun('Cupcake', 'failed', { seconds: 1, error: 'exit 3: quota' })]);
    await observer.close!();
    const text = stderr.written.replace(ANSI, '');
    expect(text).toContain('round run  2/2 finished · 1 done · 1 failed');
    expect(text).toContain('✓ Muffin   done      8s');
    expect(text).toContain('✗ Cupcake  failed    1s · exit 3: quota');
    expect(stderr.listenerCount('resize')).toBe(0);

    // After close the view is gone: further updates draw nothing, a second close is harmless.
    const length = stderr.written.length;
    observer.update([expertRun('Muffin', 'waiting')]);
    await observer.close!();
    expect(stderr.written.length).toBe(length);
  });

  it('writes a notice above its frame and draws the frame again under it; after close, as a plain line', async () => {
    const stderr = fakeStderr(80);
    const observer = startRoundRunView(stderr as unknown as NodeJS.WriteStream, { now: () => T0, color: false });
    observer.update([expertRun('Muffin', 'running', { startedAt: since(5) })]);
    await until('the table', () => stderr.written.includes('Muffin'));
    stderr.written = '';
    observer.notice!('blue: SIGINT: stopping the agents; the round stays open');
    const after = stderr.written.replace(ANSI, '');
    // ink took its frame away first (an erase before the text), then drew it again below the notice.
    expect(stderr.written.indexOf('blue: SIGINT')).toBeGreaterThan(0);
    expect(after.indexOf('round run')).toBeGreaterThan(after.indexOf('blue: SIGINT: stopping the agents; the round stays open\n'));
    await observer.close!();
    stderr.written = '';
    observer.notice!('blue: SIGINT again: still stopping the agents');
    expect(stderr.written).toBe('blue: SIGINT again: still stopping the agents\n');
  });

  it('lays its lines out again when the window narrows', async () => {
    const stderr = fakeStderr(100);
    const observer = startRoundRunView(stderr as unknown as NodeJS.WriteStream, { now: () => T0, color: false });
    const long = `Error: ${'x'.repeat(120)}`;
    observer.update([expertRun('Muffin', 'failed', { seconds: 1, error: long })]);
    await until('the table', () => stderr.written.includes('Muffin'));
    stderr.written = '';
    stderr.columns = 50;
    stderr.emit('resize');
    await until('the narrow table', () => stderr.written.includes('Muffin'));
    const drawn = stderr.written.replace(ANSI, '').split(/\r?\n/).filter((l) => l.includes('Muffin'));
    expect(drawn.length).toBeGreaterThan(0);
    for (const line of drawn) expect([...line.trimEnd()].length).toBeLessThanOrEqual(50);
    await observer.close!();
  });
});
