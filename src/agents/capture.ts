// Capturing a child's stdout or stderr without trusting it to stop: the first `limit` bytes are kept (stdout
// may become the expert's output, which is bounded by the same limit), then only a rolling tail, so that
// the log still shows how the stream ended. Everything past that is counted and dropped.

import { isUtf8 } from 'node:buffer';
import type { CapturedText } from './types.js';

/** How much of the end of an over-long stream is kept for the log. */
export const TAIL_BYTES = 16 * 1024;

export class BoundedCapture {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.limit - this.headBytes;
    if (room > 0) {
      const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.head.push(kept);
      this.headBytes += kept.length;
      if (kept.length === chunk.length) return;
      chunk = chunk.subarray(room);
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    // Drop whole chunks from the front while the rest still covers the tail; then cut the first.
    while (this.tailBytes - this.tail[0].length >= TAIL_BYTES) this.tailBytes -= this.tail.shift()!.length;
    if (this.tailBytes > TAIL_BYTES) {
      this.tail[0] = this.tail[0].subarray(this.tailBytes - TAIL_BYTES);
      this.tailBytes = TAIL_BYTES;
    }
  }

  result(): CapturedText {
    const truncated = this.total > this.headBytes;
    const head = Buffer.concat(this.head);
    return {
      text: head.toString('utf8'),
      bytes: this.total,
      truncated,
      tail: truncated ? Buffer.concat(this.tail).toString('utf8') : '',
      // The text lost what was not UTF-8 (U+FFFD): the bytes themselves, for stdout that becomes an output.
      ...(isUtf8(head) ? {} : { raw: head }),
    };
  }
}
