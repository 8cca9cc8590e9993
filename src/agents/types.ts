// The agent runner port: what `round run` (src/app/round-run.ts) asks of the agent command-line tools,
// and what it gets back. src/agents/runner.ts implements it with child processes; the use case sees
// only these types, so scheduling, retries and the output decision stay testable and free of Node.

/** What `.blue/config.yaml`'s `agent:` section says; each key unset when it says nothing. */
export interface AgentConfig {
  /** A command line, or a preset name (`claude`, `codex`, `gemini`, `llm`). */
  command?: string;
  parallel?: number;
  /** Seconds per attempt. */
  timeout?: number;
  retries?: number;
}

/** `--agent` (or `agent.command`) as it will run: a preset's command line, or the command as given. */
export interface ResolvedAgent {
  command: string;
  /** The preset's name, when the agent named one. */
  preset?: string;
}

/** One attempt of one expert: a command line, run by `sh -c` in the project root. */
export interface AgentRequest {
  command: string;
  /** Added to the runner's environment (BLUE_DIALOGUE, BLUE_ROUND, BLUE_EXPERT, BLUE_PROMPT_FILE, BLUE_OUTPUT_FILE). */
  env: Record<string, string>;
  /** Written to the command's stdin, which is then closed. */
  stdin: string;
  timeoutMs: number;
  /** Stops the command (its whole process group) when aborted. */
  signal?: AbortSignal;
}

/** What a stream said, kept within the capture limit (an agent printing forever cannot exhaust memory). */
export interface CapturedText {
  /** The first `limit` bytes, as text. */
  text: string;
  /** Every byte the stream carried, kept or not. */
  bytes: number;
  /** Whether bytes past the limit were dropped. */
  truncated: boolean;
  /** When truncated: the last bytes of the stream (after the dropped middle), so the log shows how it ended. */
  tail: string;
  /**
   * The first `limit` bytes as they came, when they are not all UTF-8 (`text` has U+FFFD in their place):
   * stdout that becomes an expert's output is written as these bytes, so ingest can say what it read.
   */
  raw?: Uint8Array;
}

export type AgentOutcome =
  /** The command exited by itself (any status, or a signal nobody here sent). */
  | 'exited'
  /** It ran past its timeout and its process group was stopped. */
  | 'timeout'
  /** The request's signal was aborted (Ctrl-C, SIGTERM, SIGHUP) and its process group was stopped. */
  | 'aborted'
  /** `sh` itself could not be started. */
  | 'spawn_failed';

export interface AgentResult {
  outcome: AgentOutcome;
  /** The exit status, or null when a signal ended it (or it never started). */
  exitCode: number | null;
  /** The signal that ended it, if one did. */
  signal: string | null;
  /** The strongest signal blue sent its process group: SIGKILL once SIGTERM was not enough. */
  killedWith?: 'SIGTERM' | 'SIGKILL';
  stdout: CapturedText;
  stderr: CapturedText;
  /** Wall time of the attempt. */
  ms: number;
  /** The command closed its stdin before reading all of the prompt (EPIPE): not an error in itself. */
  stdinUnread?: boolean;
  /** Why it could not start (outcome spawn_failed). */
  error?: string;
}

export interface AgentRunner {
  /** `.blue/config.yaml`'s `agent:` section; an invalid value throws (exit 2, naming the key). */
  config(): AgentConfig;
  /** A preset name's command line, or `agent` as given. */
  resolve(agent: string): ResolvedAgent;
  /** Runs one attempt; resolves once its process group is gone (or was sent SIGKILL). Never rejects. */
  run(request: AgentRequest): Promise<AgentResult>;
  /** How many bytes of each stream an attempt keeps (the output limit: stdout may become the output). */
  readonly captureBytes: number;
  /** This process: the parent of every agent it starts, written in run.json. */
  readonly pid: number;
}
