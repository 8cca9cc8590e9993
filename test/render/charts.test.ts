// The record's and the transcript's Mermaid charts: what they draw (the scoreboard's and the tension
// table's own figures), the Mermaid source they are written as, and the reader lint checks them with.

import { describe, it, expect } from 'vitest';
import { readXyChart, CHART_TITLES } from '../../src/domain/xychart.js';
import { alignmentChart, formatXyChart, renderCharts, tensionChart } from '../../src/render/charts.js';
import { ingest, open, play, score, start } from '../support/dialogue-factory.js';

/** R0: Muffin raises two tensions; R1: the judge resolves MUFFIN-T01; R2: reopens and resolves it again, and accepts MUFFIN-T02. */
function threeRounds() {
  let d = play(start(), { texts: { muffin: '[TENSION T01: Capital]\nx\n[TENSION T02: Staff]\ny\n' }, scores: { Muffin: '4,3,2,1' } });
  d = play(d, { texts: { muffin: '[PERSPECTIVE P01: Hire]\nz\n' }, scores: { Muffin: '5,5,5,5' }, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved' }] });
  return play(d, {
    texts: { muffin: 'ok\n' },
    scores: { Muffin: '1,1,1,1' },
    decisions: [
      { tension: 'MUFFIN-T01', to: 'reopened' },
      { tension: 'MUFFIN-T01', to: 'resolved', note: 'for good' },
      { tension: 'MUFFIN-T02', to: 'accepted', note: 'we live with it' },
    ],
  });
}

describe('the charts', () => {
  const d = threeRounds();

  it('draw ALIGNMENT and velocity of each scored round', () => {
    expect(alignmentChart(d)).toEqual({
      title: CHART_TITLES.alignment,
      xAxis: { title: 'Round', labels: ['R0', 'R1', 'R2'] },
      yAxis: { title: 'ALIGNMENT, velocity', min: 0, max: 20 },
      series: [
        { kind: 'bar', values: [10, 20, 4] },
        { kind: 'line', values: [2, 2, 0] },
      ],
    });
  });

  it('draw tensions raised, and resolved in the round that resolved them for good', () => {
    expect(tensionChart(d)?.series).toEqual([
      { kind: 'bar', values: [2, 0, 0] },
      { kind: 'line', values: [0, 0, 1] },
    ]);
  });

  it('leave out a round not scored yet, and are not drawn before the first score', () => {
    expect(renderCharts(start())).toBe('');
    expect(renderCharts(ingest(open(start()), { muffin: 'x\n' }))).toBe('');
    const withOpen = ingest(open(d), { muffin: '[TENSION T01: New]\nx\n' });
    expect(alignmentChart(withOpen)?.xAxis.labels).toEqual(['R0', 'R1', 'R2']);
    expect(tensionChart(withOpen)?.series[0].values).toEqual([2, 0, 0]);
  });

  it('keep the y-axis from 0, never with a zero span', () => {
    const zero = score(ingest(open(start()), { muffin: 'x\n' }), {}, { fill: 0 });
    expect(alignmentChart(zero)?.yAxis).toEqual({ title: 'ALIGNMENT, velocity', min: 0, max: 1 });
  });

  it('are written as fenced xychart-beta blocks, which the reader reads back as they were', () => {
    const chart = alignmentChart(d)!;
    expect(formatXyChart(chart)).toBe(
      [
        'xychart-beta',
        '    title "ALIGNMENT (bars) and velocity (line) by round"',
        '    x-axis "Round" ["R0", "R1", "R2"]',
        '    y-axis "ALIGNMENT, velocity" 0 --> 20',
        '    bar [10, 20, 4]',
        '    line [2, 2, 0]',
      ].join('\n'),
    );
    expect(readXyChart(formatXyChart(chart))).toEqual({ ok: true, chart });
    expect(renderCharts(d).match(/^```mermaid\n/gm)).toHaveLength(2);
  });
});

describe('the chart reader', () => {
  it('says what it cannot read, with the line', () => {
    expect(readXyChart('flowchart LR\n  a --> b', 10)).toEqual({ ok: false, problem: 'it is not an xychart (it starts "flowchart LR")', line: 10 });
    expect(readXyChart('xychart-beta\n  title "t"\n  x-axis "Round" ["R0"]\n  bar [1, x]', 1)).toEqual({ ok: false, problem: 'its bar series is not a [number, ...] list', line: 4 });
    expect(readXyChart('xychart-beta\n  x-axis [a]\n  bar [1]')).toEqual({ ok: false, problem: 'its y-axis has no range', line: 1 });
    expect(readXyChart('xychart-beta\n  legend on')).toMatchObject({ ok: false, problem: '"legend" is not part of the charts blue writes' });
  });

  it('takes unquoted labels, comments and accessibility lines', () => {
    const reading = readXyChart('%% drawn by hand\nxychart-beta\n  accTitle: Scores\n  x-axis [R0, R1]\n  y-axis 0 --> 5\n  line [1, 2]');
    expect(reading).toEqual({ ok: true, chart: { title: '', xAxis: { title: '', labels: ['R0', 'R1'] }, yAxis: { title: '', min: 0, max: 5 }, series: [{ kind: 'line', values: [1, 2] }] } });
  });
});
