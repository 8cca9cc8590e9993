// Canonical JSON (defined in the domain) and the checksum the stores take over it.

import { createHash } from 'node:crypto';

export { canonicalJson, toPlainJson } from '../domain/canonical.js';

/** The hex SHA-256 of a text (as UTF-8) or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return (typeof data === 'string' ? createHash('sha256').update(data, 'utf8') : createHash('sha256').update(data)).digest('hex');
}
