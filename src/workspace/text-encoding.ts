// Reading bytes as text without losing any. blue reads UTF-8; Node's decoder turns every byte that is not
// UTF-8 into U+FFFD without a word, which loses what the writer meant (`Caf\xe9`, Latin-1 for `Café`) and
// hides that it happened. Here the bytes that are UTF-8 are read as UTF-8, and the caller is told where
// the first one that is not stands, so that it can refuse the file (a judge's input) or say what it read
// (an expert's output, whose other bytes are worth keeping).

import { isUtf8 } from 'node:buffer';
import { whereNotUtf8, windows1252, type NotUtf8 } from '../domain/encoding.js';
import { badInput, type BlueError } from '../domain/errors.js';

export type { NotUtf8 };

/** Text read from bytes, and where its bytes were not UTF-8, if anywhere. */
export interface Decoded {
  text: string;
  notUtf8?: NotUtf8;
}

/** The length of the UTF-8 sequence that starts at `i` (1 to 4), or 0 when none starts there. */
function sequenceAt(b: Uint8Array, i: number): number {
  const first = b[i]!;
  if (first < 0x80) return 1;
  const follows = (k: number, low = 0x80, high = 0xbf) => i + k < b.length && b[i + k]! >= low && b[i + k]! <= high;
  if (first >= 0xc2 && first <= 0xdf) return follows(1) ? 2 : 0;
  // No overlong forms, no surrogates (ED A0-BF), nothing past U+10FFFF: UTF-8 as the standard has it.
  if (first >= 0xe0 && first <= 0xef) return follows(1, first === 0xe0 ? 0xa0 : 0x80, first === 0xed ? 0x9f : 0xbf) && follows(2) ? 3 : 0;
  if (first >= 0xf0 && first <= 0xf4) return follows(1, first === 0xf0 ? 0x90 : 0x80, first === 0xf4 ? 0x8f : 0xbf) && follows(2) && follows(3) ? 4 : 0;
  return 0;
}

/**
 * `bytes` as text: UTF-8 where they are UTF-8, each other byte read as Windows-1252 (so `Caf\xe9` is
 * `Café`, and no byte is dropped), and where the first such byte stands. A text that is all UTF-8, the
 * usual case, is decoded at native speed and has no `notUtf8`.
 */
export function decodeText(bytes: Uint8Array): Decoded {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (isUtf8(buffer)) return { text: buffer.toString('utf8') };
  let text = '';
  let run = 0;
  let line = 1;
  let notUtf8: NotUtf8 | undefined;
  let lastBadLine = 0;
  for (let i = 0; i < buffer.length; ) {
    const length = sequenceAt(buffer, i);
    if (length > 0) {
      if (buffer[i] === 0x0a) line++;
      i += length;
      continue;
    }
    text += buffer.toString('utf8', run, i) + windows1252(buffer[i]!);
    if (!notUtf8) notUtf8 = { line, byte: buffer[i]!, lines: 0 };
    if (lastBadLine !== line) {
      notUtf8.lines++;
      lastBadLine = line;
    }
    run = ++i;
  }
  return { text: text + buffer.toString('utf8', run), notUtf8: notUtf8! };
}

/**
 * Why `bytes` are not text blue reads, when they are not: UTF-16 (its byte-order mark; Windows editors save
 * "Unicode" so), or a NUL byte, which no text file holds (a binary file, or UTF-16 without its mark).
 */
export function notTextReason(bytes: Uint8Array): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return 'it is UTF-16 text (it starts with a UTF-16 byte-order mark), and blue reads UTF-8';
  }
  const nul = bytes.indexOf(0);
  if (nul === -1) return undefined;
  let line = 1;
  for (let i = 0; i < nul; i++) if (bytes[i] === 0x0a) line++;
  return `it holds a NUL byte (line ${line}): it is a binary file (or UTF-16), not text`;
}

/**
 * A judge's file that is not UTF-8 (exit 2): `what` names it (`pool file pool.yaml`), with its first line that
 * is not, and how to save it.
 */
export function notUtf8Input(what: string, file: string, at: NotUtf8): BlueError {
  return badInput('not_utf8', `${what} is not UTF-8: ${whereNotUtf8(at)} (Latin-1 or Windows-1252 text?); save it as UTF-8 and run the same command again`, {
    file,
    line: at.line,
    fix: `save ${file} as UTF-8 (in most editors: Save with Encoding, UTF-8; or iconv -f WINDOWS-1252 -t UTF-8), then run the same command again`,
  });
}
