// What ships is dist/bundle/ (scripts/build.mjs). These check its shape from esbuild's own metafile: a
// file-store command loads one chunk of blue's code, the heavy packages load only where they are used,
// and each of blue's modules exists once, so `instanceof BlueError` holds across chunks.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../scripts/blue.mjs';

interface Output {
  bytes: number;
  inputs: Record<string, unknown>;
  imports: Array<{ path: string; kind: string; external?: boolean }>;
}
const meta = JSON.parse(readFileSync(join(REPO, 'dist/bundle/meta.json'), 'utf8')) as { outputs: Record<string, Output> };
const outputs = Object.fromEntries(Object.entries(meta.outputs).filter(([name]) => !name.endsWith('.map')));
const HEAVY = /node_modules\/(@aws-sdk|@smithy|ink|react|yoga-layout|mdast-util|micromark)/;

/** Every output a module loads before it runs: its static imports, transitively. */
function staticClosure(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const i of outputs[name]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) staticClosure(i.path, seen);
  return seen;
}

describe('the bundle', () => {
  const entry = 'dist/bundle/blue.js';

  it('loads blue (and commander) from one chunk at start, and no AWS SDK, React, ink or Markdown parser', () => {
    const loaded = [...staticClosure(entry)];
    const inputs = loaded.flatMap((name) => Object.keys(outputs[name].inputs));
    expect(inputs.filter((input) => HEAVY.test(input))).toEqual([]);
    // The fast entries' modules (--version, the hook gate) have small chunks of their own, shared with blue.js.
    const fast = new Set(['dist/bundle/version.js', 'dist/bundle/hook-gate.js'].flatMap((e) => [...staticClosure(e)]).flatMap((name) => Object.keys(outputs[name].inputs)));
    const withSources = loaded.filter((name) => Object.keys(outputs[name].inputs).some((input) => input.startsWith('src/') && !fast.has(input)));
    expect(withSources).toHaveLength(1);
    const core = outputs[withSources[0]];
    for (const module of ['src/cli/program.ts', 'src/store/file/store.ts', 'src/app/list.ts', 'src/domain/errors.ts', 'src/render/record.ts']) {
      expect(Object.keys(core.inputs)).toContain(module);
    }
  });

  it('has source maps that point stack traces at src/', () => {
    const core = [...staticClosure(entry)].find((name) => Object.keys(outputs[name].inputs).includes('src/cli/program.ts'))!;
    const map = JSON.parse(readFileSync(join(REPO, `${core}.map`), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../../../src/cli/program.ts');
    expect(readFileSync(join(REPO, core), 'utf8')).toMatch(/\/\/# sourceMappingURL=\S+\.js\.map\s*$/);
  });

  it('holds each of blue\'s modules once across all its chunks', () => {
    const count = new Map<string, number>();
    for (const output of Object.values(outputs)) for (const input of Object.keys(output.inputs)) count.set(input, (count.get(input) ?? 0) + 1);
    expect([...count].filter(([input, n]) => input.startsWith('src/') && n > 1)).toEqual([]);
  });

  it('puts the AWS SDK only in chunks that load on DynamoDB paths', () => {
    const aws = Object.entries(outputs).filter(([, o]) => Object.keys(o.inputs).some((input) => /node_modules\/@aws-sdk\//.test(input)));
    expect(aws.length).toBeGreaterThan(0);
    for (const [name] of aws) expect(staticClosure(entry).has(name)).toBe(false);
  });

  it('answers --version, and a commit with no dialogue file, from small chunks of their own', () => {
    for (const [entry, most] of [['dist/bundle/version.js', 5_000], ['dist/bundle/hook-gate.js', 20_000]] as const) {
      const loaded = [...staticClosure(entry)];
      expect(loaded.reduce((sum, name) => sum + outputs[name].bytes, 0), entry).toBeLessThan(most);
    }
  });
});
