// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03) with Node's own ChaCha20 doing all of it: the subkey
// is HChaCha20(key, nonce[0..16]), taken from one ChaCha20 block (subkeyOf), and the message is sealed by
// OpenSSL's IETF ChaCha20-Poly1305 under that subkey with the nonce 0x00000000 || nonce[16..24]. The bytes are the
// same as noble's xchacha20poly1305 (test/store/envelope.test.ts checks both on the draft's vector and on
// random inputs); it is several times faster on the few hundred items a dialogue load opens, where the
// pure-JS cipher never warms up in a short command.

import { createCipheriv, createDecipheriv } from 'node:crypto';

const TAG_LENGTH = 16;
/** "expand 32-byte k", as four little-endian words. */
const SIGMA = Uint32Array.of(0x61707865, 0x3320646e, 0x79622d32, 0x6b206574);
const ZERO_BLOCK = new Uint8Array(64);

/**
 * HChaCha20(key, nonce[0..16]), from one block of Node's ChaCha20 keystream. With the 16-byte IV OpenSSL
 * takes (counter || nonce), the block's input state is the constants, the key, and nonce[0..16] as words
 * 12 to 15, which is HChaCha20's input. A keystream block is the 20 rounds' output plus that input, and
 * HChaCha20 is the rounds' words 0 to 3 and 12 to 15 with nothing added: so each is the keystream's word
 * less the input's. (noble's hchacha, in a command too short to warm it up, cost more than the cipher.)
 */
function subkeyOf(key: Uint8Array, nonce: Uint8Array): Buffer {
  const input = nonce.subarray(0, 16);
  const block = createCipheriv('chacha20', key, input).update(ZERO_BLOCK);
  const subkey = Buffer.alloc(32);
  for (let i = 0; i < 4; i++) {
    subkey.writeUInt32LE((block.readUInt32LE(i * 4) - SIGMA[i]!) >>> 0, i * 4);
    const word = input[i * 4]! | (input[i * 4 + 1]! << 8) | (input[i * 4 + 2]! << 16) | (input[i * 4 + 3]! << 24);
    subkey.writeUInt32LE((block.readUInt32LE(48 + i * 4) - word) >>> 0, 16 + i * 4);
  }
  return subkey;
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
