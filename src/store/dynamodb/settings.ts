// Where the DynamoDB store is and which key guards it. Light on purpose: the command line reads these
// settings on every command, so this module must never load the AWS SDK (its imports are types only).

import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** CLI.md's default for --table / BLUE_DYNAMODB_TABLE. */
export const DEFAULT_TABLE = 'blue_dialogues';

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

/** The SDK client configuration for a target. An unset endpoint means real AWS, never a silent localhost. */
export function clientConfig(target: DynamoTarget): DynamoDBClientConfig {
  const config: DynamoDBClientConfig & { profile?: string } = {};
  if (target.endpoint) config.endpoint = target.endpoint;
  if (target.region) config.region = target.region;
  else if (target.endpoint) config.region = 'us-east-1'; // a local endpoint needs some region; AWS ignores none
  if (target.profile) config.profile = target.profile;
  // Letters and digits only: DynamoDB Local refuses access key ids with anything else.
  if (target.placeholderCredentials) config.credentials = { accessKeyId: 'blueLocal', secretAccessKey: 'blueLocal' };
  return config;
}
