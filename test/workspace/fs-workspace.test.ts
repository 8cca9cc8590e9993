// The judge's folder on disk: a file blue cannot read or write is named as CLI.md names every path,
// relative to the project root, with the reason, and no absolute path of the machine it ran on.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsWorkspace } from '../../src/workspace/fs-workspace.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'blue-workspace-'));
  roots.push(root);
  return root;
}

describe('the workspace', () => {
  it('names a file it cannot write or read relative to the root, with the error code', async () => {
    const root = project();
    // A file where a folder should be: writing or reading below it fails for every user, root included.
    writeFileSync(join(root, 'export'), 'a file, not a folder');
    mkdirSync(join(root, 'sub'));
    const workspace = new FsWorkspace(root, join(root, 'sub'));

    const write = await workspace.write([{ path: 'export/dialogue.md', content: 'x' }]).catch((e) => e);
    expect([write.exitCode, write.code, write.details.file]).toEqual([1, 'write_failed', 'export/dialogue.md']);
    expect(write.message).toMatch(/^cannot write export\/dialogue\.md: E[A-Z]+$/);
    const read = await Promise.resolve().then(() => workspace.read('export/dialogue.md')).catch((e) => e);
    expect([read.exitCode, read.code, read.details.file]).toEqual([1, 'read_failed', 'export/dialogue.md']);
    for (const error of [write, read]) expect(JSON.stringify(error.details) + error.message).not.toContain(root);
  });
});
