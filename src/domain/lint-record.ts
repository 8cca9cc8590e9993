// `dialogue lint` of a dialogue record (blue's export or the reference's): its sections and their order,
// the header against the tables, the scoreboard's arithmetic, converge % against the panel sizes, velocity
// against its parts where the record shows them, ids, open tensions under a final verdict, the tables,
// and blue's charts against the tables they draw.

import type { TensionStatus } from './model.js';
import { isOpen } from './tensions.js';
import { formatIdRef, parseIdRef } from './ids.js';
import { normaliseName } from './names.js';
import { roundLabel } from './xychart.js';
import {
  brokenTableLines,
  chartsOf,
  checkLabels,
  checkSeries,
  convergeProblem,
  cutSections,
  fieldsOf,
  Findings,
  linesOf,
  partsSum,
  readCount,
  readScore,
  tooLargeToAdd,
  sum,
  tablesIn,
  type MarkdownTable,
  type Root,
  type RootContent,
  type ScoreFigure,
  type Section,
  type TextLine,
} from './lint-shared.js';

export const RECORD_TITLE_PREFIX = 'Alignment Dialogue:';

/** The record's sections, in the reference record's order. */
const SECTIONS = ['Expert Pool', 'Expert Panels by Round', 'ALIGNMENT Scoreboard', 'Verdict', 'Tensions Resolved', 'Key Insights', 'Dialogue Location'] as const;
type SectionName = (typeof SECTIONS)[number];

const HEADER_FIELDS = ['Date', 'Status', 'ALIGNMENT Score', 'Rounds', 'Convergence', 'Tensions Resolved', 'Linked RFC'] as const;
const REQUIRED_HEADER_FIELDS = HEADER_FIELDS.filter((f) => f !== 'Linked RFC');

/** Sections whose text is the judge's prose: a broken table there is the judge's, not a broken figure. */
const PROSE: ReadonlySet<SectionName> = new Set(['Verdict', 'Key Insights']);

const STATUS_BY_WORD: Record<string, TensionStatus> = {
  open: 'open',
  addressed: 'addressed',
  narrowed: 'narrowed',
  superseded: 'superseded',
  resolved: 'resolved',
  accepted: 'accepted',
  reopened: 'reopened',
};

function sectionName(title: string): SectionName | undefined {
  return SECTIONS.find((s) => title === s || (s === 'Tensions Resolved' && title.startsWith('Tensions Resolved (')));
}

interface PanelRound {
  round: number;
  size: number;
  line: number;
  /** The panel table's rows, when the round has one. */
  rows?: { name: string; role: string; line: number }[];
}

interface BoardRow {
  round: number;
  parts?: [number, number, number, number];
  score: number;
  velocity: number;
  converge: number;
  openTensions?: number;
  newPerspectives?: number;
  /** Figures marked `*`: they rest on a judge override that the note under the table names. */
  marked: { velocity: boolean; converge: boolean };
  line: number;
}

interface Override {
  round: number;
  field: 'new perspectives' | 'open tensions' | 'converge signals';
  judge: number;
  line: number;
}

interface TensionRow {
  id: string;
  round: number;
  author?: string;
  status?: TensionStatus;
  settledRound?: number;
  line: number;
}

/** Everything the checks need, read once. */
interface RecordDoc {
  root: Root;
  sections: Map<SectionName, Section>;
  header: Map<string, TextLine>;
  forced: boolean;
  converged: boolean;
  panels: PanelRound[];
  board?: { rows: BoardRow[]; line: number };
  total?: { figure: ScoreFigure; line: number };
  overrides: Override[];
  tensions?: { rows: TensionRow[]; settled: boolean; line: number };
}

export function lintRecord(root: Root, findings: Findings): void {
  const record = readRecord(root, findings);
  checkHeader(record, findings);
  checkScoreboard(record, findings);
  checkConvergence(record, findings);
  checkTensions(record, findings);
  checkVerdict(record, findings);
  checkCharts(record, findings);
}

// ---------------------------------------------------------------------------------------------------------
// Reading

function readRecord(root: Root, findings: Findings): RecordDoc {
  const { sections: cut } = cutSections(root, (depth) => depth <= 2);
  const [title, ...rest] = cut;
  const sections = new Map<SectionName, Section>();
  const order: SectionName[] = [];
  for (const section of rest) {
    const name = sectionName(section.title);
    if (section.depth === 1 || !name) {
      findings.warning(
        'sections',
        section.line,
        `"${'#'.repeat(section.depth)} ${section.title}" is not a section of a record; a heading in the judge's verdict or insights reads as one (use ### there)`,
      );
      continue;
    }
    if (sections.has(name)) {
      findings.critical('sections', section.line, `the section "${name}" appears twice (first at line ${sections.get(name)!.line})`);
      continue;
    }
    sections.set(name, section);
    order.push(name);
  }
  checkSectionOrder(order, sections, root, findings);
  checkTables(title, rest, findings);

  const header = fieldsOf(title?.nodes ?? [], HEADER_FIELDS);
  const status = header.get('Status')?.text ?? '';
  const record: RecordDoc = {
    root,
    sections,
    header,
    forced: /\(forced\)/i.test(status),
    converged: /^converged\b/i.test(status),
    panels: readPanels(sections.get('Expert Panels by Round'), findings),
    overrides: [],
  };
  const board = sections.get('ALIGNMENT Scoreboard');
  if (board) readScoreboard(board, record, findings);
  const tensions = sections.get('Tensions Resolved');
  if (tensions) record.tensions = readTensions(tensions, findings);
  return record;
}

function checkSectionOrder(order: SectionName[], sections: Map<SectionName, Section>, root: Root, findings: Findings): void {
  const lastLine = root.position?.end.line ?? 1;
  const expected = `a record has, in order: ${SECTIONS.join(', ')}`;
  for (const [i, name] of SECTIONS.entries()) {
    if (sections.has(name)) continue;
    const next = SECTIONS.slice(i + 1).find((later) => sections.has(later));
    findings.critical('sections', next ? sections.get(next)!.line : lastLine, `the record has no "## ${name}" section (${expected})`);
  }
  const present = SECTIONS.filter((name) => sections.has(name));
  for (const [i, name] of order.entries()) {
    if (present[i] !== name) {
      findings.critical('sections', sections.get(name)!.line, `the section "${name}" is out of order (${expected})`);
      return;
    }
  }
}

/** Tables that do not parse, and rows whose cells do not match their header: critical in blue's tables. */
function checkTables(title: Section | undefined, sections: Section[], findings: Findings): void {
  for (const section of title ? [title, ...sections] : sections) {
    const name = sectionName(section.title);
    const report = name && PROSE.has(name) ? findings.warning.bind(findings) : findings.critical.bind(findings);
    for (const line of brokenTableLines(section.nodes)) {
      report('table', line.line, `this line looks like a table row but is not in a table: a table needs a |---| delimiter row under its header, with as many cells`);
    }
    for (const table of tablesIn(section.nodes)) {
      for (const [i, row] of table.rows.entries()) {
        if (row.length !== table.header.length) {
          report('table', table.rowLines[i], `this row has ${row.length} cells but its table's header has ${table.header.length}: GitHub drops or pads cells`);
        }
      }
    }
  }
}

const PANEL_HEADING = /^Round (\d+) \((\d+) experts?(?: — (.+))?\)$/;

function readPanels(section: Section | undefined, findings: Findings): PanelRound[] {
  if (!section) return [];
  const { sections: rounds } = cutSections({ type: 'root', children: section.nodes }, (depth) => depth === 3);
  const panels: PanelRound[] = [];
  for (const sub of rounds) {
    const m = PANEL_HEADING.exec(sub.title);
    if (!m) {
      findings.warning('panels', sub.line, `"### ${sub.title}" is not a panel heading ("### Round <n> (<k> experts)")`);
      continue;
    }
    const panel: PanelRound = { round: Number(m[1]), size: Number(m[2]), line: sub.line };
    const previous = panels[panels.length - 1];
    if (previous && panel.round <= previous.round) {
      findings.critical('panels', sub.line, `Round ${panel.round}'s panel comes after Round ${previous.round}'s: rounds go up one by one`);
    }
    const table = tablesIn(sub.nodes).find((t) => t.header.includes('Agent'));
    if (table) panel.rows = readPanelTable(panel, table, findings);
    else findings.warning('panels', sub.line, `Round ${panel.round} has no panel table: the record does not say who sat on it or how each scored`);
    checkAllConverged(panel, sub.nodes, findings);
    panels.push(panel);
  }
  checkRoles(panels, findings);
  return panels;
}

/**
 * A name stays bound to one role. A role shortened in a later table ("Startup CTO" for "Startup CTO
 * (Ship-Speed Pragmatist)", as the reference writes them) is the same role; a different one is not.
 */
function checkRoles(panels: PanelRound[], findings: Findings): void {
  const first = new Map<string, { role: string; round: number }>();
  for (const panel of panels) {
    for (const row of panel.rows ?? []) {
      const seen = first.get(row.name);
      if (!seen) first.set(row.name, { role: row.role, round: panel.round });
      else if (!seen.role.startsWith(row.role) && !row.role.startsWith(seen.role)) {
        findings.warning('roles', row.line, `${row.name} is "${row.role}" in Round ${panel.round} but "${seen.role}" in Round ${seen.round}: a name stays bound to one role`);
      }
    }
  }
}

function readPanelTable(panel: PanelRound, table: MarkdownTable, findings: Findings): PanelRound['rows'] {
  const agent = table.header.indexOf('Agent');
  const role = table.header.indexOf('Role');
  const score = table.header.indexOf('Score');
  const rows = table.rows.map((cells, i) => ({ name: normaliseName(cells[agent] ?? ''), role: role >= 0 ? cells[role] ?? '' : '', line: table.rowLines[i] }));
  const seen = new Map<string, number>();
  for (const [i, row] of rows.entries()) {
    if (seen.has(row.name)) findings.critical('ids', row.line, `${row.name} is on Round ${panel.round}'s panel twice (also line ${seen.get(row.name)})`);
    else seen.set(row.name, row.line);
    if (score >= 0 && readCount(table.rows[i][score] ?? '') === undefined) {
      findings.critical('panels', row.line, `${row.name}'s Round ${panel.round} score "${table.rows[i][score]}" is not a whole number or —${tooLargeToAdd(table.rows[i][score] ?? '')}`);
    }
  }
  if (rows.length !== panel.size) {
    findings.critical('panels', panel.line, `Round ${panel.round}'s heading says ${panel.size} experts, but its table lists ${rows.length}`);
  }
  return rows;
}

/** "All 6 experts signaled [MOVE:CONVERGE]. Zero new tensions.": the panel size must agree. */
function checkAllConverged(panel: PanelRound, nodes: RootContent[], findings: Findings): void {
  for (const { text, line } of linesOf(nodes)) {
    const m = /^All (\d+) experts signall?ed \[MOVE:CONVERGE\]/.exec(text);
    if (m && Number(m[1]) !== panel.size) {
      findings.critical('convergence', line, `"All ${m[1]} experts" converged, but Round ${panel.round}'s panel has ${panel.size}`);
    }
  }
}

const BOARD_COLUMNS = ['Round', 'Score', 'Velocity', 'Converge %'];

function readScoreboard(section: Section, record: RecordDoc, findings: Findings): void {
  const table = tablesIn(section.nodes).find((t) => BOARD_COLUMNS.every((c) => t.header.includes(c)));
  if (!table) {
    findings.critical('scoreboard', section.line, `the ALIGNMENT Scoreboard has no table with the columns ${BOARD_COLUMNS.join(', ')}`);
  } else {
    record.board = { rows: readBoardRows(table, findings), line: table.line };
  }
  const total = fieldsOf(section.nodes, ['Total ALIGNMENT']).get('Total ALIGNMENT');
  if (!total) {
    findings.critical('total', section.line, 'the ALIGNMENT Scoreboard has no "**Total ALIGNMENT**:" line');
  } else {
    const figure = readScore(total.text);
    if (figure) record.total = { figure, line: total.line };
    else findings.critical('total', total.line, `Total ALIGNMENT "${total.text}" is not a score such as 415 (W:135 C:104 T:92 R:84)${tooLargeToAdd(total.text)}`);
  }
  for (const { text, line } of linesOf(section.nodes)) {
    if (!text.startsWith('* Judge override')) continue;
    for (const m of text.matchAll(/R(\d+) (new perspectives|open tensions|converge signals) (\d+) \(blue counted \d+\)/g)) {
      record.overrides.push({ round: Number(m[1]), field: m[2] as Override['field'], judge: Number(m[3]), line });
    }
  }
}

function readBoardRows(table: MarkdownTable, findings: Findings): BoardRow[] {
  const column = (name: string) => table.header.indexOf(name);
  const rows: BoardRow[] = [];
  for (const [i, cells] of table.rows.entries()) {
    const line = table.rowLines[i];
    const cell = (name: string) => {
      const at = column(name);
      const raw = at >= 0 ? (cells[at] ?? '').trim() : '';
      return { value: raw.replace(/\*$/, '').trim(), marked: raw.endsWith('*') };
    };
    const number = (name: string): number | null | undefined => (column(name) >= 0 ? readCount(cell(name).value.replace(/%$/, '')) : null);
    const round = number('Round');
    const score = number('Score');
    const velocity = number('Velocity');
    const converge = /%$/.test(cell('Converge %').value) ? number('Converge %') : undefined;
    const bad = [
      ['Round', round],
      ['Score', score],
      ['Velocity', velocity],
      ['Converge %', converge],
    ].filter(([, value]) => typeof value !== 'number');
    if (bad.length) {
      findings.critical('scoreboard', line, `this scoreboard row's ${bad.map(([name]) => name).join(', ')} ${bad.length === 1 ? 'is not a number' : 'are not numbers'}${tooLargeToAdd(cells.join(' '))}`);
      continue;
    }
    const parts = ['W', 'C', 'T', 'R'].map(number);
    const row: BoardRow = {
      round: round as number,
      score: score as number,
      velocity: velocity as number,
      converge: converge as number,
      marked: { velocity: cell('Velocity').marked, converge: cell('Converge %').marked },
      line,
    };
    if (parts.every((p) => typeof p === 'number')) row.parts = parts as [number, number, number, number];
    else if (parts.some((p) => p === undefined)) findings.critical('scoreboard', line, `R${row.round}: a W, C, T or R cell is neither a number nor —${tooLargeToAdd(cells.join(' '))}`);
    const open = number('Open Tensions');
    const fresh = number('New Perspectives');
    if (typeof open === 'number') row.openTensions = open;
    if (typeof fresh === 'number') row.newPerspectives = fresh;
    const previous = rows[rows.length - 1];
    if (previous && row.round <= previous.round) findings.critical('scoreboard', line, `R${row.round} comes after R${previous.round}: the scoreboard's rounds go up`);
    rows.push(row);
  }
  return rows;
}

const ID_CELL = /^(.*?)(?:\s*\(R(\d+)\))?$/;

function readTensions(section: Section, findings: Findings): RecordDoc['tensions'] {
  const table = tablesIn(section.nodes).find((t) => t.header.includes('ID') && t.header.includes('Resolution'));
  if (!table) {
    findings.critical('tensions', section.line, 'the Tensions Resolved section has no table with the columns ID, Tension, Resolution');
    return undefined;
  }
  const idAt = table.header.indexOf('ID');
  const resolutionAt = table.header.indexOf('Resolution');
  const settledAt = table.header.indexOf('Settled');
  const rows: TensionRow[] = [];
  const seen = new Map<string, number>();
  for (const [i, cells] of table.rows.entries()) {
    const line = table.rowLines[i];
    const [, rawId, suffixRound] = ID_CELL.exec((cells[idAt] ?? '').trim())!;
    const ref = parseIdRef(rawId);
    if (!ref || ref.letter !== 'T' || !ref.author) {
      findings.critical('ids', line, `"${rawId}" is not a tension id (MUFFIN-T01 for round 0, CROISSANT R1-T01 later)`);
      continue;
    }
    const id = formatIdRef(ref);
    const round = ref.round ?? 0;
    if (suffixRound !== undefined && Number(suffixRound) !== round) {
      findings.critical('ids', line, `${id} is a round-${round} tension, but its row says (R${suffixRound})`);
    }
    if (seen.has(id)) {
      findings.critical('ids', line, `${id} is listed twice (also line ${seen.get(id)}): each expert's tension ids are unique`);
      continue;
    }
    seen.set(id, line);
    const resolution = (cells[resolutionAt] ?? '').trim();
    const word = /^[A-Za-z]+/.exec(resolution)?.[0].toLowerCase() ?? '';
    const status = STATUS_BY_WORD[word];
    if (!status) {
      findings.warning(
        'tensions',
        line,
        `${id}: "${resolution.split(/[:.]/)[0]}" is not a tension status (${Object.keys(STATUS_BY_WORD).join(', ')}), so the record does not say whether it is settled`,
      );
    }
    const settled = settledAt >= 0 ? /,\s*R(\d+)$/.exec((cells[settledAt] ?? '').trim()) : null;
    rows.push({
      id,
      round,
      author: normaliseName(ref.author),
      ...(status ? { status } : {}),
      ...(settled ? { settledRound: Number(settled[1]) } : {}),
      line,
    });
  }
  return { rows, settled: settledAt >= 0, line: table.line };
}

// ---------------------------------------------------------------------------------------------------------
// Checks

function requireField(record: RecordDoc, name: string, findings: Findings): TextLine | undefined {
  const field = record.header.get(name);
  if (!field) findings.critical('header', 1, `the header has no "**${name}**:" line`);
  return field;
}

function checkHeader(record: RecordDoc, findings: Findings): void {
  for (const name of REQUIRED_HEADER_FIELDS) requireField(record, name, findings);
  const status = record.header.get('Status');
  if (status && !/^(Open|Converged|Abandoned)(?: \(forced\))?$/i.test(status.text)) {
    findings.warning('header', status.line, `Status "${status.text}" is not one of Open, Converged, Converged (forced), Abandoned`);
  }
  checkRounds(record, findings);
  const score = record.header.get('ALIGNMENT Score');
  if (!score) return;
  const figure = readScore(score.text);
  if (!figure) {
    findings.critical('header-score', score.line, `ALIGNMENT Score "${score.text}" is not a score such as 415 (W:135 C:104 T:92 R:84)${tooLargeToAdd(score.text)}`);
    return;
  }
  checkOwnParts(figure, 'the header\'s ALIGNMENT Score', score.line, findings);
  const total = record.total?.figure;
  if (total && !sameScore(figure, total)) {
    findings.critical('header-score', score.line, `the header's ALIGNMENT Score ${score.text} differs from the scoreboard's Total ALIGNMENT ${formatScore(total)}`);
  }
}

/** A score written with its parts must add up: `415 (W:135 C:104 T:92 R:84)`. */
function checkOwnParts(figure: ScoreFigure, what: string, line: number, findings: Findings): void {
  if (figure.parts && sum(figure.parts) !== figure.total) findings.critical('row-sum', line, `${what}: ${partsSum(figure.parts)}, but it says ${figure.total}`);
}

const sameScore = (a: ScoreFigure, b: ScoreFigure) => a.total === b.total && (a.parts === undefined || b.parts === undefined || a.parts.every((p, i) => p === b.parts![i]));
const formatScore = (s: ScoreFigure) => (s.parts ? `${s.total} (W:${s.parts[0]} C:${s.parts[1]} T:${s.parts[2]} R:${s.parts[3]})` : String(s.total));

/** `**Rounds**: 4 (R0-R3)` against the panels and the scoreboard. */
function checkRounds(record: RecordDoc, findings: Findings): void {
  const field = record.header.get('Rounds');
  if (!field) return;
  const m = /^(\d+)(?: \(R(\d+)(?:-R(\d+))?(?:; R(\d+) not scored yet)?\))?$/.exec(field.text);
  if (!m) {
    findings.critical('header', field.line, `Rounds "${field.text}" is not a count such as 4 (R0-R3)`);
    return;
  }
  const count = Number(m[1]);
  const panels = record.panels;
  if (record.sections.has('Expert Panels by Round') && panels.length !== count) {
    findings.critical('header', field.line, `the header says ${count} round${count === 1 ? '' : 's'}, but Expert Panels by Round has ${panels.length}`);
  }
  if (m[2] !== undefined && panels.length) {
    const first = Number(m[2]);
    const last = m[3] === undefined ? first : Number(m[3]);
    if (panels[0].round !== first || panels[panels.length - 1].round !== last) {
      findings.critical('header', field.line, `the header says R${first}-R${last}, but the panels run R${panels[0].round}-R${panels[panels.length - 1].round}`);
    }
  }
  const rows = record.board?.rows;
  if (!rows) return;
  const unscored = m[4] === undefined ? undefined : Number(m[4]);
  const scored = new Set(rows.map((r) => r.round));
  if (unscored !== undefined && scored.has(unscored)) {
    findings.critical('header', field.line, `the header says R${unscored} is not scored yet, but the scoreboard has a row for it`);
  }
  for (const panel of panels) {
    if (panel.round !== unscored && !scored.has(panel.round)) {
      findings.critical('scoreboard', record.board!.line, `Round ${panel.round} has a panel but no scoreboard row${unscored === undefined ? ' (and the header does not say it is not scored yet)' : ''}`);
    }
  }
  const panelRounds = new Set(panels.map((p) => p.round));
  for (const row of rows) {
    if (panels.length && !panelRounds.has(row.round)) findings.critical('scoreboard', row.line, `R${row.round} is on the scoreboard but has no panel under Expert Panels by Round`);
  }
}

function checkScoreboard(record: RecordDoc, findings: Findings): void {
  const rows = record.board?.rows ?? [];
  for (const row of rows) {
    if (row.parts && sum(row.parts) !== row.score) {
      findings.critical('row-sum', row.line, `R${row.round}: ${partsSum(row.parts)}, but its Score is ${row.score}`);
    }
    if (row.openTensions !== undefined && row.newPerspectives !== undefined && row.openTensions + row.newPerspectives !== row.velocity) {
      findings.critical('velocity', row.line, `R${row.round}: velocity is open tensions + new perspectives = ${row.openTensions}+${row.newPerspectives} = ${row.openTensions + row.newPerspectives}, but the row says ${row.velocity}`);
    }
    const panel = record.panels.find((p) => p.round === row.round);
    const problem = panel ? convergeProblem(row.converge, panel.size) : row.converge > 100 ? `converge ${row.converge}% is over 100%` : undefined;
    if (problem) findings.critical('converge', row.line, `R${row.round}: ${problem}`);
    checkOverrides(record, row, panel, findings);
  }
  const total = record.total;
  if (total) checkOwnParts(total.figure, 'Total ALIGNMENT', total.line, findings);
  if (!total || !record.board) return;
  const scores = rows.map((r) => r.score);
  if (sum(scores) !== total.figure.total) {
    findings.critical('total', total.line, `Total ALIGNMENT is ${total.figure.total}, but the rounds' Scores add up to ${sum(scores)}${scores.length ? ` (${scores.join('+')})` : ''}`);
  }
  if (total.figure.parts && rows.every((r) => r.parts)) {
    const wrong = ['W', 'C', 'T', 'R'].flatMap((name, i) => {
      const column = sum(rows.map((r) => r.parts![i]));
      return column === total.figure.parts![i] ? [] : [`${name}:${total.figure.parts![i]} but the ${name} column adds up to ${column}`];
    });
    if (wrong.length) findings.critical('total', total.line, `Total ALIGNMENT gives ${wrong.join('; ')}`);
  }
}

/** The note under the table gives the judge's counts in force: velocity and converge % must follow them. */
function checkOverrides(record: RecordDoc, row: BoardRow, panel: PanelRound | undefined, findings: Findings): void {
  const mine = record.overrides.filter((o) => o.round === row.round);
  const judged = (field: Override['field']) => mine.find((o) => o.field === field)?.judge;
  const open = judged('open tensions');
  const fresh = judged('new perspectives');
  if (open !== undefined && fresh !== undefined && open + fresh !== row.velocity) {
    findings.critical('velocity', row.line, `R${row.round}: the judge counted ${open} open tensions and ${fresh} new perspectives, so velocity is ${open + fresh}, but the row says ${row.velocity}`);
  } else if ((open ?? 0) > row.velocity || (fresh ?? 0) > row.velocity) {
    const [what, n] = open !== undefined ? ['open tensions', open] : ['new perspectives', fresh];
    findings.critical('velocity', row.line, `R${row.round}: the judge counted ${n} ${what}, more than the velocity ${row.velocity} they are part of`);
  }
  const signals = judged('converge signals');
  if (signals !== undefined && panel && Math.round((signals / panel.size) * 100) !== row.converge) {
    findings.critical('converge', row.line, `R${row.round}: the judge counted ${signals} converge signals of ${panel.size}, which is ${Math.round((signals / panel.size) * 100)}%, but the row says ${row.converge}%`);
  }
  const velocityOverridden = open !== undefined || fresh !== undefined;
  if (row.marked.velocity !== velocityOverridden) {
    findings.warning('velocity', row.line, row.marked.velocity ? `R${row.round}'s velocity is marked * but the note names no judge count for it` : `R${row.round}'s velocity rests on the judge's count but is not marked *`);
  }
  if (row.marked.converge !== (signals !== undefined)) {
    findings.warning('converge', row.line, row.marked.converge ? `R${row.round}'s converge % is marked * but the note names no judge count for it` : `R${row.round}'s converge % rests on the judge's count but is not marked *`);
  }
}

/** `**Convergence**: 100% (6/6 unanimous, Round 3)` against the last scoreboard row and its panel. */
function checkConvergence(record: RecordDoc, findings: Findings): void {
  const field = record.header.get('Convergence');
  const rows = record.board?.rows;
  if (!field || !rows) return;
  const last = rows[rows.length - 1];
  if (!last) {
    if (field.text !== 'not yet scored') findings.critical('convergence', field.line, `Convergence says "${field.text}", but the scoreboard has no scored round`);
    return;
  }
  const m = /^(\d+)% \((\d+)\/(\d+)( unanimous)?, Round (\d+)\)$/.exec(field.text);
  if (!m) {
    findings.critical('convergence', field.line, `Convergence "${field.text}" is not of the form 100% (6/6 unanimous, Round 3)`);
    return;
  }
  const [percent, signals, size, round] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[5])];
  const problems: string[] = [];
  if (round !== last.round) problems.push(`it names Round ${round}, but the last scored round is R${last.round}`);
  if (percent !== last.converge) problems.push(`it says ${percent}%, but R${last.round}'s row says ${last.converge}%`);
  if (size > 0 && Math.round((signals / size) * 100) !== percent) problems.push(`${signals}/${size} is ${Math.round((signals / size) * 100)}%, not ${percent}%`);
  if (signals > size) problems.push(`${signals} of ${size} experts cannot signal`);
  const panel = record.panels.find((p) => p.round === round);
  if (panel && panel.size !== size) problems.push(`Round ${round}'s panel has ${panel.size} experts, not ${size}`);
  if (Boolean(m[4]) !== (signals === size && size > 0)) problems.push(m[4] ? `${signals}/${size} is not unanimous` : `${signals}/${size} is unanimous`);
  for (const problem of problems) findings.critical('convergence', field.line, `Convergence: ${problem}`);
}

function checkTensions(record: RecordDoc, findings: Findings): void {
  const table = record.tensions;
  if (!table) return;
  const { rows } = table;
  const resolved = rows.filter((r) => r.status === 'resolved').length;
  const accepted = rows.filter((r) => r.status === 'accepted').length;
  const superseded = rows.filter((r) => r.status === 'superseded').length;
  const field = record.header.get('Tensions Resolved');
  const heading = record.sections.get('Tensions Resolved')!;
  const inHeading = /^Tensions Resolved \((.*)\)$/.exec(heading.title)?.[1];
  if (field && inHeading !== undefined && inHeading !== field.text) {
    findings.critical('tensions', heading.line, `the section says Tensions Resolved (${inHeading}), but the header says ${field.text}`);
  }
  if (field) {
    const m = /^(\d+)\/(\d+)(?:;\s*(.*))?$/.exec(field.text);
    if (!m) {
      findings.critical('tensions', field.line, `Tensions Resolved "${field.text}" is not a count such as 17/18`);
    } else {
      const problems: string[] = [];
      if (Number(m[2]) !== rows.length) problems.push(`${m[2]} raised, but the table lists ${rows.length}`);
      if (Number(m[1]) !== resolved) {
        const others = Object.entries(countBy(rows.filter((r) => r.status !== 'resolved').map((r) => r.status ?? 'without a status word')))
          .map(([status, n]) => `${n} ${status}`)
          .join(', ');
        problems.push(`${m[1]} resolved, but the table marks ${resolved} resolved${others ? ` (${others})` : ''}`);
      }
      const extra = m[3] ?? '';
      const stated = (what: string) => Number(new RegExp(`(\\d+) ${what}`).exec(extra)?.[1] ?? 0);
      if (stated('accepted unresolved') !== accepted) problems.push(`${stated('accepted unresolved')} accepted unresolved, but the table has ${accepted}`);
      if (stated('superseded') !== superseded) problems.push(`${stated('superseded')} superseded, but the table has ${superseded}`);
      for (const problem of problems) findings.critical('tensions', field.line, `Tensions Resolved: ${problem}`);
    }
  }
  for (const row of rows) {
    const panel = record.panels.find((p) => p.round === row.round);
    if (panel?.rows && row.author && !panel.rows.some((m) => m.name === row.author)) {
      findings.warning('ids', row.line, `${row.id} names ${row.author}, who is not on Round ${row.round}'s panel`);
    }
    if (record.board && !record.board.rows.some((r) => r.round === row.round) && !record.panels.some((p) => p.round === row.round)) {
      findings.critical('ids', row.line, `${row.id} was raised in round ${row.round}, which the record does not have`);
    }
  }
  checkAllConvergedTensions(record, findings);
}

function countBy(values: string[]): { [key: string]: number } {
  const counts: { [key: string]: number } = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** "... Zero new tensions." / "2 new tensions." under a panel: the table's rows of that round. */
function checkAllConvergedTensions(record: RecordDoc, findings: Findings): void {
  const section = record.sections.get('Expert Panels by Round');
  if (!section || !record.tensions) return;
  const { sections: rounds } = cutSections({ type: 'root', children: section.nodes }, (depth) => depth === 3);
  for (const sub of rounds) {
    const round = Number(PANEL_HEADING.exec(sub.title)?.[1] ?? NaN);
    for (const { text, line } of linesOf(sub.nodes)) {
      const m = /\[MOVE:CONVERGE\]\.\s*(Zero|\d+) new tensions?\./.exec(text);
      if (!m || Number.isNaN(round)) continue;
      const said = m[1] === 'Zero' ? 0 : Number(m[1]);
      const listed = record.tensions.rows.filter((r) => r.round === round).length;
      if (said !== listed) findings.critical('tensions', line, `Round ${round} says ${said} new tensions, but the Tensions Resolved table lists ${listed} raised in it`);
      const row = record.board?.rows.find((r) => r.round === round);
      if (row && row.converge !== 100) findings.critical('convergence', line, `Round ${round} says every expert signalled [MOVE:CONVERGE], but its converge % is ${row.converge}%`);
    }
  }
}

/** A final verdict (Status: Converged) needs convergence and no open tension, unless it says it was forced. */
function checkVerdict(record: RecordDoc, findings: Findings): void {
  const status = record.header.get('Status');
  const verdict = record.sections.get('Verdict');
  if (!status || !record.converged) return;
  if (verdict) {
    const text = linesOf(verdict.nodes).map((l) => l.text).join(' ').trim();
    if (verdict.nodes.length === 0 || /^No final verdict yet\.?$/.test(text)) {
      findings.critical('verdict', verdict.line, 'the Status is Converged, but the Verdict section holds no final verdict');
    }
  }
  if (record.forced) return; // the record says so above the verdict: recorded knowingly, with a warning
  const last = record.board?.rows[record.board.rows.length - 1];
  if (last && (last.velocity !== 0 || last.converge !== 100)) {
    findings.critical(
      'verdict',
      status.line,
      `the Status is Converged, but the last round (R${last.round}) has velocity ${last.velocity} and converge ${last.converge}%: a final verdict needs velocity 0 and converge 100%, or is recorded as forced`,
    );
  }
  const open = (record.tensions?.rows ?? []).filter((r) => r.status && isOpen(r.status));
  if (!open.length) return;
  const judgeSaidNone = last !== undefined && record.overrides.some((o) => o.round === last.round && o.field === 'open tensions' && o.judge === 0);
  if (judgeSaidNone) {
    findings.warning('open-tension', status.line, `the judge counted 0 open tensions in R${last!.round}, but the table still has ${open.map((r) => `${r.id} (${r.status})`).join(', ')} under the final verdict`);
    return;
  }
  for (const row of open) {
    findings.critical('open-tension', row.line, `${row.id} is ${row.status} (still open), but the record has a final verdict (Status: Converged)`);
  }
}

function checkCharts(record: RecordDoc, findings: Findings): void {
  const charts = chartsOf(record.root, findings);
  if (!charts.length) return;
  const rows = record.board?.rows ?? [];
  const labels = rows.map((r) => roundLabel(r.round));
  const byRound = (value: (round: number) => number) => new Map(rows.map((r) => [roundLabel(r.round), value(r.round)]));
  for (const chart of charts) {
    if (!checkLabels(findings, chart, labels, 'the scoreboard')) continue;
    if (chart.kind === 'alignment') {
      checkSeries(findings, chart, 'bar', 'ALIGNMENT', byRound((n) => rows.find((r) => r.round === n)!.score), 'the scoreboard');
      checkSeries(findings, chart, 'line', 'velocity', byRound((n) => rows.find((r) => r.round === n)!.velocity), 'the scoreboard');
      continue;
    }
    const tensions = record.tensions;
    if (!tensions) continue;
    checkSeries(findings, chart, 'bar', 'tensions raised', byRound((n) => tensions.rows.filter((t) => t.round === n).length), 'the Tensions Resolved table');
    if (tensions.settled) {
      const resolvedIn = (n: number) => tensions.rows.filter((t) => t.status === 'resolved' && t.settledRound === n).length;
      checkSeries(findings, chart, 'line', 'tensions resolved', byRound(resolvedIn), 'the Tensions Resolved table');
    }
  }
}
