// The stores a command can run on, and reading one from a flag, the environment or the config.

import { badInput } from '../domain/errors.js';
import type { StoreKind } from '../store/types.js';

const STORE_KINDS: readonly StoreKind[] = ['file', 'dynamodb'];

export function parseStoreKind(value: string, what = 'store'): StoreKind {
  const kind = value.trim().toLowerCase();
  if (!STORE_KINDS.includes(kind as StoreKind)) {
    throw badInput('unknown_store', `Unknown ${what} "${value}": use file (the embedded default) or dynamodb.`, { store: value, fix: 'give file or dynamodb' });
  }
  return kind as StoreKind;
}
