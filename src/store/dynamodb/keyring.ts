// The keys of the DynamoDB store, as pure functions: the table's index key (kept wrapped in the keyring
// item) and the blind index it makes of dialogue ids, and each dialogue's data key (kept wrapped in its
// meta item). Unwrapping is the KeyWrapper's (async, KMS perhaps); checking what is stored before
// unwrapping it, and deriving from what comes out, is here.

import { integrity, INTEGRITY_FIX } from '../../domain/errors.js';
import { deriveKey, hmacSha256, keyFingerprint, type KeyContext } from '../crypto/keys.js';

/** The keyring item: the table's wrapped index key, outside every dialogue's partition. */
export const KEYRING_KEY = { pk: 'blue#keyring', sk: 'index-key' };
const KEYRING_NAME = `${KEYRING_KEY.pk}/${KEYRING_KEY.sk}`;

/** The encryption context a dialogue's data key is wrapped under: its partition. */
export const dataKeyContext = (pk: string): KeyContext => ({ 'blue:purpose': 'dialogue data key', 'blue:partition': pk });
/** The encryption context the table's index key is wrapped under: the table. */
export const keyringContext = (table: string): KeyContext => ({ 'blue:purpose': 'blind index key', 'blue:table': table });

/** How messages name the index key. */
export const describeKeyring = (table: string): string => `the index key of table ${table} (item ${KEYRING_NAME})`;

/** The index key from the unwrapped keyring secret. */
export function indexKeyOf(secret: Uint8Array): Uint8Array {
  return deriveKey(secret, 'blue blind index v1');
}

/** The blind index of a dialogue id, its partition key: `d#` + HMAC-SHA256 under the table's index key. */
export function blindIndex(indexKey: Uint8Array, id: string): string {
  return `d#${hmacSha256(indexKey, `dialogue:${id}`).toString('base64url')}`;
}

/** A data key's id: derived from the key, so an envelope names the key that sealed it without revealing it. */
export function dataKeyId(key: Uint8Array): string {
  return `dk:${keyFingerprint(key)}`;
}

/** The keyring item for a freshly generated index key. */
export function keyringItem(wrapperId: string, wrapped: Uint8Array, createdAt: Date): Record<string, unknown> {
  return { ...KEYRING_KEY, kek: wrapperId, w: wrapped, createdAt: createdAt.toISOString() };
}

/** The wrapped index key in a keyring item, once it is sure to be wrapped by `wrapperId`; else exit 4. */
export function wrappedIndexKey(keyring: Record<string, unknown>, table: string, wrapperId: string): Uint8Array {
  const what = describeKeyring(table);
  if (typeof keyring.kek !== 'string' || !(keyring.w instanceof Uint8Array)) {
    throw integrity('key_missing', `${what} is malformed.`, { table, item: KEYRING_NAME, fix: INTEGRITY_FIX });
  }
  if (keyring.kek !== wrapperId) {
    throw integrity(
      'key_unwrap_failed',
      `${what} is wrapped by ${keyring.kek}, but blue was given ${wrapperId}: the wrong master key (--key-file / BLUE_KEY_FILE) or KMS key for this table. A teammate who shares it: get the master key file from whoever first ran \`blue store init\` on it, and pass it with --key-file.`,
      { table, item: KEYRING_NAME, expected: keyring.kek, given: wrapperId, fix: 'the wrong master key or KMS key for this table: pass the key that wraps it (--key-file / BLUE_KEY_FILE, or --kms-key-id), from whoever first ran `blue store init` on it' },
    );
  }
  return keyring.w;
}

/** The wrapped data key in a meta (or catalog) item, once it is sure to be wrapped by `wrapperId`; else exit 4. */
export function wrappedDataKey(item: Record<string, unknown>, where: string, wrapperId: string): Uint8Array {
  const wrapped = item.dk as { kek?: unknown; w?: unknown } | undefined;
  if (!wrapped || typeof wrapped.kek !== 'string' || !(wrapped.w instanceof Uint8Array)) {
    throw integrity('key_missing', `${where} holds no wrapped data key: the dialogue's content is unreadable (crypto-shredded or damaged).`, { fix: INTEGRITY_FIX });
  }
  if (wrapped.kek !== wrapperId) {
    throw integrity('key_unwrap_failed', `${where}: its data key is wrapped by ${wrapped.kek}, but blue was given ${wrapperId} (the wrong master key?).`, { fix: 'the wrong master key or KMS key for this table: pass the key that wraps it (--key-file / BLUE_KEY_FILE, or --kms-key-id), from whoever first ran `blue store init` on it' });
  }
  return wrapped.w;
}
