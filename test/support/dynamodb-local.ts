// vitest globalSetup: starts one DynamoDB Local for the whole test run (scripts/dynamodb-local.mjs, which the
// bench uses too) and hands its endpoint to the tests via `inject('dynamodbEndpoint')` and to child
// processes via BLUE_TEST_DYNAMODB_ENDPOINT. Each test file makes its own table (test/support/dynamodb.ts).
// If BLUE_TEST_DYNAMODB_ENDPOINT is already set, that endpoint is used and nothing is started. A missing
// java or a jar that does not start fails the run: never a skip.

import type { TestProject } from 'vitest/node';
import { startDynamoDBLocal, waitUntilServing } from '../../scripts/dynamodb-local.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

const ENDPOINT_ENV = 'BLUE_TEST_DYNAMODB_ENDPOINT';
/** Set BLUE_TEST_DYNAMODB_DEBUG=1 to print where DynamoDB Local runs and how long it took to start and stop. */
const DEBUG = Boolean(process.env.BLUE_TEST_DYNAMODB_DEBUG);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const preset = process.env[ENDPOINT_ENV];
  if (preset) {
    await waitUntilServing(preset);
    project.provide('dynamodbEndpoint', preset);
    if (DEBUG) console.error(`[dynamodb-local] using ${ENDPOINT_ENV}=${preset}; nothing started`);
    return undefined;
  }

  const local = await startDynamoDBLocal();
  if (DEBUG) console.error(`[dynamodb-local] ${local.endpoint} ready in ${Math.round(local.readyMs)} ms (pid ${local.child.pid})`);
  project.provide('dynamodbEndpoint', local.endpoint);
  process.env[ENDPOINT_ENV] = local.endpoint;

  return async () => {
    if (process.env[ENDPOINT_ENV] === local.endpoint) delete process.env[ENDPOINT_ENV];
    const stopping = Date.now();
    await local.stop();
    if (DEBUG) console.error(`[dynamodb-local] stopped in ${Date.now() - stopping} ms (${local.child.signalCode ?? local.child.exitCode})`);
  };
}
