// What ships is dist/bundle/ (scripts/build.mjs). These check its shape from esbuild's own metafiles: a
// file-store command loads one file of blue's code, compiled from a V8 code cache; the heavy packages load
// only where they are used; and each of blue's modules exists once, so `instanceof BlueError` holds across
// files. Then they run copies of the bundle with a missing, stale and broken code cache.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../../scripts/blue.mjs';

interface Output {
  bytes: number;
  inputs: Record<string, unknown>;
  imports: Array<{ path: string; kind: string; external?: boolean }>;
}
interface Meta {
  heavyTargets: Array<{ target: string; address: string }>;
  fromCore: string[];
  metafiles: Record<'version' | 'hook-gate' | 'core' | 'heavy-views' | 'heavy-aws' | 'heavy-markdown', { outputs: Record<string, Output> }>;
}
const METAFILES = ['version', 'hook-gate', 'core', 'heavy-views', 'heavy-aws', 'heavy-markdown'] as const;
const meta = JSON.parse(readFileSync(join(REPO, 'dist/bundle/meta.json'), 'utf8')) as Meta;
const outputsOf = (name: keyof Meta['metafiles']) => Object.fromEntries(Object.entries(meta.metafiles[name].outputs).filter(([file]) => !file.endsWith('.map')));
const HEAVY = /node_modules\/(@aws-sdk|@smithy|ink|react|yoga-layout|mdast-util|micromark)/;
const core = outputsOf('core')['dist/bundle/core.cjs'];
const heavy = { ...outputsOf('heavy-views'), ...outputsOf('heavy-aws'), ...outputsOf('heavy-markdown') };

/** What an output holds: its inputs, without the registry's stand-ins for modules another file holds. */
const held = (output: Output) => Object.keys(output.inputs).filter((input) => !input.startsWith('blue-registry:'));

describe('the bundle', () => {
  it('holds blue (and commander) in one file, core.cjs, with no AWS SDK, React, ink or Markdown parser', () => {
    expect(Object.keys(outputsOf('core'))).toEqual(['dist/bundle/core.cjs']);
    expect(held(core).filter((input) => HEAVY.test(input))).toEqual([]);
    for (const module of ['src/cli/program.ts', 'src/store/file/store.ts', 'src/app/list.ts', 'src/domain/errors.ts', 'src/render/record.ts', 'node_modules/commander/lib/command.js']) {
      expect(held(core)).toContain(module);
    }
  });

  it('reaches heavy/ through the core\'s own import function, and nothing else with import()', () => {
    const source = readFileSync(join(REPO, 'dist/bundle/core.cjs'), 'utf8');
    const where = Object.fromEntries(meta.heavyTargets.map((t) => [t.target, t.address]));
    // ink awaits at its top level, so the views are ES modules; the AWS SDK and the Markdown parser are
    // CommonJS groups, compiled from a code cache like the core.
    expect(where).toMatchObject({
      'src/views/watch-view.tsx': 'heavy/views/watch-view.js',
      'src/views/round-run-view.tsx': 'heavy/views/round-run-view.js',
      'src/store/dynamodb/open.ts': 'heavy/aws.cjs#store/dynamodb/open',
      'src/app/lint.ts': 'heavy/markdown.cjs#app/lint',
    });
    for (const { address } of meta.heavyTargets) {
      expect(existsSync(join(REPO, 'dist/bundle', address.split('#')[0]!)), address).toBe(true);
      expect(source).toContain(`__blueImport("./${address}")`);
    }
    // The banner's import() is the only one in what is compiled from a cache: such code cannot run import() on Node 20.
    for (const file of ['core.cjs', 'heavy/aws.cjs', 'heavy/markdown.cjs']) {
      expect(readFileSync(join(REPO, 'dist/bundle', file), 'utf8').match(/(?<![\w$.])import\(/g), file).toHaveLength(1);
    }
  });

  it('has source maps that point stack traces at src/', () => {
    const map = JSON.parse(readFileSync(join(REPO, 'dist/bundle/core.cjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../../src/cli/program.ts');
    expect(readFileSync(join(REPO, 'dist/bundle/core.cjs'), 'utf8')).toMatch(/\/\/# sourceMappingURL=core\.cjs\.map\s*$/);
  });

  it("holds each of blue's modules once across all its files", () => {
    const count = new Map<string, number>();
    for (const name of METAFILES) {
      for (const output of Object.values(outputsOf(name))) for (const input of held(output)) count.set(input, (count.get(input) ?? 0) + 1);
    }
    expect([...count].filter(([input, n]) => input.startsWith('src/') && n > 1)).toEqual([]);
    // What heavy/ takes from the core is there to take.
    for (const file of meta.fromCore) expect(held(core)).toContain(file);
  });

  it('puts the AWS SDK only in heavy/, which loads on DynamoDB paths', () => {
    const aws = Object.entries(heavy).filter(([, o]) => held(o).some((input) => /node_modules\/@aws-sdk\//.test(input)));
    expect(aws.length).toBeGreaterThan(0);
    for (const [name] of aws) expect(name.startsWith('dist/bundle/heavy/')).toBe(true);
  });

  it('answers --version, and a commit with no dialogue file, from small files of their own', () => {
    for (const [name, most] of [['version', 5_000], ['hook-gate', 20_000]] as const) {
      const [output] = Object.values(outputsOf(name));
      expect(output.bytes, name).toBeLessThan(most);
      expect(held(output).filter((input) => input.includes('node_modules/'))).toEqual([]);
    }
  });
});

describe('the package', () => {
  it('ships bin/blue as CommonJS and the bundle, but no code cache made on this machine and no build metadata', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: REPO, encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    const files = (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/blue', 'bin/package.json', 'dist/bundle/core.cjs', 'dist/bundle/heavy/aws.cjs', 'dist/bundle/heavy/markdown.cjs', 'dist/bundle/version.cjs', 'dist/bundle/hook-gate.cjs']));
    // A cache is stamped with this machine's file times and V8; an install makes its own on first use.
    expect(files.filter((file) => /\.cache(\.|$)|meta\.json$/.test(file))).toEqual([]);
  });
});

describe('the code cache', () => {
  // A copy of what ships (bin/, dist/bundle/, templates/) in a folder of its own, so the cache can be broken.
  let copy: string;
  let project: string;
  const cacheFile = () => join(copy, 'dist/bundle/core.cache');
  const blue = (...args: string[]) => spawnSync(process.execPath, [join(copy, 'bin/blue'), ...args], { cwd: project, encoding: 'utf8' });

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'blue-bundle-copy-'));
    for (const part of ['bin', 'dist/bundle', 'templates', 'package.json']) cpSync(join(REPO, part), join(copy, part), { recursive: true, preserveTimestamps: true });
    rmSync(cacheFile(), { force: true });
    project = mkdtempSync(join(tmpdir(), 'blue-bundle-project-'));
    writeFileSync(join(project, 'pool.json'), JSON.stringify({ domain: 'Caches', question: 'Which?', experts: Array.from({ length: 8 }, (_, i) => ({ role: `Role ${i}`, tier: 'core', relevance: 0.9 })) }));
  });
  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it('is made by the first command, stamped with the core it was made from', () => {
    const run = blue('dialogue', 'list', '--json');
    expect(run.status, run.stderr).toBe(0);
    const { size, mtimeMs } = statSync(join(copy, 'dist/bundle/core.cjs'));
    expect(readFileSync(cacheFile()).subarray(0, 40).toString('latin1')).toMatch(new RegExp(`^${size} ${mtimeMs}\n`));
  });

  it('is used as it is by the commands after it', () => {
    const before = readFileSync(cacheFile());
    const run = blue('dialogue', 'start', 'Cache check', '--pool', 'pool.json', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(cacheFile()).equals(before)).toBe(true);
  });

  it('is made again when the core changed since (V8 checks only the length)', () => {
    const core = join(copy, 'dist/bundle/core.cjs');
    utimesSync(core, new Date(), new Date(Date.now() + 5_000));
    const run = blue('dialogue', 'list', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).dialogues).toHaveLength(1);
    expect(readFileSync(cacheFile()).subarray(0, 40).toString('latin1').startsWith(`${statSync(core).size} ${statSync(core).mtimeMs}\n`)).toBe(true);
  });

  it('is refused, and made again, when it is garbage under the right stamp', () => {
    const { size, mtimeMs } = statSync(join(copy, 'dist/bundle/core.cjs'));
    writeFileSync(cacheFile(), Buffer.concat([Buffer.from(`${size} ${mtimeMs}\n`), Buffer.alloc(4096, 7)]));
    const run = blue('dialogue', 'list', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).dialogues).toHaveLength(1);
    expect(statSync(cacheFile()).size).toBeGreaterThan(50_000);
  });

  it('is made by several first commands at once without one spoiling another\'s', async () => {
    rmSync(cacheFile(), { force: true });
    const { spawn } = await import('node:child_process');
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<{ status: number | null; stdout: string }>((done) => {
          const child = spawn(process.execPath, [join(copy, 'bin/blue'), 'dialogue', 'list', '--json'], { cwd: project });
          let stdout = '';
          child.stdout.on('data', (chunk) => (stdout += chunk));
          child.on('close', (status) => done({ status, stdout }));
        }),
      ),
    );
    for (const run of runs) expect(JSON.parse(run.stdout).dialogues).toHaveLength(1);
    expect(runs.map((run) => run.status)).toEqual([0, 0, 0, 0]);
    const before = readFileSync(cacheFile());
    // The cache left in place is whole: the next command takes it as it is.
    expect(blue('dialogue', 'list', '--json').status).toBe(0);
    expect(readFileSync(cacheFile()).equals(before)).toBe(true);
  });

  it('goes to the user\'s own cache folder when it cannot be written beside the bundle (a read-only install)', () => {
    const userCache = mkdtempSync(join(tmpdir(), 'blue-user-cache-'));
    // A folder where the cache would be: it can be neither read nor renamed onto, as in a read-only install
    // (tests run as root, for whom permissions stop nothing).
    rmSync(cacheFile(), { force: true });
    mkdirSync(join(cacheFile(), 'blocked'), { recursive: true });
    const run = () => spawnSync(process.execPath, [join(copy, 'bin/blue'), 'dialogue', 'list', '--json'], { cwd: project, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: userCache } });
    expect(run().status).toBe(0);
    const folder = join(userCache, 'blue', 'code-cache');
    const [made] = readdirSync(folder).filter((name) => /^core-[0-9a-f]{8}\.cache$/.test(name));
    expect(made).toBeDefined();
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const before = readFileSync(join(folder, made!));
    const again = run();
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).dialogues).toHaveLength(1);
    expect(readFileSync(join(folder, made!)).equals(before)).toBe(true);
    rmSync(cacheFile(), { recursive: true, force: true });
    rmSync(userCache, { recursive: true, force: true });
  });

  it('loads a heavy chunk from the cached core, and knows blue\'s errors that pass through it', () => {
    // dialogue lint runs in heavy/ (the Markdown parser): a record it parses, and a file it cannot find.
    writeFileSync(join(project, 'note.md'), '# Not a record\n');
    const linted = blue('dialogue', 'lint', 'note.md', '--json');
    expect(linted.status, linted.stderr).toBe(1); // not a record: a critical finding
    expect(JSON.parse(linted.stdout)).toMatchObject({ ok: false, findings: [{ rule: 'document', severity: 'critical' }] });
    // The Markdown group is CommonJS, and has a code cache of its own now.
    expect(statSync(join(copy, 'dist/bundle/heavy/markdown.cache')).size).toBeGreaterThan(10_000);
    const missing = blue('dialogue', 'lint', 'no-such-file.md', '--json');
    expect(JSON.parse(missing.stdout).error.code).toBe('file_not_found');
    expect(missing.status).toBe(2);
  });
});
