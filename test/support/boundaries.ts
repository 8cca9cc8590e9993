// The import boundaries between blue's layers, checked from the source with the TypeScript parser (no
// type checking, no build): every import of every file under a src/ folder is read, resolved, and judged
// by the layer it comes from and the layer it goes to. checkBoundaries(srcDir) returns the violations.
//
// The layers are the folders of src/: domain, render, app, workspace, commands, cli, store, platform, agents,
// views.
//   domain     imports only domain: no Node built-in, no package but the pure Markdown parser
//              (PURE_PACKAGES: micromark and mdast, which do no I/O).
//   render     imports only domain and render: no Node built-in, no package.
//   app        imports domain, render and app, and workspace/layout.ts (pure: it names the paths); from
//              store/types.ts, the rest of workspace/ and agents/ only `import type`; no node:fs, no AWS
//              SDK, no ink or react.
//   views      the live terminal views (.tsx): import domain, render, views, the packages ink and react,
//              and from app only `import type`; no Node built-in (so no fs), no store, no AWS SDK, and no
//              process.cwd(), process.env or process.stdout: they draw on the streams they are given.
//   views      are imported only by commands and cli, and only by import() (or `import type`), so that
//              ink and React load on the paths that show a view and no other command's start-up grows.
//   workspace/layout.ts  is pure like the domain: it imports only domain.
//   commands   no node:fs, no AWS SDK, nothing of store/ but `import type`; and no process.cwd(),
//              process.env or process.stdout: a command gets its folder, environment and output from cli.
//   workspace, store, agents   never import commands, cli or app (agents/ spawns the agent tools:
//              processes, groups, timeouts; the use case that schedules them is app's).
//   cli        is imported by nothing in src/ but cli itself (bin/ is outside src/).
//   all of src/   no cycle of static imports (import type and import() aside: neither runs at load).
//
// An import is every form TypeScript has: import/export ... from, import x = require(), import(),
// require(). `import type` (or an import whose every name is `type`, which TypeScript erases) is
// type-only. A computed import() cannot be judged and is reported as such.

import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const LAYERS = ['domain', 'render', 'app', 'workspace', 'commands', 'cli', 'store', 'platform', 'agents', 'views'] as const;
export type Layer = (typeof LAYERS)[number];

export type Rule =
  | 'domain'
  | 'render'
  | 'app'
  | 'commands'
  | 'commands-process'
  | 'views'
  | 'views-entry'
  | 'infrastructure'
  | 'cli-entry'
  | 'cycle'
  | 'computed-import'
  | 'layout';

export interface Violation {
  rule: Rule;
  /** The importing file, as `src/...` (the checked folder's own name first). */
  file: string;
  line: number;
  /** The import as written, when the violation is an import. */
  specifier?: string;
  message: string;
}

export interface ImportRef {
  specifier: string;
  line: number;
  kind: 'static' | 'dynamic' | 'require';
  typeOnly: boolean;
  /** For a relative import: the file it names, absolute (a .js specifier maps to its .ts source). */
  target?: string;
  /** For a bare import: the package ('@scope/name' or 'name'), or the built-in module without `node:`. */
  module?: string;
  builtin: boolean;
  computed?: boolean;
}

export interface ProcessUse {
  line: number;
  what: string;
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const BUILTINS = new Set(builtinModules);
const FS_MODULES = new Set(['fs', 'fs/promises']);
/** Packages that are pure computation (no I/O, clock or randomness), so the domain may use them. */
const PURE_PACKAGES = /^(mdast|mdast-util-.*|micromark|micromark-.*)$/;
const UI_PACKAGES = /^(ink|ink-.*|react|react-dom|@inkjs\/.*)$/;
const PROCESS_MEMBERS = new Set(['cwd', 'env', 'stdout']);

/** Every TypeScript source under `dir` (not .d.ts), absolute, in a stable order. */
export function listSources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listSources(full));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function parse(file: string, text: string): ts.SourceFile {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, kind);
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

/** The source file a relative specifier names: ./x.js -> x.ts (or .tsx, or x/index.ts). */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    base.replace(/\.mjs$/, '.mts'),
    base.replace(/\.cjs$/, '.cts'),
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    base,
  ];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return found ?? base.replace(/\.js$/, '.ts');
}

function describeBare(specifier: string): { module: string; builtin: boolean } {
  if (specifier.startsWith('node:')) return { module: specifier.slice('node:'.length), builtin: true };
  if (BUILTINS.has(specifier)) return { module: specifier, builtin: true };
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return { module: BUILTINS.has(name) ? specifier : name, builtin: BUILTINS.has(name) };
}

function allTypeOnly(elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>): boolean {
  return elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

/** Every import of one file, and its uses of process.cwd/env/stdout. */
export function readFile(file: string, text = readFileSync(file, 'utf8')): { imports: ImportRef[]; processUses: ProcessUse[] } {
  const source = parse(file, text);
  const imports: ImportRef[] = [];
  const processUses: ProcessUse[] = [];
  const add = (specifierNode: ts.Expression | undefined, node: ts.Node, kind: ImportRef['kind'], typeOnly: boolean) => {
    const line = lineOf(source, node);
    if (!specifierNode || !ts.isStringLiteralLike(specifierNode)) {
      imports.push({ specifier: specifierNode ? specifierNode.getText(source) : '', line, kind, typeOnly, builtin: false, computed: true });
      return;
    }
    const specifier = specifierNode.text;
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      imports.push({ specifier, line, kind, typeOnly, target: resolveRelative(file, specifier), builtin: false });
    } else {
      imports.push({ specifier, line, kind, typeOnly, ...describeBare(specifier) });
    }
  };
  const isProcess = (node: ts.Expression): boolean =>
    (ts.isIdentifier(node) && node.text === 'process') ||
    (ts.isPropertyAccessExpression(node) && node.name.text === 'process' && ts.isIdentifier(node.expression) && node.expression.text === 'globalThis');

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
      const typeOnly = Boolean(clause && (clause.isTypeOnly || (!clause.name && named && allTypeOnly(named.elements))));
      add(node.moduleSpecifier, node, 'static', typeOnly);
      if (ts.isStringLiteral(node.moduleSpecifier) && /^(node:)?process$/.test(node.moduleSpecifier.text) && !typeOnly) {
        processUses.push({ line: lineOf(source, node), what: `import from '${node.moduleSpecifier.text}'` });
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause : undefined;
      add(node.moduleSpecifier, node, 'static', node.isTypeOnly || Boolean(named && allTypeOnly(named.elements)));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node, 'require', node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal as ts.Expression, node, 'static', true);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], node, 'dynamic', false);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1) {
        add(node.arguments[0], node, 'require', false);
      }
    } else if (ts.isPropertyAccessExpression(node) && isProcess(node.expression) && PROCESS_MEMBERS.has(node.name.text)) {
      processUses.push({ line: lineOf(source, node), what: `process.${node.name.text}${node.name.text === 'cwd' ? '()' : ''}` });
    } else if (
      ts.isElementAccessExpression(node) &&
      isProcess(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      PROCESS_MEMBERS.has(node.argumentExpression.text)
    ) {
      processUses.push({ line: lineOf(source, node), what: `process['${node.argumentExpression.text}']` });
    } else if (ts.isVariableDeclaration(node) && node.initializer && isProcess(node.initializer) && ts.isObjectBindingPattern(node.name)) {
      for (const element of node.name.elements) {
        const name = (element.propertyName ?? element.name).getText(source);
        if (PROCESS_MEMBERS.has(name)) processUses.push({ line: lineOf(source, element), what: `{ ${name} } = process` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, processUses };
}

/** The layer a file belongs to, by its first folder under src/; undefined outside src/ or outside the layers. */
function layerOf(srcDir: string, file: string): Layer | undefined {
  const rel = relative(srcDir, file);
  if (rel.startsWith('..') || rel === '') return undefined;
  const first = rel.split(sep)[0];
  return (LAYERS as readonly string[]).includes(first) ? (first as Layer) : undefined;
}

/**
 * The strongly connected sets of a graph with more than one file (or a file importing itself), each as
 * one cycle through it (Tarjan, then a path back to the set's first file).
 */
function cycles(graph: Map<string, string[]>): { cycle: string[]; members: string[] }[] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const sets: string[][] = [];
  const strongConnect = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const set: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        set.push(w);
      } while (w !== v);
      if (set.length > 1 || (graph.get(v) ?? []).includes(v)) sets.push(set.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) strongConnect(v);

  return sets
    .map((members) => {
      const inSet = new Set(members);
      const start = members[0];
      // Breadth first from start, inside the set, to the shortest way back to start.
      const previous = new Map<string, string>();
      const queue = [start];
      let last: string | undefined;
      while (queue.length && !last) {
        const v = queue.shift()!;
        for (const w of graph.get(v) ?? []) {
          if (!inSet.has(w)) continue;
          if (w === start) {
            last = v;
            break;
          }
          if (!previous.has(w)) {
            previous.set(w, v);
            queue.push(w);
          }
        }
      }
      const path = [start];
      for (let v = last!; v !== start; v = previous.get(v)!) path.splice(1, 0, v);
      return { cycle: [...path, start], members };
    })
    .sort((a, b) => a.cycle[0].localeCompare(b.cycle[0]));
}

/** Checks every source under `srcDir` (a project's src/) against the layer rules above. */
export function checkBoundaries(srcDir: string): Violation[] {
  const root = resolve(srcDir);
  const shown = (file: string) => join(basename(root), relative(root, file)).split(sep).join('/');
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  const firstLine = new Map<string, number>();

  for (const file of listSources(root)) {
    const { imports, processUses } = readFile(file);
    const from = layerOf(root, file);
    const report = (rule: Rule, ref: ImportRef | undefined, message: string, line = ref?.line ?? 1) =>
      violations.push({ rule, file: shown(file), line, ...(ref ? { specifier: ref.specifier } : {}), message });
    graph.set(file, []);

    for (const ref of imports) {
      if (ref.computed) {
        report('computed-import', ref, `a computed ${ref.kind} import (${ref.specifier || 'no argument'}) cannot be checked against the layers`);
        continue;
      }
      const to = ref.target ? layerOf(root, ref.target) : undefined;
      const inside = ref.target !== undefined && !relative(root, ref.target).startsWith('..');
      const targetShown = ref.target ? (inside ? shown(ref.target) : relative(dirname(root), ref.target)) : undefined;
      const what = ref.target ? `${targetShown}` : ref.builtin ? `the Node built-in ${ref.module}` : `the package ${ref.module}`;
      const typeOnlyStore = ref.target !== undefined && to === 'store' && ref.typeOnly;

      if (from === 'domain' && to !== 'domain' && !(ref.module !== undefined && !ref.builtin && PURE_PACKAGES.test(ref.module))) report('domain', ref, `domain imports only domain, not ${what}`);
      if (from === 'render' && to !== 'domain' && to !== 'render') report('render', ref, `render imports only domain and render, not ${what}`);
      if (from === 'app') {
        if (ref.target) {
          const isStoreTypes = targetShown === `${basename(root)}/store/types.ts`;
          const isLayout = targetShown === `${basename(root)}/workspace/layout.ts`;
          const typesOnly = isStoreTypes || to === 'workspace' || to === 'agents';
          const allowed = to === 'domain' || to === 'render' || to === 'app' || isLayout || (ref.typeOnly && typesOnly);
          if (!allowed) {
            const why = typesOnly ? `only \`import type\` from ${targetShown}` : `not ${what}`;
            report('app', ref, `app imports domain, render and app, and types from store/types.ts, workspace/ and agents/: ${why}`);
          }
        } else if (ref.builtin && FS_MODULES.has(ref.module!)) {
          report('app', ref, `app does no file I/O: not ${what}`);
        } else if (!ref.builtin && ref.module!.startsWith('@aws-sdk/')) {
          report('app', ref, `app does not talk to AWS: not ${what}`);
        } else if (!ref.builtin && UI_PACKAGES.test(ref.module!)) {
          report('app', ref, `app renders no terminal UI: not ${what}`);
        }
      }
      if (from === 'commands') {
        if (ref.builtin && FS_MODULES.has(ref.module!)) report('commands', ref, `commands do no file I/O of their own: not ${what}`);
        else if (!ref.builtin && ref.module?.startsWith('@aws-sdk/')) report('commands', ref, `commands do not talk to AWS: not ${what}`);
        else if (to === 'store' && !typeOnlyStore) report('commands', ref, `commands use the store through its types only (\`import type\`): not ${what}`);
      }
      if (from === 'views') {
        const allowed = ref.target
          ? to === 'domain' || to === 'render' || to === 'views' || (to === 'app' && ref.typeOnly)
          : !ref.builtin && UI_PACKAGES.test(ref.module!);
        if (!allowed) {
          const why = to === 'app' ? `only \`import type\` from ${targetShown}` : `not ${what}`;
          report('views', ref, `views import domain, render, views, ink and react, and types from app: ${why}`);
        }
      }
      if (to === 'views' && from !== 'views') {
        const lazily = ref.kind === 'dynamic' || ref.typeOnly;
        if (from !== 'commands' && from !== 'cli') report('views-entry', ref, `only commands and cli import views: not ${from ?? 'a file outside the layers'}`);
        else if (!lazily) report('views-entry', ref, `views load ink and React: import them with import() where a view is shown, not statically (${what})`);
      }
      if (shown(file) === `${basename(root)}/workspace/layout.ts` && to !== 'domain') {
        report('layout', ref, `workspace/layout.ts is pure and imports only domain, not ${what}`);
      }
      if ((from === 'workspace' || from === 'store' || from === 'agents') && (to === 'commands' || to === 'cli' || to === 'app')) {
        report('infrastructure', ref, `${from} never imports ${to}: not ${what}`);
      }
      if (to === 'cli' && from !== 'cli') report('cli-entry', ref, `nothing but cli (and bin/) imports cli: not ${what}`);

      if (inside && ref.kind !== 'dynamic' && !ref.typeOnly) {
        graph.get(file)!.push(ref.target!);
        const edge = `${file}\0${ref.target}`;
        if (!firstLine.has(edge)) firstLine.set(edge, ref.line);
      }
    }
    if (from === 'commands' || from === 'views') {
      const seen = new Set<string>();
      for (const use of processUses) {
        const key = `${use.line}:${use.what}`;
        if (seen.has(key)) continue; // twice on one line is one place to change
        seen.add(key);
        if (from === 'commands') report('commands-process', undefined, `commands get the folder, environment and output from cli: not ${use.what}`, use.line);
        else report('views', undefined, `views draw on the streams they are given: not ${use.what}`, use.line);
      }
    }
  }

  for (const { cycle, members } of cycles(graph)) {
    const files = cycle.map(shown);
    const others = members.length > cycle.length - 1 ? ` (${members.length} files import each other in all: ${members.map(shown).join(', ')})` : '';
    violations.push({
      rule: 'cycle',
      file: files[0],
      line: firstLine.get(`${cycle[0]}\0${cycle[1]}`) ?? 1,
      message: `import cycle: ${files.join(' -> ')}${others}`,
    });
  }
  return violations;
}

/** One line per violation: `src/domain/pool.ts:3 [domain] domain imports only domain, not ...`. */
export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} [${v.rule}] ${v.message}${v.specifier !== undefined ? ` ('${v.specifier}')` : ''}`;
}
