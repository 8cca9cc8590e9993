// The record's and the transcript's Mermaid charts, which GitHub draws where the Markdown is shown:
// ALIGNMENT (bars) with velocity (line) per scored round, and tensions raised (bars) and resolved (line)
// per round. Every value is a figure the scoreboard or the Tensions Resolved table already states, so a
// chart can never say something the tables do not (and `dialogue lint` checks that it does not).

import type { Dialogue } from '../domain/model.js';
import { roundMetrics } from '../domain/scoring.js';
import { tensionStates } from '../domain/tensions.js';
import { CHART_TITLES, roundLabel, type XyChart } from '../domain/xychart.js';
import { scoredRounds } from './common.js';

/** Starts the y-axis at 0 (Mermaid would start it at the smallest value) and never gives it a zero span. */
function yAxis(title: string, values: number[]): XyChart['yAxis'] {
  return { title, min: 0, max: Math.max(1, ...values) };
}

/** ALIGNMENT and velocity of every scored round, as the scoreboard gives them; undefined before any score. */
export function alignmentChart(d: Dialogue): XyChart | undefined {
  const rounds = scoredRounds(d);
  if (rounds.length === 0) return undefined;
  const metrics = rounds.map((round) => roundMetrics(d, round.n));
  return roundsChart(CHART_TITLES.alignment, 'ALIGNMENT, velocity', rounds, metrics.map((m) => m.roundScore.total), metrics.map((m) => m.velocity));
}

/**
 * Tensions raised in each scored round, and resolved in it: a tension counts as resolved in the round of
 * the event that resolved it for good (the round the Tensions Resolved table's Settled column names), so
 * the resolved line adds up to the table's resolved count.
 */
export function tensionChart(d: Dialogue): XyChart | undefined {
  const rounds = scoredRounds(d);
  if (rounds.length === 0) return undefined;
  // Counted in one pass each: a filter per round grew with rounds times tensions.
  const raisedIn = new Map<number, number>();
  for (const t of d.tensions) raisedIn.set(t.round, (raisedIn.get(t.round) ?? 0) + 1);
  const resolvedIn = new Map<number, number>();
  for (const s of tensionStates(d)) {
    if (s.status === 'resolved' && s.settledBy) resolvedIn.set(s.settledBy.round, (resolvedIn.get(s.settledBy.round) ?? 0) + 1);
  }
  return roundsChart(CHART_TITLES.tensions, 'Tensions', rounds, rounds.map((round) => raisedIn.get(round.n) ?? 0), rounds.map((round) => resolvedIn.get(round.n) ?? 0));
}

/** Both charts' form: one bar and one line a scored round, on an axis that holds them both. */
function roundsChart(title: string, axis: string, rounds: readonly { n: number }[], bars: number[], line: number[]): XyChart {
  return {
    title,
    xAxis: { title: 'Round', labels: rounds.map((round) => roundLabel(round.n)) },
    yAxis: yAxis(axis, [...bars, ...line]),
    series: [
      { kind: 'bar', values: bars },
      { kind: 'line', values: line },
    ],
  };
}

/** A chart as Mermaid source (without the fence). */
export function formatXyChart(chart: XyChart): string {
  const quoted = (text: string) => `"${text.replace(/"/g, "'")}"`;
  return [
    'xychart-beta',
    `    title ${quoted(chart.title)}`,
    `    x-axis ${quoted(chart.xAxis.title)} [${chart.xAxis.labels.map(quoted).join(', ')}]`,
    `    y-axis ${quoted(chart.yAxis.title)} ${chart.yAxis.min} --> ${chart.yAxis.max}`,
    ...chart.series.map((s) => `    ${s.kind} [${s.values.join(', ')}]`),
  ].join('\n');
}

/** Both charts as fenced ```mermaid blocks, a blank line between them; empty before the first score. */
export function renderCharts(d: Dialogue): string {
  const charts = [alignmentChart(d), tensionChart(d)].filter((c): c is XyChart => c !== undefined);
  return charts.map((chart) => '```mermaid\n' + formatXyChart(chart) + '\n```\n').join('\n');
}
