// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03) with Node's own ChaCha20-Poly1305 doing the bulk: the
// subkey is HChaCha20(key, nonce[0..16]) from @noble/ciphers, and the message is sealed by OpenSSL's
// IETF ChaCha20-Poly1305 under that subkey with the nonce 0x00000000 || nonce[16..24]. The bytes are the
// same as noble's xchacha20poly1305 (test/store/envelope.test.ts checks both on the draft's vector and on
// random inputs); it is several times faster on the few hundred items a dialogue load opens, where the
// pure-JS cipher never warms up in a short command.

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { hchacha } from '@noble/ciphers/chacha.js';

const TAG_LENGTH = 16;
/** "expand 32-byte k", as four little-endian words. */
const SIGMA = Uint32Array.of(0x61707865, 0x3320646e, 0x79622d32, 0x6b206574);

/** Little-endian words of `bytes` (a multiple of 4 long), copied so that alignment does not matter. */
function words(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

function subkeyOf(key: Uint8Array, nonce: Uint8Array): Buffer {
  const out = new Uint32Array(8);
  hchacha(SIGMA, words(key), words(nonce.subarray(0, 16)), out);
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) bytes.writeUInt32LE(out[i]!, i * 4);
  return bytes;
}

function ivOf(nonce: Uint8Array): Buffer {
  const iv = Buffer.alloc(12);
  iv.set(nonce.subarray(16, 24), 4);
  return iv;
}

/** The same interface as noble's xchacha20poly1305: ciphertext || tag out, and in. */
export function xchacha20poly1305Native(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  if (key.length !== 32) throw new TypeError(`XChaCha20-Poly1305 needs a 32-byte key, got ${key.length} bytes`);
  if (nonce.length !== 24) throw new TypeError(`XChaCha20-Poly1305 needs a 24-byte nonce, got ${nonce.length} bytes`);
  return {
    encrypt(plaintext: Uint8Array): Uint8Array {
      const cipher = createCipheriv('chacha20-poly1305', subkeyOf(key, nonce), ivOf(nonce), { authTagLength: TAG_LENGTH });
      cipher.setAAD(aad, { plaintextLength: plaintext.length });
      // A copy of its own: a small Buffer is a view of Node's shared pool.
      return new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
    },
    decrypt(sealed: Uint8Array): Uint8Array {
      if (sealed.length < TAG_LENGTH) throw new Error('the sealed message is shorter than its tag');
      const body = sealed.subarray(0, sealed.length - TAG_LENGTH);
      const decipher = createDecipheriv('chacha20-poly1305', subkeyOf(key, nonce), ivOf(nonce), { authTagLength: TAG_LENGTH });
      decipher.setAAD(aad, { plaintextLength: body.length });
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
      // update() hands out plaintext before final() has checked the tag: it is returned only after.
      return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
    },
  };
}
