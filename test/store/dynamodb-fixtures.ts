// What the offline DynamoDB tests share: a fixed data key, a partition key, a source of randomness that
// counts (so every sort key, token and ciphertext of a plan is known), and short ways to plan a create or
// an update and to open what a MemoryPartition holds.

import { expect } from 'vitest';
import type { BlueError } from '../../src/domain/errors.js';
import type { Dialogue } from '../../src/domain/model.js';
import { itemAad, open } from '../../src/store/crypto/envelope.js';
import { dataKeyId } from '../../src/store/dynamodb/keyring.js';
import type { DialogueKey, Loaded } from '../../src/store/dynamodb/layout.js';
import { openPartition, type OpenedPartition } from '../../src/store/dynamodb/partition.js';
import { planCommit, type CommitPlan, type Random } from '../../src/store/dynamodb/plan.js';
import { nextVersion, stamped } from '../../src/store/versioned.js';
import { MemoryPartition } from './memory-partition.js';

export const TABLE = 'blue_offline';
export const ID = '2025-01-10T0900Z-cache-strategy';
export const PK = 'd#partition-of-cache-strategy';
export const DATA_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
export const KEY: DialogueKey = { dataKey: DATA_KEY, keyId: dataKeyId(DATA_KEY), wrappedKey: { kek: 'local:0123456789abcdef', w: new Uint8Array([9, 9, 9]) } };
/** When every version in these tests was written. */
export const NOW = new Date('2025-06-01T12:00:00.000Z');

/** The blind index as the tests know it: only ID lives in PK. */
export const blindIndex = (id: string): string => (id === ID ? PK : `d#elsewhere-${id}`);

/**
 * Randomness that counts: the n-th `bytes` call returns bytes all of value n (so a plan's rev token is
 * `01010101` and its request token `0202...`), the n-th nonce carries n in its first four bytes.
 */
export function countingRandom(): Random {
  let calls = 0;
  let nonces = 0;
  return {
    bytes: (length) => new Uint8Array(length).fill(++calls),
    nonce: () => {
      const nonce = new Uint8Array(24);
      new DataView(nonce.buffer).setUint32(0, ++nonces);
      return nonce;
    },
  };
}

/** `rev` of version v under countingRandom: `0000000v.01010101`. */
export const revOf = (version: number): string => `${String(version).padStart(8, '0')}.01010101`;
export const TOKEN = '02'.repeat(16);

/** The plan that creates `dialogue` as version 1. */
export function planCreate(dialogue: Dialogue): { next: Dialogue; plan: CommitPlan } {
  const next = stamped(dialogue, { version: 1, updatedAt: NOW.toISOString() });
  return { next, plan: planCommit({ table: TABLE, pk: PK, next, key: KEY, random: countingRandom() }) };
}

/** The plan that writes `change` of what was loaded as the next version. */
export function planUpdate(current: Loaded, change: (d: Dialogue) => Dialogue): { next: Dialogue; plan: CommitPlan } {
  const next = nextVersion(ID, structuredClone(current.dialogue), change, () => NOW);
  return { next, plan: planCommit({ table: TABLE, pk: PK, next, key: current, current, random: countingRandom() }) };
}

/** A partition holding `dialogue`, written by its create plan. */
export function created(dialogue: Dialogue): { table: MemoryPartition; next: Dialogue } {
  const table = new MemoryPartition();
  const { next, plan } = planCreate(dialogue);
  table.apply(plan);
  return { table, next };
}

export function openAll(table: MemoryPartition, dataKey: Uint8Array | BlueError = DATA_KEY): OpenedPartition {
  return openPartition({ table: TABLE, id: ID, pk: PK, partition: table.query(), dataKey, blindIndex });
}

/** The dialogue as loaded; fails the test if any item has a problem. */
export function load(table: MemoryPartition): Loaded {
  const { loaded, problems } = openAll(table);
  expect(problems).toEqual([]);
  return loaded!;
}

/** A sealed payload opened under the AAD the test expects, as text; throws if that AAD is not the one sealed. */
export function unseal(sealed: unknown, address: string, plain: Record<string, unknown>): string {
  return new TextDecoder().decode(open(sealed as Uint8Array, DATA_KEY, KEY.keyId, itemAad(address, KEY.keyId, plain)));
}
