// Opening the DynamoDB store from the command line's settings: the client, then the key that guards the
// table (a KMS key, or the master key file). Loaded only on DynamoDB paths.

import { clientConfig, requestHandlerOptions, type DynamoTarget } from './settings.js';
import { ensureMasterKeyFile, openKmsWrapper, readMasterKeyFile, defaultKeyFilePath, type KeyWrapper } from '../crypto/keys.js';
import { openDynamoStores, type DynamoStore } from './store.js';
import type { Stores } from '../types.js';

// The SDK warns in every process that its releases after January 2027 need Node 22; blue's lock file pins
// releases that run on Node 20, so on stderr of every hook and judge call the notice would only be noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export function keyFileOf(target: DynamoTarget): string {
  return target.keyFile ?? defaultKeyFilePath();
}

/** The key wrapper: KMS when a KMS key id is set, else the master key file (created only by `store init`). */
export async function keyWrapperOf(target: DynamoTarget, options: { create?: boolean } = {}): Promise<{ wrapper: KeyWrapper; created?: boolean }> {
  if (target.kmsKeyId) {
    return { wrapper: await openKmsWrapper(target.kmsKeyId, { region: target.region, profile: target.profile, requestHandler: requestHandlerOptions(target) }) };
  }
  const file = keyFileOf(target);
  if (options.create) return ensureMasterKeyFile(file);
  return { wrapper: await readMasterKeyFile(file) };
}

export async function openDynamoTarget(
  target: DynamoTarget,
  options: { create?: boolean; wrapper?: KeyWrapper } = {},
): Promise<Stores & { dynamo: DynamoStore; close(): Promise<void> }> {
  // The settings first: a wrong timeout is reported as such, before a key file is looked for.
  const client = clientConfig(target);
  const wrapper = options.wrapper ?? (await keyWrapperOf(target, options)).wrapper;
  const stores = await openDynamoStores({ table: target.table, client, wrapper });
  if (process.env.BLUE_REPORT_REQUESTS) {
    // Shows what a command cost in DynamoDB requests (the bench reads this line); stderr, never stdout.
    const close = stores.close;
    stores.close = async () => {
      const counts = [...stores.dynamo.requests].map(([name, count]) => `${name}=${count}`).join(' ');
      process.stderr.write(`blue: dynamodb requests: ${counts || 'none'}; ${Math.round(stores.dynamo.requestMs)} ms under way\n`);
      await close?.();
    };
  }
  return stores;
}
