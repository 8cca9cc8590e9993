// Key-encryption keys. Each dialogue's content is sealed with its own random data key; the data key is stored
// only in wrapped form, sealed by a key-encryption key: a local master key file or an AWS KMS key. Rotating
// the key-encryption key then means re-wrapping data keys, not re-encrypting content, and deleting a
// dialogue's wrapped data key makes its content unreadable.

import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, utf8ToBytes } from '@noble/ciphers/utils.js';
import { createHmac, hkdfSync } from 'node:crypto';
import { BlueError, badInput, failure, integrity, INTEGRITY_FIX } from '../../domain/errors.js';
import { isRecord } from '../../domain/values.js';
import { temporarySibling } from '../../platform/atomic-write.js';
import { errorName } from '../../platform/errors.js';
import { syncDirectory } from '../../platform/fs-sync.js';
import { canonicalJson } from '../canonical-json.js';
import { EnvelopeError, envelopeKeyId, open, seal } from './envelope.js';

const KEY_LENGTH = 32;
/** A data key that will not unwrap: the wrong key for this store, or a wrapped key that was altered. */
const WRONG_KEY_FIX =
  'pass the master key (--key-file / BLUE_KEY_FILE) or KMS key (--kms-key-id) that wraps this store, from whoever first ran `blue store init` on it; if it is the right key, the store was altered: `blue store verify` names the items';

export type KeyContext = Record<string, string>;

export interface KeyWrapper {
  /** 'local:<16 hex>' for a master key file (derived from the key: hex of the first 8 bytes of HMAC-SHA256(key, "blue key id v1")), 'kms:<KeyId>' for KMS. */
  readonly id: string;
  /** A fresh 32-byte data key and its wrapped form, bound to `context` (which must be given again to unwrap). */
  generate(context: KeyContext): Promise<{ plaintext: Uint8Array; wrapped: Uint8Array }>;
  /** The data key; BlueError exit 4 code `key_unwrap_failed` (message names `what`, e.g. the item) when the wrapped key does not open under this key-encryption key and context. */
  unwrap(wrapped: Uint8Array, context: KeyContext, what: string): Promise<Uint8Array>;
}

/** 32 random bytes from the platform's CSPRNG. */
export function randomDataKey(): Uint8Array {
  return randomBytes(KEY_LENGTH);
}

/** A 32-byte subkey of `key` for one purpose (HKDF-SHA256, empty salt, info = purpose), e.g. the blind index key. */
export function deriveKey(key: Uint8Array, purpose: string): Uint8Array {
  if (key.length < KEY_LENGTH) throw new TypeError(`deriveKey needs a key of at least ${KEY_LENGTH} bytes`);
  if (purpose === '') throw new TypeError('deriveKey needs a purpose');
  // Node's HKDF (RFC 5869, as noble's is): the same bytes, without running a hash in cold JavaScript.
  return new Uint8Array(hkdfSync('sha256', key, new Uint8Array(0), utf8ToBytes(purpose), KEY_LENGTH));
}

/**
 * A key's one-way fingerprint: hex of the first 8 bytes of HMAC-SHA256(key, "blue key id v1"). It names a
 * key (a master key's `local:` id, a data key's `dk:` id) next to what it wraps or seals, revealing nothing.
 */
export function keyFingerprint(key: Uint8Array): string {
  return hmacSha256(key, 'blue key id v1').subarray(0, 8).toString('hex');
}

/**
 * HMAC-SHA256 of a text (as UTF-8), by Node's crypto: every DynamoDB command computes a few, and noble's,
 * in a short command that never warms it up, took some milliseconds for each.
 */
export function hmacSha256(key: Uint8Array, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** A key-encryption key held in a local master key file. */
export class LocalKeyWrapper implements KeyWrapper {
  readonly id: string;
  readonly #masterKey: Uint8Array;

  constructor(masterKey: Uint8Array) {
    if (!(masterKey instanceof Uint8Array) || masterKey.length !== KEY_LENGTH) {
      throw new TypeError(`a master key must be ${KEY_LENGTH} bytes`);
    }
    this.#masterKey = Uint8Array.from(masterKey); // a copy: the caller may reuse or wipe its buffer
    // A one-way fingerprint, so the id can be stored next to wrapped keys and shown in errors without
    // revealing anything about the key.
    this.id = `local:${keyFingerprint(this.#masterKey)}`;
  }

  async generate(context: KeyContext): Promise<{ plaintext: Uint8Array; wrapped: Uint8Array }> {
    const plaintext = randomDataKey();
    return { plaintext, wrapped: seal(this.#masterKey, this.id, plaintext, wrapAad(context)) };
  }

  async unwrap(wrapped: Uint8Array, context: KeyContext, what: string): Promise<Uint8Array> {
    try {
      return open(wrapped, this.#masterKey, this.id, wrapAad(context));
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      const message =
        error.reason === 'key_mismatch'
          ? `cannot unwrap the data key of ${what}: it was wrapped by key ${printable(envelopeKeyId(wrapped))} but blue was given key ${this.id} (the wrong master key file?)`
          : `cannot unwrap the data key of ${what}: ${error.message}`;
      throw integrity('key_unwrap_failed', message, { what, keyId: this.id, reason: error.reason, fix: WRONG_KEY_FIX });
    }
  }
}

/** The wrapped key's AAD: binds it to its context (e.g. the dialogue), so it cannot be moved to another. */
function wrapAad(context: KeyContext): Uint8Array {
  return utf8ToBytes(canonicalJson({ purpose: 'blue data key v1', context }));
}

/** A key id read from stored data, safe to print: a damaged one may hold control characters. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** What KmsKeyWrapper needs of a KMSClient, so tests can pass a fake. */
interface KmsSender {
  send(command: any): Promise<any>;
}

/** KMS errors that mean the ciphertext does not open under this key and context, i.e. integrity failures. */
const KMS_UNWRAP_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/** A key-encryption key in AWS KMS; the data key is wrapped with GenerateDataKey under an encryption context. */
export class KmsKeyWrapper implements KeyWrapper {
  readonly id: string;

  constructor(
    readonly keyId: string,
    private readonly client: KmsSender,
  ) {
    // The id is stored next to wrapped keys and may name a key in an envelope header, which takes printable
    // ASCII of at most 255 bytes; KMS key ids, ARNs and aliases are all ASCII.
    if (!/^[\x21-\x7e]{1,251}$/.test(keyId)) {
      throw badInput('invalid_kms_key_id', `not a KMS key id, ARN or alias: ${JSON.stringify(keyId)}`, {
        fix: 'give --kms-key-id (BLUE_KMS_KEY_ID) a key id, a key ARN or an alias such as alias/blue',
      });
    }
    this.id = `kms:${keyId}`;
  }

  async generate(context: KeyContext): Promise<{ plaintext: Uint8Array; wrapped: Uint8Array }> {
    // Loaded here rather than at the top: the SDK is large and only KMS users need it.
    const { GenerateDataKeyCommand } = await import('@aws-sdk/client-kms');
    let output: { Plaintext?: Uint8Array; CiphertextBlob?: Uint8Array };
    try {
      output = await this.client.send(
        new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: context }),
      );
    } catch (error) {
      throw kmsFailure('GenerateDataKey', this.keyId, error, 'a new data key');
    }
    const { Plaintext, CiphertextBlob } = output ?? {};
    if (!(Plaintext instanceof Uint8Array) || Plaintext.length !== KEY_LENGTH || !(CiphertextBlob instanceof Uint8Array)) {
      throw failure('kms_error', `KMS GenerateDataKey with key ${this.keyId} returned no ${KEY_LENGTH}-byte data key`, {
        keyId: this.keyId,
        fix: 'check the KMS key (it must be a symmetric encryption key this identity may use), then run the command again',
      });
    }
    return { plaintext: Plaintext, wrapped: CiphertextBlob };
  }

  async unwrap(wrapped: Uint8Array, context: KeyContext, what: string): Promise<Uint8Array> {
    const { DecryptCommand } = await import('@aws-sdk/client-kms');
    let output: { Plaintext?: Uint8Array };
    try {
      // KeyId is passed so that KMS refuses a blob wrapped by any other key instead of using that key.
      output = await this.client.send(new DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: context, KeyId: this.keyId }));
    } catch (error) {
      const name = errorName(error) ?? 'Error';
      if (KMS_UNWRAP_ERRORS.has(name)) {
        throw integrity(
          'key_unwrap_failed',
          `cannot unwrap the data key of ${what}: KMS key ${this.keyId} refused it (${name}); it was altered, moved from another dialogue, or wrapped by another key`,
          { what, keyId: this.id, kmsError: name, fix: WRONG_KEY_FIX },
        );
      }
      throw kmsFailure('Decrypt', this.keyId, error, `the data key of ${what}`);
    }
    const plaintext = output?.Plaintext;
    if (!(plaintext instanceof Uint8Array) || plaintext.length !== KEY_LENGTH) {
      throw integrity('key_unwrap_failed', `cannot unwrap the data key of ${what}: KMS returned no ${KEY_LENGTH}-byte key`, {
        what,
        keyId: this.id,
        fix: INTEGRITY_FIX,
      });
    }
    return plaintext;
  }
}

/** Anything else (access denied, unknown or disabled key, throttling, no network) is not about the data. */
function kmsFailure(operation: string, keyId: string, error: unknown, what: string): BlueError {
  const name = errorName(error) ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return failure('kms_error', `KMS ${operation} for ${what} with key ${keyId} failed: ${name}: ${message}`, {
    keyId,
    kmsError: name,
    fix: 'check the KMS key id, the region and this identity\'s permission to use the key (kms:GenerateDataKey, kms:Decrypt), then run the command again',
  });
}

/** A KmsKeyWrapper with a real KMSClient; credentials come from the SDK's default chain (or `profile`). */
export async function openKmsWrapper(
  keyId: string,
  options: { region?: string; endpoint?: string; profile?: string; requestHandler?: { connectionTimeout: number; socketTimeout: number } },
): Promise<KmsKeyWrapper> {
  const { KMSClient } = await import('@aws-sdk/client-kms');
  // Only the options given, so the SDK's own defaults (AWS_REGION, the config file) apply to the rest.
  const config: { region?: string; endpoint?: string; profile?: string; requestHandler?: { connectionTimeout: number; socketTimeout: number } } = {};
  if (options.region) config.region = options.region;
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.profile) config.profile = options.profile;
  // The same bounded waits as the DynamoDB client's (DEFAULT_TIMEOUT_SECONDS in store/dynamodb/settings.ts).
  if (options.requestHandler) config.requestHandler = options.requestHandler;
  return new KmsKeyWrapper(keyId, new KMSClient(config));
}

// ---------------------------------------------------------------------------------------------------------
// The master key file: `{"format":"blue.master-key","version":1,"key":"<base64>"}` and a newline, mode 0600.

const KEY_FILE_FORMAT = 'blue.master-key';
const KEY_FILE_VERSION = 1;
/** A valid file is about 80 bytes; reading more than this is never needed. */
const KEY_FILE_MAX_BYTES = 4096;

/** $BLUE_KEY_FILE is handled by the caller; this is the default: $XDG_CONFIG_HOME/blue/master.key, else ~/.config/blue/master.key (on Windows %APPDATA%\blue\master.key). */
export function defaultKeyFilePath(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'blue', 'master.key');
  if (process.platform === 'win32') {
    return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'blue', 'master.key');
  }
  return path.join(home, '.config', 'blue', 'master.key');
}

/** Reads a master key file; BlueError exit 2 `missing_key_file` (message: run `blue store init` or pass --key-file) when absent; exit 4 `invalid_key_file` when malformed; exit 4 `insecure_key_file` when group/other can read it (mode & 0o077, skip this check on win32). */
export async function readMasterKeyFile(filePath: string): Promise<LocalKeyWrapper> {
  let handle: FileHandle;
  try {
    handle = await fs.open(filePath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw badInput('missing_key_file', `no master key file at ${filePath}: run \`blue store init\` or pass --key-file`, {
        path: filePath,
        fix: `run \`blue store init\` to create it, or pass the team's key file with --key-file (BLUE_KEY_FILE)`,
      });
    }
    throw failure('key_file_unreadable', `cannot read the master key file ${filePath}: ${(error as Error).message}`, {
      path: filePath,
      fix: `make ${filePath} readable by you (mode 600), or pass another with --key-file`,
    });
  }
  let content: string;
  try {
    // fstat on the open handle: the mode checked is the mode of the very file that is read.
    const stats = await handle.stat();
    if (!stats.isFile()) throw invalidKeyFile(filePath, 'it is not a regular file');
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      throw integrity(
        'insecure_key_file',
        `the master key file ${filePath} is accessible to group or others (mode ${mode}); run \`chmod 600 ${filePath}\` and consider the key exposed`,
        { path: filePath, mode, fix: `chmod 600 ${filePath}, and consider the key exposed` },
      );
    }
    if (stats.size > KEY_FILE_MAX_BYTES) throw invalidKeyFile(filePath, `it is ${stats.size} bytes, far more than a key`);
    content = await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof BlueError) throw error;
    throw failure('key_file_unreadable', `cannot read the master key file ${filePath}: ${(error as Error).message}`, {
      path: filePath,
      fix: `make ${filePath} readable by you (mode 600), or pass another with --key-file`,
    });
  } finally {
    await handle.close().catch(() => undefined);
  }
  return new LocalKeyWrapper(parseKeyFile(filePath, content));
}

function parseKeyFile(filePath: string, content: string): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw invalidKeyFile(filePath, 'it is not JSON');
  }
  if (!isRecord(parsed) || parsed.format !== KEY_FILE_FORMAT) {
    throw invalidKeyFile(filePath, `it is not a ${KEY_FILE_FORMAT} file`);
  }
  if (parsed.version !== KEY_FILE_VERSION) {
    throw invalidKeyFile(filePath, `version ${JSON.stringify(parsed.version)} is not ${KEY_FILE_VERSION} (written by a newer blue?)`);
  }
  const encoded = parsed.key;
  // Node's base64 decoder skips characters it does not know, so insist on the exact canonical encoding.
  const key = typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : undefined;
  if (!key || key.length !== KEY_LENGTH || key.toString('base64') !== encoded) {
    throw invalidKeyFile(filePath, `"key" is not the base64 of ${KEY_LENGTH} bytes`);
  }
  return new Uint8Array(key);
}

function invalidKeyFile(filePath: string, why: string): BlueError {
  return integrity('invalid_key_file', `the master key file ${filePath} is malformed: ${why}; it was not replaced`, {
    path: filePath,
    fix: `restore ${filePath} from its backup, or get it again from whoever shares it with the team`,
  });
}

/** Creates the file with a fresh random key if it is missing (exclusive create, mode 0600, parent dir created 0700); never overwrites. Returns whether it created it. */
export async function ensureMasterKeyFile(filePath: string): Promise<{ created: boolean; wrapper: LocalKeyWrapper }> {
  try {
    return { created: false, wrapper: await readMasterKeyFile(filePath) };
  } catch (error) {
    // Only a missing file is created; a malformed or insecure one is the user's to look at, never replaced.
    if (!(error instanceof BlueError) || error.code !== 'missing_key_file') throw error;
  }
  const key = randomDataKey();
  const content = `${JSON.stringify({ format: KEY_FILE_FORMAT, version: KEY_FILE_VERSION, key: Buffer.from(key).toString('base64') })}\n`;
  const dir = path.dirname(filePath);
  const draft = temporarySibling(filePath, 'tmp');
  let handle: FileHandle | undefined;
  let created: boolean;
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    // The complete key goes to a private draft first and is flushed, so the final name never holds half a key.
    handle = await fs.open(draft, 'wx', 0o600);
    await handle.chmod(0o600); // exactly 0600, whatever the umask
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    // link() fails if the name exists, unlike rename(): of two concurrent inits exactly one wins, and the
    // other reads the winner's key below instead of replacing it.
    created = await fs.link(draft, filePath).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
  } catch (error) {
    throw failure('key_file_unwritable', `cannot create the master key file ${filePath}: ${(error as Error).message}`, {
      path: filePath,
      fix: `make the folder of ${filePath} writable, or choose another place with --key-file`,
    });
  } finally {
    await handle?.close().catch(() => undefined);
    await fs.rm(draft, { force: true }).catch(() => undefined);
  }
  if (!created) return { created: false, wrapper: await readMasterKeyFile(filePath) };
  // The key is complete under its name; a directory that cannot be flushed is no reason to fail `store init`.
  await syncDirectory(dir).catch(() => undefined);
  return { created: true, wrapper: new LocalKeyWrapper(key) };
}
