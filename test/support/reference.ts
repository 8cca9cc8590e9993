// The reference project's record of real dialogues and two of the documents that define its protocol
// (MIT, superviber/blue: test/fixtures/reference/LICENSE), as ../shared/reference/blue has them. They are
// copied into the repository so that a clone's tests need nothing beside it: CI runs on a clean clone.

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The reference dialogues' folders, and the RFC 0058 record beside its folder. */
export const REFERENCE_DIALOGUES = fileURLToPath(new URL('../fixtures/reference/dialogues/', import.meta.url));

/** The reference project's docs: its RFC 0051 and its alignment-expert skill. */
export const REFERENCE_DOCS = new URL('../fixtures/reference/docs/', import.meta.url);

/** The RFC 0058 dialogue, the one the reference record and the replay are of. */
export const RFC_0058 = '2026-02-06T1839Z-rfc-0058-supersession-hybrid-relational-dynamodb-architecture';

/** The names of the reference dialogues, each a folder. */
export function referenceDialogues(): string[] {
  return readdirSync(REFERENCE_DIALOGUES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
