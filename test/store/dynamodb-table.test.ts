// The DynamoDB table: its definition, and ensureTable against the run's real DynamoDB Local.

import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TABLE } from '../../src/store/dynamodb/settings.js';
import { CATALOG_INDEX, ensureTable, tableDefinition } from '../../src/store/dynamodb/table.js';
import { freshTable, localClientConfig, uniqueTableName } from '../support/dynamodb.js';
import { expectBlueError } from './conformance.js';

const PREFIX = 'dynamodb_table';

describe('tableDefinition', () => {
  it('is on-demand, keyed by pk/sk strings, with the catalog index keyed by g1pk/g1sk', () => {
    const definition = tableDefinition('t_1');
    expect(DEFAULT_TABLE).toBe('blue_dialogues');
    expect(CATALOG_INDEX).toBe('catalog');
    expect(definition).toEqual({
      TableName: 't_1',
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
          IndexName: 'catalog',
          KeySchema: [
            { AttributeName: 'g1pk', KeyType: 'HASH' },
            { AttributeName: 'g1sk', KeyType: 'RANGE' },
          ],
          Projection: {
            ProjectionType: 'INCLUDE',
            NonKeyAttributes: ['status', 'version', 'createdAt', 'updatedAt', 'rounds', 'alignment', 'dk', 'summary'],
          },
        },
      ],
    });
  });

  it('returns a fresh object each time (callers may not alter the next one)', () => {
    const first = tableDefinition('t_1');
    first.GlobalSecondaryIndexes![0]!.Projection!.NonKeyAttributes!.push('extra');
    expect(tableDefinition('t_1').GlobalSecondaryIndexes![0]!.Projection!.NonKeyAttributes).not.toContain('extra');
  });
});

describe('ensureTable on DynamoDB Local', () => {
  let client: DynamoDBClient;
  const made: string[] = [];
  const name = () => {
    const table = uniqueTableName(PREFIX);
    made.push(table);
    return table;
  };

  beforeAll(() => {
    client = new DynamoDBClient(localClientConfig());
  });

  afterAll(async () => {
    for (const table of made) {
      await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    }
    client.destroy();
  });

  it('uniqueTableName gives distinct names of letters, digits and underscores', () => {
    const a = uniqueTableName('test/dynamodb-table.test.ts');
    const b = uniqueTableName('test/dynamodb-table.test.ts');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^blue_test_[A-Za-z0-9_]+_[0-9a-f]+$/);
    expect(a).toMatch(/^blue_test_test_dynamodb_table_test_/);
  });

  it('creates the table, then reports that it exists', async () => {
    const table = name();
    expect(await ensureTable(client, table)).toBe('created');
    expect(await ensureTable(client, table)).toBe('exists');
  });

  it('two concurrent ensureTable calls on the same new name both succeed, exactly one creates', async () => {
    const table = name();
    const outcomes = await Promise.all([ensureTable(client, table), ensureTable(client, table)]);
    expect([...outcomes].sort()).toEqual(['created', 'exists']);
  });

  it('two separate clients (as two processes would) racing on a new name both succeed', async () => {
    const table = name();
    const clients = [0, 1, 2].map(() => new DynamoDBClient(localClientConfig()));
    try {
      const outcomes = await Promise.all(clients.map((c) => ensureTable(c, table)));
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'exists')).toHaveLength(2);
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it('the created table has the key schema, on-demand billing and an ACTIVE catalog index', async () => {
    const table = name();
    await ensureTable(client, table);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const types = Object.fromEntries((Table?.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
    expect(types).toEqual({ pk: 'S', sk: 'S', g1pk: 'S', g1sk: 'S' });
    expect(Table?.GlobalSecondaryIndexes).toHaveLength(1);
    const catalog = Table!.GlobalSecondaryIndexes![0]!;
    expect(catalog.IndexName).toBe(CATALOG_INDEX);
    expect(catalog.IndexStatus).toBe('ACTIVE');
    expect(catalog.KeySchema).toEqual([
      { AttributeName: 'g1pk', KeyType: 'HASH' },
      { AttributeName: 'g1sk', KeyType: 'RANGE' },
    ]);
    expect(catalog.Projection?.ProjectionType).toBe('INCLUDE');
    expect([...(catalog.Projection?.NonKeyAttributes ?? [])].sort()).toEqual(
      ['alignment', 'createdAt', 'dk', 'rounds', 'status', 'summary', 'updatedAt', 'version'],
    );
  });

  it('a table with a different key schema is a table_mismatch (exit 1) naming the table', async () => {
    const table = name();
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const error = await expectBlueError(ensureTable(client, table), 1, 'table_mismatch');
    expect(error.message).toContain(table);
    expect(error.details).toMatchObject({ table });
  });

  it('pk/sk of the wrong type, or a table without the catalog index, are table_mismatch too', async () => {
    const wrongType = name();
    const numeric: CreateTableCommandInput = tableDefinition(wrongType);
    numeric.AttributeDefinitions = numeric.AttributeDefinitions!.map((a) =>
      a.AttributeName === 'sk' ? { AttributeName: 'sk', AttributeType: 'N' } : a,
    );
    await client.send(new CreateTableCommand(numeric));
    await expectBlueError(ensureTable(client, wrongType), 1, 'table_mismatch');

    const noIndex = name();
    const bare: CreateTableCommandInput = tableDefinition(noIndex);
    bare.AttributeDefinitions = bare.AttributeDefinitions!.filter((a) => a.AttributeName === 'pk' || a.AttributeName === 'sk');
    delete bare.GlobalSecondaryIndexes;
    await client.send(new CreateTableCommand(bare));
    const error = await expectBlueError(ensureTable(client, noIndex), 1, 'table_mismatch');
    expect(error.message).toContain(CATALOG_INDEX);
  });

  it('an invalid table name is bad input (exit 2), before any request', async () => {
    await expectBlueError(ensureTable(client, 'no spaces allowed'), 2, 'invalid_table_name');
    await expectBlueError(ensureTable(client, 'x'), 2, 'invalid_table_name');
  });

  it('freshTable makes a usable table and drop() removes it', async () => {
    const fresh = await freshTable(PREFIX);
    const describeTable = (on: DynamoDBClient) => on.send(new DescribeTableCommand({ TableName: fresh.table }));
    expect((await describeTable(fresh.client)).Table?.TableStatus).toBe('ACTIVE');
    expect((await describeTable(client)).Table?.TableStatus).toBe('ACTIVE');
    await fresh.drop();
    await expect(describeTable(client)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await fresh.drop(); // idempotent
  });

  it('an unreachable endpoint is a BlueError (exit 1), not a raw SDK error', async () => {
    const unreachable = new DynamoDBClient({ ...localClientConfig(), endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    try {
      const error = await expectBlueError(ensureTable(unreachable, 'blue_test_unreachable', 'http://127.0.0.1:9'), 1, 'store_unreachable');
      expect(error.message).toContain('Nothing answers at http://127.0.0.1:9');
    } finally {
      unreachable.destroy();
    }
  });
});
