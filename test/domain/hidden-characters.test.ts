// The characters no reader sees as written (control characters but tab and the line breaks, the bidi
// embedding, override and isolate controls): where the first stands, how it is named, how the Markdown
// and JSON files show it, and the error a judge's value gets.

import { describe, expect, it } from 'vitest';
import {
  codePointName,
  escapeHiddenCharactersInJson,
  findHiddenCharacter,
  hasHiddenCharacters,
  hiddenCharacterInData,
  hiddenCharacterInFile,
  refuseHiddenCharacters,
  showHiddenCharacters,
} from '../../src/domain/hidden-characters.js';
import { blueError } from '../support/dialogue-factory.js';

/** Every code point that is hidden: C0 but tab, LF and CR; DEL; C1; the nine bidi controls. */
const HIDDEN = [
  ...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
];

describe('hidden characters', () => {
  it('are the controls but tab and the line breaks, and the bidi controls; marks and other text are not', () => {
    for (const c of HIDDEN) expect(hasHiddenCharacters(`a${String.fromCodePoint(c)}b`), codePointName(c)).toBe(true);
    // Tab, LF, CR; the directional marks (LRM, RLM, ALM); U+2028; a BOM, a zero-width joiner; Arabic and Hebrew.
    expect(hasHiddenCharacters('a\tb\r\nc\rd \u200e \u200f \u061c \u2028 \ufeff 👩\u200d💻 مرحبا שלום é')).toBe(false);
  });

  it('the first is found with its line, its column and how many lines hold one', () => {
    expect(findHiddenCharacter('plain\ntext')).toBeUndefined();
    expect(findHiddenCharacter('ab\u202e')).toEqual({ codePoint: 0x202e, line: 1, column: 3, lines: 1 });
    expect(findHiddenCharacter('one\ntwo \u001b[2J \u0007\nthree\n\u202efour\n')).toEqual({ codePoint: 0x1b, line: 2, column: 5, lines: 2 });
    expect(findHiddenCharacter('\r\n\r\n\u0000')).toEqual({ codePoint: 0, line: 3, column: 1, lines: 1 });
  });

  it('are named by their number, and by their name where a message meets them often', () => {
    expect(codePointName(0x202e)).toBe('U+202E (right-to-left override)');
    expect(codePointName(0x2069)).toBe('U+2069 (pop directional isolate)');
    expect(codePointName(0x1b)).toBe('U+001B (escape)');
    expect(codePointName(0x03)).toBe('U+0003');
  });

  it('the Markdown files show each as an escape, and leave tabs, line breaks and text without them as they are', () => {
    expect(showHiddenCharacters('costs \u001b[2J\u0007 del\u007f c1\u009b \u202eevil\u202c')).toBe('costs \\u{001B}[2J\\u{0007} del\\u{007F} c1\\u{009B} \\u{202E}evil\\u{202C}');
    const plain = 'a\tb\r\nc\u200f';
    expect(showHiddenCharacters(plain)).toBe(plain);
  });

  it('the JSON export writes each as a JSON escape: the same data once parsed', () => {
    const data = { label: 'a\u007f\u0085\u009b\u202e\u2066b', tab: '\t' };
    const json = escapeHiddenCharactersInJson(JSON.stringify(data, null, 2));
    expect(hasHiddenCharacters(json)).toBe(false);
    expect(json).toContain('"label": "a\\u007f\\u0085\\u009b\\u202e\\u2066b"');
    expect(JSON.parse(json)).toEqual(data);
  });
});

describe("the judge's text that holds one is refused (exit 2 hidden_character)", () => {
  it('an option, named with the character and where it stands', () => {
    expect(() => refuseHiddenCharacters({ '--label': 'graduated rotation', '--note': undefined, '--source': ['a.md'] })).not.toThrow();
    const error = blueError(() => refuseHiddenCharacters({ '--label': 'ok', '--source': ['a.md', 'b\u202e.md'] }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('hidden_character');
    expect(error.message).toMatch(/^--source holds U\+202E \(right-to-left override\) at character 2: a bidi control/);
    expect(error.details).toMatchObject({ option: '--source', code_point: 'U+202E (right-to-left override)' });
    expect(blueError(() => refuseHiddenCharacters({ '--reason': 'a\nb \u0007' })).message).toMatch(/^--reason holds U\+0007 \(bell\) at line 2, character 3: a control character/);
  });

  it('a file, named with its line; a parsed value, named by its place in the document', () => {
    expect(hiddenCharacterInFile('summary file s.md', 's.md', 'a\r\n\tb\r\n')).toBeUndefined();
    const inFile = hiddenCharacterInFile('summary file s.md', 's.md', 'a\nb \u001b[1m\nc\u202e\n')!;
    expect(inFile.code).toBe('hidden_character');
    expect(inFile.message).toMatch(/^summary file s\.md holds U\+001B \(escape\) on line 2 \(and 1 more line\): a control character/);
    expect(inFile.details).toMatchObject({ file: 's.md', line: 2 });
    expect(inFile.details.fix).toContain("grep -nP '[");
    const inData = hiddenCharacterInData('pool file p.yaml', 'p.yaml', { domain: 'x', experts: [{ role: 'a' }, { role: 'b\u2067c' }] })!;
    expect(inData.message).toMatch(/^pool file p\.yaml: experts\[1\]\.role holds U\+2067 \(right-to-left isolate\) \(written as an escape\)/);
    expect(inData.details).toMatchObject({ file: 'p.yaml', field: 'experts[1].role' });
    expect(hiddenCharacterInData('pool file p.yaml', 'p.yaml', { experts: [{ role: 'a', relevance: 0.5 }] })).toBeUndefined();
  });
});
