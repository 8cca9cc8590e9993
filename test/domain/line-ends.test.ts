// Text that git checked out with CRLF line ends is the same text as blue wrote with LF.

import { describe, expect, it } from 'vitest';
import { sameText, withLfLineEnds } from '../../src/domain/line-ends.js';

describe('line ends', () => {
  it('counts CRLF and LF line ends as the same text, and nothing else', () => {
    expect(sameText('a\nb\n', 'a\r\nb\r\n')).toBe(true);
    expect(sameText('a\r\nb\n', 'a\nb\r\n')).toBe(true);
    expect(sameText('a\nb\n', 'a\nb\n')).toBe(true);
    expect(sameText('a\nb\n', 'a\nc\n')).toBe(false);
    // A CR that ends no line is content, not a line end.
    expect(sameText('a\rb', 'ab')).toBe(false);
    expect(sameText('a\r\n', 'a\r\r\n')).toBe(false);
  });

  it('turns CRLF into LF and leaves other text as it is', () => {
    expect(withLfLineEnds('x\r\ny\r\n')).toBe('x\ny\n');
    expect(withLfLineEnds('x\ry')).toBe('x\ry');
    const plain = 'no carriage return';
    expect(withLfLineEnds(plain)).toBe(plain);
  });
});
