// The use cases in process, on a temporary project with the file store: the ports a command gets, with a
// fixed clock, a seeded random source and a log that keeps what it was told, plus helpers to look at
// what was written.

import { expandTexts } from '../../src/store/stored-text.js';
import { isProcessAlive } from '../../src/platform/process.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ProcessAgentRunner } from '../../src/agents/runner.js';
import type { AgentConfig } from '../../src/agents/types.js';
import type { Ports } from '../../src/app/ports.js';
import { openFileStores } from '../../src/store/file/store.js';
import type { StoreKind } from '../../src/store/types.js';
import { FsWorkspace } from '../../src/workspace/fs-workspace.js';
import { DEFAULT_OUTPUT_LIMIT } from '../../src/workspace/safe-read.js';

export const SMALL_POOL_YAML = `domain: Bakery Operations
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

export interface TestProject {
  root: string;
  ports: Ports;
  warnings: string[];
  /** The structured warnings about input files (the JSON answer's `warnings`). */
  inputWarnings: Array<{ file: string; message: string }>;
  progress: string[];
  /** Moves the clock to `iso`. */
  setTime(iso: string): void;
  /** Makes `isProcessAlive(pid)` answer true (or false again), as if another process ran or ended. */
  setAlive(pid: number, alive: boolean): void;
  write(path: string, content: string): string;
  read(path: string): string;
  exists(path: string): boolean;
  /** The dialogue as store.json holds it, its texts put back from the outputs they are slices of. */
  stored(id: string): any;
  /** The environment the agents of `round run` inherit: a copy of this process's, to change freely. */
  agentEnv: NodeJS.ProcessEnv;
  /** What `.blue/config.yaml`'s `agent:` section would say. */
  agentConfig: AgentConfig;
}

/**
 * A temporary project. `other` gives `openStores('dynamodb')` a second file store in another folder, so
 * that `store migrate` runs in process between two real stores.
 */
export function testProject(options: { now?: string; storeKind?: StoreKind; captureBytes?: number; killGraceMs?: number } = {}): TestProject {
  const root = mkdtempSync(join(tmpdir(), 'blue-app-'));
  mkdirSync(join(root, '.blue'));
  const other = mkdtempSync(join(tmpdir(), 'blue-app-other-'));
  let now = new Date(options.now ?? '2026-03-01T09:30:00.000Z');
  const warnings: string[] = [];
  const inputWarnings: Array<{ file: string; message: string }> = [];
  const progress: string[] = [];
  const storeKind = options.storeKind ?? 'file';
  const agentEnv: NodeJS.ProcessEnv = { ...process.env };
  const agentConfig: AgentConfig = {};
  const alivePids = new Set<number>();
  const deadPids = new Set<number>();
  const ports: Ports = {
    openStores: async (kind = storeKind) => openFileStores(kind === 'file' ? root : other),
    storeKind,
    workspace: new FsWorkspace(root, root),
    clock: { now: () => now },
    log: {
      warn: (m, input) => {
        warnings.push(m);
        if (input) inputWarnings.push(input);
      },
      progress: (m) => progress.push(m),
    },
    random: () => 0.25,
    // The pids a test names in run.json: what the test says of them, else what the machine says (a
    // process a test started is alive until it ends).
    isProcessAlive: (pid) => (alivePids.has(pid) ? true : deadPids.has(pid) ? false : isProcessAlive(pid)),
    initDynamoStore: async () => {
      throw new Error('store init needs DynamoDB: test/app/store-init.test.ts runs it against DynamoDB Local');
    },
    agents: new ProcessAgentRunner({
      root,
      env: agentEnv,
      captureBytes: options.captureBytes ?? DEFAULT_OUTPUT_LIMIT,
      config: () => agentConfig,
      ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
    }),
  };
  const full = (path: string) => join(root, path);
  return {
    root,
    ports,
    warnings,
    inputWarnings,
    progress,
    setTime: (iso) => (now = new Date(iso)),
    setAlive: (pid, alive) => {
      (alive ? alivePids : deadPids).add(pid);
      (alive ? deadPids : alivePids).delete(pid);
    },
    write(path, content) {
      mkdirSync(dirname(full(path)), { recursive: true });
      writeFileSync(full(path), content);
      return full(path);
    },
    read: (path) => readFileSync(full(path), 'utf8'),
    exists: (path) => existsSync(full(path)),
    stored: (id) => {
      const dialogue = JSON.parse(readFileSync(full(`.blue/dialogues/${id}/store.json`), 'utf8')).dialogue;
      expandTexts(dialogue, id); // entity texts are stored as slices of their outputs
      return dialogue;
    },
    agentEnv,
    agentConfig,
  };
}
