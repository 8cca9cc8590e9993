import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local (java) for the whole run; its endpoint reaches tests via inject('dynamodbEndpoint').
    globalSetup: ['test/support/dynamodb-local.ts'],
    testTimeout: 20_000,
    // blue pins AWS SDK versions that run on Node 20; their notice that later ones will not is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 30_000,
  },
});
