// The marker reader under 10,000 generated files (a fixed seed, so a failure reproduces): it never throws,
// and no word of the input is lost. Every word appears in what the reader returns: an entry's id, label,
// targets or body, the text before the first marker, or a warning that quotes the marker it could not read.

import { describe, expect, it } from 'vitest';
import { readMarkers } from '../../src/domain/markers.js';
import { createRng } from '../../src/domain/sampling.js';

const NAMES = ['MUFFIN', 'Cupcake', 'scone', 'MUFIN', 'Croissant', 'Zed'];
const WORDS = ['alpha', 'beta', 'ledger', 'shard', 'because', 'and', 'the', 'Graph', 'p99', 'R2', 'pre-T01'];

function generate(rng: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
  const num = () => String(1 + Math.floor(rng() * 12)).padStart(2, '0');
  const id = () =>
    pick([
      () => `T${num()}`,
      () => `P${num()}`,
      () => `${pick(NAMES)}-T${num()}`,
      () => `${pick(NAMES)} R${1 + Math.floor(rng() * 3)}-T${num()}`,
      () => `${pick(NAMES)}-P0${1 + Math.floor(rng() * 3)}${num()}`,
      () => `T0${Math.floor(rng() * 3)}${num()}`,
      () => `@${pick(NAMES).toLowerCase()}`,
      () => pick(WORDS),
    ])();
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const marker = () =>
    pick([
      () => `[PERSPECTIVE ${id()}: ${words(2)}]`,
      () => `[TENSION ${id()}: ${words(2)}]`,
      () => `[RESOLVED ${id()}${rng() < 0.5 ? `, ${id()}` : ''}${rng() < 0.3 ? ` ${words(1)}` : ''}${rng() < 0.5 ? `: ${words(2)}` : ''}]`,
      () => `[RESOLVED: ${id()} (${words(2)})]`,
      () => `[REFINEMENT: ${words(3)}]`,
      () => `[CONCESSION: ${words(2)}]`,
      () => `[MOVE:${pick(['CONVERGE', 'DEFEND', 'CHALLENGE', 'BRIDGE', 'JUMP'])}${rng() < 0.6 ? ` ${id()}` : ''}]`,
      () => `[RE:${pick(['SUPPORT', 'OPPOSE', 'REFINE', 'ADDRESS', 'RESOLVE', 'WAVE'])} ${id()}${rng() < 0.4 ? ` ${id()}` : ''}${rng() < 0.3 ? `: ${words(1)}` : ''}]`,
      () => `[${pick(NAMES)}-${pick(['P', 'T', 'R', 'E', 'C'])}01${num()}: ${words(2)}]`,
      () => `[DISSENT${rng() < 0.5 ? `: ${words(2)}` : ''}]`,
      () => `[MINORITY VERDICT: ${words(2)}]`,
      () => `[NOTE: ${words(2)}]`,
      () => `[${words(1)}`,
      () => `[ ] ${words(1)}`,
      () => `[link](${words(1)})`,
    ])();
  const prefix = () => pick(['', '', '- ', '## ', '**', '1. ', '  ']);
  const lines: string[] = [];
  const count = 1 + Math.floor(rng() * 12);
  for (let i = 0; i < count; i++) {
    const kind = rng();
    if (kind < 0.45) {
      const p = prefix();
      const closing = p === '**' ? '**' : '';
      lines.push(`${p}${marker()}${closing}${rng() < 0.3 ? ` ${marker()}` : ''}${rng() < 0.4 ? ` ${words(2)}` : ''}`);
    } else if (kind < 0.75) lines.push(words(1 + Math.floor(rng() * 5)));
    else if (kind < 0.85) lines.push('');
    else if (kind < 0.9) lines.push(pick(['---', '```', '~~~']));
    else lines.push(`${words(1)} [RESOLVED ${id()}] ${words(1)}`);
  }
  return lines.join(pick(['\n', '\r\n']));
}

/**
 * The markers' own keywords (what they say is carried by an entry's type and kind) and the connector "and"
 * between ids: syntax, not words. So is a list item's number, which is stripped before counting.
 */
const KEYWORDS = new Set(['perspective', 'tension', 'resolved', 'refinement', 'concession', 'move', 're', 'dissent', 'minority', 'verdict', 'converge', 'defend', 'challenge', 'bridge', 'support', 'oppose', 'refine', 'address', 'resolve', 'and']);

describe('the marker reader under generated input', () => {
  it('never throws and drops no word, on 10,000 files', () => {
    const rng = createRng(20261201);
    const dropped: Array<{ input: string; word: string }> = [];
    for (let i = 0; i < 10_000; i++) {
      const input = generate(rng);
      const reading = readMarkers(input); // a throw fails the test, with the input in the stack
      const said = JSON.stringify(reading).toLowerCase();
      for (const word of new Set(input.replace(/^[ \t]*\d+[.)][ \t]+/gm, '').toLowerCase().match(/[a-z0-9@]+/g) ?? [])) {
        if (!KEYWORDS.has(word) && !said.includes(word)) dropped.push({ input, word });
      }
    }
    expect(dropped.slice(0, 5)).toEqual([]);
    expect(dropped).toHaveLength(0);
  });
});
