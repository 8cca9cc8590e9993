// The process's standard streams, made on first use. Node builds each on first access, and that costs:
// stdin's stream some 4 ms, stdout's and stderr's some 2 ms each, paid by every command that touched them
// up front. Each write stream gets, when it is made, the quiet end on EPIPE: `blue ... | head` closes
// stdout early, and that ends the command, it is not a crash.

import { writeSync } from 'node:fs';

const guarded = new WeakSet<NodeJS.WriteStream>();
/** Whether blue has asked for stdout's stream (asking Node whether it exists would make it). */
let stdoutMade = false;

function quietOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (guarded.has(stream)) return stream;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
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
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (code !== 'EAGAIN') throw error;
      stdio.stdout.write(bytes.subarray(offset));
      return;
    }
  }
}
