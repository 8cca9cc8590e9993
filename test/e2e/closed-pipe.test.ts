// `blue ... | head` closes blue's stdout before blue has written all of its answer. That ends the command
// quietly, with exit 0, whether the answer goes to the descriptor itself (src/cli/stdio.ts), through
// Node's stream, or out of commander (--help). Each run here gets a stdout whose reading end is closed
// before blue writes, so every write meets EPIPE.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, assertDistCurrent } from '../../scripts/blue.mjs';
import { syntheticProject } from '../../scripts/synthetic-project.mjs';

function withClosedStdout(args: string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => done({ status, stderr }));
  });
}

describe('a closed pipe on stdout', () => {
  let root: string;
  let id: string;
  beforeAll(async () => {
    assertDistCurrent();
    root = mkdtempSync(join(tmpdir(), 'blue-closed-pipe-'));
    id = (await syntheticProject(root, { rounds: 6, panelSize: 6, paragraphBytes: 700 })).id;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('ends quietly, exit 0, on a JSON answer written to the descriptor', async () => {
    expect(await withClosedStdout(['dialogue', 'export', id, '--format', 'json', '--output', '-', '--json'], root)).toEqual({ status: 0, stderr: '' });
  });

  it('ends quietly, exit 0, on a record for a person', async () => {
    expect(await withClosedStdout(['dialogue', 'export', id, '--output', '-'], root)).toEqual({ status: 0, stderr: '' });
  });

  it('ends quietly, exit 0, on --version, answered before the core loads', async () => {
    expect(await withClosedStdout(['--version'], root)).toEqual({ status: 0, stderr: '' });
  });

  it('ends quietly, exit 0, on help that commander writes', async () => {
    expect(await withClosedStdout(['dialogue', 'export', '--help'], root)).toEqual({ status: 0, stderr: '' });
    expect(await withClosedStdout(['--help'], root)).toEqual({ status: 0, stderr: '' });
  });
});
