// What the judge's files say about tensions (and, where the folder kept no expert outputs, about the
// perspectives and recommendations the judge listed): every tension table read by its headers (an ID
// column, and whichever of Tension, Status, Resolution, Raised By it has), blue's and the reference's
// tensions.md (one tension per heading, with its status line), and the verdict's resolved tensions. Each
// becomes a record of the entity (where it is first named, by whom, with what label) and, where a status
// is given, a claim of that status as of a round. The importer applies the claims through the protocol's
// own status changes.

import { parseIdRef, type IdRef } from '../ids.js';
import type { Findings } from './folder.js';
import type { DocTable, JudgeDoc } from './judge-doc.js';
import { roundOfHeading } from './figures.js';
import { readStatus, type StatusReading } from './statuses.js';
import { findIdMentions } from '../ids.js';

export interface EntityRecord {
  /** As written, e.g. `T01`, `T0006`, `CROISSANT R1-T01`. */
  raw: string;
  ref: IdRef;
  label: string;
  /** Who raised (or contributed) it, as the judge names them. */
  raisedBy: string[];
  /** The round it is first named in. */
  round: number;
  file: string;
  line: number;
}

export interface StatusClaim {
  raw: string;
  ref: IdRef;
  /** The round the status holds as of. */
  round: number;
  reading: StatusReading;
  /** Implied by where it stands (a `Resolved Tensions` heading), not written beside the tension. */
  implied: boolean;
  /** For superseded: the tensions named as its successors. */
  successors: string[];
  file: string;
  line: number;
}

export interface JudgeEntities {
  records: EntityRecord[];
  claims: StatusClaim[];
}

const ID_KEYS = ['id', 'tension id', 'ref', '#'];
const LABEL_KEYS = ['tension', 'label', 'description', 'perspective', 'recommendation', 'item', 'title', 'summary', 'topic'];
const STATUS_KEYS = ['status', 'state'];
const NOTE_KEYS = ['resolution', 'note', 'notes', 'decision', 'outcome', 'how resolved', 'resolution path'];
const BY_KEYS = ['raised by', 'raised', 'by', 'owner', 'author', 'from', 'contributor', 'contributors', 'expert', 'who'];

/** `MUFFIN-T01 (R0)` -> `MUFFIN-T01`; `**T15**` -> `T15`. */
function idCell(cell: string): { raw: string; ref: IdRef } | undefined {
  const raw = cell.replace(/[*_`]/g, '').replace(/\s*\(R\d+\)\s*$/i, '').trim();
  const ref = parseIdRef(raw);
  return ref ? { raw: raw.replace(/\s+/g, ' ').toUpperCase(), ref } : undefined;
}

/** What a heading above a table without a Status column says about the rows under it. */
function headingStatus(heading: string | undefined): StatusReading | undefined {
  if (!heading) return undefined;
  if (/\bresolved\b/i.test(heading)) return { status: 'resolved', word: 'resolved', note: '' };
  if (/\baccepted\b/i.test(heading)) return { status: 'accepted', word: 'accepted', note: '' };
  return undefined;
}

/** Who a `Raised By` cell names: `Muffin, Eclair, Strudel` -> three names. */
function names(cell: string | undefined): string[] {
  if (!cell) return [];
  return cell.replace(/[*_`]/g, '').split(/\s*(?:,|&|\/|\band\b)\s*/i).map((n) => n.trim()).filter(Boolean);
}

export class EntityReader {
  readonly found: JudgeEntities = { records: [], claims: [] };

  constructor(
    private readonly findings: Findings,
    private readonly used: Set<DocTable>,
    private readonly lastRound: number,
  ) {}

  /**
   * Reads one file. A round's file speaks as of its round; the folder's own files as of the round they
   * name (`Resolved in R1`), else the latest round their tension ids carry (tensions.md, rewritten after each
   * round), else the last round (a verdict).
   */
  read(doc: JudgeDoc, kind: 'round' | 'tensions' | 'final'): void {
    const asOf = doc.round ?? (kind === 'tensions' ? this.latestRoundNamed(doc) : this.lastRound);
    for (const table of doc.tables) this.readTable(doc, table, asOf);
    for (const entry of doc.tensionEntries) {
      const raw = entry.raw.replace(/\s+/g, ' ').toUpperCase();
      const round = doc.round ?? entryRound(entry.ref, asOf);
      this.found.records.push({ raw, ref: entry.ref, label: entry.label, raisedBy: [], round, file: doc.path, line: entry.line });
      const reading = entry.status ?? entry.sectionStatus;
      if (reading) this.claim(raw, entry.ref, reading.round ?? asOf, reading, !entry.status, doc.path, entry.status?.line ?? entry.line);
    }
  }

  private latestRoundNamed(doc: JudgeDoc): number {
    const rounds = doc.tensionEntries.filter((e) => e.ref.author).map((e) => e.ref.round ?? 0);
    for (const table of doc.tables) for (const row of table.rows) for (const cell of row) {
      const id = idCell(cell);
      if (id?.ref.author) rounds.push(id.ref.round ?? 0);
    }
    return rounds.length ? Math.min(Math.max(...rounds), this.lastRound) : this.lastRound;
  }

  private claim(raw: string, ref: IdRef, round: number, reading: StatusReading, implied: boolean, file: string, line: number): void {
    const successors = reading.status === 'superseded'
      ? findIdMentions(reading.note, 'prose').filter((m) => m.ref.letter === 'T').map((m) => m.raw.toUpperCase())
      : [];
    this.found.claims.push({ raw, ref, round: Math.min(round, this.lastRound), reading, implied, successors, file, line });
  }

  private readTable(doc: JudgeDoc, table: DocTable, asOf: number): void {
    const keys = table.keys;
    let idCol = keys.findIndex((k) => ID_KEYS.includes(k));
    if (idCol === -1) {
      // A first column of ids under another header (`| Tension | ... |` holding `T01`).
      const first = table.rows.map((r) => r[0] ?? '').filter((c) => c.trim());
      if (first.length && first.every((c) => idCell(c))) idCol = 0;
    }
    if (idCol === -1) return;
    const col = (candidates: string[]) => keys.findIndex((k, i) => i !== idCol && candidates.includes(k));
    const labelCol = col(LABEL_KEYS);
    const statusCol = col(STATUS_KEYS);
    const noteCol = col(NOTE_KEYS);
    const byCol = col(BY_KEYS);
    const round = doc.round ?? roundOfHeading(table.heading) ?? asOf;
    const implied = statusCol === -1 ? headingStatus(table.heading) : undefined;
    let read = false;
    table.rows.forEach((row, i) => {
      const line = table.rowLines[i];
      const id = idCell(row[idCol] ?? '');
      if (!id || !['T', 'P', 'R'].includes(id.ref.letter)) return;
      read = true;
      const label = labelCol === -1 ? '' : (row[labelCol] ?? '').replace(/[*_`]/g, '').trim();
      const recordRound = doc.round ?? roundOfHeading(table.heading) ?? (id.ref.author ? entryRound(id.ref, asOf) : asOf);
      this.found.records.push({ raw: id.raw, ref: id.ref, label, raisedBy: names(byCol === -1 ? undefined : row[byCol]), round: recordRound, file: doc.path, line });
      if (id.ref.letter !== 'T') return;
      const note = noteCol === -1 ? '' : (row[noteCol] ?? '').trim();
      if (statusCol !== -1) {
        const cell = (row[statusCol] ?? '').trim();
        if (!cell) return;
        const reading = readStatus(cell);
        if (!reading) {
          this.findings.miss(doc.path, line, `${id.raw}'s status "${cell.replace(/[*_`]/g, '')}" is not a status blue knows (open, resolved, narrowed, superseded, accepted, deferred, reopened); ${id.raw} keeps the status it had`);
          return;
        }
        const full = { ...reading, note: [reading.note, note].filter(Boolean).join('; ') };
        this.claim(id.raw, id.ref, reading.round ?? round, full, false, doc.path, line);
      } else if (implied) {
        // Under a "Resolved" heading the resolution cell says how (`Narrowed: only the refs table`), not a
        // status; a cell that repeats the heading's status (`**RESOLVED**: Docker required`) keeps its reason.
        const repeated = readStatus(note);
        const how = repeated?.status === implied.status ? repeated.note : note;
        this.claim(id.raw, id.ref, round, { ...implied, note: how }, true, doc.path, line);
      } else if (note) {
        const reading = readStatus(note);
        if (reading) this.claim(id.raw, id.ref, reading.round ?? round, reading, false, doc.path, line);
      }
    });
    if (read) this.used.add(table);
  }
}

/** The round a display id carries (`CROISSANT R1-T01` -> 1, `MUFFIN-T01` -> 0); else `fallback`. */
function entryRound(ref: IdRef, fallback: number): number {
  if (ref.author) return ref.round ?? 0;
  return fallback;
}
