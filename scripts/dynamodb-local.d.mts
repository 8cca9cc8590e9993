// Types of dynamodb-local.mjs (plain JavaScript, so that the bench runs it with node alone).

import type { ChildProcess } from 'node:child_process';

export declare const JAVA_HINT: string;

/** Whether `java` can be run at all. */
export declare function hasJava(): boolean;

/** The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/; throws when the package is not installed. */
export declare function findJarDirectory(): string;

export interface DynamoDBLocal {
  endpoint: string;
  child: ChildProcess;
  /** Milliseconds from the start until it answered. */
  readyMs: number;
  /** SIGTERM, then SIGKILL; resolves once java is gone. */
  stop(): Promise<void>;
}

/** Starts DynamoDB Local (in memory on a free port, unless given a port and a folder) and resolves once it answers. */
export declare function startDynamoDBLocal(options?: { port?: number; dbPath?: string }): Promise<DynamoDBLocal>;

/** Resolves once DynamoDB at `endpoint` answers; with a child, fails at once if it cannot start. */
export declare function waitUntilServing(endpoint: string, child?: ChildProcess, output?: () => string): Promise<void>;
