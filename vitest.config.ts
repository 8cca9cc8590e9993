import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // dist/ brought up to date once (the e2e tests run bin/blue), then one DynamoDB Local (java) for the
    // whole run; its endpoint reaches tests via inject('dynamodbEndpoint').
    globalSetup: ['test/support/dist-current.ts', 'test/support/dynamodb-local.ts'],
    // Vitest's default is one worker fewer than the cores: on the 2-core machines CI and the team use, that
    // runs every file one after another. Most of the suite waits on child processes and DynamoDB Local.
    maxWorkers: 2,
    testTimeout: 20_000,
    // blue pins AWS SDK versions that run on Node 20; their notice that later ones will not is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 30_000,
  },
});
