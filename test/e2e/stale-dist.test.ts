// The guard that keeps the e2e tests off an old build: staleDist (scripts/blue.mjs) compares every
// src/**/*.ts(x) with its dist/**/*.js and with the bundle, and the real repository's dist/ must be
// current for this run.

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { staleDist } from '../../scripts/blue.mjs';

describe('staleDist', () => {
  let repo: string;
  const at = (path: string, seconds: number, text = '') => {
    const full = join(repo, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    utimesSync(full, seconds, seconds);
  };
  const fresh = () => {
    repo = mkdtempSync(join(tmpdir(), 'blue-stale-dist-'));
    at('tsconfig.json', 1000, '{}');
    at('src/domain/model.ts', 2000);
    at('src/cli/program.ts', 2000);
    at('src/domain/model.d.ts', 9000); // declarations compile to nothing
    at('dist/domain/model.js', 3000);
    at('dist/cli/program.js', 3000);
    at('dist/bundle/core.cjs', 3000);
  };
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('is satisfied when every source has an output no older than it', () => {
    fresh();
    expect(staleDist(repo)).toBeUndefined();
  });

  it('names a source edited after the build', () => {
    fresh();
    at('src/cli/program.ts', 4000);
    expect(staleDist(repo)).toBe('dist/cli/program.js is older than src/cli/program.ts');
  });

  it('names a source that was never compiled, and a missing dist/', () => {
    fresh();
    at('src/app/run.ts', 2000);
    expect(staleDist(repo)).toBe('dist/app/run.js is missing (src/app/run.ts is not compiled)');
    rmSync(join(repo, 'dist'), { recursive: true });
    expect(staleDist(repo)).toBe('dist/ does not exist');
  });

  it('names the bundle when it is missing or older than a source', () => {
    fresh();
    at('dist/bundle/core.cjs', 1500);
    expect(staleDist(repo)).toBe('dist/bundle/core.cjs is older than src/cli/program.ts');
    rmSync(join(repo, 'dist/bundle'), { recursive: true });
    expect(staleDist(repo)).toBe('dist/bundle/core.cjs is missing (the bundle was not built)');
  });

  it('holds a .tsx source (the views) to its .js output too', () => {
    fresh();
    at('src/views/watch-view.tsx', 2000);
    expect(staleDist(repo)).toBe('dist/views/watch-view.js is missing (src/views/watch-view.tsx is not compiled)');
    at('dist/views/watch-view.js', 3000);
    expect(staleDist(repo)).toBeUndefined();
    at('src/views/watch-view.tsx', 4000);
    expect(staleDist(repo)).toBe('dist/views/watch-view.js is older than src/views/watch-view.tsx');
  });

  it('names tsconfig.json when it changed after the build', () => {
    fresh();
    at('tsconfig.json', 5000, '{}');
    expect(staleDist(repo)).toMatch(/is older than tsconfig\.json$/);
  });
});

describe('this run', () => {
  it('tests a dist/ built from the current src/', () => {
    expect(staleDist()).toBeUndefined();
  });
});
