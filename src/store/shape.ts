// A structural check of a stored dialogue against its full shape: every field the code reads, down to
// each panel member, score, ingest, entity, event and verdict, has the right type. It is not a protocol
// check (whether the rounds and tensions make sense); it guards the code that reads a dialogue against a
// file that was damaged, hand-edited (and re-hashed) or written by something else. Problems name the path
// inside the document (`rounds[2].panel[1].role`).

import {
  CONFIDENCES,
  DIALOGUE_STATUSES,
  MOVE_KINDS,
  REF_KINDS,
  ROTATION_MODES,
  ROUND_STATUSES,
  SOURCES,
  TENSION_STATUSES,
  TIERS,
  VERDICT_TYPES,
} from '../domain/model.js';
import { isRecord } from '../domain/values.js';

/** Deeper than any dialogue blue writes (about 6): a document nested past this is refused. */
export const MAX_DEPTH = 24;

/**
 * Where the walk is: the keys and indexes from the top, pushed and popped as it goes, so that the walk of
 * a large dialogue builds no path strings; a path is spelled only for a problem.
 */
interface Walk {
  path: Array<string | number>;
  problems: string[];
  /** Set when a field the shape does not name nests past MAX_DEPTH. */
  tooDeep: boolean;
}

type Check = (value: unknown, walk: Walk) => void;

function spelled(path: ReadonlyArray<string | number>): string {
  let at = '';
  for (const key of path) at = typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key;
  return at;
}

const fail = (walk: Walk, what: string) => void walk.problems.push(`${spelled(walk.path)} must be ${what}`);

const string: Check = (v, w) => void (typeof v === 'string' || fail(w, 'a string'));
const nonEmpty: Check = (v, w) => void ((typeof v === 'string' && v.trim() !== '') || fail(w, 'a non-empty string'));
const number: Check = (v, w) => void ((typeof v === 'number' && Number.isFinite(v)) || fail(w, 'a number'));
const integer: Check = (v, w) => void (Number.isSafeInteger(v) || fail(w, 'an integer'));
const numberOrNull: Check = (v, w) => void (v === null || (typeof v === 'number' && Number.isFinite(v)) || fail(w, 'a number or null'));
const boolean: Check = (v, w) => void (typeof v === 'boolean' || fail(w, 'true or false'));
const oneOf = (values: readonly string[]): Check => (v, w) => void (values.includes(v as string) || fail(w, `one of ${values.join(', ')}`));
const optional = (check: Check): Check => (v, w) => void (v === undefined || check(v, w));
const listOf = (check: Check): Check => (v, w) => {
  if (!Array.isArray(v)) return fail(w, 'an array');
  for (let i = 0; i < v.length; i++) {
    w.path.push(i);
    check(v[i], w);
    w.path.pop();
  }
};
const mapOf = (check: Check): Check => (v, w) => {
  if (!isRecord(v)) return fail(w, 'an object');
  for (const key in v) {
    w.path.push(key);
    check(v[key], w);
    w.path.pop();
  }
};
const object = (fields: Record<string, Check>): Check => {
  const names = Object.keys(fields);
  const checks = names.map((name) => fields[name]!);
  return (v, w) => {
    if (!isRecord(v)) return fail(w, 'an object');
    // Index loops, not for-of over entries: a command runs this walk once, mostly before V8 optimises it.
    for (let i = 0; i < names.length; i++) {
      w.path.push(names[i]!);
      checks[i]!(v[names[i]!], w);
      w.path.pop();
    }
    // The shape bounds the depth of every field it names; a field it does not name is only carried along
    // (and written again), so it must not nest past the bound either.
    for (const key in v) {
      if (!Object.hasOwn(fields, key) && w.path.length + nestingDepth(v[key], MAX_DEPTH) > MAX_DEPTH) w.tooDeep = true;
    }
  };
};

const score = object({ w: numberOrNull, c: numberOrNull, t: numberOrNull, r: numberOrNull, total: number });
const member = object({ name: nonEmpty, role: nonEmpty, tier: oneOf(TIERS), source: oneOf(SOURCES), relevance: optional(number), focus: optional(string) });
const warning = object({ file: string, line: number, message: string });
const counts = object({ newPerspectives: optional(integer), openTensions: optional(integer), convergeSignals: optional(integer) });
const entity = { id: nonEmpty, globalId: string, author: nonEmpty, round: integer, seq: integer, label: string, text: string, file: string, line: number };

const dialogueShape = object({
  schema: number,
  id: nonEmpty,
  title: nonEmpty,
  question: string,
  pool: object({ domain: string, question: optional(string), experts: listOf(object({ role: nonEmpty, tier: oneOf(TIERS), relevance: number, focus: optional(string) })) }),
  createdAt: string,
  rfc: optional(string),
  sources: listOf(string),
  rotation: oneOf(ROTATION_MODES),
  seed: number,
  maxRounds: number,
  panelSize: number,
  suggestedPanel: listOf(member),
  status: oneOf(DIALOGUE_STATUSES),
  version: (v, w) => void ((Number.isSafeInteger(v) && (v as number) >= 1) || fail(w, 'an integer >= 1')),
  updatedAt: string,
  experts: listOf(object({ name: nonEmpty, role: nonEmpty, tier: oneOf(TIERS), relevance: optional(number), origin: oneOf(['pool', 'created']), firstRound: integer })),
  rounds: listOf(
    object({
      n: integer,
      status: oneOf(ROUND_STATUSES),
      openedAt: string,
      panel: listOf(member),
      ingest: optional(object({ at: string, ingested: listOf(string), missing: listOf(string), warnings: listOf(warning), outputs: mapOf(string) })),
      scoredAt: optional(string),
      label: optional(string),
      summary: optional(string),
      scores: mapOf(score),
      roundScore: optional(score),
      roundScoreGiven: optional(boolean),
      judge: optional(counts),
    }),
  ),
  contributions: listOf(object({ kind: oneOf(['perspective', 'recommendation', 'evidence', 'claim']), ...entity })),
  tensions: listOf(object(entity)),
  refs: listOf(object({ kind: oneOf(REF_KINDS), author: string, round: integer, target: string, targetId: optional(string), text: string, file: string, line: number })),
  moves: listOf(object({ kind: oneOf(MOVE_KINDS), author: string, round: integer, label: optional(string), targets: listOf(string), text: string, file: string, line: number })),
  events: listOf(
    object({
      seq: integer,
      kind: oneOf(['raised', 'status']),
      at: string,
      round: integer,
      tension: nonEmpty,
      actor: nonEmpty,
      origin: oneOf(['ingest', 'judge']),
      from: oneOf(TENSION_STATUSES),
      to: oneOf(TENSION_STATUSES),
      note: optional(string),
      by: optional(listOf(string)),
    }),
  ),
  verdicts: listOf(
    object({
      type: oneOf(VERDICT_TYPES),
      seq: integer,
      at: string,
      round: integer,
      text: nonEmpty,
      insights: optional(string),
      vote: optional(string),
      confidence: optional(oneOf(CONFIDENCES)),
      experts: optional(listOf(string)),
      forced: optional(boolean),
      warning: optional(string),
    }),
  ),
  abandoned: optional(object({ at: string, round: integer, reason: nonEmpty })),
});

/** How deeply `value` nests, walked without recursion; stops counting once past `limit`. */
export function nestingDepth(value: unknown, limit = MAX_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** What is wrong with `value` as a Dialogue, one line per problem naming its path; empty when it is one. */
export function dialogueShapeProblems(value: unknown): string[] {
  if (!isRecord(value)) return ['the dialogue is not a JSON object'];
  const walk: Walk = { path: [], problems: [], tooDeep: false };
  dialogueShape(value, walk);
  return walk.tooDeep ? [`the dialogue nests deeper than ${MAX_DEPTH} levels, which no dialogue does`] : walk.problems;
}
