// Tables that judges draw with box-drawing characters inside code blocks (the reference's verdict.md and
// CONVERGENCE.md), read into the same shape as a GFM table, so the importer reads their headers like any
// other table's:
//
//   ┌──────────────┬──────────────────┐
//   │      ID      │    Resolution    │      <- the header: the first row
//   ├──────────────┼──────────────────┤
//   │ MUFFIN-T01   │ Resolved: ...    │      <- a row
//   │              │ ... continued    │      <- an empty first cell continues the row above
//   └──────────────┴──────────────────┘
//
// A line of fewer cells than the header (one cell spanning the row) continues the row above too.

import type { MarkdownTable } from '../markdown.js';

const VERTICAL = /[│┃║]/;
const RULE = /^[┌┏╔├┣╠└┗╚─━═┬┳╦┼╋╬┤┫╣┐┓╗┘┛╝\s]+$/;

/** Every box table in a code block's text; `firstLine` is the 1-based line of the code's first line. */
export function boxTablesIn(code: string, firstLine: number): Omit<MarkdownTable, 'heading'>[] {
  const tables: Omit<MarkdownTable, 'heading'>[] = [];
  let current: Omit<MarkdownTable, 'heading'> | undefined;
  // Whether a rule came since the last row: a line right after a row (no rule between) may continue it.
  let ruleSince = false;
  code.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = firstLine + index;
    if (line === '' || (!RULE.test(line) && !VERTICAL.test(line[0]))) {
      current = undefined;
      return;
    }
    if (RULE.test(line)) {
      // A top border starts a table; the other rules separate rows.
      if (/^[┌┏╔]/.test(line)) current = undefined;
      ruleSince = true;
      return;
    }
    const cells = line.split(VERTICAL).slice(1, -1).map((c) => c.trim());
    if (cells.length === 0) return;
    if (!current) {
      current = { header: cells, rows: [], line: lineNo, rowLines: [] };
      tables.push(current);
      ruleSince = false;
      return;
    }
    const previous = current.rows.length ? current.rows[current.rows.length - 1] : current.header;
    const continues = !ruleSince && (cells[0] === '' || cells.length < current.header.length);
    ruleSince = false;
    if (!continues) {
      current.rows.push(cells);
      current.rowLines.push(lineNo);
    } else if (cells.length < current.header.length) {
      // One cell spanning the row: it continues the row's last cell.
      const text = cells.filter(Boolean).join(' ');
      if (text) previous[previous.length - 1] = `${previous[previous.length - 1]} ${text}`.trim();
    } else {
      cells.forEach((cell, i) => {
        if (cell) previous[i] = previous[i] ? `${previous[i]} ${cell}` : cell;
      });
    }
  });
  return tables;
}
