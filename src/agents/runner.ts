// The agent runner on this machine: child processes in the project root, with the environment blue was
// started with. The composition root (src/cli/context.ts) builds it; so does the test harness.

import { resolveAgent } from './presets.js';
import { runInProcessGroup } from './spawn.js';
import type { AgentConfig, AgentRequest, AgentResult, AgentRunner, ResolvedAgent } from './types.js';

/** SIGTERM, then SIGKILL this much later (CLI.md: 5 s). */
export const KILL_GRACE_MS = 5000;

export interface ProcessAgentRunnerOptions {
  /** The project root: where every command runs. */
  root: string;
  /** The environment every command inherits (blue's own). */
  env: NodeJS.ProcessEnv;
  /** Bytes of each stream kept per attempt. */
  captureBytes: number;
  /** `.blue/config.yaml`'s `agent:` section, read (and checked) when a run asks for it. */
  config: () => AgentConfig;
  killGraceMs?: number;
}

export class ProcessAgentRunner implements AgentRunner {
  readonly pid = process.pid;
  readonly captureBytes: number;

  constructor(private readonly options: ProcessAgentRunnerOptions) {
    this.captureBytes = options.captureBytes;
  }

  config(): AgentConfig {
    return this.options.config();
  }

  resolve(agent: string): ResolvedAgent {
    return resolveAgent(agent);
  }

  run(request: AgentRequest): Promise<AgentResult> {
    return runInProcessGroup({
      command: request.command,
      cwd: this.options.root,
      env: { ...this.options.env, ...request.env },
      stdin: request.stdin,
      timeoutMs: request.timeoutMs,
      captureBytes: this.captureBytes,
      killGraceMs: this.options.killGraceMs ?? KILL_GRACE_MS,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }
}
