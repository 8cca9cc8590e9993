// Where the DynamoDB store is and which key guards it. Light on purpose: the command line reads these
// settings on every command, so this module must never load the AWS SDK (its imports are types only).

import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { badInput } from '../../domain/errors.js';

/** CLI.md's default for --table / BLUE_DYNAMODB_TABLE. */
export const DEFAULT_TABLE = 'blue_dialogues';

/**
 * How long a DynamoDB or KMS request may wait, in seconds, for a connection and then between any two bytes
 * of its answer, before the SDK gives it up (and tries again: three tries in all). The SDK's own default is
 * five minutes of silence a try, so an endpoint that accepts connections and never answers held a git hook
 * or a judge's loop for a quarter of an hour. A healthy table answers in well under a second.
 */
export const DEFAULT_TIMEOUT_SECONDS = 10;
/** A longer wait is a mistake (minutes for hours), not a slow network. */
const MAX_TIMEOUT_SECONDS = 3600;

/** Where the DynamoDB store is and which key guards it, after flag > environment > config > default. */
export interface DynamoTarget {
  table: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  /** The master key file, unless a KMS key is given. */
  keyFile?: string;
  kmsKeyId?: string;
  /**
   * Set when the endpoint is on this machine and no AWS credentials are configured: DynamoDB Local accepts
   * any, so blue gives placeholders instead of failing on a credentials puzzle.
   */
  placeholderCredentials?: boolean;
  /**
   * The request timeout as given (BLUE_DYNAMODB_TIMEOUT or storage.dynamodb.timeout, in seconds) and where
   * it came from. Checked when a DynamoDB store is opened (timeoutMs), so that a mistake in it never stops
   * a command on the file store.
   */
  timeout?: { value: unknown; from: string };
}

/** Whether an endpoint is this machine (DynamoDB Local), by its host name. */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** The request timeout of a target in milliseconds: DEFAULT_TIMEOUT_SECONDS unless one is given. */
export function timeoutMs(target: DynamoTarget): number {
  if (!target.timeout) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const { value, from } = target.timeout;
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw badInput('invalid_option', `${from} must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (got ${JSON.stringify(value)})`, {
      setting: from,
      fix: `set ${from} to how many seconds a DynamoDB request may go unanswered (default ${DEFAULT_TIMEOUT_SECONDS}), or remove it`,
    });
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/**
 * The options of the SDK's HTTP handler for a target: how long to wait for a connection, and then for each
 * part of the answer. The AWS clients build their own handler from these (blue never loads the SDK here).
 */
export function requestHandlerOptions(target: DynamoTarget): { connectionTimeout: number; socketTimeout: number } {
  const ms = timeoutMs(target);
  return { connectionTimeout: ms, socketTimeout: ms };
}

/** The SDK client configuration for a target. An unset endpoint means real AWS, never a silent localhost. */
export function clientConfig(target: DynamoTarget): DynamoDBClientConfig {
  const config: DynamoDBClientConfig & { profile?: string } = { requestHandler: requestHandlerOptions(target) };
  if (target.endpoint) config.endpoint = target.endpoint;
  if (target.region) config.region = target.region;
  else if (target.endpoint) config.region = 'us-east-1'; // a local endpoint needs some region; AWS ignores none
  if (target.profile) config.profile = target.profile;
  // Letters and digits only: DynamoDB Local refuses access key ids with anything else.
  if (target.placeholderCredentials) config.credentials = { accessKeyId: 'blueLocal', secretAccessKey: 'blueLocal' };
  return config;
}
