// Where a command runs: the project root, the configuration, and the store behind it.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { badInput } from './errors.js';
import { readIfExists } from './files.js';
import { parseDataFile } from './datafile.js';
import type { Stores } from './store/types.js';

export interface GlobalOptions {
  root?: string;
  store?: string;
  json?: boolean;
  color?: boolean;
}

export interface BlueConfig {
  storage?: { backend?: string };
}

export interface Context {
  root: string;
  json: boolean;
  config: BlueConfig;
  storeKind: 'file';
  openStores(): Promise<Stores>;
}

/** The nearest ancestor holding `.blue/`, else the git top-level, else the working directory. */
export function findRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (isDir(join(dir, '.blue'))) return dir;
    if (dir === dirname(dir)) break;
  }
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dir === dirname(dir)) break;
  }
  return resolve(start);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function loadConfig(root: string): BlueConfig {
  const file = join(root, '.blue', 'config.yaml');
  const text = readIfExists(file);
  if (text === undefined) return {};
  // yaml is loaded only when there is a config file to read (parseDataFile requires it lazily).
  const data = parseDataFile(text, '.blue/config.yaml', 'invalid_config');
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw badInput('invalid_config', '.blue/config.yaml must be a mapping (e.g. `storage: {backend: file}`)', { file: '.blue/config.yaml' });
  }
  return data as BlueConfig;
}

export async function createContext(options: GlobalOptions, cwd = process.cwd()): Promise<Context> {
  const root = options.root ? resolve(cwd, options.root) : findRoot(cwd);
  if (options.root && !isDir(root)) throw badInput('invalid_root', `--root ${options.root} is not a folder`);
  const config = loadConfig(root);
  // Precedence: flag > BLUE_STORE > .blue/config.yaml (storage.backend) > file.
  const chosen = options.store ?? process.env.BLUE_STORE ?? config.storage?.backend ?? 'file';
  if (chosen !== 'file') {
    throw badInput('unknown_store', `store "${chosen}" is not available in this build of blue; use --store file (the embedded default)`, { store: chosen });
  }
  return {
    root,
    json: options.json === true,
    config,
    storeKind: 'file',
    async openStores() {
      const { openFileStores } = await import('./store/file.js');
      return openFileStores(root);
    },
  };
}
