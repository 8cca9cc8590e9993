// The build: tsc type-checks and compiles src/ to dist/ module by module (what the tests' helpers and the
// bench import), and esbuild bundles what ships, dist/bundle/:
// - core.cjs: all of blue's light code and commander, one CommonJS file that bin/blue compiles with a V8
//   code cache (core.cache), because Node 20 has no module compile cache and compiling the core as an ES
//   module cost every command some 40 ms;
// - version.cjs and hook-gate.cjs: what `--version` and a commit with no dialogue file need, and nothing else;
// - heavy/: the modules that reach the AWS SDK, the Markdown parser, or React and ink, loaded only on the
//   paths that import them: aws.cjs and markdown.cjs are CommonJS groups with code caches of their own,
//   like the core; the views are ES modules (ink's yoga-layout awaits at its top level, which CommonJS
//   cannot).
// Each of blue's modules exists once: a module that a later file needs from an earlier one (the core from a
// fast entry, a heavy chunk from the core) is taken from a registry the earlier file fills, never bundled
// again, so `instanceof BlueError` holds wherever an error is thrown.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const BUNDLE_DIR = join(repo, 'dist', 'bundle');

/** Packages that load only on the paths that use them, from heavy/. */
const DEFERRED_PACKAGES = /node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws|ink|ink-[^/]+|react|react-[^/]+|yoga-layout|scheduler|mdast-[^/]+|micromark[^/]*)\//;

/**
 * Entries that bin/blue loads before the core, for what git hooks and scripts call all the time:
 * `--version`, and the pre-commit hook on a commit that stages no dialogue file.
 */
const FAST_ENTRIES = { version: 'src/cli/version.ts', 'hook-gate': 'src/cli/hook-gate.ts' };

/** Where each bundled file finds the modules that files loaded before it hold: module path → its exports. */
const REGISTRY = "(globalThis[Symbol.for('blue.bundle.modules')] ??= new Map())";

const common = {
  absWorkingDir: repo,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  // The ES module builds of packages that ship both (the AWS SDK): a dynamic import() of a CommonJS chunk
  // would give only a default export, and ES modules shake better.
  mainFields: ['module', 'main'],
  // ink loads React's devtools only when DEV=true asks for them, and they are not a dependency.
  external: ['react-devtools-core'],
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  metafile: true,
};

/**
 * The light modules, by esbuild's own import graph: those (of src/ or packages) that reach no deferred
 * package through static imports; the fast entries' modules; and the heavy targets, what light modules
 * import dynamically that is not light.
 */
async function partition() {
  const { metafile } = await build({ ...common, format: 'esm', entryPoints: ['src/cli/main.ts', ...Object.values(FAST_ENTRIES)], outdir: join(BUNDLE_DIR, 'probe'), splitting: true, write: false });
  const imports = (file, kinds) => (metafile.inputs[file]?.imports ?? []).filter((i) => kinds.includes(i.kind) && !i.external).map((i) => i.path);
  const statics = (file) => imports(file, ['import-statement', 'require-call']);
  const memo = new Map();
  const isHeavy = (file, seen = new Set()) => {
    if (memo.has(file)) return memo.get(file);
    if (DEFERRED_PACKAGES.test(file)) return true;
    if (seen.has(file)) return false;
    seen.add(file);
    const result = statics(file).some((next) => isHeavy(next, seen));
    memo.set(file, result);
    return result;
  };
  // Each fast entry with what it imports statically, owned by the first entry that reaches a module.
  const fastOwner = new Map();
  for (const [name, entry] of Object.entries(FAST_ENTRIES)) {
    const visit = (file) => {
      if (fastOwner.has(file)) {
        if (fastOwner.get(file) !== name) throw new Error(`${file} is reached by two fast entries (${fastOwner.get(file)}, ${name}): give it one owner`);
        return;
      }
      fastOwner.set(file, name);
      statics(file).forEach(visit);
    };
    visit(entry);
  }
  // What the light modules of src/ import statically is light too: commander and the ciphers go into the
  // core with blue. Packages that only heavy modules use (bowser, by the AWS SDK) stay out of it.
  const light = new Set();
  const visit = (file) => {
    if (light.has(file) || fastOwner.has(file) || isHeavy(file)) return;
    light.add(file);
    statics(file).forEach(visit);
  };
  for (const file of Object.keys(metafile.inputs)) if (file.startsWith('src/')) visit(file);
  const heavyTargets = new Set();
  for (const file of [...light, ...fastOwner.keys()]) {
    for (const target of imports(file, ['dynamic-import'])) if (!light.has(target) && !fastOwner.has(target)) heavyTargets.add(target);
  }
  // Each heavy target's group, by the packages it reaches: ink's (which awaits at its top level) stays an
  // ES module; the others are CommonJS, compiled from a code cache like the core.
  const reach = (file, seen = new Set()) => {
    if (!seen.has(file)) {
      seen.add(file);
      for (const next of statics(file)) reach(next, seen);
    }
    return seen;
  };
  const groups = {};
  for (const target of [...heavyTargets].sort()) {
    const files = [...reach(target)];
    const group = HEAVY_GROUPS.find(({ packages }) => files.some((file) => packages.test(file)))?.name;
    if (!group) throw new Error(`${target} is imported lazily but reaches no deferred package: it should be light`);
    (groups[group] ??= []).push(target);
  }
  return { light: [...light], fastOwner, heavyTargets: [...heavyTargets].sort(), groups };
}

/**
 * The heavy groups, in the order a target is placed (the first whose packages it reaches): each CommonJS
 * group is one file that holds its targets and their packages once; `views` is ES modules with chunks.
 */
const HEAVY_GROUPS = [
  { name: 'views', format: 'esm', packages: /node_modules\/(ink|ink-[^/]+|react|react-[^/]+|yoga-layout|scheduler)\// },
  { name: 'aws', format: 'cjs', packages: /node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws)\// },
  { name: 'markdown', format: 'cjs', packages: /node_modules\/(mdast-[^/]+|micromark[^/]*)\// },
];

/** A heavy target's name: its path without src/ or its extension (node_modules/ becomes packages/). */
function heavyName(target) {
  return target.replace(/^src\//, '').replace(/^node_modules\//, 'packages/').replace(/\.(tsx?|m?js|cjs)$/, '');
}

/**
 * What the core hands __blueImport for a target, relative to dist/bundle/: an ES module chunk, or a
 * CommonJS group's file and the target's name in it (`heavy/aws.cjs#store/dynamodb/open`).
 */
function heavyAddress(target, groups) {
  const group = HEAVY_GROUPS.find(({ name }) => groups[name]?.includes(target));
  return group.format === 'esm' ? `heavy/${heavyName(target)}.js` : `heavy/${group.name}.cjs#${heavyName(target)}`;
}

/** A fast entry: runs `files` (paths relative to the repository), puts what each exports in the registry. */
function fastEntry(files, exportsFrom) {
  const lines = files.map((file, k) => `import * as m${k} from ${JSON.stringify(join(repo, file))};`);
  lines.push(`const modules = ${REGISTRY};`);
  // Only blue's own modules are taken from the registry; their exports are all named (no default).
  files.forEach((file, k) => file.startsWith('src/') && lines.push(`modules.set(${JSON.stringify(file)}, m${k});`));
  lines.push(`export * from ${JSON.stringify(join(repo, exportsFrom))};`);
  return lines.join('\n');
}

/**
 * The core's entry: main, and a way to fill the registry with `shared` (what heavy/ takes from the core)
 * before a heavy chunk loads. Each module of the core runs when a command first reaches it, not at start:
 * `list` never runs the code of `export` or `score`.
 */
function coreEntry(shared, fastFiles) {
  return [
    `const modules = ${REGISTRY};`,
    `const loaders = [${shared.map((file) => `[${JSON.stringify(file)}, () => import(${JSON.stringify(join(repo, file))})]`).join(', ')}];`,
    'let loading;',
    `globalThis[Symbol.for('blue.bundle.loadShared')] = () => (loading ??= (async () => {`,
    ...fastFiles.map((file) => `  require(${JSON.stringify(`./${file}.cjs`)});`),
    '  for (const [file, load] of loaders) modules.set(file, await load());',
    '})());',
    `export { main } from ${JSON.stringify(join(repo, 'src/cli/main.ts'))};`,
  ].join('\n');
}

/**
 * The file, relative to the repository, that esbuild resolves an import to. The resolution is marked
 * `resolving`, which every plugin here passes over, so that none answers its own question.
 */
async function resolvedFile(b, args) {
  const found = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
  return relative(repo, found.path);
}

/**
 * A plugin that answers an import of one of `shared` (blue's modules that an earlier file holds) with that
 * file's copy, from the registry; `before(file)` names what must be loaded first, if anything.
 */
function fromRegistry(shared, before = () => undefined, taken = new Set()) {
  return {
    name: 'from-registry',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.resolving || !args.importer.startsWith(join(repo, 'src'))) return undefined;
        const file = await resolvedFile(b, args);
        return shared.has(file) ? { path: file, namespace: 'blue-registry' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'blue-registry' }, (args) => {
        taken.add(args.path);
        const load = before(args.path);
        const contents = [
          load ? `require(${JSON.stringify(load)});` : '',
          `const exported = ${REGISTRY}.get(${JSON.stringify(args.path)});`,
          `if (!exported) throw new Error(${JSON.stringify(`blue's bundle: ${args.path} was not loaded before the file that needs it`)});`,
          'module.exports = exported;',
        ].join('\n');
        return { contents, loader: 'js', resolveDir: BUNDLE_DIR };
      });
      b.onResolve({ filter: /^\.\/[\w-]+\.cjs$/ }, (args) => (args.namespace === 'blue-registry' || args.namespace === 'blue-entry' ? { path: args.path, external: true } : undefined));
    },
  };
}

/** Virtual entries: `blue-entry:<name>` loads as the given source. */
function virtualEntries(sources) {
  return {
    name: 'virtual-entries',
    setup(b) {
      b.onResolve({ filter: /^blue-entry:/ }, (args) => ({ path: args.path.slice('blue-entry:'.length), namespace: 'blue-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'blue-entry' }, (args) => ({ contents: sources[args.path], resolveDir: repo, loader: 'js' }));
    },
  };
}

/** The core's dynamic imports of heavy targets go to heavy/, through `__blueImport` (see bin/blue). */
function heavyImports(heavyTargets) {
  const targets = new Set(heavyTargets);
  return {
    name: 'heavy-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.resolving) return undefined;
        const file = await resolvedFile(b, args);
        return targets.has(file) ? { path: `./heavy/${heavyName(file)}.js`, external: true } : undefined;
      });
    },
  };
}

/**
 * Node's built-in modules that are not in its start-up snapshot and that most commands never use (the
 * agent runner's child_process, the store's crypto, the views' readline, ...): loading them all costs a
 * command some 8 ms. In the core, each is an object whose properties load the module on first use.
 */
const LAZY_BUILTINS = ['child_process', 'crypto', 'readline', 'os', 'worker_threads', 'perf_hooks', 'timers/promises', 'tty', 'net', 'tls', 'zlib', 'stream/promises', 'dns', 'http', 'https', 'http2', 'async_hooks'];

function lazyBuiltins() {
  const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(b) {
      b.onResolve({ filter }, (args) => (args.namespace === 'lazy-builtin' ? undefined : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
        const id = `node:${args.path}`;
        const names = Object.getOwnPropertyNames(require(id)).filter((name) => name !== 'default');
        const contents = [
          `let loaded;`,
          `const load = () => (loaded ??= require(${JSON.stringify(id)}));`,
          `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
        ].join('\n');
        return { contents, loader: 'js', resolveDir: repo };
      });
    },
  };
}

// CommonJS has neither import.meta.url nor, when bin/blue compiles the core with its code cache, import():
// bin/blue lends the core its own import() (plain `require` of the core, under BLUE_DEBUG, needs none).
const CJS_BANNER = [
  "const __blueMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  "const __blueImport = async (address) => { await globalThis[Symbol.for('blue.bundle.loadShared')](); const [path, name] = address.split('#'); const file = require('node:path').join(__dirname, path);" +
    " if (name !== undefined) { const host = globalThis[Symbol.for('blue.bundle.require')]; return (host ? host(file) : require(file)).targets[name](); }" +
    " const url = require('node:url').pathToFileURL(file).href; const host = globalThis[Symbol.for('blue.bundle.import')]; return host ? host(url) : import(url); };",
].join('\n');

async function buildCjs(name, source, plugins, outdir = BUNDLE_DIR, options = {}) {
  const result = await build({
    ...common,
    ...options,
    format: 'cjs',
    entryPoints: { [name]: `blue-entry:${name}` },
    outdir,
    outExtension: { '.js': '.cjs' },
    sourcemap: 'linked',
    sourcesContent: false,
    // Fewer bytes to read and hash at every start; names stay, for error messages and stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: CJS_BANNER },
    define: { ...common.define, 'import.meta.url': '__blueMetaUrl' },
    plugins: [virtualEntries({ [name]: source }), ...plugins],
  });
  return result.metafile;
}

export async function buildAll({ typecheck = true } = {}) {
  if (typecheck) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: repo, stdio: 'inherit' });
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const { light, fastOwner, heavyTargets, groups } = await partition();
  const metafiles = {};
  for (const [name, entry] of Object.entries(FAST_ENTRIES)) {
    const files = [...fastOwner].filter(([, owner]) => owner === name).map(([file]) => file);
    metafiles[name] = await buildCjs(name, fastEntry(files, entry), [lazyBuiltins()]);
  }
  const fastShared = new Set([...fastOwner.keys()].filter((file) => file.startsWith('src/')));
  // heavy/ first: what it takes from the registry is what the core must put there.
  const shared = new Set([...light, ...fastShared].filter((file) => file.startsWith('src/')));
  const taken = new Set();
  const views = await build({
    ...common,
    format: 'esm',
    entryPoints: Object.fromEntries((groups.views ?? []).map((target) => [heavyName(target), target])),
    outdir: join(BUNDLE_DIR, 'heavy'),
    splitting: true,
    sourcemap: 'linked',
    sourcesContent: false,
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __blueRequire } from 'node:module'; const require = __blueRequire(import.meta.url);" },
    plugins: [fromRegistry(shared, undefined, taken)],
  });
  metafiles['heavy-views'] = views.metafile;
  for (const { name, format } of HEAVY_GROUPS) {
    if (format !== 'cjs' || !groups[name]) continue;
    const targets = groups[name];
    const source = [
      // Each target runs when it is first asked for: a DynamoDB command without KMS never runs the KMS client.
      `export const targets = { ${targets.map((target) => `${JSON.stringify(heavyName(target))}: () => import(${JSON.stringify(join(repo, target))})`).join(', ')} };`,
    ].join('\n');
    // The AWS SDK imports some built-ins with import() (node:http, on its first request): in a group,
    // which bin/blue compiles from a code cache, that becomes require(), as it may for a built-in.
    metafiles[`heavy-${name}`] = await buildCjs(name, source, [fromRegistry(shared, undefined, taken), lazyBuiltins()], join(BUNDLE_DIR, 'heavy'), { supported: { 'dynamic-import': false } });
  }
  const fromCore = [...taken].filter((file) => !fastShared.has(file)).sort();
  metafiles.core = await buildCjs('core', coreEntry(fromCore, Object.keys(FAST_ENTRIES)), [
    fromRegistry(fastShared, (file) => `./${fastOwner.get(file)}.cjs`),
    heavyImports(heavyTargets),
    lazyBuiltins(),
  ]);
  // The core reaches heavy/ through __blueImport only.
  const corePath = join(BUNDLE_DIR, 'core.cjs');
  let core = readFileSync(corePath, 'utf8');
  for (const target of heavyTargets) {
    const site = `import("./heavy/${heavyName(target)}.js")`;
    if (!core.includes(site)) throw new Error(`the core does not import ${target} where the build expects it`);
    core = core.replaceAll(site, `__blueImport(${JSON.stringify(`./${heavyAddress(target, groups)}`)})`);
  }
  writeFileSync(corePath, core);
  // What bin/blue compiles from a code cache cannot run import() on Node 20: only the banner's may remain.
  for (const file of ['core.cjs', ...HEAVY_GROUPS.filter((g) => g.format === 'cjs' && groups[g.name]).map((g) => `heavy/${g.name}.cjs`)]) {
    const stray = readFileSync(join(BUNDLE_DIR, file), 'utf8').match(/(?<![\w$.])import\(/g) ?? [];
    if (stray.length > 1) throw new Error(`${file} has ${stray.length - 1} import() besides its banner's`);
  }
  // The bundle's own account of itself, which test/e2e/bundle.test.ts checks.
  const addresses = heavyTargets.map((target) => ({ target, address: heavyAddress(target, groups) }));
  writeFileSync(join(BUNDLE_DIR, 'meta.json'), JSON.stringify({ heavyTargets: addresses, fromCore, metafiles }));
  return metafiles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildAll();
