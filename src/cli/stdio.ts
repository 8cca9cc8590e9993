// The process's standard streams, made on first use. Node builds each on first access, and that costs:
// stdin's stream some 4 ms, stdout's and stderr's some 2 ms each, paid by every command that touched them
// up front. Each write stream gets, when it is made, the quiet end when its reader has gone: `blue ... |
// head` closes stdout early, and that ends the command, it is not a crash.

import { writeSync } from 'node:fs';

const guarded = new WeakSet<NodeJS.WriteStream>();
/** Whether blue has asked for stdout's stream (asking Node whether it exists would make it). */
let stdoutMade = false;
/** Whether the command is one that stops its work itself (round run): then a reader gone does not end it. */
let stopsItself = false;

/** EPIPE: a pipe whose reader closed it. EIO: a terminal that hung up (a closed window, a dropped SSH session). */
function readerGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EPIPE' || code === 'EIO';
}

/**
 * The reader of stdout or stderr has gone: the command ends quietly, with the exit code it has so far.
 * Not a command that stops its work itself: its output goes nowhere from now on, and it ends as it would
 * have, on its own or on the signal that came with the hang-up (SIGHUP), its agents stopped first.
 */
function onReaderGone(): void {
  if (!stopsItself) process.exit(process.exitCode ?? 0);
}

/** Called once a command has taken Ctrl-C, SIGTERM and SIGHUP to stop itself (src/cli/main.ts). */
export function outputMayGoAway(): void {
  stopsItself = true;
}

function quietOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (guarded.has(stream)) return stream;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // Node destroys the stream on the error, and later writes to it are dropped without another.
    if (readerGone(error)) return onReaderGone();
    throw error;
  });
  return stream;
}

export const stdio = {
  get stdout(): NodeJS.WriteStream {
    stdoutMade = true;
    return quietOnClosedPipe(process.stdout);
  },
  get stderr(): NodeJS.WriteStream {
    return quietOnClosedPipe(process.stderr);
  },
  get stdin(): NodeJS.ReadStream {
    return process.stdin;
  },
};

/**
 * A command's answer on stdout. Written to the file descriptor itself, as Node's own stream would on a
 * file, a pipe or a terminal, so that a command that prints one answer never loads Node's streams (some
 * 4 ms). Once the stream has been made, or the descriptor would block, the stream takes over, in order.
 */
export function writeAnswer(text: string): void {
  if (stdoutMade) {
    stdio.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if (readerGone(error)) return onReaderGone();
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      stdio.stdout.write(bytes.subarray(offset));
      return;
    }
  }
}
