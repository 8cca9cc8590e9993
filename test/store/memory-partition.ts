// A dialogue's partition in memory, for the offline tests of the commit plan and of opening a partition:
// applies a CommitPlan's requests the way DynamoDB would (meta's condition included) and reads the
// partition back the way a Query returns it (sorted by sort key). No DynamoDB, no network.

import type { BatchWriteCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Partition } from '../../src/store/dynamodb/layout.js';
import type { CommitPlan } from '../../src/store/dynamodb/plan.js';

type Item = Record<string, unknown>;

export class MemoryPartition {
  readonly items = new Map<string, Item>();

  /** Runs a plan as the store does: stage, commit (all or nothing, conditions checked), clean up. */
  apply(plan: CommitPlan): void {
    for (const input of plan.stage) this.batchWrite(input);
    this.transact(plan.commit);
    for (const input of plan.cleanUp) this.batchWrite(input);
  }

  /** What a strongly consistent Query of the partition returns: every item, by sort key. */
  query(): Partition {
    const keys = [...this.items.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new Map(keys.map((sk) => [sk, structuredClone(this.items.get(sk)!)]));
  }

  transact(input: TransactWriteCommandInput): void {
    const actions = input.TransactItems ?? [];
    for (const action of actions) {
      const put = action.Put;
      if (!put?.ConditionExpression) continue;
      const existing = this.items.get(String(put.Item!.sk));
      const holds = put.ConditionExpression === 'attribute_not_exists(pk)'
        ? existing === undefined
        : put.ConditionExpression === 'version = :version' && existing?.version === put.ExpressionAttributeValues?.[':version'];
      if (!holds) throw Object.assign(new Error('condition failed'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
    }
    for (const action of actions) {
      if (action.Put) this.items.set(String(action.Put.Item!.sk), action.Put.Item!);
      if (action.Delete) this.items.delete(String(action.Delete.Key!.sk));
    }
  }

  batchWrite(input: BatchWriteCommandInput): void {
    for (const requests of Object.values(input.RequestItems ?? {})) {
      for (const request of requests) {
        if (request.PutRequest) this.items.set(String(request.PutRequest.Item!.sk), request.PutRequest.Item!);
        if (request.DeleteRequest) this.items.delete(String(request.DeleteRequest.Key!.sk));
      }
    }
  }
}
