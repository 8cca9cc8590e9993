// Bytes read as text without losing any: UTF-8 where they are, Windows-1252 for each byte that is not, and
// where the first such byte stands.

import { describe, expect, it } from 'vitest';
import { decodeText, notTextReason } from '../../src/workspace/text-encoding.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeText', () => {
  it('reads UTF-8 as it is, a byte-order mark and every plane included, with nothing to say', () => {
    for (const text of ['', 'plain\n', '\uFEFF[PERSPECTIVE P01: Café]\n', '日本語 𠀀 😀 e\u0301']) expect(decodeText(Buffer.from(text, 'utf8'))).toEqual({ text });
  });

  it('reads each byte that is not UTF-8 as Windows-1252, keeps the UTF-8 around it, and names the first line', () => {
    expect(decodeText(bytes('[PERSPECTIVE P01: Caf', [0xe9], ']\nCo', [0xfb], 't\n'))).toEqual({ text: '[PERSPECTIVE P01: Café]\nCoût\n', notUtf8: { line: 1, byte: 0xe9, lines: 2 } });
    expect(decodeText(bytes('one\ntwo é\nthree ', [0x93, 0x71, 0x94], ' ', [0x80], '\n'))).toEqual({ text: 'one\ntwo é\nthree “q” €\n', notUtf8: { line: 3, byte: 0x93, lines: 1 } });
    // Undefined in Windows-1252; a sequence cut short at the end (a file still being written); an overlong
    // form, a surrogate, a code point past U+10FFFF: none is UTF-8.
    expect(decodeText(bytes([0x81]))).toEqual({ text: '\uFFFD', notUtf8: { line: 1, byte: 0x81, lines: 1 } });
    expect(decodeText(bytes('ok ', [0xe6, 0x97]))).toEqual({ text: 'ok æ—', notUtf8: { line: 1, byte: 0xe6, lines: 1 } });
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0xaf]]) {
      const decoded = decodeText(bytes('x', bad));
      expect(decoded.notUtf8, JSON.stringify(bad)).toMatchObject({ line: 1, byte: bad[0] });
      expect([...decoded.text].length).toBe(1 + bad.length); // every byte is a character: none lost
    }
  });

  it('agrees with Node on every text that is UTF-8', () => {
    const samples = ['a', 'é', '日', '😀', '\u0000', '\u07ff', '\u0800', '\uffff', '\u{10000}', '\u{10ffff}'];
    for (const s of samples) expect(decodeText(Buffer.from(s.repeat(3), 'utf8')).text).toBe(s.repeat(3));
  });
});

describe('notTextReason', () => {
  it('names UTF-16 and binary files, and nothing else', () => {
    expect(notTextReason(Buffer.from('\uFEFFhi', 'utf16le'))).toBe('it is UTF-16 text (it starts with a UTF-16 byte-order mark), and blue reads UTF-8');
    expect(notTextReason(bytes('line one\nline two\n', [0x7f, 0x45, 0x4c, 0x46, 0x00]))).toBe('it holds a NUL byte (line 3): it is a binary file (or UTF-16), not text');
    expect(notTextReason(bytes('Caf', [0xe9]))).toBeUndefined();
    expect(notTextReason(bytes(''))).toBeUndefined();
  });
});
