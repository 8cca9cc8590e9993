// Where a command runs: the project root, the configuration, and the store behind it.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AGENT_TIMEOUT_BOUND, grouped, pastBound, PARALLEL_BOUND, readFigure, RETRIES_BOUND, type Bound } from '../domain/bounds.js';
import { badInput } from '../domain/errors.js';
import { readBytesIfExists } from '../workspace/files.js';
import { decodeText, notUtf8Input } from '../workspace/text-encoding.js';
import { parseDataFile } from '../workspace/data-file.js';
import { parsePlainYaml } from '../workspace/plain-yaml.js';
import type { StoreKind, Stores } from '../store/types.js';
import type { Ports, StoreInitReport } from '../app/ports.js';
import { parseStoreKind } from '../app/store-kinds.js';
import { keyWarnings, type InputWarning } from '../domain/input-check.js';
import { isRecord } from '../domain/values.js';
import { isProcessAlive } from '../platform/process.js';
import type { AgentConfig } from '../agents/types.js';
import { DEFAULT_OUTPUT_LIMIT } from '../workspace/safe-read.js';

import { progress, warn } from './output.js';
import { DEFAULT_TABLE, isLoopbackEndpoint, type DynamoTarget } from '../store/dynamodb/settings.js';

/** The global flags; the DynamoDB ones have the names and meaning of DynamoTarget's fields. */
export interface GlobalOptions extends Partial<DynamoTarget> {
  root?: string;
  store?: string;
  json?: boolean;
  color?: boolean;
}


export interface BlueConfig {
  /** `storage.dynamodb` holds DynamoTarget's fields, in camelCase, snake_case or kebab-case. */
  storage?: { backend?: string; dynamodb?: Record<string, unknown> };
}


export interface Context {
  root: string;
  json: boolean;
  config: BlueConfig;
  storeKind: StoreKind;
  dynamo: DynamoTarget;
  /** What the use cases are given: the stores, the workspace, the clock, the log. */
  ports: Ports;
  /** "the file store" or "DynamoDB table <t>", for messages. */
  storeName: string;
  /** The warnings about input files logged so far, for the JSON answer's `warnings`. */
  inputWarnings: InputWarning[];
}

/** The nearest ancestor holding `.blue/`, else the git top-level, else the working directory. */
function findRoot(start: string): string {
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
  const bytes = readBytesIfExists(file, CONFIG_FILE);
  if (bytes === undefined) return {};
  const { text, notUtf8 } = decodeText(bytes);
  if (notUtf8) throw notUtf8Input(CONFIG_FILE, CONFIG_FILE, notUtf8);
  // Every command reads the config: the plain `key: value` YAML it is written in is read without loading
  // the yaml package, which costs more than the rest of start-up. Anything else goes to yaml (parseDataFile
  // requires it lazily), the parser of record, so values, errors and warnings are always yaml's.
  const plain = parsePlainYaml(text.replace(/^\uFEFF/, ''));
  const data = plain ? plain.value : parseDataFile(text, '.blue/config.yaml', 'invalid_config');
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw badInput('invalid_config', '.blue/config.yaml must be a mapping (e.g. `storage: {backend: file}`)', { file: '.blue/config.yaml', fix: 'write .blue/config.yaml as a YAML mapping, e.g. `storage: {backend: file}`, or remove it' });
  }
  return data as BlueConfig;
}

const CONFIG_FILE = '.blue/config.yaml';

/** `limits.output_bytes` and `limits.input_bytes`: how much blue reads of one expert output or input file. */
function workspaceLimits(config: BlueConfig): { outputBytes?: number; inputBytes?: number } {
  const limits = (config as Record<string, unknown>).limits;
  if (limits === undefined || limits === null) return {};
  const value = (key: string): number | undefined => {
    const v = isRecord(limits) ? limits[key] : undefined;
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw badInput('invalid_config', `${CONFIG_FILE}: limits.${key} must be a whole number of bytes (got ${JSON.stringify(v)})`, { file: CONFIG_FILE, fix: `set limits.${key} in ${CONFIG_FILE} to a whole number of bytes, e.g. 5000000, or remove it` });
    }
    return v;
  };
  return { outputBytes: value('output_bytes'), inputBytes: value('input_bytes') };
}
/**
 * `agent.command`, `agent.parallel`, `agent.timeout` (seconds) and `agent.retries`: the defaults of `round
 * run`. Checked when a run reads them, so that a mistake here never stops the commands that run no agent.
 */
export function agentConfig(config: BlueConfig): AgentConfig {
  const agent = (config as Record<string, unknown>).agent;
  if (agent === undefined || agent === null) return {};
  if (!isRecord(agent)) throw badInput('invalid_config', `${CONFIG_FILE}: agent must be a mapping (e.g. \`agent: {command: claude}\`)`, { file: CONFIG_FILE, fix: `write agent as a mapping in ${CONFIG_FILE}, e.g. agent: {command: claude, parallel: 4}` });
  const wrong = (key: string, what: string) =>
    badInput('invalid_config', `${CONFIG_FILE}: agent.${key} must be ${what} (got ${JSON.stringify(agent[key])})`, { file: CONFIG_FILE, key: `agent.${key}`, fix: `set agent.${key} in ${CONFIG_FILE} to ${what}, or remove it` });
  // The bounds of --parallel, --timeout and --retries (domain/bounds.ts): the config sets their defaults.
  const number = (key: string, what: string, ok: (n: number) => boolean, bound: Bound): number | undefined => {
    const v = agent[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && v > bound.max) {
      throw pastBound('invalid_config', `${CONFIG_FILE}: agent.${key}`, readFigure(v), bound, { file: CONFIG_FILE, key: `agent.${key}`, fix: `set agent.${key} in ${CONFIG_FILE} to at most ${grouped(bound.max)}, or remove it` });
    }
    if (typeof v !== 'number' || !ok(v)) throw wrong(key, what);
    return v;
  };
  const command = agent.command;
  if (command !== undefined && command !== null && (typeof command !== 'string' || command.trim() === '')) {
    throw wrong('command', 'a command line or a preset name (claude, codex, gemini, llm)');
  }
  const settings: AgentConfig = {};
  if (typeof command === 'string') settings.command = command;
  const parallel = number('parallel', `a whole number from 1 to ${grouped(PARALLEL_BOUND.max)}`, (n) => Number.isSafeInteger(n) && n >= 1, PARALLEL_BOUND);
  const timeout = number('timeout', `a number of seconds above 0 and at most ${grouped(AGENT_TIMEOUT_BOUND.max)}`, (n) => Number.isFinite(n) && n > 0, AGENT_TIMEOUT_BOUND);
  const retries = number('retries', `a whole number from 0 to ${grouped(RETRIES_BOUND.max)}`, (n) => Number.isSafeInteger(n) && n >= 0, RETRIES_BOUND);
  if (parallel !== undefined) settings.parallel = parallel;
  if (timeout !== undefined) settings.timeout = timeout;
  if (retries !== undefined) settings.retries = retries;
  return settings;
}

/** The DynamoDB settings, in every spelling the config accepts. */
const DYNAMO_KEYS = ['table', 'endpoint', 'region', 'profile', 'keyFile', 'key_file', 'key-file', 'kmsKeyId', 'kms_key_id', 'kms-key-id', 'timeout'];

/** Keys of .blue/config.yaml that blue does not know, with the closest known one. */
function configWarnings(config: BlueConfig): InputWarning[] {
  const warnings = keyWarnings(config, ['storage', 'agent', 'limits'], CONFIG_FILE, '');
  warnings.push(...keyWarnings((config as Record<string, unknown>).limits, ['output_bytes', 'input_bytes'], CONFIG_FILE, 'limits'));
  const storage = (config as Record<string, unknown>).storage;
  warnings.push(...keyWarnings(storage, ['backend', 'dynamodb'], CONFIG_FILE, 'storage'));
  if (isRecord(storage)) warnings.push(...keyWarnings(storage.dynamodb, DYNAMO_KEYS, CONFIG_FILE, 'storage.dynamodb'));
  warnings.push(...keyWarnings((config as Record<string, unknown>).agent, ['command', 'parallel', 'timeout', 'retries'], CONFIG_FILE, 'agent'));
  return warnings;
}

export async function createContext(options: GlobalOptions, cwd: string, env: NodeJS.ProcessEnv): Promise<Context> {
  const { FsWorkspace } = await import('../workspace/fs-workspace.js');
  const root = options.root ? resolve(cwd, options.root) : findRoot(cwd);
  if (options.root && !isDir(root)) throw badInput('invalid_root', `--root ${options.root} is not a folder`, { fix: 'give --root the project folder (the one that holds .blue/), or leave it out' });
  const config = loadConfig(root);
  const inputWarnings: InputWarning[] = [];
  const log = {
    warn(message: string, input?: InputWarning) {
      warn(message);
      if (input) inputWarnings.push(input);
    },
    progress,
  };
  for (const w of configWarnings(config)) log.warn(`${w.file}: ${w.message}`, w);
  // Precedence: flag > BLUE_STORE > .blue/config.yaml (storage.backend) > file.
  const storeKind = parseStoreKind(nonEmpty(options.store) ?? nonEmpty(env.BLUE_STORE) ?? config.storage?.backend ?? 'file');
  const dynamo = dynamoTarget(options, env, config, cwd, root);
  const openStoresOf = async (kind: StoreKind): Promise<Stores> => {
    if (kind === 'file') {
      const { openFileStores } = await import('../store/file/store.js');
      return openFileStores(root);
    }
    // The AWS SDK and the crypto load only here, so file-store commands and git hooks stay fast.
    const { openDynamoTarget } = await import('../store/dynamodb/open.js');
    return openDynamoTarget(dynamo);
  };
  const limits = workspaceLimits(config);
  // child_process loads with the runner, which only `round run` starts using.
  const { ProcessAgentRunner } = await import('../agents/runner.js');
  const ports: Ports = {
    openStores: (kind = storeKind) => openStoresOf(kind),
    storeKind,
    workspace: new FsWorkspace(root, cwd, limits),
    agents: new ProcessAgentRunner({ root, env, captureBytes: limits.outputBytes ?? DEFAULT_OUTPUT_LIMIT, config: () => agentConfig(config) }),
    clock: { now: () => new Date() },
    log,
    random: Math.random,
    initDynamoStore: () => initDynamoStore(dynamo),
    isProcessAlive,
  };
  return {
    root,
    json: options.json === true,
    config,
    storeKind,
    dynamo,
    ports,
    storeName: storeKind === 'dynamodb' ? `DynamoDB table ${dynamo.table}` : 'the file store',
    inputWarnings,
  };
}

/** `blue store init`: the table and its index, the key (a KMS key or the master key file), the index key. */
async function initDynamoStore(target: DynamoTarget): Promise<StoreInitReport> {
  // The AWS SDK loads only here and in openStoresOf, so file-store commands and git hooks stay fast.
  const { initDynamoStore: init } = await import('../store/dynamodb/init.js');
  const { table, key, indexKey } = await init(target);
  return {
    table: target.table,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.region ? { region: target.region } : {}),
    tableStatus: table,
    key,
    indexKey,
  };
}

/** DynamoDB settings: flag > environment > `storage.dynamodb` in .blue/config.yaml > default. */
function dynamoTarget(options: GlobalOptions, env: NodeJS.ProcessEnv, config: BlueConfig, cwd: string, root: string): DynamoTarget {
  const section = config.storage?.dynamodb ?? {};
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw badInput('invalid_config', '.blue/config.yaml: storage.dynamodb must be a mapping', { file: '.blue/config.yaml', fix: 'write storage.dynamodb as a mapping, e.g. `dynamodb: {table: blue_dialogues}`' });
  }
  const fromConfig = (name: string): string | undefined => {
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const snake = kebab.replace(/-/g, '_');
    const value = section[name] ?? section[snake] ?? section[kebab];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      throw badInput('invalid_config', `.blue/config.yaml: storage.dynamodb.${snake} must be a non-empty string`, { file: '.blue/config.yaml', fix: `set storage.dynamodb.${snake} to a value, or remove the key` });
    }
    return value;
  };
  const pick = (flag: string | undefined, envName: string | undefined, name: string) =>
    nonEmpty(flag) ?? (envName ? nonEmpty(env[envName]) : undefined) ?? fromConfig(name);
  const kmsKeyId = pick(options.kmsKeyId, 'BLUE_KMS_KEY_ID', 'kmsKeyId');
  // A key file named on the command line or in the environment is relative to the working directory;
  // one named in the project's config is relative to the project.
  const keyFileFlag = nonEmpty(options.keyFile) ?? nonEmpty(env.BLUE_KEY_FILE);
  const keyFileConfig = fromConfig('keyFile');
  const keyFile = keyFileFlag ? resolve(cwd, keyFileFlag) : keyFileConfig ? resolve(root, keyFileConfig) : undefined;
  const endpoint = pick(options.endpoint, 'BLUE_DYNAMODB_ENDPOINT', 'endpoint');
  const profile = pick(options.profile, 'AWS_PROFILE', 'profile');
  const timeoutEnv = nonEmpty(env.BLUE_DYNAMODB_TIMEOUT);
  const timeout = timeoutEnv !== undefined
    ? { value: timeoutEnv, from: 'BLUE_DYNAMODB_TIMEOUT' }
    : section.timeout !== undefined && section.timeout !== null ? { value: section.timeout, from: `${CONFIG_FILE}: storage.dynamodb.timeout` } : undefined;
  const hasCredentials = Boolean(nonEmpty(env.AWS_ACCESS_KEY_ID) || profile || nonEmpty(env.AWS_WEB_IDENTITY_TOKEN_FILE) || nonEmpty(env.AWS_CONTAINER_CREDENTIALS_FULL_URI));
  return {
    table: pick(options.table, 'BLUE_DYNAMODB_TABLE', 'table') ?? DEFAULT_TABLE,
    endpoint,
    region: pick(options.region, 'AWS_REGION', 'region'),
    profile,
    keyFile,
    kmsKeyId,
    ...(timeout ? { timeout } : {}),
    ...(isLoopbackEndpoint(endpoint) && !hasCredentials && !kmsKeyId ? { placeholderCredentials: true } : {}),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
