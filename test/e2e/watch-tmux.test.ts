// `blue dialogue show <id> --watch` in a real terminal: the built bin/blue in a detached tmux pane of a
// temporary project, while the test changes the dialogue with bin/blue commands (round open, outputs,
// ingest, score) and a round run of "another process" writes run.json. Each change must be on the screen
// (tmux capture-pane) within two seconds; at 72 columns no line may be wider; q must end the process
// and give the terminal back. Deadlines, never fixed sleeps. Needs tmux (.ci/run installs it).

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, assertDistCurrent } from '../../scripts/blue.mjs';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';
import { shows, Tmux } from '../support/tmux.js';

const step = it.sequential;

describe('show --watch in a tmux pane', () => {
  let p: Project;
  let tmux: Tmux;
  let id: string;
  let panel: Array<{ name: string; output_file: string }>;
  let sleeper: ChildProcess;

  beforeAll(async () => {
    assertDistCurrent();
    // Stands for a `round run` in another process: alive until the test ends it.
    sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    id = (await p.ok(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--seed', '7', '--panel-size', '4', '--date', '2026-03-01T09:30Z', '--json'])).json.id;
    tmux = new Tmux('watch');
    // The pane's shell says how blue ended, then waits, so that the screen after q can be read. CI is
    // unset: under CI blue (like ink) draws no live view.
    const command = `cd '${p.root}' && env -u CI '${process.execPath}' '${BIN}' dialogue show second-shop --watch; echo "blue exited $?"; exec sleep 600`;
    tmux.run('new-session', '-d', '-s', 'watch', '-x', '100', '-y', '40', command);
  });

  afterAll(() => {
    sleeper?.kill();
    tmux?.close();
  });

  step('draws the dialogue as it stands: no round yet', async () => {
    await tmux.until('the first board', (lines) => lines[0] === 'Second shop?' && shows('no round yet')(lines), 10_000);
    expect(tmux.capture()).toContain('  - no round scored yet');
  });

  step('round open: the panel and its missing outputs appear within two seconds', async () => {
    panel = (await p.ok(['dialogue', 'round', 'open', id, '--json'])).json.panel;
    await tmux.until('the open round', shows('Panel · round 0 (open · 0/4 outputs written, not ingested yet)'));
    expect(tmux.capture()).toContain(`  ${panel[0].name.padEnd(7)}  Head Baker            ○ missing`);
  });

  step('outputs written by the experts: each one seen within two seconds', async () => {
    p.write(panel[0].output_file, '[PERSPECTIVE P01: Rent is the risk]\nRent.\n[TENSION T01: Rent against footfall]\nWhich wins?\n');
    p.write(panel[1].output_file, '[PERSPECTIVE P01: Flour contracts]\nSupply.\n[MOVE:CONVERGE]\n');
    await tmux.until('two outputs written', shows('Panel · round 0 (open · 2/4 outputs written, not ingested yet)'));
  });

  step('round ingest: the tension and who raised it, the outputs read', async () => {
    await p.ok(['dialogue', 'round', 'ingest', id]);
    await tmux.until('the ingested round', (lines) => shows('2/4 outputs written, 2 read')(lines) && shows('  MUFFIN-T01  open      Muffin R0  Rent against footfall')(lines));
    expect(tmux.capture()).toContain('Open tensions (1)');
  });

  step('score: the scoreboard, its chart and the blockers', async () => {
    await p.ok(['dialogue', 'score', id, '--expert', 'Muffin=8,6,5,4', '--expert', 'Cupcake=5,5,5,5', '--expert', 'Scone=0', '--expert', 'Eclair=0']);
    await tmux.until('the scored round', shows('  R0 scored  ■□□□ 1/4 signalled [MOVE:CONVERGE] (25%) · velocity 2'));
    const lines = tmux.capture();
    expect(lines).toContain('Scoreboard   ALIGNMENT █   velocity █');
    expect(lines.some((l) => l.startsWith('  R0      13   11   10    9     43     43  ███'))).toBe(true);
    expect(lines).toContain('Panel · round 0 (scored)');
  });

  step('a round run in another process: its run.json is shown, then stopped when that process is gone', async () => {
    await p.ok(['dialogue', 'round', 'open', id]);
    await tmux.until('round 1 open', shows('Panel · round 1 (open'));
    const now = new Date().toISOString();
    p.write(
      `.blue/dialogues/${id}/round-1/run.json`,
      JSON.stringify({
        dialogue: id,
        round: 1,
        pid: sleeper.pid,
        startedAt: now,
        updatedAt: now,
        experts: [
          { name: 'Muffin', state: 'running', attempt: 1, maxAttempts: 2, startedAt: now },
          { name: 'Cupcake', state: 'failed', attempt: 2, maxAttempts: 2, seconds: 3, error: 'exit 1: quota exceeded' },
          { name: 'Scone', state: 'done', attempt: 1, maxAttempts: 2, seconds: 12 },
          { name: 'Eclair', state: 'waiting', attempt: 0, maxAttempts: 2 },
        ],
      }),
    );
    await tmux.until('the running round run', (lines) => shows(`round run (pid ${sleeper.pid}) running since`)(lines) && shows('● running')(lines));
    expect(tmux.capture().some((l) => l.includes('✗ failed 3s  2 attempts · exit 1: quota exceeded'))).toBe(true);
    sleeper.kill();
    await tmux.until('the stopped round run', shows(`round run (pid ${sleeper.pid}) stopped: its process is gone`));
  });

  step('round run in a second pane: its live view, and the watch following the run', async () => {
    // A real run of round 1 with the fake agent: Cupcake's command fails, the others answer after 2 s.
    const agent = `'${process.execPath}' '${join(REPO, 'test/support/fake-agent.mjs')}'`;
    const command = `cd '${p.root}' && env -u CI FAKE_AGENT_SLEEP=2 FAKE_AGENT_FAIL=Cupcake FAKE_AGENT_STDERR='quota exceeded' '${process.execPath}' '${BIN}' dialogue round run ${id} --agent "${agent}" --retries 0; echo "run exited $?"; exec sleep 600`;
    tmux.run('new-window', '-d', '-t', 'watch', '-n', 'run', command);
    await tmux.until('the run view with experts running', shows('● Muffin'), 10_000, 'watch:run');
    await tmux.until('the watch following the live run', (lines) => shows('round run (pid')(lines) && shows('● running')(lines), 5_000);
    await tmux.until('the run to end', shows('run exited 1'), 20_000, 'watch:run');
    const run = tmux.capture('watch:run');
    expect(run.some((l) => l.includes('✓ Muffin') && l.includes('done'))).toBe(true);
    expect(run.some((l) => l.includes('✗ Cupcake') && l.includes('failed'))).toBe(true);
    await tmux.until('the watch showing the outputs read', shows('3/4 outputs written, 3 read'), 5_000);
  });

  step('fits 72 columns after a resize: no line wider than the window', async () => {
    tmux.run('resize-window', '-t', 'watch', '-x', '72', '-y', '40');
    await tmux.until('the board at 72 columns', (lines) => shows('Round    W    C    T    R  Score  Total  Velocity         Converge')(lines) && lines[0] === 'Second shop?');
    const lines = tmux.capture();
    expect(lines.filter((l) => [...l].length > 72)).toEqual([]);
    expect(lines.some((l) => l.endsWith('…'))).toBe(true);
  });

  step('q quits: the process exits 0 and the terminal is given back', async () => {
    tmux.run('send-keys', '-t', 'watch', 'q');
    await tmux.until('blue to exit', shows('blue exited 0'));
    expect(tmux.capture().some((l) => l.includes('Second shop?'))).toBe(false);
  });
});
