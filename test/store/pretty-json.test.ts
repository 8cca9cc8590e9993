// The store file's dialogue is written in pieces (pretty-json.ts); joined, they are byte for byte what
// JSON.stringify(value, null, 2) writes, so a store file is the same however it was written.

import { describe, expect, it } from 'vitest';
import { prettyJsonPieces } from '../../src/store/pretty-json.js';
import { toPlainJson } from '../../src/domain/canonical.js';
import { play, start } from '../support/dialogue-factory.js';

const joined = (value: unknown, element?: (key: string, item: unknown) => unknown) => [...prettyJsonPieces(value, element)].join('');

describe('prettyJsonPieces', () => {
  it('joins to JSON.stringify(value, null, 2) for every kind of JSON value, at every depth', () => {
    const values: unknown[] = [
      null, true, 0, -1.5e-7, '', 'ü "q" \n', [], {}, [[]], [{}], { a: [] }, { a: {} },
      { a: 1, b: [1, [2, [3, { c: 'd' }]]], e: { f: { g: { h: [] } } }, '': 'empty key', 'ü': 'é' },
      [1, 'two', null, { three: [3] }, [[[4]]]],
      { skipped: undefined, kept: 1, fn: () => 1, list: [1, 2] },
      { only: undefined },
    ];
    for (const value of values) expect(joined(value)).toBe(JSON.stringify(value, null, 2));
  });

  it('joins to the same text as JSON.stringify for a dialogue of two scored rounds', () => {
    const texts = { muffin: '[PERSPECTIVE P01: Cost]\nIt costs \u2014 a lot.\n[TENSION T01: Latency]\nSlow.\n', scone: '[PERSPECTIVE P01: Risk]\nRisky.\n' };
    const dialogue = toPlainJson(play(play(start(), { texts }), { texts }));
    expect(dialogue.rounds).toHaveLength(2);
    expect(joined(dialogue)).toBe(JSON.stringify(dialogue, null, 2));
  });

  it('is in pieces: no piece holds more than one element of a top-level list', () => {
    const value = { rounds: Array.from({ length: 50 }, (_, n) => ({ n, text: 'x'.repeat(1000) })) };
    const pieces = [...prettyJsonPieces(value)];
    expect(pieces.length).toBeGreaterThan(100);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(1100);
  });

  it('writes each element of a top-level list as element(key, item) says, and nothing deeper', () => {
    const value = { tensions: [{ text: 'a' }, { text: 'b' }], rounds: [{ tensions: [{ text: 'c' }] }] };
    const element = (key: string, item: unknown) => (key === 'tensions' ? { ...(item as object), text: [0, 1] } : item);
    const expected = { tensions: [{ text: [0, 1] }, { text: [0, 1] }], rounds: [{ tensions: [{ text: 'c' }] }] };
    expect(joined(value, element)).toBe(JSON.stringify(expected, null, 2));
  });
});
