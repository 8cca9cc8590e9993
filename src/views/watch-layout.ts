// The board `show --watch` draws, laid out for a window of `columns` x `rows`: the header, the scoreboard
// with its trend, convergence, open tensions, the current panel and the latest events, each section cut
// down (with "… n more") so that the whole fits the window's height; the ink view truncates each line to
// the width. Pure: the model (render/watch.ts) already holds the times.

import { scoreWithParts } from '../render/common.js';
import type { PanelEntry, WatchModel } from '../render/watch.js';
import { bar, clockTime, meter, RUN_STATE, runDetails, seg, sparkline, wrapWords, type Line } from './format.js';

export interface WatchLayoutOptions {
  columns: number;
  rows: number;
  /** Whether `q` is read (stdin is a terminal); otherwise Ctrl-C is how to quit. */
  keys: boolean;
}

interface Section {
  name: 'scoreboard' | 'convergence' | 'tensions' | 'panel' | 'events';
  lines: Line[];
  /** Lines that must stay (a heading); the rest may be cut from the end, behind a "… n more" line. */
  keep: number;
  /** The smallest number of body lines worth showing before the section is cut to its heading. */
  min: number;
  /** Cut from the start instead (the scoreboard keeps its latest rounds). */
  fromStart?: boolean;
}

/** The board as lines, no more of them than the window holds (one row stays free so ink never scrolls). */
export function watchLines(model: WatchModel, options: WatchLayoutOptions): Line[] {
  const height = Math.max(1, options.rows - 1);
  const header = headerLines(model, options.columns);
  const footer: Line = [seg(`${options.keys ? 'q quits' : 'Ctrl-C quits'} · updated ${clockTime(model.at)}`, 'dim')];
  const sections = [
    scoreboardSection(model, options.columns),
    convergenceSection(model, options.columns),
    tensionsSection(model),
    panelSection(model),
    eventsSection(model),
  ].filter((section) => section.lines.length > 0);
  const [scoreboard, convergence, tensions, panel, events] = ['scoreboard', 'convergence', 'tensions', 'panel', 'events'].map((name) => sections.findIndex((x) => x.name === name));

  const full = sections.map((x) => x.lines.length - x.keep);
  const bodies = [...full];
  // A blank row before each section and before the footer; dropped from the bottom up when rows run short.
  let blanks = sections.length + 1;
  const total = () => header.length + blanks + 1 + sections.reduce((sum, x, i) => sum + x.keep + shown(bodies[i], full[i]), 0);
  const cut = (i: number) => {
    const excess = total() - height;
    if (i < 0 || excess <= 0 || full[i] === 0) return;
    // The most rows this section's body may take; its "… n more" line takes one of them.
    const body = Math.max(0, full[i] - excess - 1);
    bodies[i] = body < sections[i].min ? 0 : body;
  };
  // When the window is short, what matters least goes first: old events, tensions, the panel, then the
  // blank rows, and only then old rounds and the convergence blockers.
  for (const i of [events, tensions, panel]) cut(i);
  while (total() > height && blanks > 0) blanks--;
  for (const i of [scoreboard, convergence]) cut(i);

  const lines: Line[] = [...header];
  for (const [i, x] of sections.entries()) {
    if (i < blanks) lines.push([]);
    lines.push(...x.lines.slice(0, x.keep));
    const body = x.lines.slice(x.keep);
    if (bodies[i] >= full[i]) lines.push(...body);
    else {
      lines.push(...(x.fromStart ? body.slice(full[i] - bodies[i]) : body.slice(0, bodies[i])));
      lines.push([seg(`  … ${full[i] - bodies[i]} more${x.fromStart ? ' earlier' : ''}`, 'dim')]);
    }
  }
  if (sections.length < blanks) lines.push([]);
  // A window too short even for the headings: the bottom goes, the footer stays.
  return lines.length + 1 > height ? [...lines.slice(0, height - 1), footer] : [...lines, footer];
}

/** How many lines a section body of `full` lines takes when `n` of them are shown. */
function shown(n: number, full: number): number {
  return n >= full ? full : n + 1;
}

function headerLines(model: WatchModel, columns: number): Line[] {
  const state = model.ending ?? (model.openRound !== undefined ? `round ${model.openRound} open` : model.rounds ? 'between rounds' : 'no round yet');
  const tone = model.status === 'converged' ? 'good' : model.status === 'abandoned' ? 'bad' : 'accent';
  const lines: Line[] = [
    [seg(model.title, 'title')],
    [
      seg(`${model.id} · `, 'dim'),
      seg(state, tone),
      seg(` · ${model.rounds} round${model.rounds === 1 ? '' : 's'} · ALIGNMENT ${scoreWithParts(model.alignment)}`, 'dim'),
    ],
  ];
  if (model.problem) {
    for (const text of wrapWords(`! ${model.problem.message} (showing what was read before)`, Math.max(20, columns))) lines.push([seg(text, 'bad')]);
  }
  return lines;
}

function scoreboardSection(model: WatchModel, columns: number): Section {
  const rows = model.scoreboard;
  if (!rows.length) return { name: 'scoreboard', lines: [], keep: 0, min: 0 };
  // The bar takes what the window has beyond the figures (62 columns), between 6 and 24 cells.
  const barWidth = Math.max(6, Math.min(24, columns - 62));
  const maxVelocity = Math.max(1, ...rows.map((r) => r.velocity));
  const num = (v: number | null, width: number) => String(v ?? '—').padStart(width);
  const trend: Line = [
    seg('Scoreboard', 'heading'),
    seg('   ALIGNMENT ', 'dim'),
    seg(sparkline(rows.map((r) => r.score.total)), 'accent'),
    seg('   velocity ', 'dim'),
    seg(sparkline(rows.map((r) => r.velocity)), 'warn'),
  ];
  const head: Line = [seg(`  Round    W    C    T    R  Score  Total  ${'Velocity'.padEnd(barWidth + 5)}  Converge`, 'dim')];
  const body = rows.map((r): Line => [
    seg(`  ${`R${r.round}`.padEnd(5)}${num(r.score.w, 5)}${num(r.score.c, 5)}${num(r.score.t, 5)}${num(r.score.r, 5)}${num(r.score.total, 7)}${num(r.cumulative, 7)}  `),
    seg(bar(r.velocity, maxVelocity, barWidth), r.velocity === 0 ? 'good' : 'warn'),
    seg(`${num(r.velocity, 4)}${r.overridden ? '*' : ' '}  `),
    seg(`${`${r.convergeSignals}/${r.panelSize}`.padStart(5)} ${`${r.convergePercent}%`.padStart(4)}`, r.convergePercent === 100 ? 'good' : 'plain'),
    ...(r.label ? [seg(`  ${r.label}`, 'dim')] : []),
  ]);
  const note: Line[] = rows.some((r) => r.overridden) ? [[seg('  * a judge override: `blue dialogue show` gives both counts', 'dim')]] : [];
  return { name: 'scoreboard', lines: [trend, head, ...body, ...note], keep: 2, min: 1, fromStart: true };
}

function convergenceSection(model: WatchModel, columns: number): Section {
  const c = model.convergence;
  const lines: Line[] = [[seg('Convergence', 'heading')]];
  if (c.scored) {
    lines.push([
      seg(`  R${c.scored.round} scored  `),
      seg(meter(c.scored.signals, c.scored.panelSize, 12), c.scored.percent === 100 ? 'good' : 'warn'),
      seg(` ${c.scored.signals}/${c.scored.panelSize} signalled [MOVE:CONVERGE] (${c.scored.percent}%) · velocity ${c.scored.velocity}`),
    ]);
  }
  if (c.open) {
    const pct = c.open.panelSize ? Math.round((c.open.signals / c.open.panelSize) * 100) : 0;
    lines.push([
      seg(`  R${c.open.round} open    `),
      seg(meter(c.open.signals, c.open.panelSize, 12), pct === 100 ? 'good' : 'dim'),
      seg(c.open.ingested ? ` ${c.open.signals}/${c.open.panelSize} so far (${pct}%), as ingested` : ' not ingested yet', 'dim'),
    ]);
  }
  if (model.status === 'converged') lines.push([seg(`  ✓ ${model.ending}: final verdict recorded`, 'good')]);
  else if (model.status === 'abandoned') lines.push([seg(`  ■ ${model.ending}`, 'bad')]);
  else if (c.canConverge) lines.push([seg('  ✓ may converge: record the final verdict', 'good')]);
  else {
    // Whole, on as many lines as they need: the holdouts' names are at the end.
    for (const blocker of c.blockers) {
      wrapWords(blocker, Math.max(20, columns - 4)).forEach((text, i) => lines.push([seg(i === 0 ? '  - ' : '    ', 'warn'), seg(text)]));
    }
  }
  for (const v of model.verdicts.filter((v) => v.type !== 'final')) lines.push([seg(`  ${v.type} verdict, round ${v.round}`, 'dim')]);
  return { name: 'convergence', lines, keep: 1, min: 1 };
}

function tensionsSection(model: WatchModel): Section {
  const tensions = model.tensions;
  if (!tensions.length) return { name: 'tensions', lines: [[seg('No open tensions', 'heading')]], keep: 1, min: 0 };
  const idWidth = Math.max(...tensions.map((t) => t.id.length));
  const whoWidth = Math.max(...tensions.map((t) => `${t.author} R${t.round}`.length));
  return {
    name: 'tensions',
    lines: [
      [seg(`Open tensions (${tensions.length})`, 'heading')],
      ...tensions.map((t): Line => [
        seg(`  ${t.id.padEnd(idWidth)}  `, 'accent'),
        seg(t.status.padEnd(10), t.status === 'open' || t.status === 'reopened' ? 'warn' : 'dim'),
        seg(`${`${t.author} R${t.round}`.padEnd(whoWidth)}  `, 'dim'),
        seg(t.label),
      ]),
    ],
    keep: 1,
    min: 2,
  };
}

function panelSection(model: WatchModel): Section {
  const panel = model.panel;
  if (!panel) return { name: 'panel', lines: [], keep: 0, min: 0 };
  const read = panel.members.filter((m) => m.output === 'ingested').length;
  const written = panel.members.filter((m) => m.output !== 'missing').length;
  const state =
    panel.state === 'scored'
      ? 'scored'
      : `open · ${written}/${panel.members.length} outputs written${panel.ingested ? `, ${read} read` : ', not ingested yet'}`;
  const nameWidth = Math.max(...panel.members.map((m) => m.name.length));
  const roleWidth = Math.min(28, Math.max(...panel.members.map((m) => m.role.length)));
  const lines: Line[] = [[seg(`Panel · round ${panel.round} (${state})`, 'heading')]];
  if (panel.run) {
    const r = panel.run;
    const text =
      r.status === 'running'
        ? `  round run (pid ${r.pid}) running since ${clockTime(r.startedAt)}`
        : r.status === 'stopped'
          ? `  round run (pid ${r.pid}) stopped: its process is gone (last update ${clockTime(r.updatedAt)})`
          : `  round run (pid ${r.pid}) ${r.status} at ${clockTime(r.updatedAt)}`;
    lines.push([seg(text, r.status === 'stopped' || r.status === 'interrupted' ? 'bad' : r.status === 'running' ? 'accent' : 'dim')]);
  }
  if (panel.runProblem) lines.push([seg(`  ${panel.runProblem}`, 'bad')]);
  for (const m of panel.members) lines.push(memberLine(m, nameWidth, roleWidth));
  return { name: 'panel', lines, keep: 1 + (panel.run ? 1 : 0) + (panel.runProblem ? 1 : 0), min: 3 };
}

const OUTPUT = {
  ingested: { text: '✓ read   ', tone: 'good' },
  written: { text: '● written', tone: 'accent' },
  missing: { text: '○ missing', tone: 'dim' },
} as const;

function memberLine(m: PanelEntry, nameWidth: number, roleWidth: number): Line {
  const role = m.role.length > roleWidth ? `${m.role.slice(0, roleWidth - 1)}…` : m.role.padEnd(roleWidth);
  const line: Line = [seg(`  ${m.name.padEnd(nameWidth)}  `), seg(`${role}  `, 'dim')];
  if (m.output === undefined) {
    line.push(seg((m.score === undefined ? '—' : String(m.score)).padStart(4)));
  } else {
    line.push(seg(OUTPUT[m.output].text, OUTPUT[m.output].tone));
  }
  if (m.converged) line.push(seg('  converge', 'good'));
  if (m.run) {
    const look = RUN_STATE[m.run.state];
    line.push(seg(`  ${look.mark} ${look.word} `, look.tone), ...runDetails(m.run));
  }
  return line;
}

function eventsSection(model: WatchModel): Section {
  const events = model.events;
  return {
    name: 'events',
    lines: [
      [seg('Latest events', 'heading')],
      ...events.map((e): Line => [seg(`  ${clockTime(e.at)} `, 'dim'), seg(`${e.round === undefined ? '   ' : `R${e.round}`.padEnd(3)} `, 'dim'), seg(e.text, e.kind === 'verdict' ? 'good' : 'plain')]),
    ],
    keep: 1,
    min: 1,
  };
}
