// toPlainJson gives what JSON.parse(JSON.stringify(value)) gives, and shares every part of `value` that is
// plain JSON already instead of copying it (every write of a dialogue passes through it).

import { describe, expect, it } from 'vitest';
import { canonicalJson, toPlainJson } from '../../src/domain/canonical.js';
import { createRng } from '../../src/domain/sampling.js';
import { ingest, open, score, start } from '../support/dialogue-factory.js';

/** A scored round with a perspective and a tension, as plain JSON. */
const played = () =>
  roundTrip(score(ingest(open(start()), { muffin: '[PERSPECTIVE P01: Cost]\nIt costs.\n[TENSION T01: Latency]\nSlow.\n' }))) as {
    rounds: Array<Record<string, unknown>>;
    events: unknown[];
    title: string;
  };

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** A value of JSON and of what JSON changes: undefined, NaN, -0, holes, functions, Dates, __proto__ keys. */
function anyValue(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 9 : 12));
  switch (pick) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return Math.floor(next() * 1000) - 500;
    case 3: return [NaN, Infinity, -Infinity, -0, 0.5][Math.floor(next() * 5)];
    case 4: return ['', 'plain', 'ü · é', '"quoted"\n', '\u{1F9C1}'][Math.floor(next() * 5)];
    case 5: return undefined;
    case 6: return () => 1;
    case 7: return new Date(Math.floor(next() * 1e12));
    case 8: return Symbol('s');
    case 9: {
      const array = Array.from({ length: Math.floor(next() * 4) }, () => anyValue(next, depth + 1));
      if (next() < 0.2) array.length += 1; // a hole at the end
      return array;
    }
    default: {
      const record: Record<string, unknown> = {};
      const keys = ['a', 'b', '2', '10', 'text', '__proto__', 'toString'];
      for (let i = Math.floor(next() * 4); i > 0; i--) {
        const key = keys[Math.floor(next() * keys.length)]!;
        Object.defineProperty(record, key, { value: anyValue(next, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return record;
    }
  }
}

describe('toPlainJson', () => {
  it('gives what a JSON round trip gives, member order included, on 2,000 random values', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const value = { v: anyValue(createRng(seed)) };
      const plain = toPlainJson(value);
      expect(plain, `seed ${seed}`).toEqual(roundTrip(value));
      expect(JSON.stringify(plain), `seed ${seed}`).toBe(JSON.stringify(value));
    }
  });

  it('returns a plain dialogue itself, sharing every part: nothing is copied', () => {
    const dialogue = played();
    expect(toPlainJson(dialogue)).toBe(dialogue);
  });

  it('copies only the objects on the way to what JSON changes', () => {
    const dialogue = played();
    const changed = { ...dialogue, rounds: dialogue.rounds.map((r, i) => (i === 0 ? { ...r, label: undefined } : r)) };
    const plain = toPlainJson(changed);
    expect(plain).toEqual(roundTrip(changed));
    expect('label' in plain.rounds[0]!).toBe(false);
    expect(plain.rounds).not.toBe(changed.rounds);
    expect(plain.rounds[0]).not.toBe(changed.rounds[0]);
    expect(plain.rounds.slice(1)).toEqual(changed.rounds.slice(1));
    plain.rounds.slice(1).forEach((r, i) => expect(r).toBe(changed.rounds[i + 1]));
    expect(plain.events).toBe(changed.events);
  });

  it('keeps "__proto__" an own member, as JSON.parse does, and writes -0 as 0', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "n": 1}') as Record<string, unknown>;
    value.gone = undefined;
    value.zero = -0;
    const plain = toPlainJson(value);
    expect(Object.keys(plain)).toEqual(['__proto__', 'n', 'zero']);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.is(plain.zero, 0)).toBe(true);
  });

  it('leaves out a member whose toJSON gives nothing, and writes it as null in an array, as JSON does', () => {
    const nothing = { toJSON: () => undefined };
    const value = { a: nothing, b: 1, list: [nothing, 2] };
    expect(toPlainJson(value)).toEqual(roundTrip(value));
    expect(toPlainJson(value)).toEqual({ b: 1, list: [null, 2] });
  });

  it('fails where JSON fails: a bigint, a bare undefined', () => {
    expect(() => toPlainJson({ n: 1n })).toThrow(TypeError);
    expect(() => toPlainJson(undefined)).toThrow(SyntaxError);
  });
});

/** canonicalJson as it was written first, with map, filter and join: the loops must write the same text. */
function canonicalJsonByMap(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJsonByMap).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJsonByMap(record[key])}`);
  return `{${members.join(',')}}`;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes what JSON.stringify writes for the rest', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 'x' }], a: null, u: undefined })).toBe('{"a":null,"b":[2,{"c":"x","d":1}]}');
  });

  it('writes the same text as its map-and-join form, on 2,000 random values (holes and undefined included)', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const value = anyValue(createRng(seed));
      expect(canonicalJson(value), `seed ${seed}`).toBe(canonicalJsonByMap(value));
    }
  });
});
