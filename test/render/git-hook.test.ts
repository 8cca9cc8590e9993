// The hook's shell text: which existing hooks it can join, where its block goes, and that the words it
// quotes reach sh intact.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasHookBlock, hookBlockRoots, insertHookBlock, isCurrentHookBlock, isShellScript, renderHookBlock, renderHookFile, replaceHookBlock, shellQuote } from '../../src/render/git-hook.js';

describe('the hook block', () => {
  it('joins shell scripts, and only those', () => {
    for (const text of ['#!/bin/sh\n', '#!/usr/bin/env bash\n', '#!/usr/bin/env -S bash -e\n', '#! /bin/zsh\n', '#!/usr/local/bin/dash\n', 'echo no shebang\n']) expect(isShellScript(text), text).toBe(true);
    for (const text of ['#!/usr/bin/env python3\n', '#!/usr/bin/node\n', '#!/usr/bin/env fish\n', '#!/usr/bin/perl -w\n']) expect(isShellScript(text), text).toBe(false);
  });

  it('goes right after the #! line, or first when there is none; is found and replaced in place', () => {
    const block = renderHookBlock('pre-commit', {});
    expect(insertHookBlock('#!/bin/sh\nexit 0\n', block)).toBe(`#!/bin/sh\n${block}exit 0\n`);
    expect(insertHookBlock('make check\n', block)).toBe(`${block}make check\n`);
    const joined = insertHookBlock('#!/bin/sh\nexit 0\n', block);
    expect(hasHookBlock(joined, 'pre-commit')).toBe(true);
    expect(hasHookBlock(joined, 'pre-push')).toBe(false);
    const newer = renderHookBlock('pre-commit', { node: '/n', script: '/s' });
    expect(replaceHookBlock(joined, 'pre-commit', newer)).toBe(`#!/bin/sh\n${newer}exit 0\n`);
  });

  it('quotes paths so that sh reads them back as they are', () => {
    const path = "/home/o'brien/my blue/bin/blue $HOME `x`";
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(path)}`], { encoding: 'utf8' })).toBe(path);
    const file = renderHookFile(renderHookBlock('pre-commit', { node: '/usr/bin/node', script: path }, ["tools/it's", '']), 'pre-commit.before-blue');
    execFileSync('sh', ['-n', '-c', file]);
    expect(file).toContain(`--root 'tools/it'\\''s'`);
    expect(hookBlockRoots(file, 'pre-commit')).toEqual(['', "tools/it's"]);
  });

  it('holds one check per project, and reads them back from the block (also from a block of an older blue)', () => {
    const block = renderHookBlock('pre-commit', { node: '/n', script: '/s' }, ['web', 'svc', 'web']);
    expect(block).toContain(`  if [ -x '/n' ] && [ -f '/s' ]; then\n    [ ! -d 'svc/.blue' ] || '/n' '/s' hook run pre-commit --root 'svc' || exit $?\n    [ ! -d 'web/.blue' ] || '/n' '/s' hook run pre-commit --root 'web' || exit $?\n`);
    expect(block).toContain(`    [ ! -d 'svc/.blue' ] || blue hook run pre-commit --root 'svc' || exit $?\n`);
    expect(hookBlockRoots(`#!/bin/sh\n${block}exit 0\n`, 'pre-commit')).toEqual(['svc', 'web']);
    expect(hookBlockRoots(block, 'pre-merge-commit')).toBeUndefined();
    const older = ['# >>> blue pre-commit >>>', 'if true; then', "    blue hook run pre-commit --root 'web' || exit $?", 'fi', '# <<< blue pre-commit <<<', ''].join('\n');
    expect(hookBlockRoots(older, 'pre-commit')).toEqual(['web']);
    expect(hookBlockRoots(renderHookBlock('pre-commit', {}), 'pre-commit')).toEqual(['']);
  });

  it('passes over a project whose .blue/ is gone, and stops at the first check that refuses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blue-hook-block-'));
    for (const project of ['web', 'zoo']) mkdirSync(join(dir, project, '.blue'), { recursive: true });
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // A stand-in blue that logs its arguments and refuses for web.
    writeFileSync(join(bin, 'blue'), '#!/bin/sh\necho "$*" >> ran.log\ncase "$*" in *web*) exit 1;; esac\n', { mode: 0o755 });
    const block = renderHookBlock('pre-commit', {}, ['zoo', 'gone', 'web']).replace("if git diff --cached --name-only --no-renames | grep -q '\\.blue/dialogues/'; then", 'if true; then');
    const run = spawnSync('sh', ['-c', block], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, 'ran.log'), 'utf8')).toBe('hook run pre-commit --root web\n');
  });

  it('tells the block this blue writes from one an older blue wrote or someone edited', () => {
    const path = "/home/o'brien/my blue/bin/blue";
    for (const block of [renderHookBlock('pre-commit', {}), renderHookBlock('pre-commit', { node: '/usr/bin/node', script: path }, ['', "tools/it's"]), renderHookBlock('pre-merge-commit', { node: '/n', script: '/s' }, ['web'])]) {
      const hook = block.includes('pre-merge-commit') ? 'pre-merge-commit' : 'pre-commit';
      expect(isCurrentHookBlock(`#!/bin/sh\n${block}exit 0\n`, hook), block).toBe(true);
      // A checkout that turned the hook's line ends into CRLF leaves it the same block.
      expect(isCurrentHookBlock(`#!/bin/sh\r\n${block.replace(/\n/g, '\r\n')}`, hook)).toBe(true);
      expect(isCurrentHookBlock(block.replace('|| exit $?', ''), hook)).toBe(false);
    }
    expect(isCurrentHookBlock('#!/bin/sh\nexit 0\n', 'pre-commit')).toBeUndefined();
    expect(isCurrentHookBlock(renderHookBlock('pre-commit', {}), 'pre-merge-commit')).toBeUndefined();
    // The block blue's first hook install wrote: it skipped a commit that only deletes a record.
    const first = [
      '# >>> blue pre-commit >>>',
      '# Added by `blue hook install`: refuses a commit that stages an invalid or out-of-date dialogue record,',
      '# naming the file and the command that fixes it. `blue hook install` again rewrites this block.',
      "if git diff --cached --name-only --diff-filter=ACMRT | grep -q '\\.blue/dialogues/'; then",
      "  if [ -x '/usr/bin/node' ] && [ -f '/opt/blue/bin/blue' ]; then",
      "    '/usr/bin/node' '/opt/blue/bin/blue' hook run pre-commit || exit $?",
      '  elif command -v blue >/dev/null 2>&1; then',
      '    blue hook run pre-commit || exit $?',
      '  else',
      "    echo 'blue pre-commit hook: cannot find blue (the one that installed this hook is gone); put blue on PATH, or run `blue hook install` again' >&2",
      '    exit 1',
      '  fi',
      'fi',
      '# <<< blue pre-commit <<<',
      '',
    ].join('\n');
    expect(isCurrentHookBlock(`#!/bin/sh\n${first}`, 'pre-commit')).toBe(false);
  });
});
