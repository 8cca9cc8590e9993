// The options every command takes, before the group or after the command (src/cli/program.ts declares
// them on the program); here, beside the commands, so that shell completion offers them too.

import type { OptionSpec } from './spec.js';

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--root <dir>', description: 'project root (default: nearest folder with .blue/, else the git top-level, else the working directory)' },
  { flags: '--store <kind>', description: 'store behind the command: file (default) or dynamodb (also BLUE_STORE, .blue/config.yaml)', choices: ['file', 'dynamodb'] },
  { flags: '--endpoint <url>', description: 'DynamoDB endpoint (BLUE_DYNAMODB_ENDPOINT; unset means AWS itself)' },
  { flags: '--table <name>', description: 'DynamoDB table (BLUE_DYNAMODB_TABLE; default blue_dialogues)' },
  { flags: '--region <region>', description: 'AWS region (AWS_REGION)' },
  { flags: '--profile <name>', description: 'AWS profile (AWS_PROFILE)' },
  { flags: '--key-file <path>', description: 'master key file for client-side encryption (BLUE_KEY_FILE)' },
  { flags: '--kms-key-id <id>', description: 'AWS KMS key that wraps the data keys instead of a key file (BLUE_KMS_KEY_ID)' },
  { flags: '--json', description: 'machine output: one JSON document on stdout' },
  { flags: '--no-color', description: 'no colour (also NO_COLOR)' },
];
