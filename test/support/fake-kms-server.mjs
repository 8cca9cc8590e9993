#!/usr/bin/env node
// AWS KMS's JSON protocol, answered locally for GenerateDataKey and Decrypt, so that bin/blue can be driven
// with --kms-key-id through the real @aws-sdk/client-kms (AWS_ENDPOINT_URL_KMS points the SDK here).
// Mocking KMS is allowed; the data keys it hands out are sealed under its own secret, bound to the key id
// and the encryption context, so a Decrypt with another context fails as KMS would.
//
// It runs as its own process (tests call bin/blue synchronously, which would block a server in their
// own event loop), prints its endpoint as the first line of stdout, and answers `GET /calls` with the
// operations it served, in order. Needs the built dist/.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { canonicalJson } from '../../dist/store/canonical-json.js';
import { open, seal } from '../../dist/store/crypto/envelope.js';

const secret = new Uint8Array(randomBytes(32));
const calls = [];
const aad = (keyId, context) => new TextEncoder().encode(canonicalJson({ keyId, context: context ?? {} }));

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const reply = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && request.url === '/calls') return reply(200, calls);
    const operation = String(request.headers['x-amz-target'] ?? '').replace(/^TrentService\./, '');
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    calls.push(operation);
    if (operation === 'GenerateDataKey') {
      const plaintext = new Uint8Array(randomBytes(32));
      const blob = seal(secret, 'fake-kms', plaintext, aad(input.KeyId, input.EncryptionContext));
      return reply(200, { KeyId: input.KeyId, Plaintext: Buffer.from(plaintext).toString('base64'), CiphertextBlob: Buffer.from(blob).toString('base64') });
    }
    if (operation === 'Decrypt') {
      try {
        const plaintext = open(new Uint8Array(Buffer.from(input.CiphertextBlob, 'base64')), secret, 'fake-kms', aad(input.KeyId, input.EncryptionContext));
        return reply(200, { KeyId: input.KeyId, Plaintext: Buffer.from(plaintext).toString('base64') });
      } catch {
        return reply(400, { __type: 'InvalidCiphertextException', message: 'The ciphertext or its encryption context is invalid.' });
      }
    }
    return reply(400, { __type: 'UnsupportedOperationException', message: `${operation} is not faked` });
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
