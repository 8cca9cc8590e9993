// Key-encryption keys: the local master key file (format, permissions, create-once under concurrency) and
// the wrappers that seal per-dialogue data keys, locally and through a fake KMS.

import { bytesToHex, utf8ToBytes } from '@noble/ciphers/utils.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlueError } from '../../src/domain/errors.js';
import { envelopeKeyId } from '../../src/store/crypto/envelope.js';
import {
  KmsKeyWrapper,
  LocalKeyWrapper,
  defaultKeyFilePath,
  deriveKey,
  ensureMasterKeyFile,
  randomDataKey,
  readMasterKeyFile,
  type KeyContext,
} from '../../src/store/crypto/keys.js';
import { blindIndex, dataKeyId } from '../../src/store/dynamodb/keyring.js';
import { FakeKms } from '../support/fake-kms.js';
import { expectBlueError } from './conformance.js';

const MASTER = Uint8Array.from({ length: 32 }, (_, i) => i);
const OTHER_MASTER = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const CONTEXT: KeyContext = { dialogue: 'blind-index-of-dialogue-a', purpose: 'content' };
const posix = process.platform !== 'win32';

describe('the blind index and data key ids (HMAC-SHA256)', () => {
  it('are what noble computed for the tables already written, pinned and on random keys', () => {
    expect(blindIndex(MASTER, '2026-02-06T1839Z-rfc-0058')).toBe('d#CzgM0rXyhBcwxij9uWxLAHw6d87V5LGd3mhTzq81tCI');
    expect(dataKeyId(MASTER)).toBe('dk:b4c10d908c094709');
    for (let i = 0; i < 20; i++) {
      const key = randomDataKey();
      const id = `2026-12-01T0900Z-dialogue-${i}-ü`;
      expect(blindIndex(key, id)).toBe(`d#${Buffer.from(hmac(sha256, key, utf8ToBytes(`dialogue:${id}`))).toString('base64url')}`);
      expect(dataKeyId(key)).toBe(`dk:${bytesToHex(hmac(sha256, key, utf8ToBytes('blue key id v1')).subarray(0, 8))}`);
    }
  });
});

describe('randomDataKey and deriveKey', () => {
  it('draws 32 fresh random bytes', () => {
    const a = randomDataKey();
    expect(a.length).toBe(32);
    expect(bytesToHex(a)).not.toBe(bytesToHex(randomDataKey()));
  });

  it('derives a stable 32-byte subkey per purpose', () => {
    const index = deriveKey(MASTER, 'blue blind index v1');
    expect(index.length).toBe(32);
    expect(deriveKey(MASTER, 'blue blind index v1')).toEqual(index);
    expect(deriveKey(MASTER, 'another purpose')).not.toEqual(index);
    expect(deriveKey(OTHER_MASTER, 'blue blind index v1')).not.toEqual(index);
    expect(index).not.toEqual(MASTER);
  });

  it('is HKDF-SHA256 with an empty salt and the purpose as info, as noble derived it for existing tables', () => {
    for (let i = 0; i < 20; i++) {
      const key = randomDataKey();
      expect(deriveKey(key, 'blue blind index v1')).toEqual(hkdf(sha256, key, new Uint8Array(0), utf8ToBytes('blue blind index v1'), 32));
    }
    // Pinned: tables already written hold keys derived so.
    expect(bytesToHex(deriveKey(MASTER, 'blue blind index v1'))).toBe('94015553770db2fefe78a717b69a4fdcc0839f2c7ef644443c29f38586f9ad04');
  });

  it('refuses short keys and an empty purpose', () => {
    expect(() => deriveKey(new Uint8Array(16), 'p')).toThrow(TypeError);
    expect(() => deriveKey(MASTER, '')).toThrow(TypeError);
  });
});

describe('LocalKeyWrapper', () => {
  it('names its key as noble\'s HMAC named it, so existing tables still recognise their master key', () => {
    expect(new LocalKeyWrapper(MASTER).id).toBe('local:b4c10d908c094709');
    const key = randomDataKey();
    expect(new LocalKeyWrapper(key).id).toBe(`local:${bytesToHex(hmac(sha256, key, utf8ToBytes('blue key id v1')).subarray(0, 8))}`);
  });

  it('names its key local:<16 hex> derived from the key, stable across instances', () => {
    const wrapper = new LocalKeyWrapper(MASTER);
    expect(wrapper.id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(new LocalKeyWrapper(Uint8Array.from(MASTER)).id).toBe(wrapper.id);
    expect(new LocalKeyWrapper(OTHER_MASTER).id).not.toBe(wrapper.id);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new LocalKeyWrapper(new Uint8Array(16))).toThrow(TypeError);
  });

  it('generates a data key and unwraps it again', async () => {
    const wrapper = new LocalKeyWrapper(MASTER);
    const { plaintext, wrapped } = await wrapper.generate(CONTEXT);
    expect(plaintext.length).toBe(32);
    expect(envelopeKeyId(wrapped)).toBe(wrapper.id);
    expect(bytesToHex(wrapped)).not.toContain(bytesToHex(plaintext));
    expect(await wrapper.unwrap(wrapped, CONTEXT, 'dialogue a')).toEqual(plaintext);
    // The context is compared canonically: the order of its entries does not matter.
    expect(await wrapper.unwrap(wrapped, { purpose: 'content', dialogue: 'blind-index-of-dialogue-a' }, 'a')).toEqual(plaintext);
    // Another instance over the same master key (e.g. the next process) opens it too.
    expect(await new LocalKeyWrapper(Uint8Array.from(MASTER)).unwrap(wrapped, CONTEXT, 'a')).toEqual(plaintext);
  });

  it('generates a different data key every time', async () => {
    const wrapper = new LocalKeyWrapper(MASTER);
    const first = await wrapper.generate(CONTEXT);
    const second = await wrapper.generate(CONTEXT);
    expect(first.plaintext).not.toEqual(second.plaintext);
  });

  it('refuses another context with key_unwrap_failed naming the item', async () => {
    const wrapper = new LocalKeyWrapper(MASTER);
    const { wrapped } = await wrapper.generate(CONTEXT);
    for (const context of [{ ...CONTEXT, dialogue: 'blind-index-of-dialogue-b' }, { dialogue: CONTEXT.dialogue }, {}]) {
      const error = await expectBlueError(wrapper.unwrap(wrapped, context, 'dialogue a/meta'), 4, 'key_unwrap_failed');
      expect(error.message).toContain('dialogue a/meta');
    }
  });

  it('refuses another master key, saying which key wrapped it', async () => {
    const wrapper = new LocalKeyWrapper(MASTER);
    const other = new LocalKeyWrapper(OTHER_MASTER);
    const { wrapped } = await wrapper.generate(CONTEXT);
    const error = await expectBlueError(other.unwrap(wrapped, CONTEXT, 'dialogue a'), 4, 'key_unwrap_failed');
    expect(error.message).toContain(`wrapped by key ${wrapper.id}`);
    expect(error.message).toContain(`given key ${other.id}`);
    expect(error.message).toContain('dialogue a');
  });

  it('refuses a wrapped key with any byte flipped', async () => {
    const wrapper = new LocalKeyWrapper(MASTER);
    const { wrapped } = await wrapper.generate(CONTEXT);
    for (let i = 0; i < wrapped.length; i++) {
      const damaged = Uint8Array.from(wrapped);
      damaged[i] ^= 0x01;
      await expectBlueError(wrapper.unwrap(damaged, CONTEXT, `byte ${i}`), 4, 'key_unwrap_failed');
    }
    await expectBlueError(wrapper.unwrap(wrapped.subarray(0, 20), CONTEXT, 'short'), 4, 'key_unwrap_failed');
    await expectBlueError(wrapper.unwrap(new Uint8Array(0), CONTEXT, 'empty'), 4, 'key_unwrap_failed');
  });
});

describe('KmsKeyWrapper', () => {
  const KEY_ID = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it('is named kms:<KeyId>', () => {
    expect(new KmsKeyWrapper(KEY_ID, new FakeKms(KEY_ID)).id).toBe(`kms:${KEY_ID}`);
    expect(new KmsKeyWrapper('alias/blue', new FakeKms('alias/blue')).id).toBe('kms:alias/blue');
  });

  it('refuses a key id that is not one', () => {
    expect(() => new KmsKeyWrapper('', new FakeKms(''))).toThrow(BlueError);
    expect(() => new KmsKeyWrapper('my key', new FakeKms(''))).toThrow(BlueError);
  });

  it('generates with GenerateDataKey and unwraps with Decrypt, passing key id and context', async () => {
    const kms = new FakeKms(KEY_ID);
    const wrapper = new KmsKeyWrapper(KEY_ID, kms);
    const { plaintext, wrapped } = await wrapper.generate(CONTEXT);
    expect(plaintext.length).toBe(32);
    expect(await wrapper.unwrap(wrapped, CONTEXT, 'dialogue a')).toEqual(plaintext);
    expect(kms.calls.map((call) => call.name)).toEqual(['GenerateDataKey', 'Decrypt']);
    expect(kms.calls[0].input).toEqual({ KeyId: KEY_ID, KeySpec: 'AES_256', EncryptionContext: CONTEXT });
    expect(kms.calls[1].input).toEqual({ CiphertextBlob: wrapped, EncryptionContext: CONTEXT, KeyId: KEY_ID });
  });

  it('turns a context mismatch or a damaged blob into key_unwrap_failed (exit 4) naming the item', async () => {
    const wrapper = new KmsKeyWrapper(KEY_ID, new FakeKms(KEY_ID));
    const { wrapped } = await wrapper.generate(CONTEXT);
    const error = await expectBlueError(
      wrapper.unwrap(wrapped, { ...CONTEXT, dialogue: 'blind-index-of-dialogue-b' }, 'dialogue b/meta'),
      4,
      'key_unwrap_failed',
    );
    expect(error.message).toContain('dialogue b/meta');
    expect(error.message).toContain('InvalidCiphertextException');
    const damaged = Uint8Array.from(wrapped);
    damaged[30] ^= 1;
    await expectBlueError(wrapper.unwrap(damaged, CONTEXT, 'dialogue a'), 4, 'key_unwrap_failed');
  });

  it('turns a blob from another KMS key into key_unwrap_failed (IncorrectKeyException)', async () => {
    const { wrapped } = await new KmsKeyWrapper(KEY_ID, new FakeKms(KEY_ID)).generate(CONTEXT);
    const other = new KmsKeyWrapper('alias/other', new FakeKms(KEY_ID));
    const error = await expectBlueError(other.unwrap(wrapped, CONTEXT, 'dialogue a'), 4, 'key_unwrap_failed');
    expect(error.message).toContain('IncorrectKeyException');
  });

  it('turns access denied, unknown keys and network errors into kms_error (exit 1) with the KMS error name', async () => {
    const kms = new FakeKms(KEY_ID);
    const wrapper = new KmsKeyWrapper(KEY_ID, kms);
    const { wrapped } = await wrapper.generate(CONTEXT);
    for (const name of ['AccessDeniedException', 'NotFoundException', 'DisabledException', 'TimeoutError']) {
      kms.failWith = name;
      const onGenerate = await expectBlueError(wrapper.generate(CONTEXT), 1, 'kms_error');
      expect(onGenerate.message).toContain(name);
      const onUnwrap = await expectBlueError(wrapper.unwrap(wrapped, CONTEXT, 'dialogue a'), 1, 'kms_error');
      expect(onUnwrap.message).toContain(name);
      expect(onUnwrap.message).toContain('dialogue a');
    }
    kms.failWith = undefined;
    const missing = new KmsKeyWrapper('alias/missing', kms);
    await expectBlueError(missing.generate(CONTEXT), 1, 'kms_error');
  });
});

describe('master key file', () => {
  let dir: string;
  let keyFile: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'blue-keys-'));
    keyFile = path.join(dir, 'config', 'blue', 'master.key');
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const writeKeyFile = async (content: string, mode = 0o600) => {
    await fs.mkdir(path.dirname(keyFile), { recursive: true });
    await fs.writeFile(keyFile, content, { mode });
    await fs.chmod(keyFile, mode);
  };
  const validContent = (key: Uint8Array) =>
    `${JSON.stringify({ format: 'blue.master-key', version: 1, key: Buffer.from(key).toString('base64') })}\n`;

  it('creates a 0600 file in a 0700 directory, once', async () => {
    const first = await ensureMasterKeyFile(keyFile);
    expect(first.created).toBe(true);
    expect(first.wrapper.id).toMatch(/^local:[0-9a-f]{16}$/);
    if (posix) {
      expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o600);
      expect((await fs.stat(path.dirname(keyFile))).mode & 0o777).toBe(0o700);
    }
    const content = await fs.readFile(keyFile, 'utf8');
    expect(content).toMatch(/^\{"format":"blue\.master-key","version":1,"key":"[A-Za-z0-9+/]{43}="\}\n$/);

    const second = await ensureMasterKeyFile(keyFile);
    expect(second.created).toBe(false);
    expect(second.wrapper.id).toBe(first.wrapper.id);
    expect(await fs.readFile(keyFile, 'utf8')).toBe(content);
    expect((await readMasterKeyFile(keyFile)).id).toBe(first.wrapper.id);
    // No drafts are left next to it.
    expect(await fs.readdir(path.dirname(keyFile))).toEqual(['master.key']);
  });

  it('unwraps with a key read back from the file what the created key wrapped', async () => {
    const { wrapper } = await ensureMasterKeyFile(keyFile);
    const { plaintext, wrapped } = await wrapper.generate(CONTEXT);
    expect(await (await readMasterKeyFile(keyFile)).unwrap(wrapped, CONTEXT, 'a')).toEqual(plaintext);
  });

  it('never overwrites an existing file, valid or not', async () => {
    await writeKeyFile(validContent(MASTER));
    const existing = await ensureMasterKeyFile(keyFile);
    expect(existing).toMatchObject({ created: false });
    expect(existing.wrapper.id).toBe(new LocalKeyWrapper(MASTER).id);

    await writeKeyFile('not a key');
    await expectBlueError(ensureMasterKeyFile(keyFile), 4, 'invalid_key_file');
    expect(await fs.readFile(keyFile, 'utf8')).toBe('not a key');

    if (posix) {
      await writeKeyFile(validContent(MASTER), 0o644);
      await expectBlueError(ensureMasterKeyFile(keyFile), 4, 'insecure_key_file');
      expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o644);
    }
  });

  it('ends with one key when ten initialisations race', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => ensureMasterKeyFile(keyFile)));
    expect(new Set(results.map((result) => result.wrapper.id)).size).toBe(1);
    expect(results.filter((result) => result.created).length).toBe(1);
    expect(results[0].wrapper.id).toBe((await readMasterKeyFile(keyFile)).id);
    expect(await fs.readdir(path.dirname(keyFile))).toEqual(['master.key']);
  });

  it('reports a missing file as missing_key_file (exit 2) and says how to create one', async () => {
    const error = await expectBlueError(readMasterKeyFile(keyFile), 2, 'missing_key_file');
    expect(error.message).toContain('blue store init');
    expect(error.message).toContain('--key-file');
    expect(error.message).toContain(keyFile);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('reports malformed files as invalid_key_file (exit 4)', async () => {
    const malformed = [
      '',
      'garbage',
      '[]',
      'null',
      JSON.stringify({ format: 'something-else', version: 1, key: Buffer.from(MASTER).toString('base64') }),
      JSON.stringify({ format: 'blue.master-key', version: 2, key: Buffer.from(MASTER).toString('base64') }),
      JSON.stringify({ format: 'blue.master-key', version: 1 }),
      JSON.stringify({ format: 'blue.master-key', version: 1, key: Buffer.from(MASTER.subarray(0, 16)).toString('base64') }),
      JSON.stringify({ format: 'blue.master-key', version: 1, key: `${Buffer.from(MASTER).toString('base64')}!!` }),
      JSON.stringify({ format: 'blue.master-key', version: 1, key: Buffer.from(MASTER).toString('hex') }),
      validContent(MASTER) + 'x'.repeat(5000),
    ];
    for (const content of malformed) {
      await writeKeyFile(content);
      const error = await expectBlueError(readMasterKeyFile(keyFile), 4, 'invalid_key_file');
      expect(error.message).toContain(keyFile);
    }
    await fs.rm(keyFile);
    await fs.mkdir(keyFile);
    await expectBlueError(readMasterKeyFile(keyFile), 4, 'invalid_key_file');
  });

  it.skipIf(!posix)('refuses a file that group or others can access as insecure_key_file (exit 4)', async () => {
    for (const mode of [0o644, 0o640, 0o604, 0o660, 0o606]) {
      await writeKeyFile(validContent(MASTER), mode);
      const error = await expectBlueError(readMasterKeyFile(keyFile), 4, 'insecure_key_file');
      expect(error.message).toContain('chmod 600');
    }
    await fs.chmod(keyFile, 0o400);
    expect((await readMasterKeyFile(keyFile)).id).toBe(new LocalKeyWrapper(MASTER).id);
  });

  it('accepts the file without its trailing newline', async () => {
    await writeKeyFile(validContent(MASTER).trimEnd());
    expect((await readMasterKeyFile(keyFile)).id).toBe(new LocalKeyWrapper(MASTER).id);
  });
});

describe('defaultKeyFilePath', () => {
  it('honours an absolute XDG_CONFIG_HOME', () => {
    expect(defaultKeyFilePath({ XDG_CONFIG_HOME: '/xdg/config' }, '/home/ada')).toBe(path.join('/xdg/config', 'blue', 'master.key'));
  });

  it.skipIf(!posix)('falls back to ~/.config, also when XDG_CONFIG_HOME is empty or relative', () => {
    const expected = path.join('/home/ada', '.config', 'blue', 'master.key');
    expect(defaultKeyFilePath({}, '/home/ada')).toBe(expected);
    expect(defaultKeyFilePath({ XDG_CONFIG_HOME: '' }, '/home/ada')).toBe(expected);
    expect(defaultKeyFilePath({ XDG_CONFIG_HOME: 'relative/config' }, '/home/ada')).toBe(expected);
  });

  it('defaults to the process environment and home directory', () => {
    expect(defaultKeyFilePath()).toBe(defaultKeyFilePath(process.env, os.homedir()));
  });
});
