// Names and text from the judge and the pool reach prompts and record headings: never with a line break.

import { describe, expect, it } from 'vitest';
import { dialogueId } from '../../src/domain/ids.js';
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
