// Tests against the run's DynamoDB Local (started once by test/support/dynamodb-local.ts): its endpoint, client
// settings, and a fresh table per test file.

import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureTable } from '../../src/store/dynamodb/table.js';

/** The DynamoDB Local endpoint of this test run (inject), failing loudly if absent. */
export function localEndpoint(): string {
  const endpoint = inject('dynamodbEndpoint');
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new Error(
      'No DynamoDB Local endpoint: vitest must run with globalSetup test/support/dynamodb-local.ts ' +
        '(see vitest.config.ts), or set BLUE_TEST_DYNAMODB_ENDPOINT.',
    );
  }
  return endpoint;
}

/** Client settings for DynamoDB Local: region 'us-east-1', credentials with access key id 'blueTest' and secret 'blueTestSecret' (letters/digits only), the endpoint. */
export function localClientConfig(): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return {
    endpoint: localEndpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'blueTest', secretAccessKey: 'blueTestSecret' },
  };
}

/** A unique table name per call: `blue_test_<file-ish prefix>_<random>` (letters, digits, underscore). */
export function uniqueTableName(prefix: string): string {
  const clean = prefix
    .replace(/\.[cm]?[jt]s$/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48);
  return `blue_test_${clean || 'x'}_${randomBytes(6).toString('hex')}`;
}

/** Creates a fresh table with ensureTable and returns its name plus a `drop()` that deletes it. */
export async function freshTable(prefix: string): Promise<{ table: string; client: DynamoDBClient; drop(): Promise<void> }> {
  const table = uniqueTableName(prefix);
  const client = new DynamoDBClient(localClientConfig());
  try {
    await ensureTable(client, table);
  } catch (error) {
    client.destroy();
    throw error;
  }
  let dropped = false;
  return {
    table,
    client,
    async drop() {
      if (dropped) return;
      dropped = true;
      try {
        await client.send(new DeleteTableCommand({ TableName: table }));
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      } finally {
        client.destroy();
      }
    },
  };
}

/** Every item of a table, as an attacker with read access would see it (binary attributes as Uint8Array). */
export async function scanTable(client: DynamoDBClient, table: string): Promise<Record<string, any>[]> {
  const doc = DynamoDBDocumentClient.from(client);
  const items: Record<string, any>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
