// A stand-in for AWS KMS (mocking KMS is allowed; DynamoDB never is), passed to KmsKeyWrapper as its
// client. It answers GenerateDataKey and Decrypt the way KMS does: the data key is sealed under the fake's
// own secret, bound to the key id and the encryption context, so a Decrypt with another context, another
// key or a changed blob fails as KMS would. `calls` records what was asked; `failWith` simulates an error.

import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { concatBytes, utf8ToBytes } from '@noble/ciphers/utils.js';
import { expect } from 'vitest';

/**
 * A stand-in for KMS: it keeps its own secret, wraps data keys with XChaCha20-Poly1305 bound to the key id
 * and encryption context, and refuses a Decrypt under another context or key the way KMS does.
 */
export class FakeKms {
  readonly #secret = new Uint8Array(randomBytes(32));
  readonly calls: { name: string; input: Record<string, unknown> }[] = [];
  failWith: string | undefined;

  constructor(readonly keyId: string) {}

  async send(command: unknown): Promise<unknown> {
    if (this.failWith) throw Object.assign(new Error(`simulated ${this.failWith}`), { name: this.failWith });
    if (command instanceof GenerateDataKeyCommand) {
      const input = command.input;
      this.calls.push({ name: 'GenerateDataKey', input: { ...input } });
      if (input.KeyId !== this.keyId) throw named('NotFoundException', `key ${input.KeyId} does not exist`);
      expect(input.KeySpec).toBe('AES_256');
      const plaintext = new Uint8Array(randomBytes(32));
      const nonce = new Uint8Array(randomBytes(24));
      const sealed = xchacha20poly1305(this.#secret, nonce, this.#aad(input.KeyId, input.EncryptionContext)).encrypt(plaintext);
      return { KeyId: input.KeyId, Plaintext: plaintext, CiphertextBlob: concatBytes(nonce, sealed) };
    }
    if (command instanceof DecryptCommand) {
      const input = command.input;
      this.calls.push({ name: 'Decrypt', input: { ...input } });
      if (input.KeyId !== undefined && input.KeyId !== this.keyId) throw named('IncorrectKeyException', 'wrong key');
      const blob = input.CiphertextBlob!;
      try {
        const aad = this.#aad(this.keyId, input.EncryptionContext);
        return { KeyId: this.keyId, Plaintext: xchacha20poly1305(this.#secret, blob.subarray(0, 24), aad).decrypt(blob.subarray(24)) };
      } catch {
        throw named('InvalidCiphertextException', 'the ciphertext or its encryption context is invalid');
      }
    }
    throw new Error(`the fake KMS does not implement ${(command as object).constructor.name}`);
  }

  #aad(keyId: string | undefined, context: Record<string, string> | undefined): Uint8Array {
    const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return utf8ToBytes(JSON.stringify([keyId, entries]));
  }
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
