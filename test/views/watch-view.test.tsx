// `show --watch`'s board in every state a judge meets, drawn by ink (ink-testing-library): no rounds, an
// open round, a scored round with blockers, an ingested open round, converged with a verdict, abandoned,
// a round run in another process (running, and stopped when its process is gone), a store problem; at
// narrow widths and short heights no line is wider than the window and the board never outgrows it. Then
// the live view itself on fake terminal streams: snapshots, resize, q, and the terminal given back.

import { EventEmitter } from 'node:events';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { WatchSnapshot } from '../../src/render/watch.js';
import { WatchView, runWatchView, type WatchTerminal } from '../../src/views/watch-view.js';
import { at } from '../support/dialogue-factory.js';
import { WATCH_NOW, expertRun, runStateOf, snapshotOf, stages, until } from '../support/watch.js';

// ink draws only a final frame under CI (is-in-ci, read when ink loads); the live tests watch every frame.
vi.hoisted(() => {
  delete process.env.CI;
});

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** The board as text, drawn in a window of `columns` x `rows`. */
function board(snapshot: WatchSnapshot, columns = 100, rows = 60): string[] {
  const { lastFrame, unmount } = render(
    <Box width={columns}>
      <WatchView snapshot={snapshot} nowMs={WATCH_NOW} columns={columns} rows={rows} color={false} />
    </Box>,
  );
  const lines = lastFrame()!.replace(ANSI, '').split('\n');
  unmount();
  return lines.map((l) => l.trimEnd());
}

const widest = (lines: string[]) => Math.max(...lines.map((l) => [...l].length));
const text = (lines: string[]) => lines.join('\n');

describe('the board', () => {
  it('before any round: the header, what blocks convergence, no tensions, the dialogue started', () => {
    const lines = board(snapshotOf(stages.noRounds()));
    expect(lines[0]).toBe('Second shop?');
    expect(lines[1]).toBe('2026-03-01T0930Z-second-shop · no round yet · 0 rounds · ALIGNMENT 0 (W:0 C:0 T:0 R:0)');
    expect(text(lines)).not.toContain('Scoreboard');
    expect(text(lines)).not.toContain('Panel');
    expect(lines).toContain('  - no round scored yet');
    expect(lines).toContain('No open tensions');
    expect(lines).toContain('  09:30:00Z     dialogue started: 8 experts in the pool');
    expect(lines[lines.length - 1]).toBe('q quits · updated 09:50:00Z');
  });

  it('an open round: every expert missing until written, then written, the round not ingested yet', () => {
    const d = stages.openRound();
    expect(text(board(snapshotOf(d)))).toContain('Panel · round 0 (open · 0/4 outputs written, not ingested yet)');
    const lines = board(snapshotOf(d, { openRound: { n: 0, outputs: ['Muffin', 'Scone'] } }));
    expect(lines).toContain('Panel · round 0 (open · 2/4 outputs written, not ingested yet)');
    expect(lines).toContain('  Muffin   Head Baker            ● written');
    expect(lines).toContain('  Cupcake  Supply Chain Analyst  ○ missing');
    expect(lines).toContain('  R0 open    □□□□ not ingested yet');
    expect(lines).toContain('  - round 0 is open');
    expect(lines).toContain('  09:31:00Z R0  round 0 opened: 4 experts');
  });

  it('a scored round with blockers: the scoreboard with its chart, convergence, tensions and who raised them', () => {
    const lines = board(snapshotOf(stages.scoredWithBlockers()));
    expect(lines[1]).toBe('2026-03-01T0930Z-second-shop · between rounds · 1 round · ALIGNMENT 69 (W:21 C:18 T:16 R:14)');
    expect(lines).toContain('Scoreboard   ALIGNMENT █   velocity █');
    expect(lines).toContain('  R0      21   18   16   14     69     69  ████████████████████████   6     0/4   0%  opening');
    expect(lines).toContain('  R0 scored  □□□□ 0/4 signalled [MOVE:CONVERGE] (0%) · velocity 6');
    expect(lines).toContain('  - round 0: velocity is 6 (2 open tensions + 4 new perspectives); it must be 0');
    // Whole, on two lines: the holdouts' names come last.
    expect(lines).toContain('  - round 0: converge is 0% (0/4); every expert must signal [MOVE:CONVERGE] (not yet: Muffin,');
    expect(lines).toContain('    Cupcake, Scone, Eclair)');
    expect(lines).toContain('Open tensions (2)');
    expect(lines).toContain('  MUFFIN-T01   open      Muffin R0   Rent against footfall');
    expect(lines).toContain('  CUPCAKE-T01  open      Cupcake R0  One mill or two');
    expect(lines).toContain('Panel · round 0 (scored)');
    expect(lines).toContain('  Muffin   Head Baker              23');
    expect(lines).toContain('  09:33:00Z R0  round 0 scored: 69 ALIGNMENT, velocity 6, converge 0%');
    expect(lines).toContain('  09:32:00Z R0  MUFFIN-T01 raised by Muffin: Rent against footfall');
  });

  it('an ingested open round: who was read, who converges, the signals so far', () => {
    const lines = board(snapshotOf(stages.secondRoundIngested(), { openRound: { n: 1, outputs: ['Muffin', 'Cupcake'] } }));
    expect(lines).toContain('Panel · round 1 (open · 2/4 outputs written, 2 read)');
    expect(lines).toContain('  Muffin   Head Baker            ✓ read     converge');
    expect(lines).toContain('  Scone    Customer Researcher   ○ missing');
    expect(lines).toContain('  R1 open    ■□□□ 1/4 so far (25%), as ingested');
    expect(lines).toContain('  09:42:00Z R1  MUFFIN-T01 open → resolved (Muffin): Settled.');
    expect(lines).toContain('Open tensions (1)');
  });

  it('converged with a verdict: the trend of both rounds, no blockers, the verdict among the events', () => {
    const lines = board(snapshotOf(stages.converged()));
    expect(lines[1]).toContain('· converged · 2 rounds · ALIGNMENT 169 (W:49 C:44 T:40 R:36)');
    expect(lines[3]).toBe('Scoreboard   ALIGNMENT ▆█   velocity █▁');
    expect(lines).toContain('  ✓ converged: final verdict recorded');
    expect(text(lines)).not.toMatch(/^ {2}- /m);
    expect(lines).toContain('No open tensions');
    expect(lines).toContain('  R1 scored  ■■■■ 4/4 signalled [MOVE:CONVERGE] (100%) · velocity 0');
    expect(lines).toContain('  Muffin   Head Baker              30  converge');
    expect(lines).toContain('  02:09:00Z R1  final verdict recorded, unanimous');
    expect(lines).toContain('  09:43:00Z R1  CUPCAKE-T01 open → resolved (the judge): two mills');
  });

  it('abandoned: the reason in the header and under convergence, no blockers', () => {
    const lines = board(snapshotOf(stages.abandoned()));
    expect(lines[1]).toContain('· abandoned: the lease fell through · 1 round ·');
    expect(lines).toContain('  ■ abandoned: the lease fell through');
    expect(text(lines)).not.toContain('velocity is');
    expect(lines).toContain('  09:45:00Z R0  abandoned: the lease fell through');
  });

  it('a round run in another process: each expert state, elapsed times, the attempt and the error', () => {
    const d = stages.openRound();
    const started = at(20.5);
    const run = runStateOf(d, [
      expertRun('Muffin', 'done', { seconds: 42 }),
      expertRun('Cupcake', 'running', { startedAt: started }),
      expertRun('Scone', 'retrying', { attempt: 2, startedAt: at(20.75), error: 'exit 1: reset\nat line 2' }),
      expertRun('Eclair', 'timeout', { seconds: 600, error: 'timed out after 600 s' }),
    ]);
    const lines = board(snapshotOf(d, { openRound: { n: 0, outputs: ['Muffin'], run: { state: run, alive: true } } }));
    expect(lines).toContain('  round run (pid 4242) running since 09:50:00Z');
    expect(lines).toContain('  Muffin   Head Baker            ● written  ✓ done 42s');
    expect(lines).toContain('  Cupcake  Supply Chain Analyst  ○ missing  ● running 30s');
    expect(lines).toContain('  Scone    Customer Researcher   ○ missing  ↻ retrying 15s  attempt 2 of 2 · exit 1: reset');
    expect(lines).toContain('  Eclair   Urban Planner         ○ missing  ✗ timed out 10m 00s · timed out after 600 s');
  });

  it('a round run whose process is gone before it finished: stopped, with what each expert was doing', () => {
    const d = stages.openRound();
    const run = runStateOf(d, [expertRun('Muffin', 'failed', { seconds: 3, attempt: 2, exitCode: 127 }), expertRun('Cupcake', 'running', { startedAt: at(20) }), expertRun('Scone', 'waiting'), expertRun('Eclair', 'skipped')]);
    const lines = board(snapshotOf(d, { openRound: { n: 0, outputs: [], run: { state: run, alive: false } } }));
    expect(lines).toContain('  round run (pid 4242) stopped: its process is gone (last update 09:50:30Z)');
    expect(lines).toContain('  Muffin   Head Baker            ○ missing  ✗ failed 3s  2 attempts · exit 127');
    // Its time stops at the run's last word, not at the view's clock.
    expect(lines).toContain('  Cupcake  Supply Chain Analyst  ○ missing  ■ stopped 30s  while running');
    expect(lines).toContain('  Scone    Customer Researcher   ○ missing  ■ stopped while waiting');
    expect(lines).toContain('  Eclair   Urban Planner         ○ missing  – skipped');
  });

  it('a finished run, and a run.json that is not one, are said as such', () => {
    const d = stages.openRound();
    const run = runStateOf(d, [expertRun('Muffin', 'done', { seconds: 5 })], { finishedAt: at(20.5) });
    expect(board(snapshotOf(d, { openRound: { n: 0, outputs: ['Muffin'], run: { state: run, alive: false } } }))).toContain('  round run (pid 4242) finished at 09:50:30Z');
    expect(board(snapshotOf(d, { openRound: { n: 0, outputs: [], runProblem: 'run.json is not a round run state' } }))).toContain('  run.json is not a round run state');
  });

  it('a problem with the store: said at the top, over what was read before', () => {
    const lines = board(snapshotOf(stages.scoredWithBlockers(), { problem: { code: 'corrupt_store_file', message: 'store.json is corrupt: it is not valid JSON' } }));
    expect(lines[2]).toBe('! store.json is corrupt: it is not valid JSON (showing what was read before)');
    expect(lines).toContain('Open tensions (2)');
  });

  it('never draws a control character an expert or agent wrote (an escape sequence, a line break)', () => {
    const d = stages.openRound();
    const run = runStateOf(d, [expertRun('Muffin', 'failed', { seconds: 1, error: 'boom \u001b[2J\u001b[31mred\u0007' })]);
    const { lastFrame, unmount } = render(<WatchView snapshot={snapshotOf(d, { openRound: { n: 0, outputs: [], run: { state: run, alive: true } } })} nowMs={WATCH_NOW} columns={100} rows={60} color={false} />);
    const frame = lastFrame()!;
    unmount();
    expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(frame).toContain('boom  [2J [31mred');
  });
});

describe('the board fits the window', () => {
  const all: Array<[string, () => WatchSnapshot]> = [
    ['no rounds', () => snapshotOf(stages.noRounds())],
    ['an ingested open round with a run', () => {
      const d = stages.secondRoundIngested();
      const run = runStateOf(d, [expertRun('Scone', 'retrying', { attempt: 2, startedAt: at(20), error: 'a long error line '.repeat(8) }), expertRun('Eclair', 'running', { startedAt: at(20) })]);
      return snapshotOf(d, { openRound: { n: 1, outputs: ['Muffin', 'Cupcake'], run: { state: run, alive: true } } });
    }],
    ['converged', () => snapshotOf(stages.converged())],
    ['abandoned', () => snapshotOf(stages.abandoned())],
    ['a title in another script', () => snapshotOf({ ...stages.scoredWithBlockers(), title: 'Нужен ли второй магазин? '.repeat(4).trim() })],
  ];

  it.each(all)('%s: no line wider than 72, 60 or 40 columns', (_name, make) => {
    for (const columns of [72, 60, 40]) {
      const lines = board(make(), columns);
      expect(widest(lines), `${columns} columns:\n${text(lines)}`).toBeLessThanOrEqual(columns);
    }
  });

  it.each(all)('%s: no more rows than the window has, less one', (_name, make) => {
    for (const rows of [40, 24, 16, 10]) {
      const lines = board(make(), 72, rows);
      expect(lines.length, `${rows} rows:\n${text(lines)}`).toBeLessThanOrEqual(rows - 1);
      expect(lines[0]).not.toBe('');
      expect(lines[lines.length - 1]).toMatch(/^q quits · updated /);
    }
  });

  it('a short window cuts the oldest events first, saying how many, and keeps the latest rounds', () => {
    const lines = board(snapshotOf(stages.converged()), 100, 30);
    expect(lines).toContain('Latest events');
    expect(text(lines)).toMatch(/ {2}… \d+ more\n/);
    expect(lines).toContain('  02:09:00Z R1  final verdict recorded, unanimous');
    // Shorter still: the blank rows go before the latest round and the convergence state do.
    const tiny = board(snapshotOf(stages.converged()), 100, 18);
    expect(tiny).toContain('  R1      28   26   24   22    100    169                             0     4/4 100%');
    expect(tiny).toContain('  ✓ converged: final verdict recorded');
    expect(tiny).toContain('Latest events');
  });
});

/** A terminal's streams as the view meets them: a TTY stdout with a size, a TTY stdin in raw mode. */
function fakeTerminal(columns: number, rows: number) {
  const stdout = Object.assign(new EventEmitter(), { isTTY: true, columns, rows, written: '', write(chunk: string) { stdout.written += chunk; return true; } });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    rawMode: false,
    setRawMode(on: boolean) { stdin.rawMode = on; return stdin; },
    setEncoding() { return stdin; },
    read: () => null as string | null,
    ref() { return stdin; },
    unref() { return stdin; },
    resume() { return stdin; },
    pause() { return stdin; },
  });
  const signals = new Set<() => void>();
  const terminal = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    color: false,
    onQuitSignal(listener: () => void) {
      signals.add(listener);
      return () => void signals.delete(listener);
    },
  } satisfies WatchTerminal;
  /** Types keys as a terminal in raw mode delivers them. */
  const type = (keys: string) => {
    stdin.read = (() => {
      let pending: string | null = keys;
      return () => {
        const value = pending;
        pending = null;
        return value;
      };
    })();
    stdin.emit('readable');
  };
  return { terminal, stdout, stdin, signals, type };
}

/** Snapshots fed by the test, ending when `stop` is called, as watchDialogue does. */
function feed() {
  const queue: WatchSnapshot[] = [];
  let wake: (() => void) | undefined;
  let stopped = false;
  const iterator: AsyncIterator<WatchSnapshot> = {
    async next() {
      while (!queue.length && !stopped) await new Promise<void>((resolve) => (wake = resolve));
      return stopped ? { done: true, value: undefined } : { done: false, value: queue.shift()! };
    },
  };
  return {
    iterator,
    push(snapshot: WatchSnapshot) {
      queue.push(snapshot);
      wake?.();
    },
    stop() {
      stopped = true;
      wake?.();
    },
    get stopped() {
      return stopped;
    },
  };
}


describe('the live view', () => {
  it('takes the alternate screen, draws each snapshot, lays out again on resize, quits on q and gives the terminal back', async () => {
    const { terminal, stdout, stdin, type } = fakeTerminal(100, 40);
    const snapshots = feed();
    const running = runWatchView(terminal, snapshotOf(stages.openRound()), snapshots.iterator, () => snapshots.stop(), { now: () => WATCH_NOW });
    await until('the first board', () => stdout.written.includes('Panel · round 0 (open · 0/4 outputs written'));
    expect(stdout.written.startsWith('\u001b[?1049h\u001b[2J\u001b[H')).toBe(true);
    expect(stdin.rawMode).toBe(true);

    snapshots.push(snapshotOf(stages.openRound(), { openRound: { n: 0, outputs: ['Muffin'] } }));
    await until('the next snapshot', () => stdout.written.includes('Panel · round 0 (open · 1/4 outputs written'));

    stdout.written = '';
    stdout.columns = 72;
    stdout.emit('resize');
    await until('the board at 72 columns', () => stdout.written.includes('Velocity') || stdout.written.includes('Convergence'));
    // The screen is cleared first: the terminal rewrapped what was there.
    expect(stdout.written.startsWith('\u001b[2J\u001b[H')).toBe(true);

    type('q');
    await running;
    expect(snapshots.stopped).toBe(true);
    expect(stdin.rawMode).toBe(false);
    expect(stdout.written.endsWith('\u001b[?1049l')).toBe(true);
    expect(stdout.listenerCount('resize')).toBe(0);
  });

  it('quits on Ctrl-C as a key, and on a signal when stdin is no terminal', async () => {
    const first = fakeTerminal(80, 30);
    const a = feed();
    const viaKey = runWatchView(first.terminal, snapshotOf(stages.noRounds()), a.iterator, () => a.stop());
    await until('the board', () => first.stdout.written.includes('Second shop?'));
    first.type('\u0003');
    await viaKey;
    expect(a.stopped).toBe(true);

    const second = fakeTerminal(80, 30);
    (second.stdin as { isTTY: boolean }).isTTY = false;
    const b = feed();
    const viaSignal = runWatchView(second.terminal, snapshotOf(stages.noRounds()), b.iterator, () => b.stop());
    await until('the board', () => second.stdout.written.includes('Ctrl-C quits'));
    expect(second.stdin.rawMode).toBe(false);
    for (const listener of [...second.signals]) listener();
    await viaSignal;
    expect(b.stopped).toBe(true);
    expect(second.signals.size).toBe(0);
    expect(second.stdout.written.endsWith('\u001b[?1049l')).toBe(true);
  });

  it('an error of the watch ends the view, restores the terminal, and is thrown', async () => {
    const { terminal, stdout } = fakeTerminal(80, 30);
    const failing: AsyncIterator<WatchSnapshot> = { next: async () => Promise.reject(new Error('the store went away')) };
    await expect(runWatchView(terminal, snapshotOf(stages.noRounds()), failing, () => undefined)).rejects.toThrow('the store went away');
    expect(stdout.written.endsWith('\u001b[?1049l')).toBe(true);
  });
});
