import { describe, expect, it } from 'vitest';
import {
  PASTRY_NAMES,
  PASTRY_NAME_FORM,
  fileStem,
  isPastryName,
  nextFreeName,
  normaliseName,
  pastryIndex,
  pastryName,
} from '../../src/domain/names.js';

describe('PASTRY_NAMES', () => {
  it('lists the contract’s twenty names in its order', () => {
    expect(PASTRY_NAMES).toEqual([
      'Muffin', 'Cupcake', 'Scone', 'Eclair', 'Donut', 'Brioche', 'Croissant', 'Macaron', 'Cannoli', 'Strudel',
      'Beignet', 'Churro', 'Profiterole', 'Tartlet', 'Galette', 'Palmier', 'Kouign', 'Sfogliatella', 'Financier',
      'Religieuse',
    ]);
  });

  it('describes the valid form for error messages', () => {
    expect(PASTRY_NAME_FORM).toContain('Muffin, Cupcake');
    expect(PASTRY_NAME_FORM).toContain('Religieuse, then Pastry21, Pastry22, ...');
  });
});

describe('pastryName', () => {
  it('runs through the list, then Pastry21, Pastry22, ...', () => {
    expect(pastryName(0)).toBe('Muffin');
    expect(pastryName(13)).toBe('Tartlet');
    expect(pastryName(19)).toBe('Religieuse');
    expect(pastryName(20)).toBe('Pastry21');
    expect(pastryName(21)).toBe('Pastry22');
    expect(pastryName(99)).toBe('Pastry100');
  });

  it('rejects a position that is not a non-negative integer', () => {
    expect(() => pastryName(-1)).toThrow(RangeError);
    expect(() => pastryName(1.5)).toThrow(RangeError);
  });

  it('is the inverse of pastryIndex', () => {
    for (let i = 0; i < 60; i++) expect(pastryIndex(pastryName(i))).toBe(i);
  });
});

describe('normaliseName', () => {
  it.each([
    ['muffin', 'Muffin'],
    ['MUFFIN', 'Muffin'],
    ['  eClAiR ', 'Eclair'],
    ['sfogliatella', 'Sfogliatella'],
    ['pastry21', 'Pastry21'],
    ['PASTRY021', 'Pastry21'],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('capitalises input that is not a pastry name, so messages show it as it would be used', () => {
    expect(normaliseName('bAGUETTE')).toBe('Baguette');
  });
});

describe('isPastryName', () => {
  it('accepts listed names and Pastry21 onwards in any case', () => {
    for (const name of PASTRY_NAMES) {
      expect(isPastryName(name)).toBe(true);
      expect(isPastryName(name.toUpperCase())).toBe(true);
    }
    expect(isPastryName('pastry21')).toBe(true);
    expect(isPastryName('Pastry250')).toBe(true);
  });

  it('rejects other names, and Pastry1..Pastry20 whose places belong to the listed names', () => {
    for (const name of ['Baguette', '', '  ', 'Pastry', 'Pastry1', 'Pastry20', 'Muffin2', 'Muff in']) {
      expect(isPastryName(name)).toBe(false);
    }
    expect(pastryIndex('Pastry20')).toBe(-1);
  });
});

describe('nextFreeName', () => {
  it('gives the lowest unused name', () => {
    expect(nextFreeName([])).toBe('Muffin');
    expect(nextFreeName(['Muffin', 'Scone'])).toBe('Cupcake');
    expect(nextFreeName(new Set(['Cupcake']))).toBe('Muffin');
  });

  it('compares case-insensitively and ignores names that are not pastry names', () => {
    expect(nextFreeName(['muffin', 'CUPCAKE', 'Baguette'])).toBe('Scone');
  });

  it('runs on past the list', () => {
    expect(nextFreeName(PASTRY_NAMES)).toBe('Pastry21');
    expect(nextFreeName([...PASTRY_NAMES, 'pastry21'])).toBe('Pastry22');
    expect(nextFreeName([...PASTRY_NAMES, 'Pastry22'])).toBe('Pastry21');
  });
});

describe('fileStem', () => {
  it('is the lower-case name', () => {
    expect(fileStem('Muffin')).toBe('muffin');
    expect(fileStem('croissant')).toBe('croissant');
    expect(fileStem('PASTRY22')).toBe('pastry22');
  });
});
