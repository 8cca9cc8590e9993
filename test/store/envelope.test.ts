// The AEAD envelope: the primitive against a published vector, the envelope's own format pinned byte for
// byte, and every way an envelope can be damaged, moved or opened with the wrong key.

import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesToHex, concatBytes, hexToBytes, randomBytes, utf8ToBytes } from '@noble/ciphers/utils.js';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION, EnvelopeError, envelopeKeyId, itemAad, open, seal } from '../../src/store/crypto/envelope.js';
import { xchacha20poly1305Native } from '../../src/store/crypto/xchacha-native.js';

const KEY = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const OTHER_KEY = hexToBytes('1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100');
const NONCE = hexToBytes('a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7');
const KEY_ID = 'local:0123456789abcdef';
const AAD = utf8ToBytes('dialogue:d/entity:meta/');
const PLAINTEXT = utf8ToBytes('the verdict is sealed');

/** version, algorithm, key id length, key id. */
const HEADER_LENGTH = 3 + KEY_ID.length;
const NONCE_LENGTH = 24;
const TAG_LENGTH = 16;
const MINIMUM_LENGTH = HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH;

function openError(run: () => unknown): EnvelopeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    return error as EnvelopeError;
  }
  throw new Error('expected an EnvelopeError, but the envelope opened');
}

function flipped(envelope: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const copy = Uint8Array.from(envelope);
  copy[index] ^= mask;
  return copy;
}

describe('XChaCha20-Poly1305 (the primitive)', () => {
  it('matches the draft-irtf-cfrg-xchacha-03 appendix A.3.1 vector', () => {
    const key = hexToBytes('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = hexToBytes('404142434445464748494a4b4c4d4e4f5051525354555657');
    const aad = hexToBytes('50515253c0c1c2c3c4c5c6c7');
    const plaintext = utf8ToBytes(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    );
    const ciphertext =
      'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb' +
      '731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452' +
      '2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
      '21f9664c97637da9768812f615c68b13b52e';
    const tag = 'c0875924c1c7987947deafd8780acf49';

    const sealed = xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
    expect(bytesToHex(sealed)).toBe(ciphertext + tag);
    expect(xchacha20poly1305(key, nonce, aad).decrypt(hexToBytes(ciphertext + tag))).toEqual(plaintext);
  });
});

describe('XChaCha20-Poly1305 on Node\'s ChaCha20-Poly1305 (what the envelope seals with)', () => {
  it('matches the draft vector and noble\'s cipher byte for byte, both ways, on random inputs', () => {
    const key = hexToBytes('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = hexToBytes('404142434445464748494a4b4c4d4e4f5051525354555657');
    const aad = hexToBytes('50515253c0c1c2c3c4c5c6c7');
    const plaintext = utf8ToBytes("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    expect(bytesToHex(xchacha20poly1305Native(key, nonce, aad).encrypt(plaintext))).toBe(bytesToHex(xchacha20poly1305(key, nonce, aad).encrypt(plaintext)));
    for (const size of [0, 1, 15, 16, 63, 64, 65, 1000, 65_536]) {
      const [k, n, a, p] = [randomBytes(32), randomBytes(24), randomBytes(size % 50), randomBytes(size)];
      const sealed = xchacha20poly1305Native(k, n, a).encrypt(p);
      expect(bytesToHex(sealed)).toBe(bytesToHex(xchacha20poly1305(k, n, a).encrypt(p)));
      expect(xchacha20poly1305(k, n, a).decrypt(sealed)).toEqual(p);
      expect(xchacha20poly1305Native(k, n, a).decrypt(sealed)).toEqual(p);
      const tampered = Uint8Array.from(sealed);
      tampered[Math.floor(tampered.length / 2)] ^= 0x40;
      expect(() => xchacha20poly1305Native(k, n, a).decrypt(tampered)).toThrow();
      expect(() => xchacha20poly1305Native(k, n, randomBytes(3)).decrypt(sealed)).toThrow();
    }
  });

  it('takes its subkey from a ChaCha20 block whatever the nonce: the block counter at its limits, and 200 random ones', () => {
    const p = utf8ToBytes('a perspective');
    const nonces = [new Uint8Array(24), new Uint8Array(24).fill(0xff), hexToBytes('ffffffff' + '00'.repeat(20)), hexToBytes('00'.repeat(4) + 'ff'.repeat(20))];
    for (let i = 0; i < 200; i++) nonces.push(randomBytes(24));
    for (const n of nonces) {
      const k = randomBytes(32);
      expect(bytesToHex(xchacha20poly1305Native(k, n, p).encrypt(p))).toBe(bytesToHex(xchacha20poly1305(k, n, p).encrypt(p)));
    }
  });
});

describe('envelope format', () => {
  // Computed once with seal() and cross-checked against the primitive below; a change here breaks every
  // stored envelope, so it must come with a new envelope version.
  const PINNED =
    '0101166c6f63616c3a30313233343536373839616263646566' + // header: version 1, alg 1, L = 22, key id
    'a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7' + // nonce
    '31846f3dc138d6c8080c59a9184383b35ecbf349ce' + // ciphertext (21 bytes)
    '4f97a6a29c37307e1c47123c5ba3449b'; // tag

  it('seals a fixed input to the pinned bytes', () => {
    const envelope = seal(KEY, KEY_ID, PLAINTEXT, AAD, NONCE);
    expect(bytesToHex(envelope)).toBe(PINNED);
    expect(envelope.length).toBe(MINIMUM_LENGTH + PLAINTEXT.length);
  });

  it('lays out the header field by field', () => {
    const envelope = seal(KEY, KEY_ID, PLAINTEXT, AAD, NONCE);
    expect(ENVELOPE_VERSION).toBe(1);
    expect(envelope[0]).toBe(1); // version
    expect(envelope[1]).toBe(1); // XChaCha20-Poly1305
    expect(envelope[2]).toBe(KEY_ID.length);
    expect(new TextDecoder().decode(envelope.subarray(3, HEADER_LENGTH))).toBe(KEY_ID);
    expect(envelope.subarray(HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH)).toEqual(NONCE);
    expect(envelopeKeyId(envelope)).toBe(KEY_ID);
  });

  it('authenticates the header together with the caller aad', () => {
    // Rebuilt from the primitive: the AEAD's additional data is header || aad.
    const header = hexToBytes(PINNED.slice(0, HEADER_LENGTH * 2));
    const body = xchacha20poly1305(KEY, NONCE, concatBytes(header, AAD)).encrypt(PLAINTEXT);
    expect(bytesToHex(concatBytes(header, NONCE, body))).toBe(PINNED);
    // With the caller's aad alone the tag does not verify.
    expect(() => xchacha20poly1305(KEY, NONCE, AAD).decrypt(body)).toThrow();
    expect(open(hexToBytes(PINNED), KEY, KEY_ID, AAD)).toEqual(PLAINTEXT);
  });

  it('refuses key ids that do not fit the header', () => {
    expect(() => seal(KEY, '', PLAINTEXT, AAD)).toThrow(TypeError);
    expect(() => seal(KEY, 'x'.repeat(256), PLAINTEXT, AAD)).toThrow(TypeError);
    expect(() => seal(KEY, 'clé', PLAINTEXT, AAD)).toThrow(TypeError);
    expect(() => seal(KEY, 'tab\there', PLAINTEXT, AAD)).toThrow(TypeError);
    expect(envelopeKeyId(seal(KEY, 'x'.repeat(255), PLAINTEXT, AAD))).toBe('x'.repeat(255));
  });

  it('refuses keys and nonces of the wrong length', () => {
    expect(() => seal(KEY.subarray(0, 16), KEY_ID, PLAINTEXT, AAD)).toThrow(TypeError);
    expect(() => seal(KEY, KEY_ID, PLAINTEXT, AAD, NONCE.subarray(0, 12))).toThrow(TypeError);
  });
});

describe('seal and open', () => {
  it('round-trips, including empty and large plaintexts', () => {
    for (const plaintext of [PLAINTEXT, new Uint8Array(0), new Uint8Array(100_000).fill(7)]) {
      expect(open(seal(KEY, KEY_ID, plaintext, AAD), KEY, KEY_ID, AAD)).toEqual(plaintext);
    }
  });

  it('draws a fresh nonce for every seal', () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const envelope = seal(KEY, KEY_ID, PLAINTEXT, AAD);
      nonces.add(bytesToHex(envelope.subarray(HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH)));
    }
    expect(nonces.size).toBe(50);
  });

  it('does not alias the caller’s buffers', () => {
    const plaintext = Uint8Array.from(PLAINTEXT);
    const envelope = seal(KEY, KEY_ID, plaintext, AAD);
    plaintext.fill(0);
    const opened = open(envelope, KEY, KEY_ID, AAD);
    expect(opened).toEqual(PLAINTEXT);
  });
});

describe('tampering', () => {
  const envelope = seal(KEY, KEY_ID, PLAINTEXT, AAD, NONCE);
  const ciphertextStart = HEADER_LENGTH + NONCE_LENGTH;
  const tagStart = envelope.length - TAG_LENGTH;

  it('a flipped bit anywhere in the ciphertext fails authentication', () => {
    for (let i = ciphertextStart; i < tagStart; i++) {
      expect(openError(() => open(flipped(envelope, i), KEY, KEY_ID, AAD)).reason).toBe('authentication');
    }
  });

  it('a flipped bit anywhere in the tag fails authentication', () => {
    for (let i = tagStart; i < envelope.length; i++) {
      expect(openError(() => open(flipped(envelope, i, 0x80), KEY, KEY_ID, AAD)).reason).toBe('authentication');
    }
  });

  it('a flipped bit anywhere in the nonce fails authentication', () => {
    for (let i = HEADER_LENGTH; i < ciphertextStart; i++) {
      expect(openError(() => open(flipped(envelope, i), KEY, KEY_ID, AAD)).reason).toBe('authentication');
    }
  });

  it('an edited key id is a key mismatch, and still fails if the caller expects the edited id', () => {
    for (let i = 3; i < HEADER_LENGTH; i++) {
      const edited = flipped(envelope, i);
      const error = openError(() => open(edited, KEY, KEY_ID, AAD));
      expect(error.reason).toBe('key_mismatch');
      expect(error.message).toContain(KEY_ID);
      // The header is part of the additional data, so renaming the key in place does not help.
      expect(openError(() => open(edited, KEY, envelopeKeyId(edited), AAD)).reason).toBe('authentication');
    }
  });

  it('an edited key id length never opens', () => {
    for (const length of [0, 1, KEY_ID.length - 1, KEY_ID.length + 1, 255]) {
      const edited = Uint8Array.from(envelope);
      edited[2] = length;
      expect(['truncated', 'key_mismatch']).toContain(openError(() => open(edited, KEY, KEY_ID, AAD)).reason);
    }
  });

  it('another version byte is an unknown version, said to be from a newer blue', () => {
    for (const version of [0, 2, 255]) {
      const edited = Uint8Array.from(envelope);
      edited[0] = version;
      const error = openError(() => open(edited, KEY, KEY_ID, AAD));
      expect(error.reason).toBe('unknown_version');
      expect(error.message).toMatch(/newer blue/);
      expect(openError(() => envelopeKeyId(edited)).reason).toBe('unknown_version');
    }
    // Judged before the length: a newer format may be shorter.
    expect(openError(() => open(Uint8Array.of(2), KEY, KEY_ID, AAD)).reason).toBe('unknown_version');
  });

  it('another algorithm byte is an unknown algorithm (2, AES-256-GCM, is reserved but not implemented)', () => {
    for (const algorithm of [0, 2, 3, 255]) {
      const edited = Uint8Array.from(envelope);
      edited[1] = algorithm;
      expect(openError(() => open(edited, KEY, KEY_ID, AAD)).reason).toBe('unknown_algorithm');
    }
  });

  it('every truncation shorter than header + nonce + tag is reported as truncated', () => {
    const empty = seal(KEY, KEY_ID, new Uint8Array(0), AAD, NONCE);
    expect(empty.length).toBe(MINIMUM_LENGTH);
    for (const source of [envelope, empty]) {
      for (let length = 0; length < MINIMUM_LENGTH; length++) {
        const error = openError(() => open(source.subarray(0, length), KEY, KEY_ID, AAD));
        expect(error.reason, `length ${length}`).toBe('truncated');
      }
    }
    for (let length = 0; length < HEADER_LENGTH; length++) {
      expect(openError(() => envelopeKeyId(envelope.subarray(0, length))).reason).toBe('truncated');
    }
  });

  it('a truncation that keeps header + nonce + tag fails authentication', () => {
    for (let length = MINIMUM_LENGTH; length < envelope.length; length++) {
      expect(openError(() => open(envelope.subarray(0, length), KEY, KEY_ID, AAD)).reason).toBe('authentication');
    }
    const extended = concatBytes(envelope, Uint8Array.of(0));
    expect(openError(() => open(extended, KEY, KEY_ID, AAD)).reason).toBe('authentication');
  });

  it('the wrong key fails authentication', () => {
    expect(openError(() => open(envelope, OTHER_KEY, KEY_ID, AAD)).reason).toBe('authentication');
  });

  it('the wrong expected key id is a key mismatch', () => {
    const error = openError(() => open(envelope, KEY, 'local:fedcba9876543210', AAD));
    expect(error.reason).toBe('key_mismatch');
  });
});

describe('item aad', () => {
  const address = 'dialogue:2025-01-10T0900Z-cache-strategy/entity:round/01';
  const plain = { status: 'open', round: 1, scores: [3, 4], version: 2 };

  it('is the canonical JSON of address, key id and plain attributes', () => {
    expect(new TextDecoder().decode(itemAad(address, KEY_ID, plain))).toBe(
      `{"a":"${address}","k":"${KEY_ID}","p":{"round":1,"scores":[3,4],"status":"open","version":2}}`,
    );
  });

  it('does not depend on the order of the plain attributes', () => {
    const reordered = { version: 2, scores: [3, 4], round: 1, status: 'open' };
    expect(itemAad(address, KEY_ID, reordered)).toEqual(itemAad(address, KEY_ID, plain));
  });

  it('binds a sealed item to its address, its key id and every plain attribute', () => {
    const envelope = seal(KEY, KEY_ID, PLAINTEXT, itemAad(address, KEY_ID, plain));
    expect(open(envelope, KEY, KEY_ID, itemAad(address, KEY_ID, { ...plain }))).toEqual(PLAINTEXT);

    const moved = [
      itemAad('dialogue:2025-01-10T0900Z-cache-strategy/entity:round/02', KEY_ID, plain), // another item
      itemAad('dialogue:2025-02-01T1200Z-cache-eviction/entity:round/01', KEY_ID, plain), // another dialogue
      itemAad(address, 'local:fedcba9876543210', plain), // another key id in the aad
      itemAad(address, KEY_ID, { ...plain, status: 'closed' }),
      itemAad(address, KEY_ID, { ...plain, round: 2 }),
      itemAad(address, KEY_ID, { ...plain, scores: [3, 5] }),
      itemAad(address, KEY_ID, { ...plain, version: 3 }),
      itemAad(address, KEY_ID, { status: 'open', round: 1, scores: [3, 4] }), // an attribute dropped
      itemAad(address, KEY_ID, { ...plain, extra: true }), // an attribute added
    ];
    for (const aad of moved) {
      expect(openError(() => open(envelope, KEY, KEY_ID, aad)).reason).toBe('authentication');
    }
  });

  it('keeps field boundaries: an address cannot absorb a plain attribute', () => {
    expect(itemAad('a', 'k', { x: '1' })).not.toEqual(itemAad('a","p":{"x":"1"}', 'k', {}));
  });
});
