// The versioned AEAD envelope that every encrypted value is stored in.
//
//   byte 0        envelope version (1)
//   byte 1        algorithm id (see ALGORITHMS)
//   byte 2        key id length L (1..255)
//   3 .. 3+L      key id, printable ASCII
//   then          nonce (length fixed by the algorithm)
//   then          ciphertext || tag
//
// The envelope names its version, algorithm and key so that a new algorithm or a rotated key can come later
// without guessing what an old value was sealed with. The header is part of the AEAD's additional data, so
// none of it can be edited (e.g. a key id swapped) without the tag failing.

import { concatBytes, randomBytes, utf8ToBytes } from '@noble/ciphers/utils.js';
import { xchacha20poly1305Native } from './xchacha-native.js';
import { canonicalJson, toPlainJson } from '../canonical-json.js';

export const ENVELOPE_VERSION = 1;

interface Algorithm {
  readonly name: string;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  readonly aead: (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) => {
    encrypt(plaintext: Uint8Array): Uint8Array;
    decrypt(ciphertext: Uint8Array): Uint8Array;
  };
}

/** Algorithm ids are part of the stored format: never renumber one, only add. */
const ALGORITHMS: Readonly<Record<number, Algorithm>> = {
  // The default: a 24-byte nonce is large enough to draw at random for every seal without tracking counters.
  1: { name: 'XChaCha20-Poly1305', keyLength: 32, nonceLength: 24, tagLength: 16, aead: xchacha20poly1305Native },
  // 2: AES-256-GCM (12-byte nonce, 16-byte tag), reserved. Its nonce is too short to draw at random for many
  //    seals under one key, so adding it needs per-key seal limits first.
};
const DEFAULT_ALGORITHM = 1;

/** Bytes before the key id: version, algorithm, key id length. */
const FIXED_HEADER = 3;

type EnvelopeErrorReason = 'truncated' | 'unknown_version' | 'unknown_algorithm' | 'key_mismatch' | 'authentication';

/** Why an envelope did not open. Callers turn it into a BlueError that names the item. */
export class EnvelopeError extends Error {
  constructor(
    readonly reason: EnvelopeErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

/**
 * Seals `plaintext` under `key`, naming `keyId` in the header. `nonce` is for known-answer tests only: a
 * repeated nonce under one key breaks the cipher, so production callers always let it be drawn at random.
 * Invalid arguments are programming errors (keys and key ids are validated where they enter blue), so they
 * throw a TypeError rather than a BlueError.
 */
export function seal(key: Uint8Array, keyId: string, plaintext: Uint8Array, aad: Uint8Array, nonce?: Uint8Array): Uint8Array {
  const algorithm = ALGORITHMS[DEFAULT_ALGORITHM];
  checkKey(key, algorithm);
  if (!/^[\x20-\x7e]{1,255}$/.test(keyId)) {
    throw new TypeError(`an envelope key id must be 1 to 255 printable ASCII characters, got ${JSON.stringify(keyId)}`);
  }
  const iv = nonce ?? randomBytes(algorithm.nonceLength);
  if (iv.length !== algorithm.nonceLength) {
    throw new TypeError(`${algorithm.name} needs a ${algorithm.nonceLength}-byte nonce, got ${iv.length} bytes`);
  }
  const header = concatBytes(Uint8Array.of(ENVELOPE_VERSION, DEFAULT_ALGORITHM, keyId.length), asciiBytes(keyId));
  const sealed = algorithm.aead(key, iv, concatBytes(header, aad)).encrypt(plaintext);
  return concatBytes(header, iv, sealed);
}

/** Opens an envelope sealed under (key, expectedKeyId); throws EnvelopeError and never returns partial plaintext. */
export function open(envelope: Uint8Array, key: Uint8Array, expectedKeyId: string, aad: Uint8Array): Uint8Array {
  const { algorithm, keyId, headerLength } = parseHeader(envelope);
  const nonceEnd = headerLength + algorithm.nonceLength;
  if (envelope.length < nonceEnd + algorithm.tagLength) {
    throw new EnvelopeError('truncated', `the envelope is truncated: ${envelope.length} bytes, at least ${nonceEnd + algorithm.tagLength} needed`);
  }
  // Checked before decrypting so that the wrong key is reported as such, not as tampering.
  if (keyId !== expectedKeyId) {
    throw new EnvelopeError('key_mismatch', `the envelope was sealed with key ${JSON.stringify(keyId)}, not ${JSON.stringify(expectedKeyId)}`);
  }
  checkKey(key, algorithm);
  const header = envelope.subarray(0, headerLength);
  const nonce = envelope.subarray(headerLength, nonceEnd);
  try {
    // The AEAD verifies the tag before it decrypts anything, so a failure never yields partial plaintext.
    return algorithm.aead(key, nonce, concatBytes(header, aad)).decrypt(envelope.subarray(nonceEnd));
  } catch {
    throw new EnvelopeError(
      'authentication',
      'the envelope failed authentication: it was altered, moved to another item, or sealed with another key',
    );
  }
}

/** The key id named in an envelope's header (throws EnvelopeError truncated/unknown_version). */
export function envelopeKeyId(envelope: Uint8Array): string {
  return parseHeader(envelope).keyId;
}

/** The additional data for an item: utf8 of canonicalJson({a: address, k: keyId, p: plain}). */
export function itemAad(address: string, keyId: string, plain: Record<string, unknown>): Uint8Array {
  // toPlainJson first so that a value such as a Date contributes what JSON would store, not "{}".
  return utf8ToBytes(canonicalJson(toPlainJson({ a: address, k: keyId, p: plain })));
}

/**
 * Reads the header one field at a time, checking each length before using it. The version is checked as
 * soon as its byte is there: a newer version may lay out everything after byte 0 differently, so nothing
 * else about it (not even its length) can be judged.
 */
function parseHeader(envelope: Uint8Array): { algorithm: Algorithm; keyId: string; headerLength: number } {
  if (envelope.length < 1) throw truncated(envelope, FIXED_HEADER);
  if (envelope[0] !== ENVELOPE_VERSION) {
    throw new EnvelopeError(
      'unknown_version',
      `unknown envelope version ${envelope[0]} (this blue reads version ${ENVELOPE_VERSION}); it may have been written by a newer blue`,
    );
  }
  if (envelope.length < FIXED_HEADER) throw truncated(envelope, FIXED_HEADER);
  const algorithm = ALGORITHMS[envelope[1]];
  if (!algorithm) throw new EnvelopeError('unknown_algorithm', `unknown envelope algorithm id ${envelope[1]}`);
  const keyIdLength = envelope[2];
  // seal never writes an empty key id, so a zero here means the header is damaged.
  if (keyIdLength === 0) throw new EnvelopeError('truncated', 'the envelope header is malformed: its key id is empty');
  const headerLength = FIXED_HEADER + keyIdLength;
  if (envelope.length < headerLength) throw truncated(envelope, headerLength + algorithm.nonceLength + algorithm.tagLength);
  // latin1 maps each byte to one character, so a damaged id stays visible (and different) rather than being
  // replaced with U+FFFD.
  const keyId = Buffer.from(envelope.buffer, envelope.byteOffset + FIXED_HEADER, keyIdLength).toString('latin1');
  return { algorithm, keyId, headerLength };
}

function truncated(envelope: Uint8Array, needed: number): EnvelopeError {
  return new EnvelopeError('truncated', `the envelope is truncated: ${envelope.length} bytes, at least ${needed} needed`);
}

function checkKey(key: Uint8Array, algorithm: Algorithm): void {
  if (!(key instanceof Uint8Array) || key.length !== algorithm.keyLength) {
    throw new TypeError(`${algorithm.name} needs a ${algorithm.keyLength}-byte key`);
  }
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}
