// .blue/config.yaml read through the plain-YAML fast path gives a command exactly what yaml gives it: the
// same settings, the same store, the same warnings about unknown keys and the same errors. Each config is
// read twice, once as written and once behind a `%YAML 1.2` directive, which the fast path never takes, so
// that yaml (the parser of record) reads it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.js';
import { parsePlainYaml } from '../../src/workspace/plain-yaml.js';

const CONFIGS = [
  'storage:\n  backend: file\n',
  '\uFEFFstorage:\n  backend: file\n',
  '# ours\nstorage:\n  backend: dynamodb  # the team table\n  dynamodb:\n    table: team\n    endpoint: http://localhost:8000\n    key_file: .secrets/master.key\n',
  'storage:\n  backend: file\n  dynamodb:\n    tabel: t\nagnet:\n  command: claude\nlimits:\n  output_bytes: 5000000\n  inptu_bytes: 1\n',
  'limits:\n  output_bytes: 0\n',
  'limits:\n  output_bytes: lots\n',
  'storage:\n  dynamodb:\n    table: 42\n',
  'storage:\n  backend: nowhere\n',
  'storage: file\n',
  'storage:\n',
  '',
  '# nothing yet\n',
];

interface Outcome {
  ok?: { config: unknown; storeKind: string; dynamo: unknown; warnings: unknown };
  error?: { code: string; message: string; exitCode: number };
}

describe('the config read by the fast path', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'blue-config-'));
    mkdirSync(join(root, '.blue'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function outcome(text: string): Promise<Outcome> {
    writeFileSync(join(root, '.blue', 'config.yaml'), text);
    try {
      const ctx = await createContext({}, root, {});
      return { ok: { config: ctx.config, storeKind: ctx.storeKind, dynamo: ctx.dynamo, warnings: ctx.inputWarnings } };
    } catch (error) {
      const e = error as { code: string; message: string; exitCode: number };
      return { error: { code: e.code, message: e.message, exitCode: e.exitCode } };
    }
  }

  it('gives each command what yaml gives it: settings, warnings and errors alike', async () => {
    for (const text of CONFIGS) {
      expect(parsePlainYaml(text.replace(/^\uFEFF/, '')), `the fast path should read ${JSON.stringify(text)}`).toBeDefined();
      expect(await outcome(text), JSON.stringify(text)).toEqual(await outcome(`%YAML 1.2\n---\n${text.replace(/^\uFEFF/, '')}`));
    }
  });

  it('leaves a config it does not understand to yaml, errors included', async () => {
    expect(await outcome('storage: {backend: dynamodb}\n')).toMatchObject({ ok: { storeKind: 'dynamodb' } });
    expect(await outcome('storage:\n\tbackend: file\n')).toMatchObject({ error: { code: 'invalid_config', exitCode: 2 } });
    expect(await outcome('storage:\n  backend: file\n  backend: dynamodb\n')).toMatchObject({ error: { code: 'invalid_config', exitCode: 2 } });
  });
});
