// A judge's Markdown file (a scoreboard, a round summary, tensions.md, a verdict, a record) read into what
// the importer maps: its tables (GitHub's and the box-drawn ones inside code blocks), every with the heading
// above it; its `Key: value` statements (`**Open Tensions: 14**`, `**ALIGNMENT Score**: +87 | ...`, code
// lines such as `Velocity = 14 + 47 = 61`); its converge signals listed as `- Cupcake: [MOVE:CONVERGE] ...`;
// its tensions written one per heading (`### MUFFIN-T01 (R0): label` then `**Status: NARROWED** ...`); and
// its sections, so a verdict's Key Insights can be told from the rest. Tables are read by their headers,
// never by column positions, with the real GFM parser of markdown.ts.

import type { Heading, List, ListItem, RootContent } from 'mdast';
import { parseMarkdown, plainText, type MarkdownTable, type Root } from '../markdown.js';
import { readLeadingId, type IdRef } from '../ids.js';
import { boxTablesIn } from './box-tables.js';
import { readStatus, type StatusReading } from './statuses.js';

export interface DocTable extends MarkdownTable {
  /** Drawn with box characters inside a code block. */
  boxed: boolean;
  /** The table's header cells, normalised for lookup (`converge %`, `open tensions`, `r1`). */
  keys: string[];
}

export interface KeyValue {
  /** Normalised: lower case, single spaces, no bold marks. */
  key: string;
  value: string;
  line: number;
}

export interface TensionEntry {
  raw: string;
  ref: IdRef;
  label: string;
  line: number;
  /** The entry's own status line (`**Status: SUPERSEDED** by ...`, `**Resolved in R1** by ...`). */
  status?: StatusReading & { line: number };
  /** The status its section's heading implies (`## RESOLVED`, `## OPEN — Round 1 Tensions`). */
  sectionStatus?: StatusReading;
}

export interface Section {
  heading: string;
  depth: number;
  line: number;
  /** Character offsets in the text: from the heading to the next heading of the same or a higher level. */
  start: number;
  end: number;
}

export interface JudgeDoc {
  path: string;
  text: string;
  /** The round the file belongs to (`round-2/...`, `round-2.summary.md`); undefined for the folder's own files. */
  round?: number;
  tables: DocTable[];
  keyValues: KeyValue[];
  /** Experts listed as signalling `[MOVE:CONVERGE]`, by name as written. */
  signals: Array<{ name: string; line: number }>;
  tensionEntries: TensionEntry[];
  sections: Section[];
  /** The first level-1 heading, when there is one. */
  title?: { text: string; line: number };
}

/** A header or key as the importer looks it up: `**Converge %**` -> `converge %`. */
export function normaliseKey(text: string): string {
  return text.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

export function readJudgeDoc(path: string, text: string, round: number | undefined): JudgeDoc {
  const root = parseMarkdown(text);
  const doc: JudgeDoc = { path, text, ...(round !== undefined ? { round } : {}), tables: [], keyValues: [], signals: [], tensionEntries: [], sections: [] };
  readTables(root, doc);
  for (const node of root.children) readStatements(node, doc);
  readHeadings(root, text, doc);
  return doc;
}

function readTables(root: Root, doc: JudgeDoc): void {
  let heading: string | undefined;
  for (const node of root.children) {
    if (node.type === 'heading') heading = plainText(node).trim();
    const withHeading = (table: Omit<MarkdownTable, 'heading'>, boxed: boolean): DocTable => ({
      ...table,
      ...(heading !== undefined ? { heading } : {}),
      boxed,
      keys: table.header.map(normaliseKey),
    });
    if (node.type === 'table') {
      const [head, ...body] = node.children;
      const cells = (row: (typeof node.children)[number]) => row.children.map((cell) => plainText(cell).trim());
      doc.tables.push(withHeading({ header: head ? cells(head) : [], rows: body.map(cells), line: node.position?.start.line ?? 0, rowLines: body.map((row) => row.position?.start.line ?? 0) }, false));
    } else if (node.type === 'code') {
      // The code's first line is the line after the opening fence.
      for (const table of boxTablesIn(node.value, (node.position?.start.line ?? 0) + 1)) doc.tables.push(withHeading(table, true));
    }
  }
}

const STATEMENT = /^\s*([^:=|\n]{1,60}?)\s*[:=]\s*(.+?)\s*$/;
const SIGNAL = /^\s*([A-Za-z][A-Za-z0-9]*)\s*[:\-–—]\s*`?\[MOVE:CONVERGE\]/i;

/** `Key: value` statements and listed converge signals, in paragraphs, headings, list items and code. */
function readStatements(node: RootContent, doc: JudgeDoc): void {
  const line = node.position?.start.line ?? 0;
  if (node.type === 'paragraph' || node.type === 'heading') {
    addStatements(plainText(node), line, doc);
  } else if (node.type === 'code') {
    // Code lines are statements too (`Open Tensions: 7`), but not the box tables' rows.
    node.value.split('\n').forEach((text, i) => {
      if (!/[│┃║┌├└]/.test(text)) addStatements(text, line + 1 + i, doc);
    });
  } else if (node.type === 'list') {
    for (const item of (node as List).children) readListItem(item as ListItem, doc);
  } else if (node.type === 'blockquote') {
    for (const child of node.children) readStatements(child, doc);
  }
}

function readListItem(item: ListItem, doc: JudgeDoc): void {
  const line = item.position?.start.line ?? 0;
  const first = item.children[0];
  const text = first ? plainText(first) : '';
  const signal = SIGNAL.exec(text);
  if (signal) doc.signals.push({ name: signal[1], line });
  for (const child of item.children) readStatements(child, doc);
}

function addStatements(text: string, firstLine: number, doc: JudgeDoc): void {
  text.split('\n').forEach((lineText, i) => {
    for (const piece of lineText.split(/\s\|\s/)) {
      const m = STATEMENT.exec(piece);
      if (m) doc.keyValues.push({ key: normaliseKey(m[1]), value: m[2], line: firstLine + i });
    }
  });
}

function readHeadings(root: Root, text: string, doc: JudgeDoc): void {
  const headings = root.children
    .map((node, index) => ({ node, index }))
    .filter((h): h is { node: Heading; index: number } => h.node.type === 'heading');
  headings.forEach(({ node, index }, i) => {
    const heading = plainText(node).trim();
    const line = node.position?.start.line ?? 0;
    const start = node.position?.start.offset ?? 0;
    const next = headings.slice(i + 1).find((h) => h.node.depth <= node.depth);
    const end = next?.node.position?.start.offset ?? text.length;
    doc.sections.push({ heading, depth: node.depth, line, start, end });
    if (node.depth === 1 && !doc.title) doc.title = { text: heading, line };
    const lead = readLeadingId(heading);
    if (!lead || lead.ref.letter !== 'T') return;
    const label = lead.rest.replace(/^\s*\(R\d+\)/i, '').replace(/^[\s:—–-]+/, '').trim();
    const stop = next ? next.index : root.children.length;
    const entry: TensionEntry = { raw: lead.raw, ref: lead.ref, label, line };
    const status = entryStatus(root.children.slice(index + 1, stop));
    if (status) entry.status = status;
    // The nearest heading above it, at any level above, that names a status (`## OPEN — Round 1 Tensions`
    // above `### Cluster D` above `#### CROISSANT R1-T01`).
    let depth = node.depth;
    for (const above of headings.slice(0, i).reverse()) {
      if (above.node.depth >= depth) continue;
      depth = above.node.depth;
      const sectionStatus = readStatus(plainText(above.node));
      if (sectionStatus) {
        entry.sectionStatus = sectionStatus;
        break;
      }
    }
    doc.tensionEntries.push(entry);
  });
}

/**
 * A tension entry's status: its `Status: X` line when it has one, else the first paragraph that starts
 * with a status (`**Resolved in R1** by Macaron: ...`). Only the entry's own paragraphs, before any
 * heading below it.
 */
function entryStatus(body: RootContent[]): (StatusReading & { line: number }) | undefined {
  const paragraphs = body.filter((n) => n.type === 'paragraph').map((n) => ({ text: plainText(n), line: n.position?.start.line ?? 0 }));
  for (const p of paragraphs) {
    const lines = p.text.split('\n');
    const at = lines.findIndex((l) => /^\s*status\s*:/i.test(l));
    if (at === -1) continue;
    const reading = readStatus(lines[at].replace(/^\s*status\s*:/i, ''));
    if (reading) return { ...reading, line: p.line + at };
  }
  for (const p of paragraphs) {
    const reading = readStatus(p.text.split('\n')[0]);
    if (reading) return { ...reading, line: p.line };
  }
  return undefined;
}

/** The text of a section (heading excluded) and the document without it, e.g. a verdict's Key Insights. */
export function splitSection(doc: JudgeDoc, test: (heading: string) => boolean): { section?: string; rest: string } {
  const found = doc.sections.find((s) => test(s.heading));
  if (!found) return { rest: doc.text };
  const body = doc.text.slice(found.start, found.end).replace(/^[^\n]*\n?/, '').trim();
  const rest = `${doc.text.slice(0, found.start)}${doc.text.slice(found.end)}`.trim();
  return { section: body, rest: `${rest}\n` };
}
