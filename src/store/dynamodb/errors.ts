// What the DynamoDB store makes of the SDK's errors: a failed condition (someone else wrote first) is a
// Conflict the store retries or reports; anything else from the SDK is exit 1 with what to check.

import { BlueError, failure } from '../../domain/errors.js';
import { errorName } from '../../platform/errors.js';

/** Thrown inside a write when meta's version moved on: the write is retried on the new version. */
export class Conflict extends Error {}

/** Whether a write failed on its condition, or on another transaction writing the same items at once. */
export function isConditionalFailure(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'ConditionalCheckFailedException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  // TransactionConflict: another transaction was writing the same items at that moment; like a failed
  // version check, it means "read again and retry".
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict');
}

/** SDK errors become exit 1 with what to check; blue's own errors (and a Conflict) pass unchanged. */
export function asStoreError(error: unknown, store: { table: string; endpoint?: string; timeoutMs?: number }, id?: string): unknown {
  if (error instanceof BlueError || error instanceof Conflict) return error;
  const { table, endpoint } = store;
  if (errorName(error) === 'ResourceNotFoundException') {
    return failure('table_not_found', `DynamoDB table ${table} does not exist; run \`blue store init\` first.`, { table, id, fix: 'blue store init (with the same --table and --endpoint)' });
  }
  const where = endpoint ? `DynamoDB at ${endpoint}` : 'DynamoDB (AWS)';
  return sdkFailure(error, `use table ${table} on ${where}`, store, { id });
}

/**
 * An SDK error as blue says it, exit 1: `Cannot <doing>: <the SDK's message>. <what to do>`, the error's
 * name in the details, with its own code where explainSdkError knows the error (`unexplained` otherwise).
 */
export function sdkFailure(
  error: unknown,
  doing: string,
  store: { table: string; endpoint?: string; timeoutMs?: number },
  { id, unexplained = 'store_unreachable' }: { id?: string; unexplained?: string } = {},
): BlueError {
  const { table, endpoint, timeoutMs } = store;
  const name = errorName(error) ?? 'Error';
  const message = (error as Error)?.message ?? String(error);
  const { code, hint } = explainSdkError(error, endpoint, timeoutMs);
  // The SDK's messages sometimes end in a full stop of their own.
  return failure(hint ? code : unexplained, `Cannot ${doing}: ${message.replace(/\.$/, '')}.${hint ? ` ${hint}` : ''}`, {
    table,
    ...(id !== undefined ? { id } : {}),
    error: name,
    ...(endpoint ? { endpoint } : {}),
    fix: hint || 'check the DynamoDB endpoint, region and credentials, then run the command again',
  });
}

/**
 * What a newcomer needs to hear about the SDK errors they meet first: no credentials, no region, nothing
 * listening at the endpoint. Each gets its own code and the fix.
 */
export function explainSdkError(error: unknown, endpoint?: string, timeoutMs?: number): { code: string; hint: string } {
  const name = errorName(error) ?? 'Error';
  const message = (error as Error)?.message ?? String(error);
  const errno = (error as { code?: string })?.code ?? '';
  if (name === 'TimeoutError' || errno === 'ETIMEDOUT') {
    // Something took the connection (or the address drops it) and never answered: a different fix from
    // nothing listening at all.
    // The SDK tries three times unless AWS_MAX_ATTEMPTS says otherwise, so the count is not named.
    const wait = timeoutMs === undefined ? '' : ` within ${timeoutMs / 1000} s`;
    return {
      code: 'store_unreachable',
      hint: `${endpoint ? `${endpoint} did not answer` : 'AWS DynamoDB did not answer'}${wait} on any of its tries: check that it is up and that nothing between stalls it (a proxy, a firewall, a paused container). BLUE_DYNAMODB_TIMEOUT or storage.dynamodb.timeout sets the wait, in seconds.`,
    };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return {
      code: 'credentials_missing',
      hint: 'Give AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile / AWS_PROFILE (an endpoint on localhost gets placeholder credentials).',
    };
  }
  if (/Region is missing/i.test(message)) {
    return { code: 'region_missing', hint: 'Name the AWS region: --region <region>, AWS_REGION, or storage.dynamodb.region in .blue/config.yaml.' };
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH'].includes(errno) || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    return {
      code: 'store_unreachable',
      hint: endpoint
        ? `Nothing answers at ${endpoint}: start DynamoDB Local (\`npm run dynamodb\` in a clone of blue starts the bundled one on port 8000), or fix --endpoint / BLUE_DYNAMODB_ENDPOINT.`
        : 'AWS DynamoDB did not answer: check the network and --region, or give --endpoint for DynamoDB Local.',
    };
  }
  return { code: 'store_unreachable', hint: '' };
}
