// The Mermaid `xychart-beta` charts of the record and the transcript, as data: what src/render/charts.ts
// writes and what `dialogue lint` reads back to check the charts against the scoreboard. Only the subset
// of the syntax blue writes is read (title, x-axis labels, y-axis range, bar and line series); anything
// else in a chart is reported, never guessed at. Pure.

/** The titles that name blue's two charts; lint recognises them by these. */
export const CHART_TITLES = {
  alignment: 'ALIGNMENT (bars) and velocity (line) by round',
  tensions: 'Tensions raised (bars) and resolved (line) by round',
} as const;

export type ChartKind = keyof typeof CHART_TITLES;

export interface ChartSeries {
  kind: 'bar' | 'line';
  values: number[];
}

export interface XyChart {
  title: string;
  xAxis: { title: string; labels: string[] };
  yAxis: { title: string; min: number; max: number };
  series: ChartSeries[];
}

/** The x-axis label of a round: `R0`, `R1`, ... as everywhere else in the record. */
export const roundLabel = (n: number): string => `R${n}`;

export type ChartReading = { ok: true; chart: XyChart } | { ok: false; problem: string; line: number };

/** Which of blue's charts this is, by its title; undefined for any other chart. */
export function chartKind(chart: XyChart): ChartKind | undefined {
  return (Object.keys(CHART_TITLES) as ChartKind[]).find((kind) => CHART_TITLES[kind] === chart.title);
}

const QUOTED = /^"([^"]*)"\s*/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** `"R0", "R1"` or `R0, R1` between brackets. */
function readList(text: string): string[] | undefined {
  const m = /^\[(.*)\]$/.exec(text.trim());
  if (!m) return undefined;
  if (m[1].trim() === '') return [];
  return m[1].split(',').map((item) => item.trim().replace(/^"(.*)"$/, '$1'));
}

function readNumbers(text: string): number[] | undefined {
  const items = readList(text);
  if (!items || !items.every((item) => NUMBER.test(item))) return undefined;
  return items.map(Number);
}

/** An optional quoted title at the start of `text`, and what follows it. */
function leadingTitle(text: string): { title: string; rest: string } {
  const m = QUOTED.exec(text);
  return m ? { title: m[1], rest: text.slice(m[0].length) } : { title: '', rest: text };
}

/**
 * Reads a chart's source (the text of a ```mermaid block). `firstLine` is the Markdown line of the
 * block's first source line, so problems point at the line in the document.
 */
export function readXyChart(source: string, firstLine = 1): ChartReading {
  const lines = source.split('\n');
  const chart: XyChart = { title: '', xAxis: { title: '', labels: [] }, yAxis: { title: '', min: 0, max: 0 }, series: [] };
  let header = false;
  let yRange = false;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    const at = firstLine + i;
    if (line === '' || line.startsWith('%%')) continue;
    if (!header) {
      if (line !== 'xychart-beta' && line !== 'xychart') return { ok: false, problem: `it is not an xychart (it starts "${line}")`, line: at };
      header = true;
      continue;
    }
    const [keyword] = line.split(/\s+/, 1);
    const rest = line.slice(keyword.length).trim();
    if (keyword === 'title') {
      chart.title = leadingTitle(rest).title || rest;
    } else if (keyword === 'x-axis') {
      const { title, rest: list } = leadingTitle(rest);
      const labels = readList(list);
      if (!labels) return { ok: false, problem: `its x-axis has no [label, ...] list`, line: at };
      chart.xAxis = { title, labels };
    } else if (keyword === 'y-axis') {
      const { title, rest: range } = leadingTitle(rest);
      const m = /^(-?\d+(?:\.\d+)?)\s*-->\s*(-?\d+(?:\.\d+)?)$/.exec(range.trim());
      if (!m) return { ok: false, problem: `its y-axis has no "min --> max" range`, line: at };
      chart.yAxis = { title, min: Number(m[1]), max: Number(m[2]) };
      yRange = true;
    } else if (keyword === 'bar' || keyword === 'line') {
      const values = readNumbers(leadingTitle(rest).rest);
      if (!values) return { ok: false, problem: `its ${keyword} series is not a [number, ...] list`, line: at };
      chart.series.push({ kind: keyword, values });
    } else if (keyword.startsWith('accTitle') || keyword.startsWith('accDescr')) {
      continue; // accessibility text, for screen readers: no figures are read from it
    } else {
      return { ok: false, problem: `"${keyword}" is not part of the charts blue writes`, line: at };
    }
  }
  if (!header) return { ok: false, problem: 'it is empty', line: firstLine };
  if (!yRange) return { ok: false, problem: 'its y-axis has no range', line: firstLine };
  return { ok: true, chart };
}

/** The transcript's section that holds the charts (the record keeps them under its scoreboard). */
export const CHARTS_SECTION = 'ALIGNMENT and tensions by round';
