// The layering, enforced: test/support/boundaries.ts reads every import under src/ and judges it by the
// layers it joins. First on a small tree written for the purpose, to show that each rule catches what it
// should and lets through what it should; then on the real src/.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBoundaries, formatViolation, readFile, type Violation } from './support/boundaries.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** A src/ tree: path -> text. Everything not named in a comment as wrong is allowed. */
const TREE: Record<string, string> = {
  // domain: only domain, type-only or not.
  'domain/model.ts': `export interface Dialogue { id: string }\n`,
  'domain/ok.ts': `import type { Dialogue } from './model.js';\nimport { helper } from './util/helper.js';\nexport const id = (d: Dialogue) => helper(d.id);\n`,
  'domain/util/helper.ts': `export const helper = (s: string) => s.trim();\n`,
  'domain/bad.ts': [
    `import { readFileSync } from 'node:fs';`, // a Node built-in
    `import path from 'path';`, // a Node built-in without node:
    `import YAML from 'yaml';`, // a package
    `import { parseDataFile } from '../workspace/data-file.js';`, // another layer
    `export async function later() {`,
    `  return import('../store/file/store.js');`, // another layer, dynamically
    `}`,
    `export const x = [readFileSync, path, YAML, parseDataFile];`,
    ``,
  ].join('\n'),
  'domain/markdown.ts': `import type { Root } from 'mdast';\nimport { fromMarkdown } from 'mdast-util-from-markdown';\nexport const parse = (s: string): Root => fromMarkdown(s);\n`, // a pure parser package
  'domain/computed.ts': `export const load = (name: string) => import(name);\n`, // cannot be judged

  // render: domain and render only.
  'render/record.ts': `import type { Dialogue } from '../domain/model.js';\nimport { id } from '../domain/ok.js';\nimport { line } from './common.js';\nexport const render = (d: Dialogue) => line(id(d));\n`,
  'render/common.ts': `import { join } from 'node:path';\nexport const line = (s: string) => join(s, '\\n');\n`, // node:path
  // A cycle of three static imports in render, and a type-only one that is no cycle at run time.
  'render/a.ts': `import { b } from './b.js';\nexport const a = () => b();\n`,
  'render/b.ts': `import { c } from './c.js';\nexport const b = () => c();\n`,
  'render/c.ts': `export { a as c } from './a.js';\n`,
  'render/t1.ts': `import type { T2 } from './t2.js';\nexport interface T1 { next?: T2 }\n`,
  'render/t2.ts': `import { type T1 } from './t1.js';\nexport interface T2 { next?: T1 }\n`,

  // app: domain, render, app; types only from store/types.ts, workspace/ and agents/; no fs, AWS SDK, ink/react.
  'app/ok.ts': [
    `import type { DialogueStore } from '../store/types.js';`,
    `import type { Workspace } from '../workspace/files.js';`,
    `import type { AgentRunner } from '../agents/types.js';`,
    `import { render } from '../render/record.js';`,
    `import { randomUUID } from 'node:crypto';`,
    `export const run = (s: DialogueStore, w: Workspace, a: AgentRunner) => [s, w, a, render, randomUUID];`,
    ``,
  ].join('\n'),
  'app/bad.ts': [
    `import { STORE_SCHEMA } from '../store/types.js';`, // a value from store/types.ts
    `import { writeOwnedFile } from '../workspace/files.js';`, // a value from workspace
    `import type { FileStore } from '../store/file/store.js';`, // store beyond types.ts, even as a type
    `import * as fs from 'node:fs/promises';`,
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`,
    `import { render } from 'ink';`,
    `import React from 'react';`,
    `import { ProcessAgentRunner } from '../agents/runner.js';`, // a value from agents: spawning is not app's
    `export const x = [STORE_SCHEMA, writeOwnedFile, fs, DynamoDBClient, render, React, ProcessAgentRunner];`,
    ``,
  ].join('\n'),

  // commands: no fs, no AWS SDK, store by types only, no process.cwd/env/stdout.
  'commands/ok.ts': [
    `import type { DialogueStore } from '../store/types.js';`,
    `import { run } from '../app/ok.js';`,
    `// process.env and process.cwd() are the caller's business: a comment says so, and "process.stdout"`,
    `const note = 'process.stdout is not ours';`,
    `export const start = (store: DialogueStore, env: Record<string, string>) => [run, store, env, note];`,
    ``,
  ].join('\n'),
  'commands/store-init.ts': [
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`,
    `import { FileStore } from '../store/file/store.js';`,
    `import { readFile } from 'fs/promises';`,
    `export const init = () => [DynamoDBClient, FileStore, readFile];`,
    ``,
  ].join('\n'),
  'commands/start.ts': [
    `import { resolve } from 'node:path';`,
    `import type { Context } from '../cli/context.js';`, // cli, even as a type
    `export function start(ctx: Context, pool: string) {`,
    `  const { env } = process;`,
    `  process.stdout.write(resolve(process.cwd(), pool));`,
    `  return [ctx, env.HOME, process['env']];`,
    `}`,
    ``,
  ].join('\n'),

  // views: domain, render, views, ink and react, types from app; imported by commands and cli with import().
  'views/ok.tsx': [
    `import { Box, Text } from 'ink';`,
    `import { useState } from 'react';`,
    `import type { Snapshot } from '../app/ok.js';`,
    `import type { Dialogue } from '../domain/model.js';`,
    `import { id } from '../domain/ok.js';`,
    `import { render } from '../render/record.js';`,
    `import { helper } from './helper.js';`,
    `export function View({ d, s }: { d: Dialogue; s?: Snapshot }) {`,
    `  const [x] = useState(0);`,
    `  return <Box><Text>{helper(id(d)) + render(d) + x + String(s)}</Text></Box>;`,
    `}`,
    ``,
  ].join('\n'),
  'views/helper.ts': `export const helper = (s: string) => s.padEnd(10);\n`,
  'views/bad.tsx': [
    `import { readFileSync } from 'node:fs';`, // a Node built-in
    `import { run } from '../app/ok.js';`, // a value from app
    `import { FileStore } from '../store/file/store.js';`, // the store
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`,
    `import chalk from 'chalk';`, // a package that is not ink or react
    `export function Bad() {`,
    `  process.stdout.write(String([readFileSync, run, FileStore, DynamoDBClient, chalk]));`,
    `  return <>{process.env.HOME}</>;`,
    `}`,
    ``,
  ].join('\n'),
  'commands/watch.ts': [
    `import type { View } from '../views/ok.js';`,
    `import { helper } from '../views/helper.js';`, // statically: ink and React would load with every command
    `export const show = async () => [(await import('../views/ok.js')).View as typeof View, helper];`,
    ``,
  ].join('\n'),
  'cli/watch.ts': `export const show = () => import('../views/ok.js');\n`,
  'render/uses-view.ts': `import type { View } from '../views/ok.js';\nexport type V = typeof View;\n`, // render imports only domain and render
  'app/view.ts': `export const show = () => import('../views/ok.js');\n`, // app renders no terminal UI, even lazily

  // workspace and store never import commands, cli or app; cli imports whom it likes.
  'workspace/files.ts': `export interface Workspace { root: string }\nexport const writeOwnedFile = () => undefined;\n`,
  'workspace/data-file.ts': `import { start } from '../commands/start.js';\nexport const parseDataFile = () => start;\n`,
  'store/types.ts': `export interface DialogueStore { get(id: string): unknown }\nexport const STORE_SCHEMA = 1;\n`,
  'store/file/store.ts': `import type { Context } from '../../cli/context.js';\nimport { run } from '../../app/ok.js';\nexport class FileStore { constructor(readonly ctx?: Context) {}\n  run = run; }\n`,
  'cli/context.ts': `import { start } from '../commands/start.js';\nimport { FileStore } from '../store/file/store.js';\nexport interface Context { store: FileStore; start: typeof start }\n`,
  'cli/program.ts': `import type { Context } from './context.js';\nexport const main = (ctx: Context) => ctx;\n`,
  'platform/atomic-write.ts': `import { rename } from 'node:fs/promises';\nexport const write = rename;\n`,
  // agents: child processes are its business; app, commands and cli are not, even as types.
  'agents/types.ts': `export interface AgentRunner { run(command: string): Promise<number> }\n`,
  'agents/runner.ts': [
    `import { spawn } from 'node:child_process';`,
    `import type { AgentRunner } from './types.js';`,
    `import { id } from '../domain/ok.js';`,
    `import type { Workspace } from '../workspace/files.js';`,
    `import { run } from '../app/ok.js';`, // app
    `import type { Context } from '../cli/context.js';`, // cli, even as a type
    `export class ProcessAgentRunner implements AgentRunner { ctx?: Context; w?: Workspace; async run(c: string) { spawn(c); return [id, run].length; } }`,
    ``,
  ].join('\n'),
};

const summary = (v: Violation) => [v.rule, v.file, v.specifier ?? v.message];

describe('checkBoundaries on a tree written for the purpose', () => {
  let root: string;
  let violations: Violation[];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'blue-boundaries-'));
    for (const [path, text] of Object.entries(TREE)) {
      mkdirSync(dirname(join(root, 'src', path)), { recursive: true });
      writeFileSync(join(root, 'src', path), text);
    }
    violations = checkBoundaries(join(root, 'src'));
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const of = (rule: Violation['rule']) => violations.filter((v) => v.rule === rule).map(summary);

  it('domain: a Node built-in (with or without node:), a package, another layer, even through import()', () => {
    expect(of('domain')).toEqual([
      ['domain', 'src/domain/bad.ts', 'node:fs'],
      ['domain', 'src/domain/bad.ts', 'path'],
      ['domain', 'src/domain/bad.ts', 'yaml'],
      ['domain', 'src/domain/bad.ts', '../workspace/data-file.js'],
      ['domain', 'src/domain/bad.ts', '../store/file/store.js'],
    ]);
    expect(violations.find((v) => v.specifier === 'node:fs')).toMatchObject({ line: 1, message: 'domain imports only domain, not the Node built-in fs' });
    expect(violations.find((v) => v.specifier === '../workspace/data-file.js')).toMatchObject({ line: 4, message: 'domain imports only domain, not src/workspace/data-file.ts' });
  });

  it('a computed import() is reported, since it cannot be judged', () => {
    expect(of('computed-import')).toEqual([['computed-import', 'src/domain/computed.ts', 'name']]);
  });

  it('render: a Node built-in, a view', () => {
    expect(of('render')).toEqual([
      ['render', 'src/render/common.ts', 'node:path'],
      ['render', 'src/render/uses-view.ts', '../views/ok.js'],
    ]);
  });

  it('views: a Node built-in, a value from app, the store, the AWS SDK, a package but ink and react; process.stdout and process.env', () => {
    expect(of('views')).toEqual([
      ['views', 'src/views/bad.tsx', 'node:fs'],
      ['views', 'src/views/bad.tsx', '../app/ok.js'],
      ['views', 'src/views/bad.tsx', '../store/file/store.js'],
      ['views', 'src/views/bad.tsx', '@aws-sdk/client-dynamodb'],
      ['views', 'src/views/bad.tsx', 'chalk'],
      ['views', 'src/views/bad.tsx', 'views draw on the streams they are given: not process.stdout'],
      ['views', 'src/views/bad.tsx', 'views draw on the streams they are given: not process.env'],
    ]);
    expect(violations.find((v) => v.file === 'src/views/bad.tsx' && v.specifier === '../app/ok.js')?.message).toBe(
      'views import domain, render, views, ink and react, and types from app: only `import type` from src/app/ok.ts',
    );
  });

  it('views are imported by commands and cli only, and only with import() or import type', () => {
    expect(violations.filter((v) => v.rule === 'views-entry').map((v) => [v.file, v.specifier, v.message])).toEqual([
      ['src/app/view.ts', '../views/ok.js', 'only commands and cli import views: not app'],
      ['src/commands/watch.ts', '../views/helper.js', 'views load ink and React: import them with import() where a view is shown, not statically (src/views/helper.ts)'],
      ['src/render/uses-view.ts', '../views/ok.js', 'only commands and cli import views: not render'],
    ]);
  });

  it('app: values from store/types.ts or workspace, store beyond types.ts, node:fs, the AWS SDK, ink and react', () => {
    expect(of('app')).toEqual([
      ['app', 'src/app/bad.ts', '../store/types.js'],
      ['app', 'src/app/bad.ts', '../workspace/files.js'],
      ['app', 'src/app/bad.ts', '../store/file/store.js'],
      ['app', 'src/app/bad.ts', 'node:fs/promises'],
      ['app', 'src/app/bad.ts', '@aws-sdk/client-dynamodb'],
      ['app', 'src/app/bad.ts', 'ink'],
      ['app', 'src/app/bad.ts', 'react'],
      ['app', 'src/app/bad.ts', '../agents/runner.js'],
      ['app', 'src/app/view.ts', '../views/ok.js'],
    ]);
  });

  it('commands: the AWS SDK, the store implementation, fs; process.cwd(), process.env, process.stdout in any spelling', () => {
    expect(of('commands')).toEqual([
      ['commands', 'src/commands/store-init.ts', '@aws-sdk/client-dynamodb'],
      ['commands', 'src/commands/store-init.ts', '../store/file/store.js'],
      ['commands', 'src/commands/store-init.ts', 'fs/promises'],
    ]);
    expect(violations.filter((v) => v.rule === 'commands-process').map((v) => [v.file, v.line, v.message])).toEqual([
      ['src/commands/start.ts', 4, 'commands get the folder, environment and output from cli: not { env } = process'],
      ['src/commands/start.ts', 5, 'commands get the folder, environment and output from cli: not process.stdout'],
      ['src/commands/start.ts', 5, 'commands get the folder, environment and output from cli: not process.cwd()'],
      ['src/commands/start.ts', 6, "commands get the folder, environment and output from cli: not process['env']"],
    ]);
  });

  it('workspace, store and agents: commands, cli and app', () => {
    expect(of('infrastructure')).toEqual([
      ['infrastructure', 'src/agents/runner.ts', '../app/ok.js'],
      ['infrastructure', 'src/agents/runner.ts', '../cli/context.js'],
      ['infrastructure', 'src/store/file/store.ts', '../../cli/context.js'],
      ['infrastructure', 'src/store/file/store.ts', '../../app/ok.js'],
      ['infrastructure', 'src/workspace/data-file.ts', '../commands/start.js'],
    ]);
  });

  it('cli: imported from outside cli, even as a type', () => {
    expect(of('cli-entry')).toEqual([
      ['cli-entry', 'src/agents/runner.ts', '../cli/context.js'],
      ['cli-entry', 'src/commands/start.ts', '../cli/context.js'],
      ['cli-entry', 'src/store/file/store.ts', '../../cli/context.js'],
    ]);
  });

  it('a cycle of static imports, named file by file; type-only imports make none', () => {
    expect(violations.filter((v) => v.rule === 'cycle').map((v) => v.message)).toEqual([
      'import cycle: src/render/a.ts -> src/render/b.ts -> src/render/c.ts -> src/render/a.ts',
    ]);
  });

  it('nothing else: every import the rules allow goes through', () => {
    const allowedFiles = ['domain/model.ts', 'domain/ok.ts', 'domain/util/helper.ts', 'render/record.ts', 'render/t1.ts', 'render/t2.ts', 'app/ok.ts', 'commands/ok.ts', 'workspace/files.ts', 'store/types.ts', 'cli/context.ts', 'cli/program.ts', 'cli/watch.ts', 'platform/atomic-write.ts', 'agents/types.ts', 'views/ok.tsx', 'views/helper.ts'];
    expect(violations.filter((v) => allowedFiles.includes(v.file.slice('src/'.length)))).toEqual([]);
    expect(violations).toHaveLength(43);
  });
});

describe('readFile', () => {
  it('tells type-only imports from the rest, in every form', () => {
    const { imports } = readFile(
      '/x/src/a.ts',
      [
        `import type { A } from './a1.js';`,
        `import { type B, type C } from './a2.js';`,
        `import { type D, E } from './a3.js';`,
        `import './a4.js';`,
        `export type { F } from './a5.js';`,
        `export * from './a6.js';`,
        `import G = require('./a7.js');`,
        `type H = import('./a8.js').H;`,
        `const i = await import('./a9.js');`,
        `const j = require('./a10.js');`,
      ].join('\n'),
    );
    expect(imports.map((i) => [i.specifier, i.kind, i.typeOnly])).toEqual([
      ['./a1.js', 'static', true],
      ['./a2.js', 'static', true],
      ['./a3.js', 'static', false],
      ['./a4.js', 'static', false],
      ['./a5.js', 'static', true],
      ['./a6.js', 'static', false],
      ['./a7.js', 'require', false],
      ['./a8.js', 'static', true],
      ['./a9.js', 'dynamic', false],
      ['./a10.js', 'require', false],
    ]);
  });
});

describe('the real src/', () => {
  it('keeps to its layers', () => {
    expect(checkBoundaries(SRC).map(formatViolation)).toEqual([]);
  });
});
