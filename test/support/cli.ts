// Runs the built bin/blue in a temporary git repository, exactly as a user or a hook would.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'bin', 'blue');

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
  json: any;
}

export class Project {
  constructor(readonly root: string) {}

  blue(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Run {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? this.root,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      encoding: 'utf8',
    });
    let json: unknown;
    try {
      json = JSON.parse(result.stdout);
    } catch {
      json = undefined;
    }
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, json };
  }

  /** Runs and insists on exit 0, showing the CLI's own words when it is not. */
  ok(args: string[]): Run {
    const run = this.blue(args);
    if (run.status !== 0) throw new Error(`blue ${args.join(' ')} exited ${run.status}\n${run.stderr}\n${run.stdout}`);
    return run;
  }

  write(path: string, content: string): string {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }
}

export function newProject(): Project {
  const root = mkdtempSync(join(tmpdir(), 'blue-e2e-'));
  spawnSync('git', ['init', '-q', root]);
  return new Project(root);
}

export const SMALL_POOL = `domain: Bakery Operations
question: Should the bakery open a second shop?
experts:
  - { role: Head Baker, tier: core, relevance: 0.95 }
  - { role: Finance Lead, tier: core, relevance: 0.9 }
  - { role: Operations Manager, tier: core, relevance: 0.85 }
  - { role: Marketing Lead, tier: adjacent, relevance: 0.7 }
  - { role: Supply Chain Analyst, tier: adjacent, relevance: 0.65 }
  - { role: Customer Researcher, tier: adjacent, relevance: 0.6 }
  - { role: Contrarian, tier: wildcard, relevance: 0.4 }
  - { role: Urban Planner, tier: wildcard, relevance: 0.3 }
`;
