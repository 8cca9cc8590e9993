// The build: tsc type-checks and compiles src/ to dist/ module by module (what the tests' helpers and the
// bench import), and esbuild bundles what ships, dist/bundle/: one file, blue.mjs, with blue's own
// modules and commander, that bin/blue loads for every file-store command; the AWS SDK, React and ink sit
// in separate chunks that load only on the paths that import them. Code splitting gives every module one
// copy across the chunks, so `instanceof BlueError` holds wherever an error is thrown.

import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const BUNDLE_DIR = join(repo, 'dist', 'bundle');

/** Packages that load only on the paths that use them, each from chunks of their own. */
const DEFERRED_PACKAGES = /node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws|ink|ink-[^/]+|react|react-[^/]+|yoga-layout|scheduler|mdast-[^/]+|micromark[^/]*)\//;

const common = {
  absWorkingDir: repo,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // The ES module builds of packages that ship both (the AWS SDK): a dynamic import() of a CommonJS chunk
  // would give only a default export, and ES modules shake better.
  mainFields: ['module', 'main'],
  // ink loads React's devtools only when DEV=true asks for them, and they are not a dependency.
  external: ['react-devtools-core'],
  logLevel: 'warning',
  // The core chunk's list names packages that declare no side effects; esbuild says it skips those.
  logOverride: { 'ignored-bare-import': 'silent' },
  // CommonJS dependencies (commander, the AWS SDK) call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __blueRequire } from 'node:module'; const require = __blueRequire(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * The light modules, by esbuild's own import graph: those (of src/ or packages) that reach no deferred
 * package through static imports.
 */
async function partition() {
  const { metafile } = await build({ ...common, entryPoints: ['src/cli/main.ts', ...Object.values(FAST_ENTRIES)], outdir: join(BUNDLE_DIR, 'probe'), splitting: true, write: false, metafile: true });
  const statics = new Map(Object.entries(metafile.inputs).map(([file, input]) => [file, input.imports.filter((i) => (i.kind === 'import-statement' || i.kind === 'require-call') && !i.external).map((i) => i.path)]));
  const memo = new Map();
  const isHeavy = (file, seen = new Set()) => {
    if (memo.has(file)) return memo.get(file);
    if (DEFERRED_PACKAGES.test(file)) return true;
    if (seen.has(file)) return false;
    seen.add(file);
    const result = (statics.get(file) ?? []).some((next) => isHeavy(next, seen));
    memo.set(file, result);
    return result;
  };
  // What the light modules of src/ import statically is light too: commander and the ciphers go into the
  // same chunk as blue. Packages that only heavy modules use (bowser, by the AWS SDK) stay out of it.
  const light = new Set();
  const visit = (file) => {
    if (light.has(file) || isHeavy(file)) return;
    light.add(file);
    for (const next of statics.get(file) ?? []) visit(next);
  };
  const fast = new Set();
  const visitFast = (file) => {
    if (fast.has(file)) return;
    fast.add(file);
    for (const next of statics.get(file) ?? []) visitFast(next);
  };
  for (const entry of Object.values(FAST_ENTRIES)) visitFast(entry);
  for (const file of Object.keys(metafile.inputs)) if (file.startsWith('src/') && !fast.has(file)) visit(file);
  for (const file of fast) light.delete(file);
  return { light: [...light], fast };
}

/**
 * esbuild gives each set of entry points (every dynamic import is one) that reach a module a chunk of its
 * own. Making every module of src/ reach every light module (an import appended at its end, after its
 * own, so the order in which modules run is unchanged) puts all of blue's light code in one chunk; each
 * heavy module gets a chunk with its packages, which loads only when it is imported.
 */
const ALL_LIGHT = 'blue:all-light';
/**
 * Entries that bin/blue loads before the rest, for what git hooks and scripts call all the time: `--version`,
 * and the pre-commit hook on a commit that stages no dialogue file. They and what they import stay out of
 * the core chunk, so they load a few small chunks and nothing else.
 */
const FAST_ENTRIES = { version: 'src/cli/version.ts', 'hook-gate': 'src/cli/hook-gate.ts' };
/** What bin/blue imports: main, with all of blue's light code. */
const ENTRY = `import ${JSON.stringify(ALL_LIGHT)};\nexport { main } from './src/cli/main.ts';\n`;

function oneCoreChunk({ light, fast }) {
  return {
    name: 'one-core-chunk',
    setup(b) {
      b.onResolve({ filter: /^blue:(all-light|entry)$/ }, (args) => ({ path: args.path, namespace: 'blue' }));
      b.onLoad({ filter: /.*/, namespace: 'blue' }, (args) => ({
        contents: args.path === ALL_LIGHT ? light.map((file) => `import ${JSON.stringify(join(repo, file))};`).join('\n') : ENTRY,
        resolveDir: repo,
        loader: 'js',
      }));
      b.onLoad({ filter: /\/src\/.*\.tsx?$/ }, async (args) => {
        const file = args.path.slice(repo.length + 1);
        if (fast.has(file)) return undefined;
        const { readFile } = await import('node:fs/promises');
        const contents = `${await readFile(args.path, 'utf8')}\nimport ${JSON.stringify(ALL_LIGHT)};\n`;
        return { contents, loader: file.endsWith('.tsx') ? 'tsx' : 'ts' };
      });
    },
  };
}

export async function buildAll({ typecheck = true } = {}) {
  if (typecheck) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: repo, stdio: 'inherit' });
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const parts = await partition();
  const result = await build({
    ...common,
    entryPoints: { blue: 'blue:entry', ...FAST_ENTRIES },
    outdir: BUNDLE_DIR,
    splitting: true,
    sourcemap: 'linked',
    sourcesContent: false,
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'none',
    metafile: true,
    plugins: [oneCoreChunk(parts)],
  });
  // The bundle's own account of itself, which test/e2e/bundle.test.ts checks.
  writeFileSync(join(BUNDLE_DIR, 'meta.json'), JSON.stringify(result.metafile));
  return result.metafile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildAll();
