// bin/blue in a real terminal (a detached tmux pane), for what only a terminal shows: colour and an empty
// NO_COLOR.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, assertDistCurrent } from '../../scripts/blue.mjs';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';
import { shows, Tmux } from '../support/tmux.js';

const step = it.sequential;

/** A command line for the pane: in the project, CI unset (under CI blue draws no live view). */
const inPane = (p: Project, env: string, args: string) => `cd '${p.root}' && env -u CI ${env} '${process.execPath}' '${BIN}' ${args}`;

describe('bin/blue in a tmux pane', () => {
  let p: Project;
  let tmux: Tmux;

  beforeAll(async () => {
    assertDistCurrent();
    p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    await p.ok(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--seed', '7', '--panel-size', '4', '--date', '2026-03-01T09:30Z']);
    tmux = new Tmux('term');
    tmux.run('new-session', '-d', '-s', 'term', '-x', '100', '-y', '30', 'exec sleep 600');
  });

  afterAll(() => tmux?.close());

  /** Runs `command` in a new window of its own, which stays open once it has ended (for capture-pane). */
  const windowed = (name: string, command: string) => {
    tmux.run('new-window', '-d', '-t', 'term', '-n', name, `${command}; echo "${name} exited $?"; exec sleep 600`);
    return `term:${name}`;
  };

  step('colours its words on a terminal, and an empty NO_COLOR does not turn them off (no-color.org)', async () => {
    const red = '\u001b[31mblue:';
    const empty = windowed('empty', inPane(p, 'NO_COLOR=', 'dialogue show nothing'));
    await tmux.until('the error', shows('empty exited 2'), 10_000, empty);
    expect(tmux.capture(empty, { escapes: true }).some((l) => l.includes(red))).toBe(true);
    const set = windowed('set', inPane(p, 'NO_COLOR=1', 'dialogue show nothing'));
    await tmux.until('the error', shows('set exited 2'), 10_000, set);
    expect(tmux.capture(set).some((l) => l.startsWith('blue: No dialogue'))).toBe(true);
    expect(tmux.capture(set, { escapes: true }).some((l) => l.includes(red))).toBe(false);
  });
});
