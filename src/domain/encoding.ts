// Text that is not UTF-8, as blue describes it: where it stops being UTF-8, and what blue reads its other
// bytes as. Pure; the workspace finds the bytes (workspace/text-encoding.ts).

/** Where a text stops being UTF-8. */
export interface NotUtf8 {
  /** The first line (from 1) that holds a byte that is not UTF-8. */
  line: number;
  /** That byte. */
  byte: number;
  /** How many lines hold such bytes. */
  lines: number;
}

/**
 * What bytes 0x80-0x9F stand for in Windows-1252 (what most text that is not UTF-8 is written in, and what
 * browsers read "Latin-1" as); 0xA0-0xFF are the code points of the same number. The five bytes it leaves
 * undefined are U+FFFD.
 */
const WINDOWS_1252_HIGH = '€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ';

/** The character Windows-1252 gives a byte of 0x80 or more. */
export function windows1252(byte: number): string {
  return byte < 0xa0 ? WINDOWS_1252_HIGH[byte - 0x80]! : String.fromCharCode(byte);
}

/** `0xE9`, as the messages name a byte. */
export function byteName(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** `line 3 (and 2 more lines) holds the byte 0xE9, which UTF-8 does not allow there`. */
export function whereNotUtf8(at: NotUtf8): string {
  const more = at.lines > 1 ? ` (and ${at.lines - 1} more line${at.lines > 2 ? 's' : ''})` : '';
  return `line ${at.line}${more} holds the byte ${byteName(at.byte)}, which UTF-8 does not allow there`;
}

/** What blue made of such a text: `blue read each such byte as Windows-1252 (Latin-1), 0xE9 as "é", and the rest as written`. */
export function readAsWindows1252(at: NotUtf8): string {
  return `blue read each such byte as Windows-1252 (Latin-1), ${byteName(at.byte)} as "${windows1252(at.byte)}", and the rest as written`;
}
