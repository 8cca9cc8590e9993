// A stand-in for AWS KMS (mocking KMS is allowed; DynamoDB never is). It answers GenerateDataKey and
// Decrypt like KMS does: the data key is sealed under the fake's own secret, bound to the key id and the
// encryption context, so a Decrypt with another context or of a changed blob fails as KMS would.

import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { canonicalJson } from '../../src/store/canonical-json.js';
import { open, seal } from '../../src/store/envelope.js';

export class FakeKms {
  readonly calls: string[] = [];
  private readonly secret = new Uint8Array(randomBytes(32));

  async send(command: unknown): Promise<unknown> {
    if (command instanceof GenerateDataKeyCommand) {
      this.calls.push('GenerateDataKey');
      const { KeyId, EncryptionContext } = command.input;
      const plaintext = new Uint8Array(randomBytes(32));
      return { Plaintext: plaintext, CiphertextBlob: seal(this.secret, 'fake-kms', plaintext, this.aad(KeyId, EncryptionContext)), KeyId };
    }
    if (command instanceof DecryptCommand) {
      this.calls.push('Decrypt');
      const { KeyId, EncryptionContext, CiphertextBlob } = command.input;
      try {
        return { Plaintext: open(CiphertextBlob as Uint8Array, this.secret, 'fake-kms', this.aad(KeyId, EncryptionContext)), KeyId };
      } catch {
        throw Object.assign(new Error('The ciphertext refers to a customer master key that does not exist, or the context differs.'), {
          name: 'InvalidCiphertextException',
        });
      }
    }
    throw new Error(`FakeKms does not implement ${(command as object).constructor.name}`);
  }

  private aad(keyId: unknown, context: unknown): Uint8Array {
    return new TextEncoder().encode(canonicalJson({ keyId, context: context ?? {} }));
  }
}
