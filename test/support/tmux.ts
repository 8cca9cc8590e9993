// A real terminal for the tests that need one: a detached tmux pane, read with capture-pane. Each Tmux is a
// tmux server of the test's own (its socket in a temporary folder), so no other session is touched. Needs
// tmux (.ci/run installs it).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long a change may take to reach the screen before `until` gives up. */
export const CHANGE_DEADLINE_MS = 2000;

export class Tmux {
  private readonly dir = mkdtempSync(join(tmpdir(), 'blue-tmux-'));
  readonly socket = join(this.dir, 'socket');

  /** `target`: the session (or window) that capture and until read unless told otherwise. */
  constructor(readonly target: string) {}

  run(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** The pane's lines; with `escapes`, the colours and styles on them as escape sequences (capture-pane -e). */
  capture(target = this.target, { escapes = false } = {}): string[] {
    return this.run('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', target).split('\n');
  }

  /** Polls the pane until `check` holds; returns how long it took, or throws with the last screen. */
  async until(what: string, check: (lines: string[]) => boolean, ms = CHANGE_DEADLINE_MS, target = this.target): Promise<number> {
    const t0 = Date.now();
    let lines: string[] = [];
    for (;;) {
      lines = this.capture(target);
      if (check(lines)) return Date.now() - t0;
      if (Date.now() - t0 > ms) throw new Error(`not on the screen within ${ms} ms: ${what}\n--- screen ---\n${lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    try {
      this.run('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A check for `until`: some line holds `text`. */
export const shows = (text: string) => (lines: string[]) => lines.some((line) => line.includes(text));
