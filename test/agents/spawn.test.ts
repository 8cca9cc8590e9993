// One agent attempt as a child process (src/agents/spawn.ts): what it captures, and that it leaves no
// process of the command's group behind, whatever the command does with its pipes and its stdin.

import { describe, expect, it } from 'vitest';
import { BoundedCapture, TAIL_BYTES } from '../../src/agents/capture.js';
import { resolveAgent } from '../../src/agents/presets.js';
import { runInProcessGroup, type SpawnRequest } from '../../src/agents/spawn.js';
import { isRunning } from '../support/processes.js';

const attempt = (command: string, extra: Partial<SpawnRequest> = {}) =>
  runInProcessGroup({ command, cwd: process.cwd(), env: process.env, stdin: '', timeoutMs: 10_000, captureBytes: 1000, killGraceMs: 500, ...extra });

describe('runInProcessGroup', () => {
  it('captures stdout and stderr apart, with the exit status', async () => {
    const result = await attempt('echo out; echo err >&2; exit 4');
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 4, signal: null });
    expect(result.stdout).toEqual({ text: 'out\n', bytes: 4, truncated: false, tail: '' });
    expect(result.stderr.text).toBe('err\n');
  });

  it('gives the prompt on stdin, and shrugs off a command that never reads it (EPIPE)', async () => {
    expect((await attempt('cat', { stdin: 'the prompt' })).stdout.text).toBe('the prompt');
    const result = await attempt('exit 0', { stdin: 'x'.repeat(4_000_000) });
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 0, stdinUnread: true });
  });

  it('stops a background process that holds the pipes after the command exits', async () => {
    const started = Date.now();
    const result = await attempt('sleep 30 & echo $!');
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 0, killedWith: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(isRunning(Number(result.stdout.text.trim()))).toBe(false);
  });

  it('reports a command ended by a signal it was not sent by blue', async () => {
    expect(await attempt('kill -9 $$')).toMatchObject({ outcome: 'exited', exitCode: null, signal: 'SIGKILL' });
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await attempt('echo never', { signal: controller.signal })).outcome).toBe('aborted');
  });
});

describe('BoundedCapture', () => {
  it('keeps the first bytes up to the limit and a tail of the rest, counting everything', () => {
    const capture = new BoundedCapture(10);
    capture.add(Buffer.from('0123456'));
    capture.add(Buffer.from('789abc'));
    for (let i = 0; i < 100; i++) capture.add(Buffer.alloc(1024, 'y'));
    capture.add(Buffer.from('the end'));
    const result = capture.result();
    expect(result.text).toBe('0123456789');
    expect(result.bytes).toBe(13 + 100 * 1024 + 7);
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.tail)).toBe(TAIL_BYTES);
    expect(result.tail.endsWith('yyythe end')).toBe(true);
  });
});

describe('resolveAgent', () => {
  it('knows the presets by name, in any case; anything else runs as given', () => {
    expect(resolveAgent('Claude')).toMatchObject({ preset: 'claude', command: expect.stringMatching(/^claude -p --permission-mode dontAsk /) });
    expect(resolveAgent(' llm ')).toMatchObject({ preset: 'llm' });
    expect(resolveAgent('claude -p')).toEqual({ command: 'claude -p' });
    expect(resolveAgent('toString')).toEqual({ command: 'toString' });
  });
});
