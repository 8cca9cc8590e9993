// Names and text from the judge and the pool reach prompts and record headings: never with a line break.

import { describe, expect, it } from 'vitest';
import { dialogueId, matchDialogueId } from '../../src/domain/ids.js';
import { parsePool } from '../../src/domain/pool.js';
import { parsePanelFile } from '../../src/domain/panel.js';
import { createRng } from '../../src/domain/sampling.js';
import { isDialogueId } from '../../src/store/summary.js';
import { BlueError } from '../../src/domain/errors.js';

const at = new Date('2026-03-01T09:30:00Z');
const pool = (role: string, focus?: string) => ({
  domain: 'D',
  experts: Array.from({ length: 8 }, (_, i) => ({ role: i === 0 ? role : `Role ${i}`, tier: 'core', relevance: 0.5, ...(i === 0 && focus ? { focus } : {}) })),
});

describe('titles', () => {
  it('in any script make a valid slug that keeps their letters', () => {
    for (const [title, slug] of [
      ['Нужен ли нам второй магазин?', 'нужен-ли-нам-второй-магазин'],
      ['要不要开第二家店', '要不要开第二家店'],
      ['Café crème: oui?', 'café-crème-oui'],
      ['Should we shard the ledger?', 'should-we-shard-the-ledger'],
    ]) {
      const id = dialogueId(at, title);
      expect(id).toBe(`2026-03-01T0930Z-${slug}`);
      expect(isDialogueId(id)).toBe(true);
    }
  });

  it('are told apart from other names the same way whether they are ASCII or not (the ASCII pattern is a shortcut)', () => {
    const full = /^\d{4}-\d{2}-\d{2}T\d{4}Z-[\p{L}\p{N}\p{M}]+(?:-[\p{L}\p{N}\p{M}]+)*$/u;
    const pieces = ['2026-03-01T0930Z-', 'a', 'Z', '9', '-', '--', '_', ' ', '.', 'é', '\u0301', 'я', '/', '\n', 'T', '0'];
    const next = createRng(7);
    for (let i = 0; i < 5000; i++) {
      let name = next() < 0.8 ? '2026-03-01T0930Z-' : '';
      for (let n = Math.floor(next() * 6); n >= 0; n--) name += pieces[Math.floor(next() * pieces.length)];
      expect(isDialogueId(name), JSON.stringify(name)).toBe(full.test(name));
    }
    expect(isDialogueId('2026-03-01T0930Z-Café-crème')).toBe(true);
    expect(isDialogueId('2026-03-01T0930Z-cache--strategy')).toBe(false);
  });

  it('of any script up to 120 characters make an id that fits a folder name (255 bytes), cut at a whole character', () => {
    const fits = (id: string) => expect(new TextEncoder().encode(id).length).toBeLessThanOrEqual(255);
    // 3 bytes a letter: 120 of them would be 360 bytes of slug; the first 79 fit (17 + 237 bytes).
    for (const n of [79, 80, 100, 120]) {
      const id = dialogueId(at, '日'.repeat(n));
      expect(isDialogueId(id), `${n}`).toBe(true);
      fits(id);
      expect(id).toBe(`2026-03-01T0930Z-${'日'.repeat(79)}`);
    }
    const latin = dialogueId(at, 'é'.repeat(120));
    expect(latin).toBe(`2026-03-01T0930Z-${'é'.repeat(119)}`);
    // A cut never leaves a trailing '-', a letter without its vowel sign, or half a surrogate pair.
    const words = dialogueId(at, Array.from({ length: 40 }, () => '日本').join(' '));
    expect(words.endsWith('-')).toBe(false);
    expect(isDialogueId(words)).toBe(true);
    const devanagari = dialogueId(at, 'कि'.repeat(60)); // two code points, 6 bytes, one character each
    expect(devanagari).toBe(`2026-03-01T0930Z-${'कि'.repeat(39)}`);
    const astral = dialogueId(at, '𠀀'.repeat(100));
    expect(astral).toBe(`2026-03-01T0930Z-${'𠀀'.repeat(59)}`);
    expect(isDialogueId(astral)).toBe(true);
    // One grapheme longer than the room is cut between its code points rather than lost.
    const heavy = dialogueId(at, `a${'\u20d0'.repeat(119)}`);
    expect(heavy).toBe(`2026-03-01T0930Z-a${'\u20d0'.repeat(79)}`);
    expect(isDialogueId(heavy)).toBe(true);
    // A title that fits keeps its slug whole: the rule CLI.md gives is unchanged there.
    expect(dialogueId(at, 'x'.repeat(120))).toBe(`2026-03-01T0930Z-${'x'.repeat(120)}`);
  });

  it('cut to fit are found by their id, a prefix, their slug, and the slug of the whole title', () => {
    const a = dialogueId(at, '日'.repeat(120));
    const b = dialogueId(new Date('2026-03-02T09:30:00Z'), '月'.repeat(120));
    const ids = [a, b];
    expect(matchDialogueId(ids, a)).toEqual({ kind: 'one', id: a });
    expect(matchDialogueId(ids, '2026-03-01')).toEqual({ kind: 'one', id: a });
    expect(matchDialogueId(ids, '日'.repeat(79))).toEqual({ kind: 'one', id: a });
    expect(matchDialogueId(ids, '日'.repeat(10))).toEqual({ kind: 'one', id: a });
    // What the judge would make of the title by CLI.md's rule, and the id that would give.
    expect(matchDialogueId(ids, '月'.repeat(120))).toEqual({ kind: 'one', id: b });
    expect(matchDialogueId(ids, `2026-03-02T0930Z-${'月'.repeat(120)}`)).toEqual({ kind: 'one', id: b });
    expect(matchDialogueId(ids, '星'.repeat(120))).toEqual({ kind: 'none' });
  });

  it('refuses a title with a line break, or one too long, with a short message', () => {
    expect(() => dialogueId(at, 'One\nTwo')).toThrow(/the title is one line/);
    const long = 'x'.repeat(240);
    let error: unknown;
    try {
      dialogueId(at, long);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BlueError);
    expect((error as BlueError).message).toBe("the title is 240 characters; keep it to 120 (it becomes the dialogue's id and folder name)");
  });
});

describe('roles and focus', () => {
  it('refuses a role with a line break in a pool or a panel, and folds a focus onto one line', () => {
    expect(() => parsePool(pool('Architect\n# Injected heading'), 'pool.yaml')).toThrow(/experts\[0\]\.role is one line/);
    expect(parsePool(pool('Architect', 'Latency\nand cost'), 'pool.yaml').experts[0].focus).toBe('Latency and cost');
    expect(() => parsePanelFile([{ role: 'A\u2028B', source: 'pool' }], 'panel.yaml')).toThrow(/panel\[0\]\.role is one line/);
    expect(parsePanelFile([{ role: 'A', source: 'pool', focus: 'one\r\ntwo' }], 'panel.yaml')[0].focus).toBe('one two');
  });
});
