import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlueError } from '../../src/domain/errors.js';
import type { Pool } from '../../src/domain/model.js';
import { blueError } from '../support/dialogue-factory.js';
import {
  POOL_MAX_EXPERTS,
  POOL_MIN_EXPERTS,
  findPoolExpert,
  parsePool as parsePoolData,
  parseTier,
  poolWarnings,
  roleKey,
  sameRole,
  serialisePool,
} from '../../src/domain/pool.js';
import { parseDataFile } from '../../src/workspace/data-file.js';
import { REFERENCE_DIALOGUES, referenceDialogues } from '../support/reference.js';

/** The file's text as blue reads it: JSON or YAML, then the domain's check. */
const parsePool = (text: string, file: string) => parsePoolData(parseDataFile(text, file, 'invalid_pool'), file);

const REFERENCE = REFERENCE_DIALOGUES;


/** A valid pool as plain data, `size` experts over the three tiers. */
function poolData(size = 10): Record<string, unknown> {
  const tiers = ['core', 'adjacent', 'wildcard'];
  return {
    domain: 'Data Architecture',
    question: 'Should we?',
    experts: Array.from({ length: size }, (_, i) => ({
      role: `Role ${i}`,
      tier: tiers[i % 3],
      relevance: 0.5,
    })),
  };
}

function mutate(change: (data: any) => void): string {
  const data = poolData();
  change(data);
  return JSON.stringify(data);
}

describe('parsePool: the reference pools', () => {
  const dialogues = referenceDialogues();

  it.each(dialogues)('parses %s/expert-pool.json as it is', (dialogue) => {
    const file = join(REFERENCE, dialogue, 'expert-pool.json');
    const pool = parsePool(readFileSync(file, 'utf8'), file);
    expect(pool.domain.length).toBeGreaterThan(0);
    expect(pool.question).toBeTruthy();
    expect(pool.experts.length).toBeGreaterThanOrEqual(POOL_MIN_EXPERTS);
    for (const expert of pool.experts) {
      expect(['core', 'adjacent', 'wildcard']).toContain(expert.tier);
      expect(expert.relevance).toBeGreaterThanOrEqual(0);
      expect(expert.relevance).toBeLessThanOrEqual(1);
      expect(Object.keys(expert).sort()).toEqual(expect.arrayContaining(['relevance', 'role', 'tier']));
    }
    // Fields beside the pool in the reference files (panel_size, max_rounds, supersedes) are not kept.
    expect(Object.keys(pool).sort()).toEqual(['domain', 'experts', 'question']);
  });

  it('reads the RFC 0058 pool exactly', () => {
    const file = join(REFERENCE, '2026-02-06T1839Z-rfc-0058-supersession-hybrid-relational-dynamodb-architecture', 'expert-pool.json');
    const pool = parsePool(readFileSync(file, 'utf8'), file);
    expect(pool.domain).toBe('Data Architecture & Storage Strategy');
    expect(pool.experts).toHaveLength(14);
    expect(pool.experts[0]).toEqual({ role: 'Relational Database Architect', tier: 'core', relevance: 0.95 });
    expect(pool.experts[13]).toEqual({ role: 'Contrarian (Challenge All Assumptions)', tier: 'wildcard', relevance: 0.3 });
  });

  it('keeps the focus of the local-prod-parity pool', () => {
    const file = join(REFERENCE, 'local-prod-parity', 'expert-pool.json');
    const pool = parsePool(readFileSync(file, 'utf8'), file);
    expect(pool.experts[0].focus).toBe('Docker orchestration, service composition, local stack architecture');
    expect(pool.experts.find((e) => e.role === 'DevEx Engineer')?.relevance).toBe(0.9);
  });
});

describe('parsePool: accepted forms', () => {
  it('accepts tiers in any case and ignores extra fields such as name and emoji', () => {
    const text = mutate((data) => {
      data.experts[0] = { role: 'Lead', tier: 'Core', relevance: 0.9, name: 'Muffin', emoji: '🧁' };
      data.experts[1].tier = 'ADJACENT';
      data.experts[2].tier = 'WildCard';
      data.panel_size = 8;
    });
    const pool = parsePool(text, 'pool.json');
    expect(pool.experts[0]).toEqual({ role: 'Lead', tier: 'core', relevance: 0.9 });
    expect(pool.experts[1].tier).toBe('adjacent');
    expect(pool.experts[2].tier).toBe('wildcard');
  });

  it('reads YAML', () => {
    const roles = Array.from({ length: 8 }, (_, i) => `  - role: Role ${i}\n    tier: ${i < 3 ? 'Core' : i < 6 ? 'adjacent' : 'wildcard'}\n    relevance: 0.${9 - i}\n    focus: Angle ${i}`);
    const text = `domain: Knowledge Filesystems\nquestion: How?\nexperts:\n${roles.join('\n')}\n`;
    const pool = parsePool(text, 'pool.yaml');
    expect(pool.domain).toBe('Knowledge Filesystems');
    expect(pool.question).toBe('How?');
    expect(pool.experts).toHaveLength(8);
    expect(pool.experts[0]).toEqual({ role: 'Role 0', tier: 'core', relevance: 0.9, focus: 'Angle 0' });
    expect(pool.experts[7].tier).toBe('wildcard');
  });

  it('reads a YAML flow mapping that is not JSON', () => {
    const experts = Array.from({ length: 8 }, (_, i) => `{role: R${i}, tier: core, relevance: 0.5}`).join(', ');
    const pool = parsePool(`{domain: D, experts: [${experts}]}`, 'pool.yml');
    expect(pool.experts).toHaveLength(8);
  });

  it('makes the question optional and drops an empty one', () => {
    expect(parsePool(mutate((d) => delete d.question), 'p.json').question).toBeUndefined();
    expect(parsePool(mutate((d) => (d.question = '  ')), 'p.json').question).toBeUndefined();
  });

  it('reads a pool nested under expert_pool, the shape of RFC 0048’s create call', () => {
    const pool = parsePool(JSON.stringify({ title: 'T', alignment: true, expert_pool: poolData() }), 'p.json');
    expect(pool.domain).toBe('Data Architecture');
  });

  it('trims roles, domain and question', () => {
    const pool = parsePool(mutate((d) => { d.domain = ' D '; d.experts[0].role = '  Lead  '; }), 'p.json');
    expect(pool.domain).toBe('D');
    expect(pool.experts[0].role).toBe('Lead');
  });

  it('accepts the bounds of relevance and of the pool size', () => {
    expect(POOL_MIN_EXPERTS).toBe(8);
    expect(POOL_MAX_EXPERTS).toBe(24);
    expect(parsePool(JSON.stringify(poolData(8)), 'p.json').experts).toHaveLength(8);
    expect(parsePool(JSON.stringify(poolData(24)), 'p.json').experts).toHaveLength(24);
    const pool = parsePool(mutate((d) => { d.experts[0].relevance = 0; d.experts[1].relevance = 1; }), 'p.json');
    expect(pool.experts[0].relevance).toBe(0);
    expect(pool.experts[1].relevance).toBe(1);
  });
});

describe('parsePool: validation names the field and says what to do', () => {
  const cases: Array<[string, (data: any) => void, string, string]> = [
    ['missing domain', (d) => delete d.domain, 'domain', 'domain must be a non-empty string'],
    ['empty domain', (d) => (d.domain = ' '), 'domain', 'domain must be a non-empty string'],
    ['numeric question', (d) => (d.question = 42), 'question', 'question must be a string when given (got 42)'],
    ['experts not a list', (d) => (d.experts = { a: 1 }), 'experts', 'experts must be a list of 8 to 24 entries'],
    ['missing experts', (d) => delete d.experts, 'experts', '(got nothing)'],
    ['too few experts', (d) => (d.experts = d.experts.slice(0, 7)), 'experts', 'experts must list 8 to 24 roles (got 7); add roles'],
    ['too many experts', (d) => (d.experts = poolData(25).experts), 'experts', 'experts must list 8 to 24 roles (got 25); drop the least relevant roles'],
    ['relevance as a word', (d) => (d.experts[3].relevance = 'high'), 'experts[3].relevance', 'experts[3].relevance must be a number between 0 and 1 (got "high")'],
    ['relevance above 1', (d) => (d.experts[4].relevance = 1.5), 'experts[4].relevance', 'experts[4].relevance must be a number between 0 and 1 (got 1.5)'],
    ['relevance below 0', (d) => (d.experts[4].relevance = -0.1), 'experts[4].relevance', '(got -0.1)'],
    ['missing relevance', (d) => delete d.experts[0].relevance, 'experts[0].relevance', '(got nothing)'],
    ['unknown tier', (d) => (d.experts[2].tier = 'primary'), 'experts[2].tier', 'experts[2].tier must be one of core, adjacent, wildcard, in any case (got "primary")'],
    ['missing tier', (d) => delete d.experts[1].tier, 'experts[1].tier', '(got nothing)'],
    ['empty role', (d) => (d.experts[5].role = ''), 'experts[5].role', 'experts[5].role must be a non-empty string'],
    ['numeric role', (d) => (d.experts[5].role = 7), 'experts[5].role', '(got 7)'],
    ['entry not an object', (d) => (d.experts[6] = 'Contrarian'), 'experts[6]', 'experts[6] must be an object {role, tier, relevance, focus?} (got "Contrarian")'],
    ['numeric focus', (d) => (d.experts[0].focus = 3), 'experts[0].focus', 'experts[0].focus must be a string when given'],
  ];

  it.each(cases)('%s', (_label, change, field, message) => {
    const error = blueError(() => parsePool(mutate(change), 'pools/p.json'));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('invalid_pool');
    expect(error.details).toEqual({ file: 'pools/p.json', field, fix: `correct ${field} in pools/p.json as the message says and run the same \`blue dialogue start\` again` });
    expect(error.message).toContain(message);
    expect(error.message.startsWith('pools/p.json: ')).toBe(true);
  });

  it('names both indexes of a duplicate role, compared case-insensitively', () => {
    const error = blueError(() => parsePool(mutate((d) => (d.experts[5].role = '  role 2 ')), 'p.json'));
    expect(error.code).toBe('invalid_pool');
    expect(error.details.field).toBe('experts[5].role');
    expect(error.message).toContain('experts[5].role "role 2" repeats experts[2].role "Role 2"');
    expect(error.message).toContain('unique');
  });

  it('rejects a top-level list or scalar', () => {
    expect(blueError(() => parsePool('[1, 2]', 'p.json')).message).toContain('the pool must be an object with "domain" and "experts" (got an array)');
    expect(blueError(() => parsePool('', 'p.yaml')).message).toContain('(got null)');
  });

  it('reports text that is neither JSON nor YAML, with the file', () => {
    const json = blueError(() => parsePool('{"domain": "x",', 'pool.json'));
    expect(json.code).toBe('invalid_pool');
    expect(json.exitCode).toBe(2);
    expect(json.message).toMatch(/^pool\.json is not valid JSON: /);
    expect(json.details).toEqual({ file: 'pool.json', fix: 'correct pool.json (JSON) where the message says, and run the same command again' });
    const yaml = blueError(() => parsePool('domain: [unclosed\nexperts: x', 'pool.yaml'));
    expect(yaml.message).toMatch(/^pool\.yaml is not valid YAML: /);
  });
});

describe('serialisePool', () => {
  const pool: Pool = {
    domain: 'D',
    question: 'Q?',
    experts: [
      { role: 'A', tier: 'core', relevance: 0.9, focus: 'f' },
      { role: 'B', tier: 'wildcard', relevance: 0.3 },
    ],
  };

  it('writes 2-space JSON in a fixed key order with a final newline', () => {
    expect(serialisePool(pool)).toBe(
      [
        '{',
        '  "domain": "D",',
        '  "question": "Q?",',
        '  "experts": [',
        '    {',
        '      "role": "A",',
        '      "tier": "core",',
        '      "relevance": 0.9,',
        '      "focus": "f"',
        '    },',
        '    {',
        '      "role": "B",',
        '      "tier": "wildcard",',
        '      "relevance": 0.3',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('is stable whatever order the object’s keys were built in', () => {
    const shuffled = {
      experts: pool.experts.map((e) => ({ ...(e.focus ? { focus: e.focus } : {}), relevance: e.relevance, tier: e.tier, role: e.role })),
      question: pool.question,
      domain: pool.domain,
    } as Pool;
    expect(serialisePool(shuffled)).toBe(serialisePool(pool));
  });

  it('leaves out an absent question', () => {
    expect(serialisePool({ domain: 'D', experts: [] })).not.toContain('question');
  });

  it('round-trips through parsePool, reference pools included', () => {
    for (const dialogue of referenceDialogues()) {
      const file = join(REFERENCE, dialogue, 'expert-pool.json');
      const parsed = parsePool(readFileSync(file, 'utf8'), file);
      expect(parsePool(serialisePool(parsed), 'expert-pool.json')).toEqual(parsed);
    }
  });
});

describe('pool helpers', () => {
  it('compares roles case-insensitively, ignoring extra whitespace', () => {
    expect(roleKey('  Startup   CTO ')).toBe('startup cto');
    expect(sameRole('Startup CTO', 'startup cto')).toBe(true);
    expect(sameRole('Data Migration Specialist', 'Data Migration & Zero-Downtime Specialist')).toBe(false);
  });

  it('finds a pool expert by role', () => {
    const pool = parsePool(JSON.stringify(poolData()), 'p.json');
    expect(findPoolExpert(pool, 'role 4')?.role).toBe('Role 4');
    expect(findPoolExpert(pool, 'Role 40')).toBeUndefined();
  });

  it('parses tiers in any case', () => {
    expect(parseTier('Core')).toBe('core');
    expect(parseTier(' WILDCARD ')).toBe('wildcard');
    expect(parseTier('primary')).toBeUndefined();
    expect(parseTier(1)).toBeUndefined();
  });

  it('warns when a tier is empty, naming the groupthink risk for wildcards', () => {
    const pool = parsePool(mutate((d) => d.experts.forEach((e: any) => (e.tier = e.tier === 'wildcard' ? 'core' : e.tier))), 'p.json');
    const warnings = poolWarnings(pool);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('no wildcard experts');
    expect(warnings[0]).toContain('groupthink');
    expect(poolWarnings(parsePool(JSON.stringify(poolData()), 'p.json'))).toEqual([]);
  });
});
