// Outputs reduced to digests, for the tests that prove a change leaves every byte blue writes as it was
// (test/render/output-identity.test.ts, test/app/output-identity.test.ts): one line per output, its
// sha256 and length, so the committed expectation stays small even for an 80-round dialogue.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function digest(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex').slice(0, 32)} ${Buffer.byteLength(content)} bytes`;
}

/** `{name: digest}` as sorted, indented JSON: the text a file snapshot holds. */
export function digestTable(outputs: Record<string, string>): string {
  const names = Object.keys(outputs).sort();
  return JSON.stringify(Object.fromEntries(names.map((name) => [name, digest(outputs[name])])), null, 2) + '\n';
}

/** Every file under `dir` by its path relative to `dir`, but those `skip` names. */
export function filesUnder(dir: string, skip: (path: string) => boolean, prefix = ''): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (skip(path)) continue;
    if (entry.isDirectory()) Object.assign(found, filesUnder(dir, skip, path));
    else found[path] = readFileSync(join(dir, path), 'utf8');
  }
  return found;
}
