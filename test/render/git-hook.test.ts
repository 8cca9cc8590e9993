// The hook's shell text: which existing hooks it can join, where its block goes, and that the words it
// quotes reach sh intact.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasHookBlock, insertHookBlock, isShellScript, renderHookBlock, renderHookFile, replaceHookBlock, shellQuote } from '../../src/render/git-hook.js';

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
    const file = renderHookFile(renderHookBlock('pre-commit', { node: '/usr/bin/node', script: path, root: "tools/it's" }), 'pre-commit.before-blue');
    execFileSync('sh', ['-n', '-c', file]);
    expect(file).toContain(`--root 'tools/it'\\''s'`);
  });
});
