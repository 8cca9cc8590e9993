// `blue dialogue show <id> --watch` on a terminal: the board of watch-layout.ts, drawn again for every
// snapshot the watch use case (app/watch.ts) yields, every second while a round run is running (its times
// tick), and on every resize. It takes the alternate screen, like other full-window terminal tools, so
// quitting (q, or Ctrl-C) gives back the terminal exactly as it was.

import { render, useApp, useInput, useStdin, useStdout } from 'ink';
import type { WatchSnapshot } from '../app/watch.js';
import { watchModel } from '../render/watch.js';
import { watchLines } from './watch-layout.js';
import { Lines, useScreenSize, useTick } from './terminal.js';

/** The terminal the view takes over: stdout must be a TTY; keys are read only when stdin is one too. */
export interface WatchTerminal {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  color: boolean;
  /** Calls `listener` on SIGINT, SIGTERM or SIGHUP until the function it returns is called. */
  onQuitSignal(listener: () => void): () => void;
}

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
/** Erase the whole screen and put the cursor at its top left. */
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/**
 * Shows `first`, then each snapshot of `rest`, until the user quits; then stops the watch (`stop`, which
 * aborts it so that its stores close), waits for it to end and gives the terminal back. An error the watch
 * throws ends the view and is thrown here, after the terminal is restored.
 */
export async function runWatchView(
  terminal: WatchTerminal,
  first: WatchSnapshot,
  rest: AsyncIterator<WatchSnapshot>,
  stop: () => void,
  options: { now?: () => number } = {},
): Promise<void> {
  const now = options.now ?? Date.now;
  const keys = terminal.stdin.isTTY === true;
  const view = (snapshot: WatchSnapshot) => <LiveWatch snapshot={snapshot} now={now} color={terminal.color} keys={keys} />;
  // The alternate screen keeps the cursor where it was on the main one: draw from the top left.
  terminal.stdout.write(ENTER_ALTERNATE_SCREEN + CLEAR_SCREEN);
  // A terminal rewraps what is on its screen when its width changes, and ink erases only the lines it
  // wrote: start each resize from a clear screen (this listener runs before ink's, which redraws).
  const clearScreen = () => terminal.stdout.write(CLEAR_SCREEN);
  terminal.stdout.on('resize', clearScreen);
  const instance = render(view(first), { stdout: terminal.stdout, stdin: terminal.stdin, patchConsole: false, exitOnCtrlC: false });
  let failure: unknown;
  let ended = false;
  const quit = () => {
    if (ended) return;
    ended = true;
    stop();
    instance.unmount();
  };
  // Without a keyboard (stdin not a terminal) Ctrl-C arrives as a signal; so does a kill or a closed window.
  const unsubscribe = terminal.onQuitSignal(quit);
  const pump = (async () => {
    try {
      for (let next = await rest.next(); !next.done && !ended; next = await rest.next()) instance.rerender(view(next.value));
    } catch (error) {
      failure = error;
    } finally {
      quit();
    }
  })();
  try {
    await instance.waitUntilExit();
  } finally {
    quit();
    await pump;
    unsubscribe();
    terminal.stdout.off('resize', clearScreen);
    terminal.stdout.write(LEAVE_ALTERNATE_SCREEN);
  }
  if (failure !== undefined) throw failure;
}

function LiveWatch({ snapshot, now, color, keys }: { snapshot: WatchSnapshot; now: () => number; color: boolean; keys: boolean }) {
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const { exit } = useApp();
  const { columns, rows } = useScreenSize(stdout);
  const reading = keys && isRawModeSupported;
  useInput(
    (input, key) => {
      if (input === 'q' || input === 'Q' || key.escape || (key.ctrl && input === 'c')) exit();
    },
    { isActive: reading },
  );
  // A round run in another process: its experts' times move on between snapshots.
  const run = snapshot.openRound?.run;
  useTick(run !== undefined && run.alive);
  return <WatchView snapshot={snapshot} nowMs={now()} columns={columns} rows={rows} color={color} keys={reading} />;
}

export interface WatchViewProps {
  snapshot: WatchSnapshot;
  nowMs: number;
  columns: number;
  rows: number;
  color?: boolean;
  /** Whether `q` quits (stdin is a terminal), or only Ctrl-C. */
  keys?: boolean;
}

/** The board at one moment: what the live view shows, and what the tests render. */
export function WatchView({ snapshot, nowMs, columns, rows, color = true, keys = true }: WatchViewProps) {
  const lines = watchLines(watchModel(snapshot, nowMs), { columns, rows, keys });
  return <Lines lines={lines} color={color} />;
}
