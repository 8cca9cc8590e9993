// Canonical JSON (defined in the domain) and the checksum the stores take over it.

import { createHash } from 'node:crypto';

export { canonicalJson, toPlainJson } from '../domain/canonical.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
