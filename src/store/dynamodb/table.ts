// The DynamoDB store's one table: its definition and `blue store init`'s idempotent creation. Normal
// commands do not check it first: a missing table is reported by their first request (table_not_found).
// Loaded lazily, only on DynamoDB paths.

import {
  CreateTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { BlueError, badInput, failure } from '../../domain/errors.js';
import { sdkFailure } from './errors.js';
import { errorName } from '../../platform/errors.js';
import { sleep } from '../../platform/time.js';

export const CATALOG_INDEX = 'catalog';

/** The non-key attributes the catalog index carries, so `list` never reads the base table. */
const CATALOG_ATTRIBUTES = ['status', 'version', 'createdAt', 'updatedAt', 'rounds', 'alignment', 'dk', 'summary'];

/** How long ensureTable waits for a table and its index to become ACTIVE (real DynamoDB can take minutes). */
const ACTIVE_TIMEOUT_MS = 5 * 60_000;

/** DynamoDB's table name rule: 3 to 255 of letters, digits, `_`, `-` and `.`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** The CreateTable input: on-demand (PAY_PER_REQUEST); key schema pk (HASH, S) + sk (RANGE, S); one GSI named CATALOG_INDEX with key g1pk (HASH, S) + g1sk (RANGE, S), projection INCLUDE of the non-key attributes ['status','version','createdAt','updatedAt','rounds','alignment','dk','summary']. */
export function tableDefinition(table: string): CreateTableCommandInput {
  return {
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g1pk', AttributeType: 'S' },
      { AttributeName: 'g1sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: CATALOG_INDEX,
        KeySchema: [
          { AttributeName: 'g1pk', KeyType: 'HASH' },
          { AttributeName: 'g1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...CATALOG_ATTRIBUTES] },
      },
    ],
  };
}

/** Creates the table if it does not exist and waits until it and its index are ACTIVE; returns 'created' | 'exists'. Idempotent and safe when two processes run it at once (ResourceInUseException means someone else created it: wait for ACTIVE). If the table exists with a different key schema, throw BlueError exit 1 code `table_mismatch` naming the table. */
export async function ensureTable(client: DynamoDBClient, table: string, endpoint?: string, timeoutMs?: number): Promise<'created' | 'exists'> {
  checkTableName(table);
  const store: TableAt = { table, ...(endpoint ? { endpoint } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  let created = false;
  // A table that is being deleted vanishes while we wait; then we create it again, a bounded number of times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await describe(client, store);
    if (!existing) {
      try {
        await client.send(new CreateTableCommand(tableDefinition(table)));
        created = true;
      } catch (error) {
        // Someone else (another process) created it between our describe and our create: wait for it.
        if (errorName(error) !== 'ResourceInUseException') throw failed(error, 'create', store);
      }
    } else {
      checkSchema(existing, table);
    }
    const active = await waitUntilActive(client, store, deadline);
    if (active) {
      checkSchema(active, table);
      return created ? 'created' : 'exists';
    }
  }
  throw failure('table_not_active', `The DynamoDB table ${table} keeps disappearing (is something deleting it?).`, { table, fix: 'find what deletes the table, then run `blue store init` again' });
}

// ---------------------------------------------------------------------------------------------------------

function checkTableName(table: string): void {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw badInput(
      'invalid_table_name',
      `Invalid DynamoDB table name ${JSON.stringify(table)}: use 3 to 255 letters, digits, '_', '-' or '.'.`,
      { table, fix: 'give --table (BLUE_DYNAMODB_TABLE, storage.dynamodb.table) a name of 3 to 255 letters, digits, _, - or .' },
    );
  }
}

/** The table's description, or undefined when it does not exist. */
async function describe(client: DynamoDBClient, store: TableAt): Promise<TableDescription | undefined> {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: store.table }));
    return output.Table;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw failed(error, 'describe', store);
  }
}

/**
 * Polls DescribeTable until the table and every one of its global secondary indexes are ACTIVE; returns the
 * description, or undefined if the table disappeared (it was being deleted).
 */
async function waitUntilActive(client: DynamoDBClient, store: TableAt, deadline: number): Promise<TableDescription | undefined> {
  const { table } = store;
  let delay = 100;
  for (;;) {
    const description = await describe(client, store);
    if (!description) return undefined;
    if (isActive(description)) return description;
    if (Date.now() + delay > deadline) {
      throw failure(
        'table_not_active',
        `The DynamoDB table ${table} did not become ACTIVE in time (table ${description.TableStatus ?? 'unknown'}, ` +
          `indexes ${indexStatuses(description)}).`,
        { table, status: description.TableStatus, fix: 'wait a minute and run `blue store init` again' },
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 5_000);
  }
}

function isActive(description: TableDescription): boolean {
  return (
    description.TableStatus === 'ACTIVE' &&
    (description.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}

function indexStatuses(description: TableDescription): string {
  const indexes = description.GlobalSecondaryIndexes ?? [];
  return indexes.length === 0 ? 'none' : indexes.map((index) => `${index.IndexName}=${index.IndexStatus}`).join(', ');
}

/**
 * The existing table must have the key schema blue writes (pk/sk strings) and the catalog index keyed by
 * g1pk/g1sk strings; anything else is someone else's table or an incompatible one.
 */
function checkSchema(description: TableDescription, table: string): void {
  const wanted = tableDefinition(table);
  const types = new Map((description.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  const problems: string[] = [];

  const keyProblem = (where: string, actual: TableDescription['KeySchema'], expected: CreateTableCommandInput['KeySchema']) => {
    const have = (actual ?? []).map((k) => `${k.AttributeName} ${k.KeyType} ${types.get(k.AttributeName) ?? '?'}`);
    const want = (expected ?? []).map((k) => `${k.AttributeName} ${k.KeyType} S`);
    if (have.length !== want.length || have.some((entry, i) => entry !== want[i])) {
      problems.push(`${where} key is (${have.join(', ') || 'none'}), expected (${want.join(', ')})`);
    }
  };

  keyProblem('the table', description.KeySchema, wanted.KeySchema);
  const catalog = (description.GlobalSecondaryIndexes ?? []).find((index) => index.IndexName === CATALOG_INDEX);
  if (!catalog) {
    problems.push(`it has no global secondary index named ${CATALOG_INDEX}`);
  } else {
    keyProblem(`the ${CATALOG_INDEX} index`, catalog.KeySchema, wanted.GlobalSecondaryIndexes?.[0]?.KeySchema);
  }

  if (problems.length > 0) {
    throw failure(
      'table_mismatch',
      `The DynamoDB table ${table} exists but was not created by blue: ${problems.join('; ')}. ` +
        `Use another table name or remove that table.`,
      { table, problems, fix: 'give blue a table of its own with --table (BLUE_DYNAMODB_TABLE), or remove that table' },
    );
  }
}

/** The table store init works on, where, and how long a request may go unanswered (for the hints). */
interface TableAt {
  table: string;
  endpoint?: string;
  timeoutMs?: number;
}

/** A failed CreateTable or DescribeTable, said as every other DynamoDB failure is (errors.ts). */
function failed(error: unknown, doing: 'create' | 'describe', store: TableAt): BlueError {
  if (error instanceof BlueError) return error;
  const where = store.endpoint ? ` at ${store.endpoint}` : '';
  return sdkFailure(error, `${doing} the DynamoDB table ${store.table}${where}`, store, { unexplained: 'dynamodb_error' });
}
