// The mapping of a dialogue onto DynamoDB items, without DynamoDB: it must come back field for field and
// key for key (so `export --format json` is the same on both stores), and its plain attributes must never
// carry content.

import { describe, expect, it } from 'vitest';
import { dialogueToItems, itemsToDialogue, logicalKey, plainOf } from '../../src/store/dynamodb/items.js';
import type { Dialogue } from '../../src/domain/model.js';
import { makeDialogue, makeEvent, makeRound } from '../support/dialogue-factory.js';

const ID = '2025-01-10T0900Z-cache-strategy';
const SECRET = 'SECRET';

function rich(): Dialogue {
  const round0 = { ...makeRound(0, 20), label: `${SECRET} label`, summary: `${SECRET} summary` };
  const round1 = {
    ...makeRound(1),
    ingest: { at: '2025-01-02T00:00:00.000Z', ingested: ['Muffin'], missing: ['Cupcake'], warnings: [], outputs: { Muffin: `${SECRET} output`, Cupcake: '' } },
  };
  return makeDialogue(ID, {
    title: `${SECRET} title`,
    question: `${SECRET} question`,
    rfc: `${SECRET} rfc`,
    sources: [`${SECRET}.md`],
    rounds: [round0, round1],
    contributions: [
      { kind: 'perspective', id: 'MUFFIN-P01', globalId: 'P0001', author: 'Muffin', round: 0, seq: 1, label: SECRET, text: SECRET, file: SECRET, line: 1 },
      { kind: 'evidence', id: 'MUFFIN R1-E01', globalId: 'E0101', author: 'Muffin', round: 1, seq: 1, label: SECRET, text: SECRET, file: SECRET, line: 2 },
      { kind: 'perspective', id: 'MUFFIN-P02', globalId: 'P0002', author: 'Muffin', round: 0, seq: 2, label: SECRET, text: SECRET, file: SECRET, line: 3 },
    ],
    tensions: [{ id: 'MUFFIN-T01', globalId: 'T0001', author: 'Muffin', round: 0, seq: 1, label: SECRET, text: SECRET, file: SECRET, line: 4 }],
    refs: [{ kind: 'resolve', author: 'Muffin', round: 1, target: `T01: ${SECRET}`, targetId: 'MUFFIN-T01', text: SECRET, file: SECRET, line: 5 }],
    moves: [{ kind: 'converge', author: 'Muffin', round: 1, label: SECRET, targets: [SECRET], text: SECRET, file: SECRET, line: 6 }],
    events: [makeEvent(1, SECRET), makeEvent(2)],
    verdicts: [{ type: 'final', seq: 1, at: '2025-01-03T00:00:00.000Z', round: 1, text: SECRET, insights: SECRET, vote: SECRET, experts: ['Muffin'], warning: SECRET }],
  });
}

const reopen = (dialogue: Dialogue) =>
  itemsToDialogue(
    dialogueToItems(dialogue).map((item) => ({ entity: item.entity, subkey: item.subkey, value: JSON.parse(item.payload) })),
    (item) => logicalKey(item),
  );

describe('dialogue <-> DynamoDB items', () => {
  it('round-trips a dialogue with the same fields in the same key order', () => {
    const dialogue = rich();
    expect(JSON.stringify(reopen(dialogue))).toBe(JSON.stringify(dialogue));
    const empty = makeDialogue(ID);
    expect(JSON.stringify(reopen(empty))).toBe(JSON.stringify(empty));
  });

  it('keys items by entity and numbers only, unique within the dialogue', () => {
    const items = dialogueToItems(rich());
    const keys = items.map(logicalKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([
      'meta', 'expert#00', 'round#00', 'round#01', 'output#01#00#00', 'output#01#01#00',
      'perspective#00#000', 'evidence#01#000', 'perspective#00#001', 'tension#00#000', 'ref#01#000', 'move#01#000',
      'event#00#000', 'event#00#001', 'verdict#000',
    ]);
  });

  it('puts no content in a plain attribute, and derives the same plain attributes on the way back', () => {
    for (const item of dialogueToItems(rich())) {
      expect(JSON.stringify(item.plain), logicalKey(item)).not.toContain(SECRET);
      if (item.entity !== 'meta') expect(plainOf(item.entity, JSON.parse(item.payload))).toEqual(item.plain);
    }
  });

  it('splits an output longer than one part and joins it back', () => {
    const long = 'ä'.repeat(150_000);
    const dialogue = makeDialogue(ID, {
      rounds: [{ ...makeRound(0), ingest: { at: 'x', ingested: ['Muffin'], missing: [], warnings: [], outputs: { Muffin: long } } }],
    });
    const parts = dialogueToItems(dialogue).filter((item) => item.entity === 'output');
    expect(parts.map((p) => p.plain)).toEqual([0, 1, 2].map((part) => ({ round: 0, name: 'Muffin', part, parts: 3 })));
    expect(parts.every((p) => Buffer.byteLength(p.payload) < 300_000)).toBe(true);
    expect(reopen(dialogue).rounds[0].ingest!.outputs.Muffin).toBe(long);
  });

  it('refuses items that belong nowhere', () => {
    expect(() => itemsToDialogue([{ entity: 'round', subkey: '00', value: {} }], logicalKey)).toThrow(/meta/);
    const [meta] = dialogueToItems(makeDialogue(ID));
    const opened = [{ entity: 'meta', subkey: '', value: JSON.parse(meta.payload) }];
    expect(() => itemsToDialogue([...opened, { entity: 'mystery', subkey: '00', value: {} }], logicalKey)).toThrow(/unknown kind/);
    expect(() => itemsToDialogue([...opened, { entity: 'output', subkey: '00#00#00', value: { round: 0, name: 'Muffin', part: 0, text: 'x' } }], logicalKey)).toThrow(/no round output/);
  });
});
