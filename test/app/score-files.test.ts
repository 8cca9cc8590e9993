// `score` writes only the judge files whose content changed: a dialogue of many rounds does not rewrite
// (and fsync) every round's summary each time, and what it writes is still exactly what the store says.

import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { judgeFiles } from '../../src/app/judge-files.js';
import { parseScore } from '../../src/domain/scoring.js';
import type { TensionDecision } from '../../src/domain/protocol.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';

/** A project whose workspace records the paths of every file it writes. */
async function recorded() {
  const p = testProject();
  const written: string[] = [];
  const write = p.ports.workspace.write.bind(p.ports.workspace);
  p.ports.workspace.write = async (files) => {
    written.push(...files.map((f) => f.path));
    return write(files);
  };
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Many rounds', pool: 'pool.yaml', panelSize: 3, seed: 3 });
  const id = dialogue.id;
  const dir = `.blue/dialogues/${id}`;
  /** Opens, ingests and scores the next round; returns what the score wrote. */
  const round = async (text: (name: string, n: number) => string, decisions: TensionDecision[] = []) => {
    const opened = await roundOpen(p.ports, { id });
    for (const m of opened.panel) p.write(m.output_file, text(m.name, opened.round));
    await roundIngest(p.ports, id);
    written.length = 0;
    await score(p.ports, { id, scores: opened.panel.map((m) => [m.name, parseScore('3,3,3,3', m.name)]), judge: {}, decisions });
    return [...written].sort();
  };
  return { p, id, dir, written, round };
}

const raising = (name: string, n: number) => `[PERSPECTIVE P01: ${name} in ${n}]\nWhy.\n\n[TENSION T01: ${name}'s worry ${n}]\nBecause.\n`;

describe('score and the judge files', () => {
  it('rewrites the scoreboard, the tensions and the new summary, not the summaries that stay the same', async () => {
    const { p, id, dir, round } = await recorded();
    expect(await round(raising)).toEqual([`${dir}/round-0.summary.md`, `${dir}/scoreboard.md`, `${dir}/tensions.md`]);
    await round(raising);
    expect(await round(raising)).toEqual([`${dir}/round-2.summary.md`, `${dir}/scoreboard.md`, `${dir}/tensions.md`]);
    // Every judge file on disk is what the store says, written or kept.
    for (const file of judgeFiles(p.stored(id))) expect(p.read(file.path)).toBe(file.content);
  });

  it('keeps a summary that a CRLF checkout (git on Windows) changed only in its line ends', async () => {
    const { p, dir, round } = await recorded();
    await round(raising);
    await round(raising);
    const summary = `${dir}/round-0.summary.md`;
    const crlf = p.read(summary).replace(/\n/g, '\r\n');
    p.write(summary, crlf);
    expect(await round(raising)).toEqual([`${dir}/round-2.summary.md`, `${dir}/scoreboard.md`, `${dir}/tensions.md`]);
    expect(p.read(summary)).toBe(crlf);
  });

  it('writes a summary again that was deleted or edited by hand', async () => {
    const { p, id, dir, round } = await recorded();
    await round(raising);
    await round(raising);
    p.write(`${dir}/round-0.summary.md`, 'edited by hand\n');
    rmSync(`${p.root}/${dir}/round-1.summary.md`);
    expect(await round(raising)).toEqual([`${dir}/round-0.summary.md`, `${dir}/round-1.summary.md`, `${dir}/round-2.summary.md`, `${dir}/scoreboard.md`, `${dir}/tensions.md`]);
    for (const file of judgeFiles(p.stored(id))) expect(p.read(file.path)).toBe(file.content);
  });

  it('re-scoring an earlier round rewrites the summaries its decisions change', async () => {
    const { p, id, dir, round, written } = await recorded();
    await round(raising);
    await round(raising);
    const d = p.stored(id);
    const first = d.tensions[0].id;
    written.length = 0;
    await score(p.ports, { id, round: 0, scores: d.rounds[0].panel.map((m: any) => [m.name, parseScore('3,3,3,3', m.name)]), judge: {}, decisions: [{ tension: first, to: 'resolved', note: 'settled on re-score' }] });
    // Round 0's open tensions fell by one, and so did round 1's (the tension stays resolved).
    expect([...written].sort()).toEqual([`${dir}/round-0.summary.md`, `${dir}/round-1.summary.md`, `${dir}/scoreboard.md`, `${dir}/tensions.md`]);
    for (const file of judgeFiles(p.stored(id))) expect(p.read(file.path)).toBe(file.content);
  });
});
