// Turns what the experts wrote in one round into entities of the dialogue: contributions, tensions,
// references, moves, and the status events their [RESOLVED ..] markers imply. Pure: the command
// reads the files and hands their text in.

import type {
  Contribution,
  ContributionKind,
  Dialogue,
  Move,
  Reference,
  Tension,
  TensionEvent,
  Warning,
} from './model.js';
import { CONTRIBUTION_LETTER } from './model.js';
import { readMarkers, type MarkerEntry } from './markers.js';
import { displayId, globalId, parseIdRef } from './ids.js';
import { findTension, canMove, isOpen, nextEventSeq, stateOf, statusesOf } from './tensions.js';
import { fileStem } from './names.js';
import { firstWith } from './memo.js';
import { codePointName, findHiddenCharacter, hiddenCharacterKind, showHiddenCharacters, whereHidden, type HiddenCharacter } from './hidden-characters.js';

export interface ExpertOutput {
  name: string;
  file: string; // relative to the project root, for warnings
  text: string;
}

export interface IngestReport {
  round: number;
  ingested: string[];
  missing: string[];
  warnings: Warning[];
  counts: { perspectives: number; tensions: number; resolutions: number; converge_signals: number };
}

/** Removes everything an earlier ingest of round `n` recorded, so that ingest can be re-run. */
export function withoutIngest(dialogue: Dialogue, n: number): Dialogue {
  const raisedHere = new Set(dialogue.tensions.filter((t) => t.round === n).map((t) => t.id));
  return {
    ...dialogue,
    contributions: dialogue.contributions.filter((c) => c.round !== n),
    tensions: dialogue.tensions.filter((t) => t.round !== n),
    refs: dialogue.refs.filter((r) => r.round !== n),
    moves: dialogue.moves.filter((m) => m.round !== n),
    events: dialogue.events.filter((e) => !(e.round === n && e.origin === 'ingest') && !raisedHere.has(e.tension)),
  };
}

interface Parsed {
  output: ExpertOutput;
  entries: MarkerEntry[];
}

/**
 * Ingests round `n` from the outputs found (in panel order). Tensions are registered first, across
 * every output, so an expert may resolve a tension another expert raised in the same round.
 */
export function ingestRound(
  base: Dialogue,
  n: number,
  outputs: ExpertOutput[],
  missing: string[],
  at: string,
): { dialogue: Dialogue; report: IngestReport } {
  let dialogue = withoutIngest(base, n);
  const warnings: Warning[] = [];
  const warn = (file: string, line: number, message: string) => warnings.push({ file, line, message });

  const parsed: Parsed[] = outputs.map((output) => {
    const reading = readMarkers(output.text);
    for (const w of reading.warnings) warn(output.file, w.line, w.message);
    if (reading.entries.length === 0) {
      warn(output.file, 1, 'no markers found; expected [PERSPECTIVE P01: ...] and the other markers the prompt lists');
    }
    for (const w of protocolWarnings(reading.entries, n)) warn(output.file, w.line, w.message);
    const hidden = findHiddenCharacter(output.text);
    if (hidden) warn(output.file, hidden.line, hiddenInOutput(output.name, hidden));
    return { output, entries: reading.entries };
  });

  const preceding = new Map<MarkerEntry, MarkerEntry | undefined>();
  // 1. First-class entities, numbered globally per type in panel order (RFC 0051's P0001 ...).
  const contributions: Contribution[] = [];
  const tensions: Tension[] = [];
  const globalSeq: Record<string, number> = {};
  const takeGlobal = (letter: string) => (globalSeq[letter] = (globalSeq[letter] ?? 0) + 1);
  for (const { output, entries } of parsed) {
    const usedSeq: Record<string, Set<number>> = {};
    const maxSeq: Record<string, number> = {};
    let lastEntity: MarkerEntry | undefined;
    for (const entry of entries) {
      // The entity a reference follows, for RE:REFINE below: kept as we go instead of searched back for.
      if (entry.type === 'entity') lastEntity = entry;
      else if (entry.type === 'ref') preceding.set(entry, lastEntity);
      if (entry.type !== 'entity') continue;
      const letter = entityLetter(entry.kind);
      const used = (usedSeq[letter] ??= new Set());
      let seq = entry.seq;
      if (entry.round !== undefined && entry.round !== n) {
        warn(output.file, entry.line, `${entry.localId ?? 'marker'} names round ${entry.round} but this is round ${n}; recorded in round ${n}`);
      }
      if (used.has(seq)) {
        // The highest number so far, kept as a count: spreading a large set into Math.max was quadratic.
        const next = (maxSeq[letter] ?? 0) + 1;
        warn(output.file, entry.line, `${letter}${pad(seq)} is used twice by ${output.name}; the second is recorded as ${letter}${pad(next)}`);
        seq = next;
      }
      used.add(seq);
      maxSeq[letter] = Math.max(maxSeq[letter] ?? 0, seq);
      const common = {
        id: displayId(output.name, n, letter, seq),
        globalId: globalId(letter, n, takeGlobal(letter)),
        author: output.name,
        round: n,
        seq,
        label: entry.label,
        text: entry.text,
        file: output.file,
        line: entry.line,
      };
      if (entry.kind === 'tension') tensions.push(common);
      else contributions.push({ kind: entry.kind, ...common });
    }
  }
  dialogue = { ...dialogue, contributions: [...dialogue.contributions, ...contributions], tensions: [...dialogue.tensions, ...tensions] };
  let seq = nextEventSeq(dialogue);
  const raisedEvents: TensionEvent[] = tensions.map((t) => ({
    seq: seq++,
    kind: 'raised',
    at,
    round: n,
    tension: t.id,
    actor: t.author,
    origin: 'ingest',
    from: 'open',
    to: 'open',
  }));
  dialogue = { ...dialogue, events: [...dialogue.events, ...raisedEvents] };
  // The status changes below number their events on from the same counter: no scan of the events for each.
  const expertChange = (tensionId: string, to: 'resolved' | 'addressed' | 'reopened', author: string, note: string, warnHere: (message: string) => void) => {
    const next = recordExpertChange(dialogue, tensionId, to, author, n, at, note, warnHere, seq);
    if (next !== dialogue) seq++;
    dialogue = next;
  };

  // 2. References, moves and the status changes that [RESOLVED ..] and [RE:..] imply.
  const refs: Reference[] = [];
  const moves: Move[] = [];
  let resolutions = 0;
  for (const { output, entries } of parsed) {
    const author = output.name;
    for (const entry of entries) {
      if (entry.type === 'resolved') {
        if (entry.targets.length === 0) continue; // the reader already warned; the text is kept in the output
        for (const target of entry.targets) {
          const tension = linkTension(dialogue, target, author, n, entry.label);
          refs.push({ kind: 'resolve', author, round: n, target, ...(tension ? { targetId: tension.id } : {}), text: entry.text, file: output.file, line: entry.line });
          if (!tension) {
            const named = parseIdRef(target)?.author;
            const stranger = named !== undefined && !dialogue.experts.some((e) => e.name.toUpperCase() === named);
            warn(
              output.file,
              entry.line,
              stranger
                ? `[RESOLVED ${target}] names ${named}, who is not an expert of this dialogue (${dialogue.experts.map((e) => e.name).join(', ')}); it is not read as ${author}'s own tension, and recorded as text only`
                : `[RESOLVED ${target}] names no tension of this dialogue; recorded as text only`,
            );
            continue;
          }
          resolutions++;
          // An expert resolves its own tension; another expert's it can only address (the judge settles it).
          const to = tension.author === author ? 'resolved' : 'addressed';
          expertChange(tension.id, to, author, markerNote(entry.text, entry.label, output.file, entry.line), (msg) => warn(output.file, entry.line, msg));
        }
      } else if (entry.type === 'ref') {
        const tension = entry.kind === 'address' || entry.kind === 'resolve' || entry.kind === 'reopen'
          ? linkTension(dialogue, entry.target, author, n)
          : undefined;
        const targetId = tension?.id ?? linkEntity(dialogue, entry.target, n);
        refs.push({ kind: entry.kind, author, round: n, target: entry.target, ...(targetId ? { targetId } : {}), text: entry.text, file: output.file, line: entry.line });
        if ((entry.kind === 'address' || entry.kind === 'resolve' || entry.kind === 'reopen') && !tension) {
          warn(output.file, entry.line, `[RE:${entry.kind.toUpperCase()} ${entry.target}] must name a tension of this dialogue`);
          continue;
        }
        if (entry.kind === 'refine' && targetId) {
          // RE:REFINE stays within a type: the item it follows must be of the target's type.
          // The entity this reference follows in the file (on an earlier line, or earlier on the same line).
          const source = preceding.get(entry);
          const sourceLetter = source?.type === 'entity' ? entityLetter(source.kind) : undefined;
          const targetLetter = typeLetterOf(dialogue, targetId);
          if (sourceLetter && targetLetter && sourceLetter !== targetLetter) {
            warn(output.file, entry.line, `[RE:REFINE ${entry.target}] refines a ${targetLetter} item from a ${sourceLetter} item; refine stays within a type`);
          }
        }
        if (!targetId && looksLikeId(entry.target)) {
          warn(output.file, entry.line, `[RE:${entry.kind.toUpperCase()} ${entry.target}] names nothing known in this dialogue`);
        }
        if (tension) {
          if (entry.kind === 'resolve') resolutions++;
          const to = entry.kind === 'reopen' ? 'reopened' : entry.kind === 'resolve' && tension.author === author ? 'resolved' : 'addressed';
          expertChange(tension.id, to, author, markerNote(entry.text, entry.label, output.file, entry.line), (msg) => warn(output.file, entry.line, msg));
        }
      } else if (entry.type === 'move') {
        moves.push({
          kind: entry.kind,
          author,
          round: n,
          ...(entry.label ? { label: entry.label } : {}),
          targets: entry.targets.map((t) => linkTension(dialogue, t, author, n)?.id ?? linkEntity(dialogue, t, n) ?? t),
          text: entry.text,
          file: output.file,
          line: entry.line,
        });
      }
    }
  }
  dialogue = { ...dialogue, refs: [...dialogue.refs, ...refs], moves: [...dialogue.moves, ...moves] };
  const convergeSignals = new Set(moves.filter((m) => m.kind === 'converge').map((m) => m.author)).size;

  // Warnings in reading order: outputs in panel order, each from its first line to its last.
  const fileOrder = new Map(outputs.map((o, i) => [o.file, i]));
  warnings.sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line);
  const round = dialogue.rounds.find((r) => r.n === n)!;
  const ingest = {
    at,
    ingested: outputs.map((o) => o.name),
    missing,
    warnings,
    outputs: Object.fromEntries(outputs.map((o) => [o.name, o.text])),
  };
  dialogue = { ...dialogue, rounds: dialogue.rounds.map((r) => (r === round ? { ...r, ingest } : r)) };
  return {
    dialogue,
    report: {
      round: n,
      ingested: ingest.ingested,
      missing,
      warnings,
      counts: { perspectives: contributions.filter((c) => c.kind === 'perspective').length, tensions: tensions.length, resolutions, converge_signals: convergeSignals },
    },
  };
}

/**
 * The note of an expert's status change: what the expert wrote under the marker (its first paragraph,
 * the reason in the expert's words), else the marker's label, else where the marker stands.
 */
function markerNote(text: string, label: string | undefined, file: string, line: number): string {
  const first = text.split(/\n\s*\n/)[0].replace(/\s+/g, ' ').trim();
  const words = first || label?.trim() || '';
  if (!words) return `marker at ${file}:${line}`;
  return words.length > 300 ? `${words.slice(0, 297).trimEnd()}...` : words;
}

/**
 * Applies a status change an expert's marker implies, unless the life cycle forbids it (then a warning);
 * `seq` numbers its event. Returns the dialogue as it was when nothing changes.
 */
function recordExpertChange(
  dialogue: Dialogue,
  tensionId: string,
  to: 'resolved' | 'addressed' | 'reopened',
  actor: string,
  round: number,
  at: string,
  note: string,
  warn: (message: string) => void,
  seq: number,
): Dialogue {
  const state = stateOf(dialogue, tensionId);
  if (state.status === to) return dialogue; // already there: nothing changes
  // Addressing a tension that is already resolved (or superseded, accepted) says nothing new.
  if (to === 'addressed' && !isOpen(state.status)) return dialogue;
  if (!canMove(state.status, to)) {
    warn(`${tensionId} is ${state.status}; the marker cannot make it ${to}, so it is recorded as a reference only`);
    return dialogue;
  }
  const event: TensionEvent = {
    seq,
    kind: 'status',
    at,
    round,
    tension: tensionId,
    actor,
    origin: 'ingest',
    from: state.status,
    to,
    note,
  };
  return { ...dialogue, events: [...dialogue.events, event] };
}

/**
 * Links what a marker names to a tension. Full ids (`MUFFIN-T01`, `CROISSANT R1-T01`, `T0101`) link
 * directly; a bare `T01` is the author's own: the latest of the author's tensions with that number
 * raised before or in this round, preferring one still open, then one whose label shares words
 * with the marker's label.
 */
export function linkTension(dialogue: Dialogue, raw: string, author: string, round: number, label?: string): Tension | undefined {
  const direct = findTension(dialogue, raw);
  if (direct) return direct;
  const ref = parseIdRef(raw);
  if (!ref || ref.letter !== 'T' || ref.author || ref.global) return undefined;
  const candidates = dialogue.tensions.filter((t) => t.author === author && t.seq === ref.seq && t.round <= round && (ref.round === undefined || t.round === ref.round));
  if (candidates.length <= 1) return candidates[0];
  const states = statusesOf(dialogue, new Set(candidates.map((t) => t.id)));
  const open = candidates.filter((t) => isOpen(states.get(t.id)!));
  const pool = open.length ? open : candidates;
  if (label) {
    const words = significantWords(label);
    const scored = pool.map((t) => ({ t, overlap: significantWords(t.label + ' ' + t.text).filter((w) => words.includes(w)).length }));
    const best = scored.sort((a, b) => b.overlap - a.overlap || b.t.round - a.t.round)[0];
    if (best.overlap > 0) return best.t;
  }
  return pool.sort((a, b) => b.round - a.round)[0];
}

/** Links a reference target to a contribution or tension id (global P0001, local MUFFIN-P0101, display ids). */
function linkEntity(dialogue: Dialogue, raw: string, round: number): string | undefined {
  const target = raw.trim();
  if (target.startsWith('@')) {
    const name = target.slice(1).toLowerCase();
    return dialogue.experts.find((e) => fileStem(e.name) === name) ? `@${name}` : undefined;
  }
  const ref = parseIdRef(target);
  if (!ref) return undefined;
  // The first contribution, else the first tension, with that id.
  const first = (field: 'id' | 'globalId', value: string) => firstWith(dialogue.contributions, field, value) ?? firstWith(dialogue.tensions, field, value);
  if (ref.global) return first('globalId', target.toUpperCase())?.id;
  if (!ref.author) return undefined;
  return first('id', displayId(ref.author, ref.round ?? round, ref.letter, ref.seq))?.id;
}

function entityLetter(kind: ContributionKind | 'tension'): string {
  return CONTRIBUTION_LETTER[kind];
}

function typeLetterOf(dialogue: Dialogue, id: string): string | undefined {
  if (firstWith(dialogue.tensions, 'id', id)) return 'T';
  const c = firstWith(dialogue.contributions, 'id', id);
  return c ? CONTRIBUTION_LETTER[c.kind] : undefined;
}

function looksLikeId(raw: string): boolean {
  return parseIdRef(raw) !== undefined || raw.startsWith('@');
}

const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'not', 'but', 'are', 'its']);
function significantWords(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !STOP.has(w));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * What an output does against its prompt, which the judge should hear about: a converge signal that is not
 * the last marker, or that comes with a new tension (a converging expert says it holds none), and an
 * opening-round answer without a perspective (round 0 requires P01).
 */
function protocolWarnings(entries: MarkerEntry[], round: number): { line: number; message: string }[] {
  const warnings: { line: number; message: string }[] = [];
  const converge = entries.findIndex((e) => e.type === 'move' && e.kind === 'converge');
  if (converge !== -1) {
    const line = entries[converge].line;
    const after = entries.slice(converge + 1).find((e) => !(e.type === 'move' && e.kind === 'converge'));
    if (after) {
      warnings.push({ line, message: `[MOVE:CONVERGE] is not the last marker (another follows on line ${after.line}); the prompt asks for it last, after everything the expert has to say` });
    }
    const tension = entries.find((e) => e.type === 'entity' && e.kind === 'tension');
    if (tension) {
      warnings.push({ line, message: `[MOVE:CONVERGE] in the same output as a new tension (line ${tension.line}): a converging expert holds no open tension; the tension is recorded and stays open, the signal counts` });
    }
  }
  if (round === 0 && entries.length > 0 && !entries.some((e) => e.type === 'entity' && e.kind === 'perspective')) {
    warnings.push({ line: 1, message: 'no [PERSPECTIVE P01: ...] in an opening-round answer; round 0 requires at least P01' });
  }
  return warnings;
}

/**
 * What ingest says of an output that holds a control or bidi character. The output is an expert's, so it
 * is neither refused nor changed: the store keeps it as written, and the Markdown files show the character.
 */
function hiddenInOutput(name: string, at: HiddenCharacter): string {
  const shown = showHiddenCharacters(String.fromCodePoint(at.codePoint));
  return (
    `${name}'s output holds ${codePointName(at.codePoint)} on ${whereHidden(at)}: ${hiddenCharacterKind(at.codePoint)}. ` +
    `It is recorded as written; the record, the transcript and the judge's files show each such character as ${shown}`
  );
}
