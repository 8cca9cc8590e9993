// The judge's figures, from the judge's own tables and statements: every expert's score per round (a
// scoreboard of W/C/T/R/Score columns, or one column per round), each round's W/C/T/R and total, its open
// tensions, new perspectives and converge signals (the judge's counts, which the import records as the
// judge's overrides beside blue's own), and the running totals, velocities and final totals, which blue
// derives itself and only checks. Columns are found by their headers, in any order and with any others
// beside them; a figure given twice with two values is reported, and the first (in the folder's order of
// precedence) is kept.

import type { Score, Tier } from '../model.js';
import { isPastryName, normaliseName } from '../names.js';
import { parseTier } from '../pool.js';
import { COUNT_BOUND, MAX_ROUNDS_BOUND, MAX_SCORE, readFigure, SCORE_BOUND, type Bound } from '../bounds.js';
import type { Findings } from './folder.js';
import type { DocTable, JudgeDoc, KeyValue } from './judge-doc.js';
import { normaliseKey } from './judge-doc.js';

/** A figure and where the judge wrote it. */
export interface Sourced<T> {
  value: T;
  file: string;
  line: number;
}

export interface ExpertRow {
  w?: number;
  c?: number;
  t?: number;
  r?: number;
  total?: number;
  role?: string;
  tier?: Tier;
  file: string;
  line: number;
}

export type ConvergeFigure = { kind: 'count'; count: number; of?: number } | { kind: 'percent'; percent: number };

export interface RoundFigureSet {
  experts: Map<string, ExpertRow>;
  w?: Sourced<number>;
  c?: Sourced<number>;
  t?: Sourced<number>;
  r?: Sourced<number>;
  total?: Sourced<number>;
  cumulative?: Sourced<number>;
  openTensions?: Sourced<number>;
  newPerspectives?: Sourced<number>;
  converge: Array<Sourced<ConvergeFigure>>;
  /** Experts the judge lists as signalling [MOVE:CONVERGE] (a table's Signal column, a list). */
  signalled?: Sourced<string[]>;
  velocity?: Sourced<number>;
  /** The round's gain in ALIGNMENT, where a judge calls it velocity (`+69`). */
  scoreGain?: Sourced<number>;
}

export interface DialogueFigures {
  rounds: Map<number, RoundFigureSet>;
  total?: Sourced<number>;
  w?: Sourced<number>;
  c?: Sourced<number>;
  t?: Sourced<number>;
  r?: Sourced<number>;
  maxRounds?: Sourced<number>;
}

type Part = 'w' | 'c' | 't' | 'r';
const PART_KEYS: Record<string, Part> = {
  w: 'w', wisdom: 'w', 'wisdom (w)': 'w',
  c: 'c', consistency: 'c', 'consistency (c)': 'c',
  t: 't', truth: 't', 'truth (t)': 't',
  r: 'r', relationships: 'r', relationship: 'r', 'relationships (r)': 'r',
};
const NAME_KEYS = new Set(['expert', 'agent', 'name', 'panelist', 'member', 'expert name']);
const TOTAL_KEYS = new Set(['score', 'total', 'alignment', 'total score', 'round score', 'alignment score']);
const ROUND_COLUMN = /^(?:r|round\s*)(\d{1,3})$/;
const INFO_KEYS = new Set(['role', 'tier', 'source', 'emoji']);

type MetricKind = Part | 'total' | 'cumulative' | 'open' | 'new' | 'converge' | 'velocity' | 'unknown';

/** What a metric's name means in a round's context (a tracking row, a `Key: value` in a round's file). */
function metricOf(key: string): MetricKind {
  const k = key.replace(/:$/, '');
  if (PART_KEYS[k]) return PART_KEYS[k];
  if (/^round(?: \d+)? (?:total|score)$/.test(k) || k === 'score') return 'total';
  if (['cumulative', 'cumulative total', 'running total', 'total', 'alignment score', 'total alignment', 'final alignment score', 'cumulative alignment'].includes(k)) return 'cumulative';
  if (/^open tensions?\b/.test(k)) return 'open';
  if (/^new perspectives?\b/.test(k)) return 'new';
  if (/^(?:converge|convergence)(?: signals?| %| percent)?$/.test(k) || k === 'converge %') return 'converge';
  if (k === 'velocity') return 'velocity';
  return 'unknown';
}

/**
 * The judge's figures that the import records, bounded as the command line bounds them: a round's W, C, T,
 * R and total as --round-score, its counts as --open-tensions and --new-perspectives, the dialogue's
 * maximum as --max-rounds. The rest (running totals, velocity, the dialogue's totals) are only compared
 * with what blue derives, and need only be exact.
 */
const ROUND_FIGURE_BOUNDS: Partial<Record<string, Bound>> = {
  w: SCORE_BOUND,
  c: SCORE_BOUND,
  t: SCORE_BOUND,
  r: SCORE_BOUND,
  total: SCORE_BOUND,
  openTensions: COUNT_BOUND,
  newPerspectives: COUNT_BOUND,
};
const DIALOGUE_FIGURE_BOUNDS: Partial<Record<string, Bound>> = { maxRounds: MAX_ROUNDS_BOUND };
const EXACT_BOUND: Bound = { max: Number.MAX_SAFE_INTEGER, rule: 'a figure past 2^53 cannot be compared exactly' };

/** A score cell: `25`, `**39**`, `+87`, `1 (minor)`, `~83%`; undefined for `—`, `-` or nothing. */
export function cellNumber(text: string): number | undefined | 'invalid' {
  const t = text.replace(/[*_`]/g, '').trim();
  if (t === '' || /^[—–\-]+$/.test(t) || /^n\/?a$/i.test(t)) return undefined;
  const m = /^[+~≈]?\s*(\d+)(?:\.\d+)?\b/.exec(t);
  return m ? Number(m[1]) : 'invalid';
}

function converge(value: string): ConvergeFigure | undefined {
  const t = value.replace(/[*_`]/g, '');
  const ratio = /(\d+)\s*\/\s*(\d+)/.exec(t);
  if (ratio) return { kind: 'count', count: Number(ratio[1]), of: Number(ratio[2]) };
  const percent = /(\d+(?:\.\d+)?)\s*%/.exec(t);
  if (percent) return { kind: 'percent', percent: Math.round(Number(percent[1])) };
  return undefined;
}

/** `Velocity = 14 + 47 = 61`: the figure after the last `=`. */
function statementNumber(value: string): number | undefined {
  const last = value.split('=').pop() ?? value;
  const n = cellNumber(last);
  return typeof n === 'number' ? n : undefined;
}

export class FigureReader {
  readonly figures: DialogueFigures = { rounds: new Map() };

  constructor(
    private readonly findings: Findings,
    /** Tables a reader understood: the importer reports the others of files whose text it does not keep. */
    private readonly used: Set<DocTable>,
  ) {}

  round(n: number): RoundFigureSet {
    let set = this.figures.rounds.get(n);
    if (!set) {
      set = { experts: new Map(), converge: [] };
      this.figures.rounds.set(n, set);
    }
    return set;
  }

  /** Keeps the first value of a figure; a later, different one is reported, and so is one past its bound. */
  private put(into: object, key: string, value: number, file: string, line: number, what: string): void {
    const bound = (into === this.figures ? DIALOGUE_FIGURE_BOUNDS : ROUND_FIGURE_BOUNDS)[key] ?? EXACT_BOUND;
    if (!Number.isSafeInteger(value) || value > bound.max) {
      this.findings.miss(file, line, `${what} is ${readFigure(value)} here: ${bound.rule}; not read`);
      return;
    }
    const target = into as Record<string, Sourced<number> | undefined>;
    const known = target[key];
    if (!known) {
      target[key] = { value, file, line };
    } else if (known.value !== value) {
      this.findings.miss(file, line, `${what} is ${value} here, but ${known.value} in ${known.file}:${known.line}; ${known.value} is kept`);
    }
  }

  /** Reads one file; `kept` says whether its text is kept in the dialogue (so an unread column is not lost). */
  read(doc: JudgeDoc, kept: boolean): void {
    for (const table of doc.tables) this.readTable(doc, table, kept);
    for (const kv of doc.keyValues) this.readStatement(doc, kv);
    if (doc.round !== undefined && doc.signals.length) {
      const names = doc.signals.filter((s) => isPastryName(s.name)).map((s) => normaliseName(s.name));
      const set = this.round(doc.round);
      if (!set.signalled && names.length) set.signalled = { value: [...new Set(names)], file: doc.path, line: doc.signals[0].line };
    }
  }

  private readStatement(doc: JudgeDoc, kv: KeyValue): void {
    const explicit = /^round (\d+) (?:total|score)$/.exec(kv.key);
    const round = explicit ? Number(explicit[1]) : doc.round;
    if (round === undefined) {
      this.readDialogueStatement(doc, kv);
      return;
    }
    this.readMetric(doc.path, kv.line, round, kv.key, kv.value);
  }

  private readDialogueStatement(doc: JudgeDoc, kv: KeyValue): void {
    const d = this.figures;
    if (kv.key === 'max rounds') {
      const n = cellNumber(kv.value);
      if (typeof n === 'number') this.put(d, 'maxRounds', n, doc.path, kv.line, 'the maximum of rounds');
      return;
    }
    const kind = metricOf(kv.key);
    if (kind === 'cumulative') {
      const n = cellNumber(kv.value);
      if (typeof n === 'number') this.put(d, 'total', n, doc.path, kv.line, 'the total ALIGNMENT');
      // `415 (W:135 C:104 T:92 R:84)`
      for (const m of kv.value.matchAll(/\b([WCTR])\s*:\s*(\d+)/g)) {
        this.put(d, m[1].toLowerCase(), Number(m[2]), doc.path, kv.line, `the total ${m[1]}`);
      }
    } else if (kind === 'w' || kind === 'c' || kind === 't' || kind === 'r') {
      const n = cellNumber(kv.value);
      if (typeof n === 'number') this.put(d, kind, n, doc.path, kv.line, `the total ${kind.toUpperCase()}`);
    }
  }

  /** One metric of one round: a tracking table's cell, a `Key: value` statement, a Metric/Value row. */
  private readMetric(file: string, line: number, round: number, key: string, value: string): void {
    const set = this.round(round);
    const kind = metricOf(key);
    const what = (name: string) => `round ${round}'s ${name}`;
    switch (kind) {
      case 'w':
      case 'c':
      case 't':
      case 'r':
      case 'total':
      case 'open':
      case 'new': {
        const n = statementNumber(value);
        if (n === undefined) return;
        const field = kind === 'open' ? 'openTensions' : kind === 'new' ? 'newPerspectives' : kind;
        const name = kind === 'open' ? 'open tensions' : kind === 'new' ? 'new perspectives' : kind === 'total' ? 'score' : kind.toUpperCase();
        this.put(set, field, n, file, line, what(name));
        return;
      }
      case 'cumulative': {
        const n = cellNumber(value);
        if (typeof n === 'number') this.put(set, 'cumulative', n, file, line, what('running total'));
        // `+156 (Velocity: +69)`: the round's gain, where a judge calls it velocity.
        const gain = /velocity:\s*\+(\d+)/i.exec(value);
        if (gain) this.put(set, 'scoreGain', Number(gain[1]), file, line, what('gain in ALIGNMENT'));
        return;
      }
      case 'converge': {
        const figure = converge(value);
        if (figure) set.converge.push({ value: figure, file, line });
        return;
      }
      case 'velocity': {
        if (/^\s*\+/.test(value)) {
          const n = cellNumber(value);
          if (typeof n === 'number') this.put(set, 'scoreGain', n, file, line, what('gain in ALIGNMENT'));
          return;
        }
        const n = statementNumber(value);
        if (n !== undefined) this.put(set, 'velocity', n, file, line, what('velocity'));
        return;
      }
      default:
      // Any other statement is the judge's prose: the file's text is kept where blue keeps it.
    }
  }

  private readTable(doc: JudgeDoc, table: DocTable, kept: boolean): void {
    const keys = table.keys;
    const nameCol = keys.findIndex((k) => NAME_KEYS.has(k));
    if (keys.includes('round') && nameCol === -1) {
      this.readTracking(doc, table, kept);
    } else if (['metric', 'measure', 'item', ''].includes(keys[0]) && keys.slice(1).some((k) => ROUND_COLUMN.test(k))) {
      this.readTransposed(doc, table);
    } else if (['metric', 'measure'].includes(keys[0]) && keys[1] === 'value') {
      this.readMetricValues(doc, table);
    } else if (nameCol !== -1 && keys.includes('signal')) {
      this.readSignals(doc, table, nameCol);
    } else if (nameCol !== -1 && keys.some((k) => PART_KEYS[k] || TOTAL_KEYS.has(k) || ROUND_COLUMN.test(k))) {
      this.readExpertScores(doc, table, nameCol, kept);
    }
  }

  private readTracking(doc: JudgeDoc, table: DocTable, kept: boolean): void {
    this.used.add(table);
    const roundCol = table.keys.indexOf('round');
    const unknown = new Set<string>();
    table.rows.forEach((row, i) => {
      const n = /^(?:r|round\s*)?(\d{1,3})$/i.exec(row[roundCol]?.replace(/[*_]/g, '').trim() ?? '');
      const line = table.rowLines[i];
      if (!n) {
        if (!kept && row[roundCol]?.trim()) this.findings.miss(doc.path, line, `row "${row[roundCol]}" of the table under "${table.heading ?? 'the top'}" names no round; not imported`);
        return;
      }
      table.keys.forEach((key, col) => {
        if (col === roundCol || row[col] === undefined) return;
        if (metricOf(key) === 'unknown') {
          unknown.add(table.header[col]);
          return;
        }
        this.readMetric(doc.path, line, Number(n[1]), key, row[col]);
      });
    });
    if (!kept) for (const column of unknown) this.findings.miss(doc.path, table.line, `column "${column}" of the table under "${table.heading ?? 'the top'}" is not imported: blue does not record it for a round`);
  }

  private readTransposed(doc: JudgeDoc, table: DocTable): void {
    this.used.add(table);
    table.rows.forEach((row, i) => {
      table.keys.forEach((key, col) => {
        const m = ROUND_COLUMN.exec(key);
        if (m && row[col] !== undefined) this.readMetric(doc.path, table.rowLines[i], Number(m[1]), normaliseKey(row[0] ?? ''), row[col]);
      });
    });
  }

  private readMetricValues(doc: JudgeDoc, table: DocTable): void {
    this.used.add(table);
    table.rows.forEach((row, i) => {
      const kv = { key: normaliseKey(row[0] ?? ''), value: row[1] ?? '', line: table.rowLines[i] };
      this.readStatement(doc, kv);
    });
  }

  private readSignals(doc: JudgeDoc, table: DocTable, nameCol: number): void {
    const round = doc.round ?? roundOfHeading(table.heading);
    if (round === undefined) return;
    this.used.add(table);
    const signalCol = table.keys.indexOf('signal');
    const names = table.rows.filter((row) => /^\s*`?\[?MOVE:CONVERGE\]?`?/i.test(row[signalCol] ?? '') && isPastryName(row[nameCol] ?? '')).map((row) => normaliseName(row[nameCol]));
    const set = this.round(round);
    if (!set.signalled) set.signalled = { value: names, file: doc.path, line: table.line };
  }

  private readExpertScores(doc: JudgeDoc, table: DocTable, nameCol: number, kept: boolean): void {
    const perRound = table.keys.map((k) => ROUND_COLUMN.exec(k)).map((m) => (m ? Number(m[1]) : undefined));
    const isMatrix = perRound.some((n) => n !== undefined);
    const round = doc.round ?? roundOfHeading(table.heading);
    if (!isMatrix && round === undefined) {
      if (!kept) this.findings.miss(doc.path, table.line, `the scores under "${table.heading ?? 'the top'}" name no round (no round folder, no "Round N" heading, no R0/R1 columns); not imported`);
      return;
    }
    this.used.add(table);
    const unknown = table.header.filter((_, col) => {
      const k = table.keys[col];
      return col !== nameCol && !PART_KEYS[k] && !TOTAL_KEYS.has(k) && perRound[col] === undefined && !INFO_KEYS.has(k);
    });
    if (!kept) for (const column of unknown) this.findings.miss(doc.path, table.line, `column "${column}" of the scores under "${table.heading ?? 'the top'}" is not imported`);
    table.rows.forEach((row, i) => {
      const line = table.rowLines[i];
      const rawName = (row[nameCol] ?? '').replace(/[*_`🧁]/gu, '').trim();
      if (/^(?:total|sum|round total)$/i.test(rawName) || rawName === '') return;
      if (!isPastryName(rawName)) {
        this.findings.miss(doc.path, line, `"${rawName}" is not a pastry name, so its scores are not imported`);
        return;
      }
      const name = normaliseName(rawName);
      const info = this.rowInfo(table, row);
      if (isMatrix) {
        let sum = 0;
        perRound.forEach((n, col) => {
          if (n === undefined) return;
          const value = this.number(doc.path, line, row[col], `${name}'s R${n} score`);
          if (value === undefined) return;
          sum += value;
          this.addExpert(n, name, { total: value, ...info, file: doc.path, line });
        });
        const totalCol = table.keys.indexOf('total');
        const total = totalCol === -1 ? undefined : this.number(doc.path, line, row[totalCol], `${name}'s total`);
        if (total !== undefined && total !== sum) this.findings.miss(doc.path, line, `${name}'s total is ${total}, but its rounds add up to ${sum}; blue adds them up itself`);
        return;
      }
      const parts: Partial<Record<Part, number>> = {};
      let total: number | undefined;
      table.keys.forEach((k, col) => {
        const value = PART_KEYS[k] || TOTAL_KEYS.has(k) ? this.number(doc.path, line, row[col], `${name}'s ${table.header[col]}`) : undefined;
        if (value === undefined) return;
        if (PART_KEYS[k]) parts[PART_KEYS[k]] = value;
        else total ??= value;
      });
      this.addExpert(round!, name, { ...parts, ...(total !== undefined ? { total } : {}), ...info, file: doc.path, line });
    });
  }

  private rowInfo(table: DocTable, row: string[]): { role?: string; tier?: Tier } {
    const roleCol = table.keys.indexOf('role');
    const tierCol = table.keys.indexOf('tier');
    const role = roleCol === -1 ? undefined : row[roleCol]?.trim();
    const tier = tierCol === -1 ? undefined : parseTier(row[tierCol]?.replace(/[*_]/g, ''));
    return { ...(role ? { role } : {}), ...(tier ? { tier } : {}) };
  }

  private number(file: string, line: number, cell: string | undefined, what: string): number | undefined {
    if (cell === undefined) return undefined;
    const n = cellNumber(cell);
    if (n === 'invalid') {
      this.findings.miss(file, line, `${what} is "${cell.trim()}", not a number; not imported`);
      return undefined;
    }
    return n;
  }

  /** The first row for an expert and round is kept; a later one with other figures is reported. */
  private addExpert(round: number, name: string, row: ExpertRow): void {
    const set = this.round(round);
    const known = set.experts.get(name);
    if (!known) {
      set.experts.set(name, row);
      return;
    }
    const figure = (r: ExpertRow) => (r.w !== undefined && r.c !== undefined && r.t !== undefined && r.r !== undefined ? r.w + r.c + r.t + r.r : r.total);
    const a = known.total ?? figure(known);
    const b = row.total ?? figure(row);
    if (a !== undefined && b !== undefined && a !== b) {
      this.findings.miss(row.file, row.line, `${name}'s round ${round} score is ${b} here, but ${a} in ${known.file}:${known.line}; ${a} is kept`);
    }
    set.experts.set(name, { ...row, ...known, role: known.role ?? row.role, tier: known.tier ?? row.tier });
  }
}

/** `Round 2 (6 experts — resolution focus)` -> 2. */
export function roundOfHeading(heading: string | undefined): number | undefined {
  const m = heading ? /^round\s+(\d{1,3})\b/i.exec(heading.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

/** An expert's score as blue holds it: W, C, T, R when all four are given, else the total. */
export function scoreOf(row: ExpertRow, name: string, round: number, findings: Findings): Score | undefined {
  const { w, c, t, r } = row;
  const over = [w, c, t, r, row.total].find((x) => x !== undefined && x > MAX_SCORE);
  if (over !== undefined) {
    findings.miss(row.file, row.line, `${name}'s round ${round} score holds ${over}, over 1,000,000, the largest score blue takes (sums beyond it are not exact); the score is not imported`);
    return undefined;
  }
  if (w !== undefined && c !== undefined && t !== undefined && r !== undefined) {
    const sum = w + c + t + r;
    if (row.total !== undefined && row.total !== sum) {
      findings.miss(row.file, row.line, `${name}'s round ${round} W+C+T+R is ${sum}, but its score is written ${row.total}; blue keeps W, C, T and R and adds them up`);
    }
    return { w, c, t, r, total: sum };
  }
  if ([w, c, t, r].some((x) => x !== undefined)) {
    findings.miss(row.file, row.line, `${name}'s round ${round} W/C/T/R is incomplete; only its total is imported`);
  }
  if (row.total === undefined) return undefined;
  return row.total === 0 ? { w: 0, c: 0, t: 0, r: 0, total: 0 } : { w: null, c: null, t: null, r: null, total: row.total };
}
