// Input warnings: unknown keys named with the closest known key, and the values YAML split at a comma.

import { describe, expect, it } from 'vitest';
import { closestKey, keyWarnings, panelInputWarnings, poolInputWarnings, scoresInputWarnings } from '../../src/domain/input-check.js';
import { parseDataFile } from '../../src/workspace/data-file.js';

describe('input warnings', () => {
  it('names an unknown key with the closest known one', () => {
    expect(closestKey('foucs', ['role', 'tier', 'relevance', 'focus'])).toBe('focus');
    expect(closestKey('relevence', ['role', 'tier', 'relevance', 'focus'])).toBe('relevance');
    expect(closestKey('colour', ['role', 'tier', 'relevance', 'focus'])).toBeUndefined();
    expect(keyWarnings({ role: 'x', foucs: 'y' }, ['role', 'focus'], 'pool.yaml', 'experts[0]')).toEqual([
      { file: 'pool.yaml', message: 'experts[0].foucs is not a known key and is ignored; did you mean focus? (known: role, focus)' },
    ]);
  });

  it('names the key YAML made from a comma in a flow mapping, and how to quote it', () => {
    const data = parseDataFile('domain: D\nexperts:\n  - { role: SRE, tier: core, relevance: 0.5, focus: CI time, caching }\n', 'pool.yaml', 'invalid_pool');
    expect(poolInputWarnings(data, 'pool.yaml')).toEqual([
      { file: 'pool.yaml', message: 'experts[0].caching has no value and is not a known key: YAML split a value at a comma (the text after "focus: ...,"); quote the value, e.g. focus: "..., caching"' },
    ]);
  });

  it('reads past the keys the reference writes, in pools and every panel shape', () => {
    expect(poolInputWarnings({ domain: 'D', question: 'Q', supersedes: 'x', panel_size: 6, max_rounds: 4, experts: [{ role: 'R', tier: 'Core', relevance: 1, focus: 'f' }] }, 'p')).toEqual([]);
    expect(panelInputWarnings({ round: 1, evolution: 'x', goal: 'g', open_items: [], panel: [{ name: 'Muffin', emoji: '🧁', role: 'R', tier: 'core', source: 'retained' }] }, 'p')).toEqual([]);
    expect(panelInputWarnings({ agents: [{ name: 'Muffin', rol: 'R' }], history: {} }, 'p')).toEqual([
      { file: 'p', message: 'agents[0].rol is not a known key and is ignored; did you mean role? (known: name, role, source, tier, relevance, focus, emoji, retained)' },
    ]);
    expect(panelInputWarnings([{ role: 'R', source: 'pool', tiers: 'core' }], 'p')[0].message).toMatch(/^panel\[0\]\.tiers .*did you mean tier\?/);
    expect(scoresInputWarnings({ Muffin: { w: 1, c: 1, t: 1, r: 1, x: 2 }, Cupcake: 7 }, 's')[0].message).toMatch(/^Muffin\.x is not a known key/);
  });
});
