// Whether a process of this machine is still running: for a run.json that names the blue running a round
// (`round run` refuses to start a second; `show --watch` shows a dead run as stopped).

import { readFileSync } from 'node:fs';

/** Signal 0 checks without signalling: ESRCH is gone, EPERM alive but another user's. A zombie is not alive. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers kill(0): on Linux its state in /proc says it is dead.
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
