import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlueError } from '../../src/domain/errors.js';
import type { Expert, PanelMember, Pool } from '../../src/domain/model.js';
import { parsePanelFile as parsePanelFileData, resolvePanel, type PanelContext, type PanelInput } from '../../src/domain/panel.js';
import { parsePool as parsePoolData } from '../../src/domain/pool.js';
import { blueError } from '../support/dialogue-factory.js';
import { parseDataFile } from '../../src/workspace/data-file.js';
import { REFERENCE_DIALOGUES, referenceDialogues } from '../support/reference.js';

/** The file's text as blue reads it: JSON or YAML, then the domain's check. */
const parsePanelFile = (text: string, file: string) => parsePanelFileData(parseDataFile(text, file, 'invalid_panel'), file);
const parsePool = (text: string, file: string) => parsePoolData(parseDataFile(text, file, 'invalid_pool'), file);

const REFERENCE = REFERENCE_DIALOGUES;
const RFC_0058 = '2026-02-06T1839Z-rfc-0058-supersession-hybrid-relational-dynamodb-architecture';


function readPool(dialogue: string): Pool {
  const file = join(REFERENCE, dialogue, 'expert-pool.json');
  return parsePool(readFileSync(file, 'utf8'), file);
}

function readPanel(dialogue: string, round: number): PanelInput[] {
  const file = join(REFERENCE, dialogue, `round-${round}`, 'panel.json');
  return parsePanelFile(readFileSync(file, 'utf8'), file);
}

/** What the dialogue looks like after a round opens: its experts grow by the newly bound ones. */
function open(inputs: PanelInput[], context: PanelContext) {
  const resolved = resolvePanel(inputs, context);
  return { ...resolved, experts: [...context.experts, ...resolved.newExperts] };
}

const pool: Pool = {
  domain: 'Test',
  experts: [
    { role: 'Platform Engineer', tier: 'core', relevance: 0.95, focus: 'Docker' },
    { role: 'Security Architect', tier: 'core', relevance: 0.9 },
    { role: 'DevEx Engineer', tier: 'core', relevance: 0.85 },
    { role: 'Secrets Engineer', tier: 'adjacent', relevance: 0.75 },
    { role: 'QA Engineer', tier: 'adjacent', relevance: 0.65, focus: 'Tests' },
    { role: 'SRE Lead', tier: 'adjacent', relevance: 0.7 },
    { role: 'Startup CTO', tier: 'wildcard', relevance: 0.35 },
    { role: 'Chaos Engineer', tier: 'wildcard', relevance: 0.25 },
  ],
};

/** Round 0 with Muffin, Cupcake, Scone on the panel; the context for opening round 1. */
function afterRound0() {
  const round0 = open(
    [
      { role: 'Platform Engineer', source: 'pool' },
      { role: 'Security Architect', source: 'pool' },
      { role: 'Startup CTO', source: 'pool' },
    ],
    { pool, experts: [], previous: [], round: 0 },
  );
  return { pool, experts: round0.experts, previous: round0.panel, round: 1 } satisfies PanelContext;
}

describe('parsePanelFile', () => {
  it('reads the contract’s list, JSON or YAML', () => {
    const json = parsePanelFile(JSON.stringify([{ name: 'muffin', role: 'Platform Engineer', source: 'retained' }, { role: 'Invented', source: 'created', tier: 'Wildcard', focus: ' Edge cases ' }]), 'panel.json');
    expect(json).toEqual([
      { name: 'Muffin', role: 'Platform Engineer', source: 'retained' },
      { role: 'Invented', source: 'created', tier: 'wildcard', focus: 'Edge cases' },
    ]);
    const yaml = parsePanelFile('- name: CUPCAKE\n  role: Security Architect\n  source: Retained\n- role: QA Engineer\n  source: pool\n  relevance: 0.7\n', 'panel.yaml');
    expect(yaml).toEqual([
      { name: 'Cupcake', role: 'Security Architect', source: 'retained' },
      { role: 'QA Engineer', source: 'pool', relevance: 0.7 },
    ]);
  });

  it('reads {panel: [...]} with fields beside it, and RFC 0050’s retained: true', () => {
    const parsed = parsePanelFile(JSON.stringify({ round: 2, evolution: 'pivot', panel: [{ name: 'Muffin', emoji: '🧁', role: 'R', retained: true }] }), 'p.json');
    expect(parsed).toEqual([{ name: 'Muffin', role: 'R', source: 'retained' }]);
  });

  it('reads {experts: [...]}', () => {
    expect(parsePanelFile(JSON.stringify({ experts: [{ role: 'R', source: 'pool' }] }), 'p.json')).toEqual([{ role: 'R', source: 'pool' }]);
  });

  const referencePanels = referenceDialogues().flatMap((dialogue) =>
    [0, 1, 2, 3].filter((round) => existsSync(join(REFERENCE, dialogue, `round-${round}`, 'panel.json'))).map((round) => [dialogue, round] as const),
  );

  it.each(referencePanels)('parses the reference %s round-%i/panel.json', (dialogue, round) => {
    const panel = readPanel(dialogue, round);
    expect(panel.length).toBeGreaterThan(0);
    for (const input of panel) {
      expect(input.name).toMatch(/^[A-Z][a-z]+$/);
      expect(['retained', 'pool', 'created']).toContain(input.source);
      expect(['core', 'adjacent', 'wildcard']).toContain(input.tier);
    }
  });

  it('takes the sources of the reference server’s {agents, history} form from history', () => {
    const round1 = readPanel(RFC_0058, 1);
    expect(round1.map((p) => [p.name, p.source])).toEqual([
      ['Croissant', 'retained'], ['Strudel', 'retained'], ['Muffin', 'retained'], ['Cannoli', 'retained'],
      ['Eclair', 'retained'], ['Macaron', 'retained'], ['Tartlet', 'pool'], ['Galette', 'pool'],
    ]);
    expect(round1[6]).toEqual({ name: 'Tartlet', role: 'Data Migration & Zero-Downtime Specialist', source: 'pool', tier: 'adjacent', relevance: 0.6 });
  });

  const invalid: Array<[string, unknown, string, string]> = [
    ['a missing role', [{ role: 'A', source: 'pool' }, { source: 'pool' }], 'panel[1].role', 'panel[1].role must be a non-empty string'],
    ['an unknown source', [{ role: 'A', source: 'borrowed' }], 'panel[0].source', 'panel[0].source must be one of retained, pool, created (got "borrowed")'],
    ['a missing source', [{ role: 'A' }], 'panel[0].source', '(got nothing)'],
    ['an unknown tier', [{ role: 'A', source: 'created', tier: 'gold' }], 'panel[0].tier', 'panel[0].tier must be one of core, adjacent, wildcard'],
    ['a name that is no pastry', [{ name: 'Baguette', role: 'A', source: 'pool' }], 'panel[0].name', 'panel[0].name "Baguette" is not a pastry name; use one of Muffin, Cupcake'],
    ['a numeric name', [{ name: 3, role: 'A', source: 'pool' }], 'panel[0].name', '(got 3)'],
    ['a relevance out of range', [{ role: 'A', source: 'pool', relevance: 2 }], 'panel[0].relevance', 'between 0 and 1'],
    ['a focus that is no string', [{ role: 'A', source: 'pool', focus: ['x'] }], 'panel[0].focus', '(got an array)'],
    ['an entry that is no object', ['Muffin'], 'panel[0]', 'panel[0] must be an object'],
    ['an empty list', [], 'panel', 'lists no experts'],
    ['a panel key that is no list', { panel: 'Muffin' }, 'panel', 'panel must be a list'],
    ['a scalar', 42, '', 'a panel file is a list'],
  ];

  it.each(invalid)('names the entry and field for %s', (_label, data, field, message) => {
    const error = blueError(() => parsePanelFile(JSON.stringify(data), 'round-1.panel.json'));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('invalid_panel');
    expect(error.details.field).toBe(field);
    expect(error.details.file).toBe('round-1.panel.json');
    expect(error.message).toContain(message);
  });

  it('names the list it read in the agents form', () => {
    const error = blueError(() => parsePanelFile(JSON.stringify({ agents: [{ name: 'Muffin', role: 'A' }] }), 'p.json'));
    expect(error.details.field).toBe('agents[0].source');
  });

  it('reports a file that does not parse', () => {
    const error = blueError(() => parsePanelFile('[{"role": ', 'p.json'));
    expect(error.code).toBe('invalid_panel');
    expect(error.message).toMatch(/^p\.json is not valid JSON/);
  });
});

describe('resolvePanel: names', () => {
  it('gives unnamed round-0 entries the lowest free names, taking tier, relevance and focus from the pool', () => {
    const { panel, newExperts } = resolvePanel(
      [{ role: 'platform engineer', source: 'pool' }, { role: 'QA Engineer', source: 'pool', tier: 'core' }],
      { pool, experts: [], previous: [], round: 0 },
    );
    expect(panel).toEqual([
      { name: 'Muffin', role: 'Platform Engineer', tier: 'core', source: 'pool', relevance: 0.95, focus: 'Docker' },
      { name: 'Cupcake', role: 'QA Engineer', tier: 'core', source: 'pool', relevance: 0.65, focus: 'Tests' },
    ]);
    expect(newExperts).toEqual([
      { name: 'Muffin', role: 'Platform Engineer', tier: 'core', relevance: 0.95, origin: 'pool', firstRound: 0 },
      { name: 'Cupcake', role: 'QA Engineer', tier: 'core', relevance: 0.65, origin: 'pool', firstRound: 0 },
    ]);
  });

  it('normalises written names and skips names written elsewhere in the panel', () => {
    const { panel } = resolvePanel(
      [{ role: 'SRE Lead', source: 'pool' }, { name: 'MUFFIN', role: 'QA Engineer', source: 'pool' }, { role: 'Startup CTO', source: 'pool' }],
      { pool, experts: [], previous: [], round: 0 },
    );
    expect(panel.map((m) => m.name)).toEqual(['Cupcake', 'Muffin', 'Scone']);
  });

  it('skips names bound in the dialogue, even of experts not on the previous panel', () => {
    const context = afterRound0();
    const experts: Expert[] = [...context.experts, { name: 'Eclair', role: 'Gone', tier: 'adjacent', origin: 'created', firstRound: 0 }];
    const { panel, newExperts } = resolvePanel([{ role: 'QA Engineer', source: 'pool' }, { role: 'SRE Lead', source: 'pool' }], { ...context, experts });
    // Muffin, Cupcake and Scone sat on round 0; Eclair is bound though absent.
    expect(panel.map((m) => m.name)).toEqual(['Donut', 'Brioche']);
    expect(newExperts.map((e) => [e.name, e.firstRound])).toEqual([['Donut', 1], ['Brioche', 1]]);
  });

  it('gives an unnamed entry its role’s bound name', () => {
    const context = afterRound0();
    const { panel, newExperts } = resolvePanel([{ role: 'startup cto', source: 'retained' }], context);
    expect(panel).toEqual([{ name: 'Scone', role: 'Startup CTO', tier: 'wildcard', source: 'retained', relevance: 0.35 }]);
    expect(newExperts).toEqual([]);
  });

  it('rejects a name that is no pastry name, listing the valid form', () => {
    const error = blueError(() => resolvePanel([{ name: 'Baguette', role: 'QA Engineer', source: 'pool' }], { pool, experts: [], previous: [], round: 0 }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('invalid_expert_name');
    expect(error.message).toContain('panel[0].name "Baguette" is not a pastry name');
    expect(error.message).toContain('Religieuse, then Pastry21, Pastry22');
  });

  it('refuses a name bound to another role, naming both roles', () => {
    const error = blueError(() => resolvePanel([{ name: 'Muffin', role: 'QA Engineer', source: 'pool' }], afterRound0()));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('name_bound_to_other_role');
    expect(error.message).toContain('Muffin is bound to "Platform Engineer" in this dialogue, not "QA Engineer"');
    expect(error.details).toMatchObject({ field: 'panel[0].name', index: 0, name: 'Muffin', boundRole: 'Platform Engineer', role: 'QA Engineer' });
  });

  it('refuses a bound role under another name', () => {
    const error = blueError(() => resolvePanel([{ name: 'Palmier', role: 'Platform Engineer', source: 'retained' }], afterRound0()));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('role_bound_to_other_name');
    expect(error.message).toContain('"Platform Engineer" is Muffin in this dialogue, not Palmier');
  });

  it('refuses a name or a role twice in one panel', () => {
    const context = { pool, experts: [], previous: [], round: 0 };
    const names = blueError(() => resolvePanel([{ name: 'Scone', role: 'QA Engineer', source: 'pool' }, { name: 'scone', role: 'SRE Lead', source: 'pool' }], context));
    expect(names.code).toBe('duplicate_in_panel');
    expect(names.exitCode).toBe(2);
    expect(names.message).toContain('panel[1].name Scone repeats panel[0].name');
    const roles = blueError(() => resolvePanel([{ role: 'QA Engineer', source: 'pool' }, { role: 'qa  engineer', source: 'pool' }], context));
    expect(roles.code).toBe('duplicate_in_panel');
    expect(roles.message).toContain('panel[1].role "qa  engineer" repeats panel[0].role "QA Engineer"');
  });

  it('refuses an unknown source from a caller that skipped parsePanelFile', () => {
    const error = blueError(() => resolvePanel([{ role: 'QA Engineer', source: 'borrowed' as never }], { pool, experts: [], previous: [], round: 0 }));
    expect(error.code).toBe('invalid_panel');
    expect(error.details.field).toBe('panel[0].source');
  });

  it('refuses an empty panel', () => {
    expect(blueError(() => resolvePanel([], { pool, experts: [], previous: [], round: 0 })).code).toBe('invalid_panel');
  });
});

describe('resolvePanel: sources', () => {
  it('retained keeps the previous member, with the tier the judge gives (a promotion) or the previous one', () => {
    const context = afterRound0();
    const { panel, newExperts } = resolvePanel(
      [
        { name: 'Muffin', role: 'Platform Engineer', source: 'retained', focus: 'Respond to criticism' },
        { name: 'Scone', role: 'Startup CTO', source: 'retained', tier: 'core' },
      ],
      context,
    );
    expect(panel).toEqual([
      { name: 'Muffin', role: 'Platform Engineer', tier: 'core', source: 'retained', relevance: 0.95, focus: 'Respond to criticism' },
      { name: 'Scone', role: 'Startup CTO', tier: 'core', source: 'retained', relevance: 0.35 },
    ]);
    expect(newExperts).toEqual([]);
  });

  it('retained requires the previous panel, and says who was on it', () => {
    const context = afterRound0();
    const experts: Expert[] = [...context.experts, { name: 'Eclair', role: 'QA Engineer', tier: 'adjacent', origin: 'pool', firstRound: 0 }];
    const error = blueError(() => resolvePanel([{ name: 'Eclair', role: 'QA Engineer', source: 'retained' }], { ...context, experts }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('not_on_previous_panel');
    expect(error.message).toContain('Eclair ("QA Engineer") was not on round 0\'s panel');
    expect(error.message).toContain("round 0's panel was Muffin, Cupcake, Scone");
    expect(error.details.previous).toEqual(['Muffin', 'Cupcake', 'Scone']);
    const unnamed = blueError(() => resolvePanel([{ role: 'SRE Lead', source: 'retained' }], context));
    expect(unnamed.code).toBe('not_on_previous_panel');
    expect(unnamed.message).toContain('panel[0]: "SRE Lead" was not on round 0');
  });

  it('retained is refused in round 0', () => {
    const error = blueError(() => resolvePanel([{ name: 'Muffin', role: 'Platform Engineer', source: 'retained' }], { pool, experts: [], previous: [], round: 0 }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('retained_in_round_0');
  });

  it('pool requires a pool role, matched case-insensitively and written as the pool writes it', () => {
    const { panel } = resolvePanel([{ role: 'sre lead', source: 'pool', relevance: 0.9 }], afterRound0());
    expect(panel).toEqual([{ name: 'Eclair', role: 'SRE Lead', tier: 'adjacent', source: 'pool', relevance: 0.9 }]);
    const error = blueError(() => resolvePanel([{ role: 'Data Scientist', source: 'pool' }], afterRound0()));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('role_not_in_pool');
    expect(error.message).toContain('"Data Scientist" is not a role in the pool');
    expect(error.message).toContain('source created');
  });

  it('pool is refused for an expert who sat on the previous panel', () => {
    const error = blueError(() => resolvePanel([{ name: 'Muffin', role: 'Platform Engineer', source: 'pool' }], afterRound0()));
    expect(error.code).toBe('source_mismatch');
    expect(error.message).toContain('its source is retained, not pool');
  });

  it('pool brings back a bound expert who sat out a round under its old name', () => {
    const context = afterRound0();
    const round1 = open([{ name: 'Muffin', role: 'Platform Engineer', source: 'retained' }], context);
    const { panel, newExperts } = resolvePanel([{ role: 'Startup CTO', source: 'pool' }], { ...context, experts: round1.experts, previous: round1.panel, round: 2 });
    expect(panel[0].name).toBe('Scone');
    expect(panel[0].source).toBe('pool');
    expect(newExperts).toEqual([]);
  });

  it('created requires a tier, leaves relevance unset, and binds a created expert', () => {
    const context = afterRound0();
    const { panel, newExperts } = resolvePanel([{ role: 'Implementation Pragmatist', source: 'created', tier: 'adjacent', focus: 'Proofs of concept' }], context);
    expect(panel).toEqual([{ name: 'Eclair', role: 'Implementation Pragmatist', tier: 'adjacent', source: 'created', focus: 'Proofs of concept' }]);
    expect(newExperts).toEqual([{ name: 'Eclair', role: 'Implementation Pragmatist', tier: 'adjacent', origin: 'created', firstRound: 1 }]);
    const error = blueError(() => resolvePanel([{ role: 'Implementation Pragmatist', source: 'created' }], context));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('invalid_panel');
    expect(error.details.field).toBe('panel[0].tier');
    expect(error.message).toContain('panel[0].tier is required for a created expert');
  });

  it('created is refused for a pool role', () => {
    const error = blueError(() => resolvePanel([{ role: 'QA Engineer', source: 'created', tier: 'core' }], afterRound0()));
    expect(error.code).toBe('source_mismatch');
    expect(error.message).toContain('use source pool');
  });

  it('created may appear in round 0', () => {
    const { newExperts } = resolvePanel([{ role: 'Outsider', source: 'created', tier: 'wildcard' }], { pool, experts: [], previous: [], round: 0 });
    expect(newExperts[0]).toMatchObject({ name: 'Muffin', origin: 'created', firstRound: 0 });
  });
});

describe('resolvePanel: replaying the reference dialogues', () => {
  it('ukfs-spec-review resolves round by round, with a created expert in round 1', () => {
    const ukfsPool = readPool('ukfs-spec-review');
    let context: PanelContext = { pool: ukfsPool, experts: [], previous: [], round: 0 };
    const panels: PanelMember[][] = [];
    for (const round of [0, 1, 2]) {
      const opened = open(readPanel('ukfs-spec-review', round), { ...context, round });
      panels.push(opened.panel);
      context = { pool: ukfsPool, experts: opened.experts, previous: opened.panel, round: round + 1 };
    }
    expect(panels[0]).toHaveLength(12);
    expect(panels[1].find((m) => m.name === 'Palmier')).toEqual({
      name: 'Palmier', role: 'Implementation Pragmatist', tier: 'adjacent', source: 'created',
      focus: 'Real-world validation, proof-of-concept design, implementation trade-offs',
    });
    expect(panels[1].find((m) => m.name === 'Tartlet')).toMatchObject({ role: 'Git/VCS Expert', source: 'pool', relevance: 0.68 });
    expect(panels[2].map((m) => m.name)).toEqual(['Galette', 'Tartlet', 'Eclair', 'Strudel', 'Brioche']);
    expect(context.experts).toHaveLength(15);
  });

  it('local-prod-parity is refused in round 2, where Eclair changed role: names bind strictly', () => {
    const lppPool = readPool('local-prod-parity');
    const round0 = open(readPanel('local-prod-parity', 0), { pool: lppPool, experts: [], previous: [], round: 0 });
    const round1 = open(readPanel('local-prod-parity', 1), { pool: lppPool, experts: round0.experts, previous: round0.panel, round: 1 });
    expect(round1.panel.find((m) => m.name === 'Palmier')).toMatchObject({ role: 'QA Engineer', source: 'pool' });
    const error = blueError(() => resolvePanel(readPanel('local-prod-parity', 2), { pool: lppPool, experts: round1.experts, previous: round1.panel, round: 2 }));
    expect(error.code).toBe('name_bound_to_other_role');
    expect(error.message).toContain('Eclair is bound to "Cloud Architect" in this dialogue, not "Database Architect"');
  });

  it('RFC 0058 resolves when the caller passes the pool role for Tartlet’s reworded role', () => {
    const rfcPool = readPool(RFC_0058);
    // The reference has no round-0 panel.json; the record lists the round-0 panel.
    const round0Roles: Array<[string, string]> = [
      ['Muffin', 'Relational Database Architect'], ['Cupcake', 'DynamoDB Single-Table Design Specialist'],
      ['Scone', 'Platform Engineer (Local-Prod Parity)'], ['Eclair', 'Graph Query Pattern Analyst'],
      ['Donut', 'Cloud Cost & Scaling Economist'], ['Brioche', 'SRE & Operational Complexity Lead'],
      ['Croissant', 'Rust Systems Engineer (Trait Abstractions)'], ['Macaron', 'Startup CTO (Ship-Speed Pragmatist)'],
      ['Cannoli', 'Serverless & Edge Deployment Advocate'], ['Strudel', 'Contrarian (Challenge All Assumptions)'],
    ];
    const round0 = open(round0Roles.map(([name, role]) => ({ name, role, source: 'pool' as const })), { pool: rfcPool, experts: [], previous: [], round: 0 });
    const round1 = open(readPanel(RFC_0058, 1), { pool: rfcPool, experts: round0.experts, previous: round0.panel, round: 1 });
    expect(round1.newExperts.map((e) => e.name)).toEqual(['Tartlet', 'Galette']);

    const round2Inputs = readPanel(RFC_0058, 2);
    const strict = blueError(() => resolvePanel(round2Inputs, { pool: rfcPool, experts: round1.experts, previous: round1.panel, round: 2 }));
    expect(strict.code).toBe('name_bound_to_other_role');
    expect(strict.message).toContain('Tartlet is bound to "Data Migration & Zero-Downtime Specialist" in this dialogue, not "Data Migration Specialist"');

    const bound = round2Inputs.map((input) => (input.name === 'Tartlet' ? { ...input, role: 'Data Migration & Zero-Downtime Specialist' } : input));
    const round2 = resolvePanel(bound, { pool: rfcPool, experts: round1.experts, previous: round1.panel, round: 2 });
    expect(round2.panel.find((m) => m.name === 'Tartlet')).toMatchObject({ role: 'Data Migration & Zero-Downtime Specialist', source: 'retained', relevance: 0.7 });
    expect(round2.newExperts).toEqual([]);
  });
});
