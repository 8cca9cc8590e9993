import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BlueError } from '../../src/domain/errors.js';
import type { Expert, PanelMember, Pool, PoolExpert, Tier } from '../../src/domain/model.js';
import { PASTRY_NAMES } from '../../src/domain/names.js';
import { resolvePanel, toPanelInputs } from '../../src/domain/panel.js';
import { parsePool as parsePoolData } from '../../src/domain/pool.js';
import { createRng, nextPanel, roundSeed, samplePanel, tierSplit } from '../../src/domain/sampling.js';
import { parseDataFile } from '../../src/workspace/data-file.js';

/** The file's text as blue reads it: JSON or YAML, then the domain's check. */
const parsePool = (text: string, file: string) => parsePoolData(parseDataFile(text, file, 'invalid_pool'), file);

const RFC_0058_POOL = fileURLToPath(
  new URL('../fixtures/reference/dialogues/2026-02-06T1839Z-rfc-0058-supersession-hybrid-relational-dynamodb-architecture/expert-pool.json', import.meta.url),
);
const referencePool = parsePool(readFileSync(RFC_0058_POOL, 'utf8'), RFC_0058_POOL);

/** A pool with `core`, `adjacent` and `wildcard` experts, relevance falling within each tier. */
function makePool(core: number, adjacent: number, wildcard: number): Pool {
  const experts: PoolExpert[] = [];
  const add = (tier: Tier, count: number, top: number) => {
    for (let i = 0; i < count; i++) {
      experts.push({ role: `${tier} ${i + 1}`, tier, relevance: Math.round((top - i * 0.05) * 100) / 100, focus: `${tier} focus ${i + 1}` });
    }
  };
  add('core', core, 0.95);
  add('adjacent', adjacent, 0.75);
  add('wildcard', wildcard, 0.45);
  return { domain: 'Test', experts };
}

/** The experts a panel binds, as the dialogue records them after a round opens. */
function bind(panel: PanelMember[], round: number, experts: Expert[] = []): Expert[] {
  const added = panel
    .filter((m) => !experts.some((e) => e.name === m.name))
    .map((m): Expert => ({ name: m.name, role: m.role, tier: m.tier, relevance: m.relevance, origin: m.source === 'created' ? 'created' : 'pool', firstRound: round }));
  return [...experts, ...added];
}

const countTiers = (panel: PanelMember[]) =>
  panel.reduce<Record<Tier, number>>((acc, m) => ({ ...acc, [m.tier]: acc[m.tier] + 1 }), { core: 0, adjacent: 0, wildcard: 0 });

describe('createRng (mulberry32)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c())).not.toEqual(seqA);
  });

  it('yields numbers in [0, 1) with a mean near one half', () => {
    const rng = createRng(7);
    const draws = Array.from({ length: 20000 }, () => rng());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });

  it('takes the seed as an unsigned 32-bit integer', () => {
    expect(createRng(2 ** 32 + 5)()).toBe(createRng(5)());
    expect(createRng(-1)()).toBe(createRng(0xffffffff)());
  });

  it('derives distinct, reproducible round seeds', () => {
    expect(roundSeed(1, 1)).toBe(roundSeed(1, 1));
    const seeds = new Set([0, 1, 2, 3, 4, 5].map((round) => roundSeed(1, round)));
    expect(seeds.size).toBe(6);
    expect(roundSeed(1, 1)).not.toBe(roundSeed(2, 1));
  });
});

describe('tierSplit', () => {
  // [n, core, adjacent, wildcard]: n >= 6 -> floor(n/3) core, floor(n/4) wildcard; 3..5 -> 1 core, 1 wildcard.
  const table: Array<[number, number, number, number]> = [
    [1, 1, 0, 0], [2, 1, 1, 0],
    [3, 1, 1, 1], [4, 1, 2, 1], [5, 1, 3, 1],
    [6, 2, 3, 1], [7, 2, 4, 1], [8, 2, 4, 2], [9, 3, 4, 2], [10, 3, 5, 2], [11, 3, 6, 2], [12, 4, 5, 3],
    [13, 4, 6, 3], [14, 4, 7, 3], [15, 5, 7, 3], [16, 5, 7, 4], [17, 5, 8, 4], [18, 6, 8, 4], [19, 6, 9, 4],
    [20, 6, 9, 5], [21, 7, 9, 5], [22, 7, 10, 5], [23, 7, 11, 5], [24, 8, 10, 6],
  ];

  it.each(table)('n = %i: %i core, %i adjacent, %i wildcard', (n, core, adjacent, wildcard) => {
    expect(tierSplit(n)).toEqual({ core, adjacent, wildcard });
    expect(core + adjacent + wildcard).toBe(n);
  });

  it('gives nothing for 0 and rejects sizes that are not whole numbers', () => {
    expect(tierSplit(0)).toEqual({ core: 0, adjacent: 0, wildcard: 0 });
    expect(() => tierSplit(-1)).toThrow(RangeError);
    expect(() => tierSplit(2.5)).toThrow(RangeError);
  });
});

describe('samplePanel', () => {
  it('is deterministic for a seed', () => {
    for (const seed of [0, 1, 42, 123456789, 0xffffffff]) {
      expect(samplePanel(referencePool, 10, seed)).toEqual(samplePanel(referencePool, 10, seed));
    }
  });

  it('varies with the seed', () => {
    const panels = new Set(Array.from({ length: 30 }, (_, seed) => samplePanel(referencePool, 8, seed).map((m) => m.role).sort().join('|')));
    expect(panels.size).toBeGreaterThan(5);
  });

  it('samples without replacement and fills each tier’s seats when the tier can', () => {
    const pool = makePool(6, 9, 6);
    for (let seed = 0; seed < 200; seed++) {
      const panel = samplePanel(pool, 12, seed);
      expect(panel).toHaveLength(12);
      expect(new Set(panel.map((m) => m.role)).size).toBe(12);
      expect(countTiers(panel)).toEqual(tierSplit(12));
    }
  });

  it('names members Muffin, Cupcake, ... core first by descending relevance, then adjacent, then wildcard', () => {
    const panel = samplePanel(referencePool, 10, 2026);
    expect(panel.map((m) => m.name)).toEqual(PASTRY_NAMES.slice(0, 10));
    const tierOrder = panel.map((m) => ['core', 'adjacent', 'wildcard'].indexOf(m.tier));
    expect(tierOrder).toEqual([...tierOrder].sort((a, b) => a - b));
    for (let i = 1; i < panel.length; i++) {
      if (panel[i].tier === panel[i - 1].tier) expect(panel[i].relevance!).toBeLessThanOrEqual(panel[i - 1].relevance!);
    }
  });

  it('takes role, tier, relevance and focus from the pool, with source pool', () => {
    const pool = makePool(4, 4, 4);
    for (const member of samplePanel(pool, 6, 9)) {
      const expert = pool.experts.find((e) => e.role === member.role)!;
      expect(member).toEqual({ name: member.name, role: expert.role, tier: expert.tier, source: 'pool', relevance: expert.relevance, focus: expert.focus });
    }
  });

  it('caps the panel at the pool size', () => {
    const panel = samplePanel(referencePool, 30, 1);
    expect(panel).toHaveLength(14);
    expect(new Set(panel.map((m) => m.role)).size).toBe(14);
  });

  it('tops up from the whole pool when a tier runs short', () => {
    const pool = makePool(2, 9, 1); // a 12-seat split wants 4 core and 3 wildcards
    for (let seed = 0; seed < 50; seed++) {
      const panel = samplePanel(pool, 12, seed);
      expect(panel).toHaveLength(12);
      expect(countTiers(panel)).toEqual({ core: 2, adjacent: 9, wildcard: 1 });
    }
    const noWildcards = makePool(4, 6, 0);
    const panel = samplePanel(noWildcards, 8, 3);
    expect(panel).toHaveLength(8);
    expect(countTiers(panel).wildcard).toBe(0);
  });

  it('never picks a relevance-0 expert unless the panel needs it', () => {
    const pool = makePool(4, 5, 4);
    pool.experts[0] = { role: 'Silent core', tier: 'core', relevance: 0 };
    pool.experts[10] = { role: 'Silent wildcard', tier: 'wildcard', relevance: 0 };
    for (let seed = 0; seed < 300; seed++) {
      const roles = samplePanel(pool, 11, seed).map((m) => m.role);
      expect(roles).not.toContain('Silent core');
      expect(roles).not.toContain('Silent wildcard');
    }
    const full = samplePanel(pool, 13, 5).map((m) => m.role);
    expect(full).toContain('Silent core');
    expect(full).toContain('Silent wildcard');
  });

  it('favours relevance: a 0.95 core expert is chosen far more often than a 0.3 one', () => {
    const pool: Pool = {
      domain: 'Bias',
      experts: [
        { role: 'High', tier: 'core', relevance: 0.95 },
        { role: 'Mid', tier: 'core', relevance: 0.6 },
        { role: 'Low', tier: 'core', relevance: 0.3 },
        ...makePool(0, 6, 4).experts,
      ],
    };
    const chosen = { High: 0, Mid: 0, Low: 0 };
    const runs = 4000;
    for (let seed = 0; seed < runs; seed++) {
      for (const member of samplePanel(pool, 6, seed)) {
        if (member.role in chosen) chosen[member.role as keyof typeof chosen] += 1;
      }
    }
    // 6 seats give core 2 of the 3; each run seats exactly two of them.
    expect(chosen.High + chosen.Mid + chosen.Low).toBe(2 * runs);
    expect(chosen.High).toBeGreaterThan(chosen.Mid);
    expect(chosen.Mid).toBeGreaterThan(chosen.Low);
    expect(chosen.High).toBeGreaterThan(1.5 * chosen.Low);
    expect(chosen.High / runs).toBeGreaterThan(0.8);
    expect(chosen.Low / runs).toBeLessThan(0.55);
  });

  it('gives one core seat between 0.95 and 0.3 in proportion to relevance (about 76% to 24%)', () => {
    const pool: Pool = {
      domain: 'Bias',
      experts: [{ role: 'High', tier: 'core', relevance: 0.95 }, { role: 'Low', tier: 'core', relevance: 0.3 }, ...makePool(0, 4, 3).experts],
    };
    let high = 0;
    const runs = 4000;
    for (let seed = 0; seed < runs; seed++) {
      if (samplePanel(pool, 3, seed).some((m) => m.role === 'High')) high += 1;
    }
    const low = runs - high; // n = 3 has exactly one core seat
    expect(high / runs).toBeGreaterThan(0.72);
    expect(high / runs).toBeLessThan(0.8);
    expect(high).toBeGreaterThan(2.5 * low);
  });

  it('rejects a panel size that is not a positive whole number', () => {
    for (const n of [0, -3, 2.5, Number.NaN]) {
      let error: unknown;
      try {
        samplePanel(referencePool, n, 1);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BlueError);
      expect((error as BlueError).code).toBe('invalid_panel_size');
      expect((error as BlueError).exitCode).toBe(2);
    }
  });
});

describe('nextPanel', () => {
  const pool = makePool(4, 6, 6);
  const round0 = samplePanel(pool, 8, 11); // 2 core, 4 adjacent, 2 wildcard
  const experts = bind(round0, 0);

  it.each(['none', 'graduated'] as const)('%s keeps the previous panel, every member retained', (mode) => {
    const judged = round0.map((m) => ({ ...m, focus: `Resolve ${m.name.toUpperCase()}-T01` }));
    const next = nextPanel(mode, judged, pool, experts, 11, 1);
    expect(next.map((m) => [m.name, m.role, m.tier])).toEqual(round0.map((m) => [m.name, m.role, m.tier]));
    expect(next.every((m) => m.source === 'retained')).toBe(true);
    // A round's focus was about that round; the pool's description of the role comes back.
    expect(next.map((m) => m.focus)).toEqual(round0.map((m) => pool.experts.find((e) => e.role === m.role)!.focus));
  });

  it('keeps a created expert’s focus when retaining it, having no pool focus to revert to', () => {
    const previous: PanelMember[] = [...round0, { name: 'Cannoli', role: 'Invented', tier: 'adjacent', source: 'created', focus: 'Its angle' }];
    const next = nextPanel('none', previous, pool, bind(previous, 0), 11, 1);
    expect(next.at(-1)).toEqual({ name: 'Cannoli', role: 'Invented', tier: 'adjacent', source: 'retained', focus: 'Its angle' });
  });

  it('wildcards keeps core and adjacent members and redraws the wildcard seats from fresh wildcards', () => {
    const previousWildcards = round0.filter((m) => m.tier === 'wildcard').map((m) => m.role);
    for (let round = 1; round <= 20; round++) {
      const next = nextPanel('wildcards', round0, pool, experts, 11, round);
      expect(next).toHaveLength(round0.length);
      const kept = next.filter((m) => m.tier !== 'wildcard');
      expect(kept.map((m) => m.name)).toEqual(round0.filter((m) => m.tier !== 'wildcard').map((m) => m.name));
      expect(kept.every((m) => m.source === 'retained')).toBe(true);
      const wildcards = next.filter((m) => m.tier === 'wildcard');
      expect(wildcards).toHaveLength(2);
      for (const member of wildcards) {
        expect(previousWildcards).not.toContain(member.role); // 4 fresh wildcards are available
        expect(member.source).toBe('pool');
      }
      // New roles take the lowest names nobody holds: the 8 round-0 names are bound.
      expect(wildcards.map((m) => m.name).sort()).toEqual(['Cannoli', 'Strudel'].sort());
    }
  });

  it('wildcards is deterministic for a seed and round, and rotates between rounds', () => {
    expect(nextPanel('wildcards', round0, pool, experts, 11, 3)).toEqual(nextPanel('wildcards', round0, pool, experts, 11, 3));
    const draws = new Set(Array.from({ length: 12 }, (_, i) => nextPanel('wildcards', round0, pool, experts, 11, i + 1).filter((m) => m.tier === 'wildcard').map((m) => m.role).sort().join('|')));
    expect(draws.size).toBeGreaterThan(1);
  });

  it('wildcards gives a returning wildcard its old name', () => {
    let previous = round0;
    let bound = experts;
    for (let round = 1; round <= 6; round++) {
      const next = nextPanel('wildcards', previous, pool, bound, 11, round);
      for (const member of next) {
        const known = bound.find((e) => e.role === member.role);
        if (known) expect(member.name).toBe(known.name);
      }
      const names = next.map((m) => m.name);
      expect(new Set(names).size).toBe(names.length);
      bound = bind(next, round, bound);
      previous = next;
    }
    // Six wildcards in the pool and two seats per round: some came back, and none changed name.
    expect(new Set(bound.map((e) => e.name)).size).toBe(bound.length);
    expect(new Set(bound.map((e) => e.role)).size).toBe(bound.length);
  });

  it('wildcards keeps the previous wildcards when the pool has no fresh ones', () => {
    const small = makePool(4, 6, 2);
    const first = samplePanel(small, 8, 1);
    const next = nextPanel('wildcards', first, small, bind(first, 0), 1, 1);
    expect(next.map((m) => m.role)).toEqual(first.map((m) => m.role));
    expect(next.every((m) => m.source === 'retained')).toBe(true);
  });

  it('full resamples the whole panel with the tier split, keeping names bound to roles', () => {
    for (let round = 1; round <= 10; round++) {
      const next = nextPanel('full', round0, pool, experts, 11, round);
      expect(next).toHaveLength(8);
      expect(countTiers(next)).toEqual(tierSplit(8));
      expect(new Set(next.map((m) => m.name)).size).toBe(8);
      const newcomers: string[] = [];
      for (const member of next) {
        const previous = round0.find((m) => m.role === member.role);
        if (previous) {
          expect(member.name).toBe(previous.name);
          expect(member.source).toBe('retained');
        } else {
          expect(member.source).toBe('pool');
          newcomers.push(member.name);
        }
      }
      // Newcomers get the lowest names nobody holds, handed out in panel order.
      expect(newcomers).toEqual(PASTRY_NAMES.slice(8, 8 + newcomers.length));
    }
    expect(nextPanel('full', round0, pool, experts, 11, 2)).toEqual(nextPanel('full', round0, pool, experts, 11, 2));
  });

  it('produces panels that resolvePanel accepts, binding exactly the new roles', () => {
    for (const mode of ['none', 'graduated', 'wildcards', 'full'] as const) {
      const next = nextPanel(mode, round0, pool, experts, 5, 1);
      const { panel, newExperts } = resolvePanel(toPanelInputs(next), { pool, experts, previous: round0, round: 1 });
      expect(panel).toEqual(next);
      expect(newExperts.map((e) => e.name)).toEqual(next.filter((m) => m.source === 'pool').map((m) => m.name));
    }
  });

  it('the suggested round-0 panel resolves as it is, binding every member', () => {
    const { panel, newExperts } = resolvePanel(toPanelInputs(round0), { pool, experts: [], previous: [], round: 0 });
    expect(panel).toEqual(round0);
    expect(newExperts.map((e) => [e.name, e.role, e.origin, e.firstRound])).toEqual(round0.map((m) => [m.name, m.role, 'pool', 0]));
  });
});
