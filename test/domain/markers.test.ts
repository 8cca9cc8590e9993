import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { readMarkers } from '../../src/domain/markers.js';
import { formatIdRef as displayId, findIdMentions, parseIdRef } from '../../src/domain/ids.js';
import type { MarkerEntry, MarkerReading } from '../../src/domain/markers.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REFERENCE_DIALOGUES, REFERENCE_DOCS, RFC_0058 } from '../support/reference.js';

const DIALOGUE = pathToFileURL(`${join(REFERENCE_DIALOGUES, RFC_0058)}/`);

/** The expert outputs of one reference round, by file name (prompts left out). */
function readRound(n: number): Map<string, { markdown: string; reading: MarkerReading }> {
  const dir = new URL(`round-${n}/`, DIALOGUE);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md') && !f.endsWith('.prompt.md'))
    .sort();
  return new Map(
    files.map((f) => {
      const markdown = readFileSync(new URL(f, dir), 'utf8');
      return [f, { markdown, reading: readMarkers(markdown) }];
    }),
  );
}

const rounds = [0, 1, 2, 3].map(readRound);

function entriesOf(round: number): MarkerEntry[] {
  return [...rounds[round].values()].flatMap((r) => r.reading.entries);
}

function count(round: number, type: MarkerEntry['type'], kind?: string): number {
  return entriesOf(round).filter((e) => e.type === type && (kind === undefined || ('kind' in e && e.kind === kind)))
    .length;
}

/** Every line that is not a marker line (and not a blank line or a `---`) must survive in some text. */
function expectNoTextLost(markdown: string, reading: MarkerReading): void {
  const kept = [...reading.entries.map((e) => e.text), ...reading.unmarked.map((u) => u.text)].join('\n');
  const markerLines = new Set(reading.entries.map((e) => e.line));
  markdown.split(/\r?\n/).forEach((line, index) => {
    const text = line.trim();
    if (text === '' || markerLines.has(index + 1) || /^(?:-{3,}|\*{3,}|_{3,})$/.test(text)) return;
    expect(kept, `line ${index + 1}: ${text}`).toContain(text);
  });
}

function only<T extends MarkerEntry['type']>(reading: MarkerReading, type: T): Extract<MarkerEntry, { type: T }>[] {
  return reading.entries.filter((e): e is Extract<MarkerEntry, { type: T }> => e.type === type);
}

const lines = (...ls: string[]) => ls.join('\n');

// ---------------------------------------------------------------------------------------------------------

describe('parseIdRef', () => {
  it.each([
    ['MUFFIN-T01', { author: 'MUFFIN', round: 0, letter: 'T', seq: 1 }],
    ['muffin-t01', { author: 'MUFFIN', round: 0, letter: 'T', seq: 1 }],
    ['Muffin-P02', { author: 'MUFFIN', round: 0, letter: 'P', seq: 2 }],
    ['CROISSANT R1-T01', { author: 'CROISSANT', round: 1, letter: 'T', seq: 1 }],
    ['croissant   r1-t01', { author: 'CROISSANT', round: 1, letter: 'T', seq: 1 }],
    ['CROISSANT-R1-T01', { author: 'CROISSANT', round: 1, letter: 'T', seq: 1 }],
    ['Strudel R2-T03', { author: 'STRUDEL', round: 2, letter: 'T', seq: 3 }],
    ['MUFFIN-T0101', { author: 'MUFFIN', round: 1, letter: 'T', seq: 1 }],
    ['MUFFIN-P0102', { author: 'MUFFIN', round: 1, letter: 'P', seq: 2 }],
    ['MUFFIN-R0101', { author: 'MUFFIN', round: 1, letter: 'R', seq: 1 }],
    ['DONUT-E0203', { author: 'DONUT', round: 2, letter: 'E', seq: 3 }],
    ['CUPCAKE-C0001', { author: 'CUPCAKE', round: 0, letter: 'C', seq: 1 }],
    ['PASTRY21-P0101', { author: 'PASTRY21', round: 1, letter: 'P', seq: 1 }],
    ['MUFFIN-R01', { author: 'MUFFIN', round: 0, letter: 'R', seq: 1 }],
    ['T0001', { round: 0, letter: 'T', seq: 1, global: true }],
    ['p0215', { round: 2, letter: 'P', seq: 15, global: true }],
    ['R0001', { round: 0, letter: 'R', seq: 1, global: true }],
    ['R1-T01', { round: 1, letter: 'T', seq: 1 }],
    ['T01', { letter: 'T', seq: 1 }],
    ['T1', { letter: 'T', seq: 1 }],
    ['t12', { letter: 'T', seq: 12 }],
    ['P02', { letter: 'P', seq: 2 }],
    ['  MUFFIN-T01  ', { author: 'MUFFIN', round: 0, letter: 'T', seq: 1 }],
  ])('%s', (raw, expected) => {
    expect(parseIdRef(raw)).toEqual(expected);
  });

  it('marks only 4-digit author-less ids as global', () => {
    expect(parseIdRef('T0001')?.global).toBe(true);
    expect(parseIdRef('T01')?.global).toBeUndefined();
    expect(parseIdRef('MUFFIN-T0101')?.global).toBeUndefined();
  });

  it.each(['', 'T', 'T001', 'T00', 'X01', 'MUFFIN', 'MUFFIN-X01', 'MUFFIN-T', '@muffin', 'T01 extra', 'MUFFIN-T01x'])(
    'rejects %j',
    (raw) => {
      expect(parseIdRef(raw)).toBeUndefined();
    },
  );
});

describe('displayId', () => {
  it.each([
    ['muffin-t01', 'MUFFIN-T01'],
    ['croissant-r1-t01', 'CROISSANT R1-T01'],
    ['MUFFIN-T0101', 'MUFFIN R1-T01'],
    ['MUFFIN-P0001', 'MUFFIN-P01'],
    ['t0102', 'T0102'],
    ['T1', 'T01'],
    ['R2-P03', 'R2-P03'],
  ])('%s -> %s', (raw, shown) => {
    expect(displayId(parseIdRef(raw)!)).toBe(shown);
  });
});

describe('findIdMentions', () => {
  it('finds every id form in prose, as written', () => {
    const text = 'Sharpening CROISSANT-T01, muffin r1-t01, ECLAIR R1-T01 and GALETTE-T0101 against T0001 and T02';
    expect(findIdMentions(text).map((m) => m.raw)).toEqual([
      'CROISSANT-T01',
      'muffin r1-t01',
      'ECLAIR R1-T01',
      'GALETTE-T0101',
      'T0001',
      'T02',
    ]);
  });

  it('does not take ordinary words or round numbers for ids in prose', () => {
    expect(findIdMentions("Cannoli's R2 position on p99 latency, RFC 0058 and ADR-0018, E2E tests").map((m) => m.raw))
      .toEqual([]);
    expect(findIdMentions('pre-T01 wording').map((m) => m.raw)).toEqual([]);
  });

  it('drops a word before a round id when it is not a pastry name', () => {
    const [m] = findIdMentions('the disagreement about R1-T01');
    expect(m.raw).toBe('R1-T01');
    expect(m.ref).toEqual({ round: 1, letter: 'T', seq: 1 });
    expect('the disagreement about R1-T01'.slice(m.index)).toBe('R1-T01');
  });

  it('accepts any bare id in marker arguments', () => {
    expect(findIdMentions('R01, e2 and c3', 'args').map((m) => m.raw)).toEqual(['R01', 'e2', 'c3']);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('the reference dialogue (RFC 0058 supersession)', () => {
  it('reads round 0: 20 perspectives, 10 tensions, no warnings', () => {
    expect(rounds[0].size).toBe(10);
    expect(count(0, 'entity', 'perspective')).toBe(20);
    expect(count(0, 'entity', 'tension')).toBe(10);
    for (const [file, { reading }] of rounds[0]) expect(reading.warnings, file).toEqual([]);
  });

  it('reads round 1: 16 perspectives, 7 tensions', () => {
    expect(count(1, 'entity', 'perspective')).toBe(16);
    expect(count(1, 'entity', 'tension')).toBe(7);
  });

  it('reads round 2: 12 perspectives, 1 tension', () => {
    expect(count(2, 'entity', 'perspective')).toBe(12);
    expect(count(2, 'entity', 'tension')).toBe(1);
  });

  it('reads round 3: 10 perspectives (Cannoli and Strudel wrote one each), 0 tensions', () => {
    expect(count(3, 'entity', 'perspective')).toBe(10);
    expect(count(3, 'entity', 'tension')).toBe(0);
  });

  it('finds one MOVE:CONVERGE per file in round 3, and none before', () => {
    expect(rounds[3].size).toBe(6);
    for (const [file, { reading }] of rounds[3]) {
      expect(only(reading, 'move').filter((m) => m.kind === 'converge'), file).toHaveLength(1);
    }
    expect(count(3, 'move', 'converge')).toBe(6);
    for (const r of [0, 1, 2]) expect(count(r, 'move', 'converge')).toBe(0);
  });

  it('reads the old-dialect ids: seq from P01/T01, round unknown', () => {
    const muffin = rounds[0].get('muffin.md')!.reading;
    expect(muffin.entries.map((e) => e.type === 'entity' && [e.kind, e.seq, e.round, e.line])).toEqual([
      ['perspective', 1, undefined, 1],
      ['perspective', 2, undefined, 4],
      ['tension', 1, undefined, 7],
    ]);
    const [first] = only(muffin, 'entity');
    expect(first.label).toBe(
      'RFC 0051 refs table is a typed directed graph that DynamoDB single-table design cannot query natively',
    );
    expect(first.text).toMatch(/^The `refs` table defines 8 semantic edge types/);
    expect(first.localId).toBeUndefined();
    // The closing separator is not part of the last body.
    expect(muffin.entries[2].text).not.toMatch(/---/);
    expect(muffin.entries[2].text).toMatch(/zero duplication\.$/);
  });

  const expectedResolutions: Record<number, Record<string, string[][]>> = {
    1: {
      'macaron.md': [['MACARON-T01']],
    },
    2: {
      'cannoli.md': [['MUFFIN R1-T01', 'MACARON R1-T01', 'ECLAIR R1-T01']],
      'croissant.md': [['STRUDEL R1-T01']],
      'galette.md': [['GALETTE R1-T01']],
      'muffin.md': [['MUFFIN R1-T01']],
      'strudel.md': [['STRUDEL R1-T01']],
      'tartlet.md': [['MACARON R1-T01']],
    },
    3: {
      'cannoli.md': [[]],
      'croissant.md': [['STRUDEL R2-T01']],
      'galette.md': [['GALETTE R1-T01']],
      'muffin.md': [['MUFFIN R1-T01']],
      'strudel.md': [['T01']],
      'tartlet.md': [['TARTLET R1-T01']],
    },
  };

  for (const round of [1, 2, 3]) {
    it(`yields the tension ids of every RESOLVED in round ${round}`, () => {
      const found = Object.fromEntries(
        [...rounds[round]]
          .map(([file, { reading }]) => [file, only(reading, 'resolved').map((r) => r.targets)] as const)
          .filter(([, targets]) => targets.length > 0),
      );
      expect(found).toEqual(expectedResolutions[round]);
    });
  }

  it('keeps the RESOLVED labels and links a bare own number to nothing else', () => {
    const label = (round: number, file: string) => only(rounds[round].get(file)!.reading, 'resolved')[0].label;
    expect(label(1, 'macaron.md')).toBe('MACARON-T01 (no rollback plan)');
    expect(label(2, 'galette.md')).toBe('Prerequisite inversion');
    expect(label(2, 'strudel.md')).toBe('STRUDEL R1-T01 (trait shaped by workarounds vs domain)');
    expect(label(3, 'strudel.md')).toBe('Graph assembly location');
    expect(label(2, 'cannoli.md')).toBeUndefined();
    expect(parseIdRef('T01')).toEqual({ letter: 'T', seq: 1 });
  });

  it('keeps the RESOLVED that names no id, with its text, and warns about it on its line', () => {
    const cannoli = rounds[3].get('cannoli.md')!.reading;
    const [resolved] = only(cannoli, 'resolved');
    expect(resolved).toMatchObject({ targets: [], line: 7, label: "Refs table disagreement (Judge's remaining disagreement)" });
    expect(resolved.text).toMatch(/^Both positions produce identical read behavior/);
    expect(cannoli.warnings).toHaveLength(1);
    expect(cannoli.warnings[0].line).toBe(7);
    expect(cannoli.warnings[0].message).toContain('RESOLVED names no tension id');
  });

  it('warns nowhere else in rounds 1-3', () => {
    const others = [1, 2, 3].flatMap((r) =>
      [...rounds[r]].filter(([f]) => !(r === 3 && f === 'cannoli.md')).flatMap(([, { reading }]) => reading.warnings),
    );
    expect(others).toEqual([]);
  });

  it('reads refinements and concessions with the ids their labels name', () => {
    const moves = (round: number, kind: string) =>
      [...rounds[round]].flatMap(([file, { reading }]) =>
        only(reading, 'move')
          .filter((m) => m.kind === kind)
          .map((m) => [file, m.targets]),
      );
    expect(moves(1, 'refinement')).toEqual([
      ['cannoli.md', ['CANNOLI-T01']],
      ['croissant.md', ['CROISSANT-T01']],
      ['eclair.md', []],
      ['galette.md', []],
      ['macaron.md', ['MACARON-T01']],
      ['muffin.md', []],
      ['strudel.md', ['STRUDEL-T01']],
      ['tartlet.md', []],
    ]);
    expect(moves(2, 'refinement')).toEqual([
      ['croissant.md', ['CROISSANT R1-T01']],
      ['galette.md', []],
      ['muffin.md', ['ECLAIR R1-T01']],
      ['tartlet.md', []],
    ]);
    expect(count(1, 'move', 'concession')).toBe(7);
    expect(count(2, 'move', 'concession')).toBe(1);
    expect(count(3, 'move', 'concession')).toBe(4);
    const [croissant] = only(rounds[1].get('croissant.md')!.reading, 'move');
    expect(croissant).toMatchObject({ kind: 'refinement', label: 'Sharpening CROISSANT-T01 from Round 0', line: 10 });
  });

  it('loses no text in any reference file', () => {
    for (const round of rounds) {
      for (const [file, { markdown, reading }] of round) {
        expect(reading.unmarked, file).toEqual([]);
        expectNoTextLost(markdown, reading);
        for (const e of reading.entries.filter((x) => x.type === 'entity')) expect(e.text, `${file}:${e.line}`).not.toBe('');
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('the RFC 0051 dialect', () => {
  const rfc = readFileSync(new URL('rfcs__0051-A-global-perspective-tension-tracking.md', REFERENCE_DOCS), 'utf8');
  const example = rfc.split('#### Example: Complete Expert Response')[1].split('```markdown\n')[1].split('\n```')[0];
  const reading = readMarkers(example);

  it('reads the complete expert response of the RFC', () => {
    expect(reading.warnings).toEqual([]);
    expect(reading.unmarked).toEqual([{ line: 1, text: '# Muffin - Value Analyst (Round 1)' }]);
    const summary = reading.entries.map((e) => {
      switch (e.type) {
        case 'entity':
          return `${e.kind} ${e.localId} r${e.round} s${e.seq}`;
        case 'ref':
          return `${e.kind} ${e.target} from ${e.from}`;
        case 'move':
          return `${e.kind} ${e.targets.join(' ')}`;
        case 'resolved':
          return `resolved ${e.targets.join(' ')}`;
      }
    });
    expect(summary).toEqual([
      'perspective MUFFIN-P0101 r1 s1',
      'refine P0001 from MUFFIN-P0101',
      'support R0001 from MUFFIN-P0101',
      'address T0001 from MUFFIN-P0101',
      'evidence MUFFIN-E0101 r1 s1',
      'support MUFFIN-P0101 from MUFFIN-E0101',
      'tension MUFFIN-T0101 r1 s1',
      'bridge P0003 R0001',
      'claim MUFFIN-C0101 r1 s1',
      'depend MUFFIN-P0101 from MUFFIN-C0101',
      'depend MUFFIN-E0101 from MUFFIN-C0101',
    ]);
    expectNoTextLost(example, reading);
  });

  it('gives each marker its own body, labels and lines', () => {
    const [perspective] = only(reading, 'entity');
    expect(perspective).toMatchObject({
      author: 'MUFFIN',
      label: 'Options viability confirmed',
      line: 3,
      text: lines(
        'The 30-delta covered call strategy can generate 18-34% annualized income,',
        'effectively bridging the income mandate gap. This addresses my original',
        'concern from P0001.',
      ),
    });
    const support = only(reading, 'ref').find((r) => r.target === 'R0001')!;
    expect(support.text).toMatch(/^Donut's collar structure is sound\./);
    expect(only(reading, 'entity').find((e) => e.kind === 'evidence')!.text).toMatch(/^- NVDA 30-day ATM IV/);
    const depends = only(reading, 'ref').filter((r) => r.kind === 'depend');
    expect(depends.map((d) => [d.line, d.text])).toEqual([
      [43, ''],
      [44, ''],
    ]);
  });

  it('lets RE markers right under an entity marker annotate it without taking its body', () => {
    const skill = readFileSync(new URL('skills__alignment-expert__SKILL.md', REFERENCE_DOCS), 'utf8');
    const response = skill.split('**Example Response:**')[1].split('```markdown\n')[1].split('\n```')[0];
    const r = readMarkers(response);
    expect(r.warnings).toEqual([]);
    expect(r.unmarked.map((u) => u.text)).toEqual([
      '## Muffin (Value Analyst) — Round 1',
      "The options overlay addresses my primary concern about income generation. However,\nI want to ensure we've stress-tested this approach.",
    ]);
    const [p0101, e0101, c0101] = only(r, 'entity');
    expect(p0101.text).toMatch(/^Historical premium data supports the collar strategy\./);
    expect(e0101.text).toMatch(/^Backtested R0001 parameters/);
    expect(c0101.text).toMatch(/^The 4% income mandate can be satisfied/);
    expect(only(r, 'ref').map((x) => [x.kind, x.target, x.from, x.text])).toEqual([
      ['refine', 'P0001', 'MUFFIN-P0101', ''],
      ['support', 'R0001', 'MUFFIN-P0101', ''],
      ['address', 'T0001', 'MUFFIN-P0101', ''],
      ['support', 'MUFFIN-P0101', 'MUFFIN-E0101', ''],
      ['depend', 'MUFFIN-E0101', 'MUFFIN-C0101', ''],
      ['resolve', 'T0001', 'MUFFIN-C0101', ''],
    ]);
    const [concede] = only(r, 'move');
    expect(concede).toMatchObject({ kind: 'concede', targets: ['P0003'] });
    expect(concede.text).toMatch(/\*\*Confidence\*\*: 0\.85$/);
    expectNoTextLost(response, r);
  });

  it('reads every entity letter of a local id', () => {
    const r = readMarkers(
      lines(
        '[MUFFIN-P0101: a]',
        '[MUFFIN-R0102: b]',
        '[MUFFIN-T0201: c]',
        '[MUFFIN-E0101: d]',
        '[MUFFIN-C0101: e]',
        '[croissant r1-t02: f]',
        '[MUFFIN-T01: g]',
      ),
    );
    expect(r.warnings).toEqual([]);
    expect(only(r, 'entity').map((e) => [e.kind, e.localId, e.round, e.seq, e.label])).toEqual([
      ['perspective', 'MUFFIN-P0101', 1, 1, 'a'],
      ['recommendation', 'MUFFIN-R0102', 1, 2, 'b'],
      ['tension', 'MUFFIN-T0201', 2, 1, 'c'],
      ['evidence', 'MUFFIN-E0101', 1, 1, 'd'],
      ['claim', 'MUFFIN-C0101', 1, 1, 'e'],
      ['tension', 'CROISSANT R1-T02', 1, 2, 'f'],
      ['tension', 'MUFFIN-T01', 0, 1, 'g'],
    ]);
  });

  it('reads all eight reference kinds and every target form', () => {
    const r = readMarkers(
      lines(
        '[RE:SUPPORT P0001]',
        '[RE:OPPOSE MUFFIN-P0101]',
        '[RE:REFINE P0002]',
        '[RE:ADDRESS CROISSANT R1-T01]',
        '[RE:RESOLVE T0001]',
        '[RE:REOPEN T0002]',
        '[RE:QUESTION @muffin]',
        '[re: depend e0101]',
        '[RE:SUPPORT P0001, P0002 and MUFFIN-R0101]',
        "[RE:OPPOSE Donut's framing]",
        '[RE:SUPPORT P0003: the strongest case]',
      ),
    );
    expect(r.warnings).toEqual([]);
    expect(only(r, 'ref').map((x) => [x.line, x.kind, x.target, x.label])).toEqual([
      [1, 'support', 'P0001', undefined],
      [2, 'oppose', 'MUFFIN-P0101', undefined],
      [3, 'refine', 'P0002', undefined],
      [4, 'address', 'CROISSANT R1-T01', undefined],
      [5, 'resolve', 'T0001', undefined],
      [6, 'reopen', 'T0002', undefined],
      [7, 'question', '@muffin', undefined],
      [8, 'depend', 'e0101', undefined],
      [9, 'support', 'P0001', undefined],
      [9, 'support', 'P0002', undefined],
      [9, 'support', 'MUFFIN-R0101', undefined],
      [10, 'oppose', "Donut's framing", undefined],
      [11, 'support', 'P0003', 'the strongest case'],
    ]);
  });

  it('reads every move, dissent and minority verdict', () => {
    const r = readMarkers(
      lines(
        '[MOVE:CONVERGE]',
        '[MOVE:DEFEND MUFFIN-P0101]',
        '[MOVE:CHALLENGE x]',
        '[MOVE:BRIDGE P0001, R0001]',
        '[MOVE:REQUEST cost data from @donut]',
        '[move: concede P0003]',
        '[DISSENT]',
        'I cannot support the majority position.',
        '[DISSENT: concentration risk unaddressed]',
        '[MINORITY VERDICT: Reject the full swap]',
        '[MINORITY VERDICT]',
      ),
    );
    expect(r.warnings).toEqual([]);
    expect(only(r, 'move').map((m) => [m.line, m.kind, m.label, m.targets])).toEqual([
      [1, 'converge', undefined, []],
      [2, 'defend', 'MUFFIN-P0101', ['MUFFIN-P0101']],
      [3, 'challenge', 'x', []],
      [4, 'bridge', 'P0001, R0001', ['P0001', 'R0001']],
      [5, 'request', 'cost data from @donut', ['@donut']],
      [6, 'concede', 'P0003', ['P0003']],
      [7, 'dissent', undefined, []],
      [9, 'dissent', 'concentration risk unaddressed', []],
      [10, 'minority', 'Reject the full swap', []],
      [11, 'minority', undefined, []],
    ]);
    expect(only(r, 'move')[6].text).toBe('I cannot support the majority position.');
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('RESOLVED spellings', () => {
  it.each([
    ['[RESOLVED MUFFIN R1-T01]', ['MUFFIN R1-T01'], undefined],
    ['[RESOLVED MUFFIN R1-T01, MACARON R1-T01, ECLAIR R1-T01]', ['MUFFIN R1-T01', 'MACARON R1-T01', 'ECLAIR R1-T01'], undefined],
    ['[RESOLVED GALETTE R1-T01: Prerequisite inversion]', ['GALETTE R1-T01'], 'Prerequisite inversion'],
    ['[RESOLVED: STRUDEL R1-T01 (trait shaped by workarounds vs domain)]', ['STRUDEL R1-T01'], 'STRUDEL R1-T01 (trait shaped by workarounds vs domain)'],
    ['[RESOLVED T01: MACARON-T01 (no rollback plan)]', ['MACARON-T01'], 'MACARON-T01 (no rollback plan)'],
    ['[RESOLVED T01: Graph assembly location]', ['T01'], 'Graph assembly location'],
    ['[RESOLVED T1]', ['T1'], undefined],
    ['[RESOLVED T3]', ['T3'], undefined],
    ['[RESOLVED T01, T02]', ['T01', 'T02'], undefined],
    ['[resolved muffin r1-t01]', ['muffin r1-t01'], undefined],
    ['[Resolved Croissant-R1-T01]', ['Croissant-R1-T01'], undefined],
    ['[RESOLVES MUFFIN-T01]', ['MUFFIN-T01'], undefined],
    ['[  RESOLVED    MUFFIN   R1-T01  ]', ['MUFFIN R1-T01'], undefined],
    ['[RESOLVED T0001]', ['T0001'], undefined],
    ['[RESOLVED MUFFIN-T0101]', ['MUFFIN-T0101'], undefined],
    ['[RESOLVED: T02 (the rollback question)]', ['T02'], 'T02 (the rollback question)'],
    ['[RESOLVED MUFFIN R1-T01: also MUFFIN R1-T01]', ['MUFFIN R1-T01'], 'also MUFFIN R1-T01'],
  ])('%s', (marker, targets, label) => {
    const r = readMarkers(lines(marker, 'Because.'));
    expect(r.warnings).toEqual([]);
    expect(r.entries).toEqual([{ type: 'resolved', targets, ...(label ? { label } : {}), text: 'Because.', line: 1 }]);
    for (const t of targets) expect(parseIdRef(t)?.letter).toBe('T');
  });

  it.each(['[RESOLVED: Refs table disagreement (Judge\u2019s remaining disagreement)]', '[RESOLVED]', '[RESOLVED Tn]'])(
    'keeps %s with no target and warns',
    (marker) => {
      const r = readMarkers(lines('intro', marker, 'Why it is settled.'));
      expect(only(r, 'resolved')).toMatchObject([{ targets: [], text: 'Why it is settled.', line: 2 }]);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatchObject({ line: 2 });
      expect(r.warnings[0].message).toContain('RESOLVED names no tension id');
    },
  );
});

// ---------------------------------------------------------------------------------------------------------

describe('markers wrapped in Markdown', () => {
  const md = lines(
    '# Muffin - Value Analyst (Round 1)', // 1
    '', // 2
    'Opening remark.', // 3
    '', // 4
    '## [PERSPECTIVE P01: heading]', // 5
    'Body of P01.', // 6
    '**[TENSION T01: bold]**', // 7
    'Body of T01.', // 8
    '- [MOVE:CONVERGE]', // 9
    '* **[PERSPECTIVE P02: bullet and bold]** with body on the same line', // 10
    'and a second line.', // 11
    '### PERSPECTIVE P03: not bracketed, so not a marker', // 12
    'As I said in [PERSPECTIVE P04: inline] this is prose.', // 13
    '```markdown', // 14
    '[PERSPECTIVE P05: inside a code block]', // 15
    '```', // 16
    '[MUFFIN-P0101: chained] [RE:SUPPORT P0001] [RE:ADDRESS T0001] body after markers', // 17
    '1. [CONCESSION: numbered list]', // 18
    '- [ ] a task box, not a marker', // 19
    '[A link](https://example.com) at the start of a line', // 20
    '---', // 21
  );
  const r = readMarkers(md);

  it('finds exactly the markers at the start of a line', () => {
    expect(r.warnings).toEqual([]);
    expect(r.entries.map((e) => [e.line, e.type, 'kind' in e ? e.kind : '', 'label' in e ? e.label : undefined])).toEqual([
      [5, 'entity', 'perspective', 'heading'],
      [7, 'entity', 'tension', 'bold'],
      [9, 'move', 'converge', undefined],
      [10, 'entity', 'perspective', 'bullet and bold'],
      [17, 'entity', 'perspective', 'chained'],
      [17, 'ref', 'support', undefined],
      [17, 'ref', 'address', undefined],
      [18, 'move', 'concession', 'numbered list'],
    ]);
  });

  it('keeps the title and opening before the first marker as unmarked text', () => {
    expect(r.unmarked).toEqual([
      { line: 1, text: '# Muffin - Value Analyst (Round 1)' },
      { line: 3, text: 'Opening remark.' },
    ]);
  });

  it('assigns same-line and following text, code blocks and non-markers to the right body', () => {
    const text = (line: number) => r.entries.find((e) => e.line === line)!.text;
    expect(text(5)).toBe('Body of P01.');
    expect(text(7)).toBe('Body of T01.');
    expect(text(10)).toBe(
      lines(
        'with body on the same line',
        'and a second line.',
        '### PERSPECTIVE P03: not bracketed, so not a marker',
        'As I said in [PERSPECTIVE P04: inline] this is prose.',
        '```markdown',
        '[PERSPECTIVE P05: inside a code block]',
        '```',
      ),
    );
    // The RE markers on the entity's line annotate it; the body stays the entity's.
    expect(text(17)).toBe('body after markers');
    expect(only(r, 'ref').map((x) => [x.from, x.text])).toEqual([
      ['MUFFIN-P0101', ''],
      ['MUFFIN-P0101', ''],
    ]);
    expect(text(18)).toBe(
      lines('- [ ] a task box, not a marker', '[A link](https://example.com) at the start of a line'),
    );
    expectNoTextLost(md, r);
  });

  it('ends a code block only at a matching fence', () => {
    const m = readMarkers(lines('[PERSPECTIVE P01: a]', '~~~~', '```', '[TENSION T01: inside]', '~~~~', '[TENSION T02: outside]'));
    expect(m.entries.map((e) => e.line)).toEqual([1, 6]);
  });

  it('accepts Windows line endings and a byte-order mark', () => {
    const m = readMarkers('\uFEFF[PERSPECTIVE P01: a]\r\nbody\r\n[MOVE:CONVERGE]\r\n');
    expect(m.entries.map((e) => [e.line, e.text])).toEqual([
      [1, 'body'],
      [3, ''],
    ]);
  });

  it('warns about a marker written as a Markdown link, and keeps it as text', () => {
    const md = lines('[PERSPECTIVE P01: a]', '[TENSION T01: costs](https://x.y) at the start of a line', '- **[TENSION T02: b](#t02)**', '[PERSPECTIVE P02: c] [TENSION T03: d](https://x.y)', '[A link](https://example.com) stays silent');
    const m = readMarkers(md);
    expect(m.entries.map((e) => [e.line, 'label' in e ? e.label : undefined])).toEqual([
      [1, 'a'],
      [4, 'c'],
    ]);
    expect(m.warnings.map((w) => [w.line, w.message])).toEqual([
      [2, '"[TENSION T01: costs](...)" is a Markdown link, so it is not read as a marker; expected the marker alone, with the link after it: "[TENSION T01: costs] (...)"'],
      [3, '"[TENSION T02: b](...)" is a Markdown link, so it is not read as a marker; expected the marker alone, with the link after it: "[TENSION T02: b] (...)"'],
      [4, '"[TENSION T03: d](...)" is a Markdown link, so it is not read as a marker; expected the marker alone, with the link after it: "[TENSION T03: d] (...)"'],
    ]);
    expectNoTextLost(md, m);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('malformed input', () => {
  const md = lines(
    '[PERSPECTIVE: no id]', // 1  before any marker: stays unmarked
    'Preamble after a broken marker.', // 2
    '[PERSPECTIVE P01: fine]', // 3
    'Body of P01.', // 4
    '[TENSION T01 missing bracket', // 5
    'More of P01.', // 6
    '[MOVE:DANCE]', // 7
    '[RE:LOVE P0001]', // 8
    '[PERSPECTIVE T02: wrong letter]', // 9
    '[NOTE: an unknown upper-case marker]', // 10
    '[P0101: global id where a local one belongs]', // 11
    '[MUFFIN-X0101: unknown letter]', // 12
    '[RE:SUPPORT]', // 13
    '[VERDICT:FINAL]', // 14
    '[RE: DONUT-R0001]', // 15
    '[MOVE:CONVERGE] [MOVE:DANCE] trailing text', // 16
    '[MOVE:DEFEND]', // 17
    'Last words.', // 18
  );
  const r = readMarkers(md);

  it('warns once per unreadable marker, on its line, saying what was expected', () => {
    expect(r.warnings.map((w) => w.line)).toEqual([1, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    const message = (line: number) => r.warnings.find((w) => w.line === line)!.message;
    expect(message(1)).toMatch(/PERSPECTIVE names no id.*expected \[PERSPECTIVE P01: label\]/);
    expect(message(5)).toMatch(/not closed.*"\[TENSION T01 missing bracket".*expected a closing "\]"/);
    expect(message(7)).toMatch(/unknown move "DANCE".*expected .*CONVERGE, DEFEND, CHALLENGE, BRIDGE, REQUEST, CONCEDE/);
    expect(message(8)).toMatch(/unknown reference kind "LOVE".*SUPPORT, OPPOSE, REFINE, ADDRESS, RESOLVE, REOPEN, QUESTION, DEPEND/);
    expect(message(9)).toMatch(/PERSPECTIVE has a T id \(T02\).*expected \[PERSPECTIVE P01: label\]/);
    expect(message(10)).toMatch(/unknown marker.*\[NOTE: an unknown upper-case marker\].*MUFFIN-P0101/);
    expect(message(11)).toMatch(/without an author.*MUFFIN-P0101/);
    expect(message(12)).toMatch(/unknown marker/);
    expect(message(13)).toMatch(/RE:SUPPORT names no target.*@muffin/);
    expect(message(14)).toMatch(/VERDICT marker is the judge's.*DISSENT/);
    expect(message(15)).toMatch(/unknown reference kind "DONUT"/);
    expect(message(16)).toMatch(/unknown move "DANCE"/);
    expect(message(17)).toMatch(/MOVE:DEFEND names nothing/);
  });

  it('keeps what it could read', () => {
    expect(r.entries.map((e) => [e.line, e.type, 'kind' in e ? e.kind : ''])).toEqual([
      [3, 'entity', 'perspective'],
      [16, 'move', 'converge'],
      [17, 'move', 'defend'],
    ]);
  });

  it('keeps the text of unreadable markers in the previous body or in unmarked', () => {
    expect(r.unmarked).toEqual([{ line: 1, text: '[PERSPECTIVE: no id]\nPreamble after a broken marker.' }]);
    expect(r.entries[0].text).toBe(md.split('\n').slice(3, 15).join('\n'));
    expect(r.entries[1].text).toBe('[MOVE:DANCE] trailing text');
    expect(r.entries[2].text).toBe('Last words.');
    expectNoTextLost(md, r);
  });

  it('never throws and keeps text of any input', () => {
    const inputs = ['', '\n\n', '[', ']', '[[[', '[MOVE:', '[RE:', '[RESOLVED', '**[', '## [PERSPECTIVE P01', 'plain'];
    for (const input of inputs) {
      const m = readMarkers(input);
      expectNoTextLost(input, m);
    }
    expect(readMarkers('')).toEqual({ entries: [], warnings: [], unmarked: [] });
  });
});
