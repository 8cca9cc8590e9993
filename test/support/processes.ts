// Looking at processes from a test: whether an agent (or the grandchild it started) is still there, and
// the fake agent's own records (test/support/fake-agent.mjs) of what it was given and which pids it had.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `node <fake-agent.mjs>`: the command line of the fake agent, as --agent or agent.command takes it. */
export const FAKE_AGENT = `node ${fileURLToPath(new URL('./fake-agent.mjs', import.meta.url))}`;

/**
 * Whether a process is still running. A zombie is not: nobody reaps an orphan on some machines (PID 1 is
 * not always an init), and its entry stays in /proc with state Z although it will never run again.
 */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids the fake agent recorded for an expert (itself, and a grandchild when it hangs), in `root`. */
export function fakeAgentPids(root: string, name: string, state = '.fake-agent'): number[] {
  const file = join(root, state, `${name.toLowerCase()}.pids`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

/** What the fake agent recorded of one attempt: argv, cwd, the BLUE_* variables, the prompt it read. */
export function fakeAgentRecord(root: string, name: string, { round = 0, attempt = 1, state = '.fake-agent' } = {}): { argv: string[]; cwd: string; pid: number; prompt: string; env: Record<string, string> } {
  return JSON.parse(readFileSync(join(root, state, `r${round}-${name.toLowerCase()}.${attempt}.json`), 'utf8'));
}

/** Waits until `check` holds (polling), or fails after `ms` naming `what`. */
export async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
