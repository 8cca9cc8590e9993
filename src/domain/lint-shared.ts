// What the record's and the transcript's lint share: findings, the document cut into sections by its
// headings, a paragraph's lines, the figures blue writes (a score with its parts, a converge %), and the
// charts. The structure always comes from the Markdown tree (src/domain/markdown.ts); only the figures
// inside one line or one cell are read with patterns.

import type { Code, Paragraph, PhrasingContent } from 'mdast';
import { parseMarkdown, plainText, tablesOf, type MarkdownTable, type Root, type RootContent } from './markdown.js';
import { CHART_TITLES, chartKind, readXyChart, type ChartKind, type XyChart } from './xychart.js';

export type LintSeverity = 'critical' | 'warning';

export interface LintFinding {
  severity: LintSeverity;
  /** A short stable name of the check, e.g. `row-sum`, for hooks and tests to branch on. */
  rule: string;
  /** 1-based line in the document. */
  line: number;
  message: string;
}

/** Collects findings as a check runs. */
export class Findings {
  readonly list: LintFinding[] = [];
  critical(rule: string, line: number, message: string): void {
    this.list.push({ severity: 'critical', rule, line, message });
  }
  warning(rule: string, line: number, message: string): void {
    this.list.push({ severity: 'warning', rule, line, message });
  }
}

export const lineOf = (node: { position?: { start: { line: number } } } | undefined): number => node?.position?.start.line ?? 1;

/** A heading and the top-level nodes after it, up to the next heading that ends it. */
export interface Section {
  title: string;
  depth: number;
  line: number;
  nodes: RootContent[];
}

/**
 * The document cut at every heading for which `cuts(depth, text)` says yes; nodes before the first cut
 * are the preamble. Headings that do not cut stay in their section as content.
 */
export function cutSections(root: Root, cuts: (depth: number, text: string) => boolean): { preamble: RootContent[]; sections: Section[] } {
  const preamble: RootContent[] = [];
  const sections: Section[] = [];
  for (const node of root.children) {
    if (node.type === 'heading') {
      const title = plainText(node).trim();
      if (cuts(node.depth, title)) {
        sections.push({ title, depth: node.depth, line: lineOf(node), nodes: [] });
        continue;
      }
    }
    (sections.length ? sections[sections.length - 1].nodes : preamble).push(node);
  }
  return { preamble, sections };
}

/** The GFM tables among some top-level nodes. */
export function tablesIn(nodes: RootContent[]): MarkdownTable[] {
  return tablesOf({ type: 'root', children: nodes });
}

export interface TextLine {
  text: string;
  line: number;
}

/** A paragraph's lines as a reader sees them (emphasis dropped), each with its line in the document. */
export function paragraphLines(paragraph: Paragraph): TextLine[] {
  const text = paragraph.children.map((child: PhrasingContent) => (child.type === 'break' ? '\n' : plainText(child))).join('');
  const first = lineOf(paragraph);
  return text.split('\n').map((line, i) => ({ text: line.trim(), line: first + i }));
}

/** Every line of the paragraphs among `nodes`. */
export function linesOf(nodes: RootContent[]): TextLine[] {
  return nodes.flatMap((node) => (node.type === 'paragraph' ? paragraphLines(node) : []));
}

/** The `**Key**: value` fields among `nodes`, by key; the first of each key wins. */
export function fieldsOf(nodes: RootContent[], keys: readonly string[]): Map<string, TextLine> {
  const fields = new Map<string, TextLine>();
  for (const { text, line } of linesOf(nodes)) {
    const colon = text.indexOf(': ');
    const key = colon > 0 ? text.slice(0, colon) : text.endsWith(':') ? text.slice(0, -1) : '';
    if (keys.includes(key) && !fields.has(key)) fields.set(key, { text: colon > 0 ? text.slice(colon + 2).trim() : '', line });
  }
  return fields;
}

export interface ScoreFigure {
  total: number;
  /** W, C, T, R when the record gives them. */
  parts?: [number, number, number, number];
}

/**
 * `415 (W:135 C:104 T:92 R:84)` or `24`. A figure past 2^53 is no score lint can read: it cannot be added
 * exactly, so a wrong sum of such figures would pass (blue itself takes scores up to 1,000,000).
 */
export function readScore(text: string): ScoreFigure | undefined {
  const m = /^(\d+)(?:\s*\(W:\s*(\d+)\s+C:\s*(\d+)\s+T:\s*(\d+)\s+R:\s*(\d+)\))?$/.exec(text.trim());
  if (!m || m.slice(1).some((n) => n !== undefined && !Number.isSafeInteger(Number(n)))) return undefined;
  return m[2] === undefined ? { total: Number(m[1]) } : { total: Number(m[1]), parts: [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])] };
}

/** For a message about a figure lint could not read: why, when it is too large to add exactly. */
export function tooLargeToAdd(text: string): string {
  return (text.match(/\d+/g) ?? []).some((n) => !Number.isSafeInteger(Number(n))) ? ' (it holds a figure past 2^53, which cannot be added exactly)' : '';
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** `W+C+T+R = 10+5+5+5 = 25`, for messages. */
export function partsSum(parts: readonly number[]): string {
  return `W+C+T+R = ${parts.join('+')} = ${sum(parts)}`;
}

/** Every converge % a panel of `size` can show: round(k / size x 100) for k = 0..size. */
export function possibleConverge(size: number): number[] {
  return Array.from({ length: size + 1 }, (_, k) => Math.round((k / size) * 100));
}

/** Says what is wrong with a converge % for a panel of `size`, or undefined when it is possible. */
export function convergeProblem(percent: number, size: number): string | undefined {
  if (size <= 0) return percent === 0 ? undefined : `converge ${percent}% is not possible with an empty panel`;
  const possible = possibleConverge(size);
  if (possible.includes(percent)) return undefined;
  return `converge ${percent}% is not possible with a panel of ${size} (k of ${size} experts gives ${possible.join(', ')}%)`;
}

/** `—` (not scored, or parts unknown) or a non-negative integer; undefined for anything else. */
export function readCount(text: string): number | null | undefined {
  const t = text.trim();
  if (t === '—' || t === '-' || t === '') return null;
  return /^\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : undefined;
}

export interface FoundChart {
  kind: ChartKind;
  chart: XyChart;
  line: number;
}

/**
 * blue's charts among the document's top-level ```mermaid blocks. A block that carries one of blue's
 * titles but does not read is a finding; any other Mermaid diagram is the author's own and left alone.
 */
export function chartsOf(root: Root, findings: Findings): FoundChart[] {
  const found: FoundChart[] = [];
  for (const node of root.children) {
    if (node.type !== 'code' || (node as Code).lang !== 'mermaid') continue;
    const code = node as Code;
    const reading = readXyChart(code.value, lineOf(code) + 1);
    if (!reading.ok) {
      const ours = Object.values(CHART_TITLES).some((title) => code.value.includes(title));
      if (ours) findings.critical('chart', reading.line, `the chart does not read: ${reading.problem}`);
      continue;
    }
    const kind = chartKind(reading.chart);
    if (kind) found.push({ kind, chart: reading.chart, line: lineOf(code) });
  }
  return found;
}

/** A bar or line series of a chart, with what it should equal per x label; a finding for each difference. */
export function checkSeries(findings: Findings, chart: FoundChart, kind: 'bar' | 'line', what: string, expected: ReadonlyMap<string, number>, source: string): void {
  const series = chart.chart.series.filter((s) => s.kind === kind);
  if (series.length !== 1) {
    findings.critical('chart', chart.line, `the chart "${chart.chart.title}" should have one ${kind} series (${what}), and has ${series.length}`);
    return;
  }
  const labels = chart.chart.xAxis.labels;
  const values = series[0].values;
  if (values.length !== labels.length) {
    findings.critical('chart', chart.line, `the chart "${chart.chart.title}" has ${labels.length} rounds but ${values.length} ${what} values`);
    return;
  }
  const wrong = labels.flatMap((label, i) => {
    const want = expected.get(label);
    return want !== undefined && want !== values[i] ? [`${label} is ${values[i]} in the chart, ${want} in ${source}`] : [];
  });
  if (wrong.length) findings.critical('chart', chart.line, `the chart "${chart.chart.title}" disagrees with ${source} on ${what}: ${wrong.join('; ')}`);
  const top = Math.max(...values);
  if (top > chart.chart.yAxis.max) findings.warning('chart', chart.line, `the chart "${chart.chart.title}" cuts off ${what} ${top} at its y-axis maximum ${chart.chart.yAxis.max}`);
}

/** The x labels of a chart must be the rounds the document scores, in order. */
export function checkLabels(findings: Findings, chart: FoundChart, labels: readonly string[], source: string): boolean {
  const shown = chart.chart.xAxis.labels;
  if (shown.length === labels.length && shown.every((label, i) => label === labels[i])) return true;
  findings.critical('chart', chart.line, `the chart "${chart.chart.title}" shows rounds ${shown.join(', ') || 'none'}, but ${source} has ${labels.join(', ') || 'none'}`);
  return false;
}

/**
 * Lines that look like table rows (`| a | b |`) but are not in a table: GitHub shows them as text. The
 * usual causes are a missing `|---|` delimiter row or one whose cell count differs from the header.
 */
export function brokenTableLines(nodes: RootContent[]): TextLine[] {
  return nodes.flatMap((node) => (node.type === 'paragraph' ? paragraphLines(node).filter((l) => l.text.startsWith('|') && l.text.length > 1) : []));
}

export { parseMarkdown, plainText };
export type { MarkdownTable, Root, RootContent };
