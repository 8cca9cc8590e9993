// bin/blue in a real terminal (a detached tmux pane), for what only a terminal shows: colour and an empty
// NO_COLOR, `round run`'s live view on Ctrl-C, and a terminal that goes away under a run (the pane killed,
// as a closed window or a dropped SSH session would: SIGHUP, and every later write to it fails with EIO).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, assertDistCurrent } from '../../scripts/blue.mjs';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';
import { ID } from '../support/dialogue-factory.js';
import { FAKE_AGENT, fakeAgentPids, isRunning, waitFor } from '../support/processes.js';
import { shows, Tmux } from '../support/tmux.js';

const DIR = `.blue/dialogues/${ID}`;
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
    await p.ok(['dialogue', 'round', 'open', ID]);
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

  step("Ctrl-C under round run's live view: blue's notice above the final frame, no line of the old one left", async () => {
    // The answer on stdout goes elsewhere, so that the top of the screen is the view's.
    const run = windowed('ctrlc', `${inPane(p, 'FAKE_AGENT_HANG=Scone', `dialogue round run ${ID} --agent "${FAKE_AGENT}" --expert Scone`)} > /dev/null`);
    await tmux.until('the live view', shows('● Scone'), 10_000, run);
    await waitFor(() => fakeAgentPids(p.root, 'Scone').length === 2, 'the agent and its grandchild');
    tmux.run('send-keys', '-t', run, 'C-c');
    await tmux.until('blue to end', shows('ctrlc exited 130'), 10_000, run);
    const lines = tmux.capture(run);
    expect(lines.slice(0, 2)).toEqual(['blue: SIGINT: stopping the agents; the round stays open', 'round run  4/4 finished · 1 failed · 3 skipped']);
    expect(lines[4]).toMatch(/^ {2}✗ Scone +failed .* interrupted/);
    expect(lines.filter((line) => line.startsWith('round run '))).toHaveLength(1);
  });

  step('a terminal closed under round run: every agent stopped, its old output put back, run.json finished', async () => {
    // blue is the pane's session leader, as a login shell's job is its foreground group: the kernel sends it
    // SIGHUP when the terminal goes, and its writes to the terminal fail with EIO from then on.
    p.write(`${DIR}/round-0/muffin.md`, '[PERSPECTIVE P01: the answer before]\nKept.\n');
    const env = 'FAKE_AGENT_HANG=Muffin,Cupcake FAKE_AGENT_IGNORE_TERM=1';
    const run = `dialogue round run ${ID} --agent "${FAKE_AGENT}" --expert Muffin --expert Cupcake --rerun`;
    tmux.run('new-session', '-d', '-s', 'hangup', '-x', '100', '-y', '30', inPane(p, env, run).replace('&& env', '&& exec env'));
    await tmux.until('the live view, both running', (lines) => shows('● Muffin')(lines) && shows('● Cupcake')(lines), 10_000, 'hangup');
    await waitFor(() => fakeAgentPids(p.root, 'Muffin').length === 2 && fakeAgentPids(p.root, 'Cupcake').length === 2, 'the agents and their grandchildren');
    const agents = [...fakeAgentPids(p.root, 'Muffin'), ...fakeAgentPids(p.root, 'Cupcake')];
    const blue = JSON.parse(p.read(`${DIR}/round-0/run.json`)).pid as number;
    expect([blue, ...agents].every(isRunning)).toBe(true);
    tmux.run('kill-session', '-t', 'hangup');
    // The agents ignore SIGTERM: SIGKILL follows 5 s later, and only then does blue end.
    await waitFor(() => !isRunning(blue), 'blue to end', 15_000);
    for (const pid of agents) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    expect(JSON.parse(p.read(`${DIR}/round-0/run.json`))).toMatchObject({ interrupted: true, finishedAt: expect.any(String) });
    expect(p.read(`${DIR}/round-0/muffin.md`)).toBe('[PERSPECTIVE P01: the answer before]\nKept.\n');
    expect(p.exists(`${DIR}/round-0/cupcake.md`)).toBe(false);
  }, 30_000);
});
