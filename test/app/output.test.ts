// What src/cli/output.ts decides for every line a person reads: whether colour is allowed, and what of a
// text reaches the terminal (domain/values.ts printableLines, the one way).

import { describe, expect, it } from 'vitest';
import { colorAllowed, jsonText, nextHint } from '../../src/cli/output.js';
import { printable, printableLines } from '../../src/domain/values.js';

describe('colour', () => {
  it('is allowed unless --no-color, or a NO_COLOR that is set to something (no-color.org)', () => {
    expect(colorAllowed(undefined, {})).toBe(true);
    expect(colorAllowed(true, {})).toBe(true);
    expect(colorAllowed(undefined, { NO_COLOR: '' })).toBe(true); // present but empty: no request
    expect(colorAllowed(undefined, { NO_COLOR: '1' })).toBe(false);
    expect(colorAllowed(undefined, { NO_COLOR: '0' })).toBe(false); // any value counts, even 0
    expect(colorAllowed(false, {})).toBe(false);
    expect(colorAllowed(false, { NO_COLOR: '' })).toBe(false);
  });
});

describe('text for a terminal', () => {
  it('keeps the line breaks and draws every other control character as one space, widths kept', () => {
    expect(printableLines('bad \u001b[2J\u001b]0;PWNED\u0007 tail\r\nnext\tline\u009b\u2028')).toBe('bad  [2J ]0;PWNED  tail \nnext line  ');
    expect(printableLines('plain text\nof two lines')).toBe('plain text\nof two lines');
    // The bidi controls too; a directional mark and right-to-left letters are text.
    expect(printableLines('costs \u202eevil\u202c \u2067iso\u2069 \u200fשלום')).toBe('costs  evil   iso  \u200fשלום');
    // One way: a line is what printable makes of it, as the live views draw it.
    expect(printableLines('a\u001bb\nc\u0007d')).toBe(`${printable('a\u001bb')}\n${printable('c\u0007d')}`);
  });

  it('a JSON answer writes C1 and bidi controls as escapes, as JSON.stringify writes C0: the same data', () => {
    const value = { label: 'csi\u009b \u202eevil\u2069 esc\u001b tab\t', mark: '\u200f' };
    const text = jsonText(value);
    expect(text).toContain('"label": "csi\\u009b \\u202eevil\\u2069 esc\\u001b tab\\t"');
    expect(text).toContain('"mark": "\u200f"');
    expect(JSON.parse(text)).toEqual(value);
    expect(jsonText({ a: 'plain' })).toBe(`${JSON.stringify({ a: 'plain' }, null, 2)}\n`);
  });

  it('makes the next-step hints safe too: they quote what the judge and the files gave', () => {
    expect(nextHint([{ command: "blue dialogue round run x --agent 'printf \u001b[2J'", why: 'the same agent\u0007' }])).toBe(
      "Next: blue dialogue round run x --agent 'printf  [2J'\n      # the same agent \n",
    );
  });
});
