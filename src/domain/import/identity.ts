// The imported dialogue's identity: its id (`<YYYY-MM-DDTHHMMZ>-<slug>`), title and creation time. The id is
// the folder's name when it has that form; otherwise the time comes from the folder's files (the record's
// Date, else the first date its judge files give, else the files' modification time) and the slug from the
// folder's name, and a note says which. The title is the record's, else a judge file's heading that has the
// folder's slug, else the folder's name in words.

import { badInput } from '../errors.js';
import { dialogueId } from '../ids.js';
import type { Findings } from './folder.js';
import type { JudgeDoc } from './judge-doc.js';

const STAMPED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})Z-(.+)$/;
const STAMP_LENGTH = 'YYYY-MM-DDTHHMMZ-'.length;

export interface Identity {
  id: string;
  title: string;
  createdAt: Date;
}

export interface IdentityInput {
  folderName: string;
  docs: JudgeDoc[];
  record?: JudgeDoc;
  title?: string;
  date?: Date;
  earliestModified?: string;
  now: Date;
}

export function identify(input: IdentityInput, findings: Findings): Identity {
  const stamped = STAMPED.exec(input.folderName);
  const slugText = stamped ? stamped[6] : input.folderName;
  const createdAt = input.date ?? (stamped ? stampDate(stamped) : undefined) ?? contentDate(input, findings);
  const title = input.title?.trim() || titleFrom(input, slugOf(createdAt, slugText), findings);
  let id: string;
  try {
    id = dialogueId(createdAt, slugText);
  } catch {
    // A folder name with no letter or digit in it: the slug comes from the title instead.
    id = dialogueId(createdAt, title);
    findings.note('.', 1, `the folder's name "${input.folderName}" gives no slug; the id takes its slug from the title`);
  }
  return { id, title, createdAt };
}

function stampDate(m: RegExpExecArray): Date | undefined {
  const [, y, mo, d, h, mi] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return Number.isNaN(date.getTime()) || date.getUTCMonth() !== mo - 1 ? undefined : date;
}

function slugOf(date: Date, text: string): string | undefined {
  try {
    return dialogueId(date, text).slice(STAMP_LENGTH);
  } catch {
    return undefined;
  }
}

const DATE_IN_TEXT = /\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):?(\d{2}))?/;

/** The time the folder's files give: the record's Date, else the earliest date in a judge file. */
function contentDate(input: IdentityInput, findings: Findings): Date {
  const recordDate = input.record?.keyValues.find((kv) => kv.key === 'date');
  const candidates: Array<{ date: Date; file: string; line: number; text: string }> = [];
  const consider = (text: string, file: string, line: number) => {
    const m = DATE_IN_TEXT.exec(text);
    if (!m) return;
    const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number);
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
    if (!Number.isNaN(date.getTime()) && date.getUTCMonth() === mo - 1) candidates.push({ date, file, line, text: m[0] });
  };
  if (recordDate && input.record) consider(recordDate.value, input.record.path, recordDate.line);
  if (!candidates.length) {
    for (const doc of input.docs) {
      doc.text.split('\n').forEach((line, i) => consider(line, doc.path, i + 1));
    }
    candidates.sort((a, b) => a.date.getTime() - b.date.getTime());
  }
  const found = candidates[0];
  if (found) {
    findings.note(found.file, found.line, `the folder's name carries no time, so the id takes ${found.text} from here${/[T ]\d/.test(found.text) ? '' : ' (midnight UTC)'}; give --date to set another`);
    return found.date;
  }
  if (input.earliestModified) {
    findings.note('.', 1, `the folder's name and files carry no date, so the id takes the time its oldest file was last changed (${input.earliestModified}); give --date to set another`);
    return new Date(input.earliestModified);
  }
  findings.note('.', 1, 'the folder\'s name and files carry no date, so the id takes the time of the import; give --date to set another');
  return input.now;
}

/** The record's title; else a judge file's first heading (or its part after `:`, `—`, `-`) with the folder's slug. */
function titleFrom(input: IdentityInput, slug: string | undefined, findings: Findings): string {
  const recordTitle = input.record?.title && /^alignment dialogue:\s*(.+)$/i.exec(input.record.title.text);
  if (recordTitle) return recordTitle[1].trim();
  for (const doc of input.docs) {
    if (!doc.title) continue;
    const text = doc.title.text;
    // The heading, and what stands before or after each of its separators (`Scoreboard: <title>`).
    const parts = [text];
    for (const m of text.matchAll(/\s*(?::|\s—\s|\s–\s|\s-\s)\s*/g)) {
      parts.push(text.slice(0, m.index), text.slice((m.index ?? 0) + m[0].length));
    }
    const match = parts.find((part) => slug !== undefined && slugOf(new Date(0), part) === slug);
    if (match) return match.trim();
  }
  const words = (slug ?? input.folderName).replace(/-+/g, ' ').trim();
  if (!words) throw badInput('invalid_title', `the folder's name "${input.folderName}" gives no title; give one with --title <text>`, { folder: input.folderName, fix: 'give the title with --title <text>' });
  const title = words.charAt(0).toUpperCase() + words.slice(1);
  findings.note('.', 1, `no file of the folder gives the dialogue's title, so it is "${title}", from the folder's name; give --title to set it`);
  return title;
}
