// Start-up stays small: a command in a project whose .blue/config.yaml is plain `key: value` YAML (as every
// DynamoDB project's is) never loads the yaml package; a config beyond that subset still does, and is read.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../../scripts/blue.mjs';

/** Runs `blue dialogue list --json` in `root` from dist/, and says whether yaml was required on the way. */
function listLoadsYaml(root: string): { yaml: boolean; stdout: string } {
  const main = pathToFileURL(join(REPO, 'dist', 'cli', 'main.js')).href;
  // yaml is required through createRequire, so it shows in the CommonJS module cache when it was loaded.
  const script = `const { main } = await import(${JSON.stringify(main)});
const code = await main(['dialogue', 'list', '--json']);
const { createRequire } = await import('node:module');
const loaded = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/yaml/'));
process.stderr.write(JSON.stringify({ code, loaded }) + '\\n');`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  const report = JSON.parse(run.stderr.trim().split('\n').pop()!);
  expect(report.code).toBe(0);
  return { yaml: report.loaded, stdout: run.stdout };
}

describe('start-up with a config file', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'blue-startup-'));
    mkdirSync(join(root, '.blue'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads a plain config without loading yaml', () => {
    writeFileSync(join(root, '.blue', 'config.yaml'), 'storage:\n  backend: file\n');
    const run = listLoadsYaml(root);
    expect(run.yaml).toBe(false);
    expect(JSON.parse(run.stdout)).toMatchObject({ dialogues: [] });
  });

  it('hands a config beyond the plain subset to yaml', () => {
    writeFileSync(join(root, '.blue', 'config.yaml'), 'storage: { backend: file }\n');
    const run = listLoadsYaml(root);
    expect(run.yaml).toBe(true);
    expect(JSON.parse(run.stdout)).toMatchObject({ dialogues: [] });
  });
});

describe('start-up of the shipped bin/blue', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'blue-startup-bin-'));
    mkdirSync(join(root, '.blue'));
    writeFileSync(join(root, '.blue', 'config.yaml'), 'storage:\n  backend: file\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** The built-in modules `args` loads beyond what `node -e 0` does, with its answer on a pipe. */
  function builtinsLoaded(args: string[]): { loaded: string[]; stdout: string } {
    const preload = join(root, 'loaded.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeSync(2, '\\n' + JSON.stringify(process.moduleLoadList) + '\\n'));\n`);
    const base = spawnSync(process.execPath, ['-e', 'process.stderr.write(JSON.stringify(process.moduleLoadList))'], { encoding: 'utf8' });
    const before = new Set(JSON.parse(base.stderr) as string[]);
    const run = spawnSync(process.execPath, ['-r', preload, join(REPO, 'bin', 'blue'), ...args], { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const after = JSON.parse(run.stderr.trim().split('\n').pop()!) as string[];
    return { loaded: after.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)), stdout: run.stdout };
  }

  it('lists without loading the built-ins it does not use: no child_process, crypto, worker_threads, streams or sockets', () => {
    const { loaded, stdout } = builtinsLoaded(['dialogue', 'list', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ dialogues: [] });
    for (const unused of ['child_process', 'crypto', 'worker_threads', 'os', 'perf_hooks', 'net', 'stream', 'internal/fs/sync_write_stream']) expect(loaded).not.toContain(unused);
  });

  it('answers --version without loading the core', () => {
    const { loaded, stdout } = builtinsLoaded(['--version']);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(loaded).not.toContain('vm');
  });
});
