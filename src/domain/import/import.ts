// `dialogue import`: a blue dialogue folder (as the reference writes it: expert-pool.json, round-N/panel.json,
// round-N/<name>.md, round summaries, scoreboard.md, tensions.md, verdict.md, convergence notes) replayed
// through the protocol's own operations, so that every derived figure is computed as for a live dialogue:
// startDialogue, then for each round openRound with its panel, ingestRound with the outputs the folder kept,
// the judge's tension decisions, scoreRound with the judge's scores and counts (the counts as the judge's
// overrides beside blue's own), and recordVerdict. What the folder holds that none of these can take is
// reported with its file and line; where the folder leaves a choice, a note says what was chosen.

import { MAX_ROUNDS, MAX_ROUNDS_BOUND, PANEL_SIZE_BOUND, readFigure, type Bound } from '../bounds.js';
import { BlueError, badInput } from '../errors.js';
import { formatIdRef, globalId, type IdRef } from '../ids.js';
import { ingestRound, type ExpertOutput } from '../ingest.js';
import type { Contribution, Counts, Dialogue, PanelMember, Pool, Score, Tension } from '../model.js';
import { isPastryName, normaliseName } from '../names.js';
import { PANEL_FILE_ERROR } from '../panel.js';
import { parsePool, POOL_FILE_ERROR } from '../pool.js';
import { repeatedKeyError } from '../repeated-key.js';
import { readAsWindows1252, whereNotUtf8 } from '../encoding.js';
import { openRound, recordVerdict, scoreRound, startDialogue } from '../protocol.js';
import { hasComponents, roundMetrics, sumScores, totalAlignment } from '../scoring.js';
import { canMove, changeStatus, findTension, isOpen, nextEventSeq, stateOf, tensionStates } from '../tensions.js';
import { isRecord } from '../values.js';
import { classify, type Classified } from './classify.js';
import { scoreOf, FigureReader, type ConvergeFigure, type RoundFigureSet, type Sourced } from './figures.js';
import { Findings, type Finding, type FolderFile, type ImportFolder } from './folder.js';
import { identify } from './identity.js';
import { readJudgeDoc, splitSection, type DocTable, type JudgeDoc } from './judge-doc.js';
import { EntityReader, type EntityRecord, type StatusClaim } from './judge-tensions.js';
import { readJson } from './json-lines.js';
import { Bindings, readPanelFile, roleFromPrompt, seenPanel, settlePanel, type SeenExpert } from './panels.js';

export type { Finding, FolderFile, ImportFolder } from './folder.js';

export interface ImportOptions {
  title?: string;
  rfc?: string;
  date?: Date;
  /** A pool the judge names (`--pool`), parsed already (JSON or YAML); `path` as blue prints it. */
  pool?: { path: string; data: unknown };
  /** Where the dialogue keeps the output of expert `name` in round `n` (blue's layout), for its records. */
  outputPath(id: string, n: number, name: string): string;
  /** How a file of the folder is named in what the dialogue records (a tension the judge's table raised). */
  sourcePath(path: string): string;
  /** The last resort for the id's time, when neither the folder's name nor its files give one. */
  now: Date;
}

export interface ImportResult {
  dialogue: Dialogue;
  /** The rounds imported. */
  rounds: number;
  unmapped: Finding[];
  notes: Finding[];
}

const DEFAULT_MAX_ROUNDS = 10;

interface Files {
  classified: Array<FolderFile & Classified>;
  byKind(kind: Classified['kind'], round?: number): Array<FolderFile & Classified>;
}

export function importDialogue(folder: ImportFolder, options: ImportOptions): ImportResult {
  const findings = new Findings();
  for (const r of folder.refused) findings.miss(r.path, 1, `not read: ${r.why}`);
  for (const f of folder.files) {
    if (f.notUtf8) findings.note(f.path, f.notUtf8.line, `not UTF-8: ${whereNotUtf8(f.notUtf8)}; ${readAsWindows1252(f.notUtf8)}`);
  }
  const classified = folder.files.map((f) => ({ ...f, ...classify(f.path, folder.name) }));
  const files: Files = {
    classified,
    byKind: (kind, round) => classified.filter((f) => f.kind === kind && (round === undefined || f.round === round)),
  };
  const roundFolders = new Set(classified.filter((f) => f.round !== undefined).map((f) => f.round!));
  const poolFile = files.byKind('pool')[0];
  if (!options.pool && !poolFile && roundFolders.size === 0 && !files.byKind('scoreboard').length && !files.byKind('verdict').length) {
    throw badInput(
      'not_a_dialogue_folder',
      `${folder.name} is not a blue dialogue folder: it holds none of expert-pool.json, round-N/ folders, round-N.summary.md, scoreboard.md or verdict.md`,
      { folder: folder.name, fix: 'give the path of a folder that blue wrote: .blue/dialogues/<id>/, holding expert-pool.json and round-N/ folders' },
    );
  }
  refuseRepeatedKeys(files, options);
  const poolRead = readPool(options, poolFile, folder.name, findings);
  const pool = poolRead.pool;

  // The judge's files, in the order their figures take precedence: a round's own files first.
  const summaries = new Map<number, FolderFile & Classified>();
  const docs: Array<{ doc: JudgeDoc; kind: Classified['kind'] }> = [];
  const readDoc = (f: FolderFile & Classified) => {
    const doc = readJudgeDoc(f.path, f.text, f.round);
    docs.push({ doc, kind: f.kind });
    return doc;
  };
  const roundDocs = [...files.byKind('summary'), ...files.byKind('round-scoreboard')].sort((a, b) => a.round! - b.round!);
  for (const f of roundDocs) {
    if (!summaries.has(f.round!)) {
      summaries.set(f.round!, f);
      if (f.kind === 'round-scoreboard') findings.note(f.path, 1, `round ${f.round} has no summary; this file is kept as its summary`);
    } else if (f.kind === 'summary') {
      findings.miss(f.path, 1, `a second summary of round ${f.round} (${summaries.get(f.round!)!.path} is kept as its summary); its text is not kept`);
    }
    readDoc(f);
  }
  const topDocs = (['scoreboard', 'tensions', 'verdict', 'convergence', 'record'] as const).flatMap((kind) => files.byKind(kind).map(readDoc));
  const record = docs.find((d) => d.kind === 'record')?.doc;
  const verdictDoc = docs.find((d) => d.kind === 'verdict')?.doc ?? docs.find((d) => d.kind === 'convergence')?.doc;
  // The verdict's text is kept unless the record's Verdict stands in its place (recordImportedVerdict).
  const verdictKept = verdictDoc !== undefined && !record?.sections.some((s) => s.heading === 'Verdict');
  const kept = (entry: { doc: JudgeDoc; kind: Classified['kind'] }) =>
    entry.kind === 'record' || (entry.doc === verdictDoc && verdictKept) || (entry.doc.round !== undefined && summaries.get(entry.doc.round)?.path === entry.doc.path);

  const used = new Set<DocTable>();
  const figureReader = new FigureReader(findings, used);
  for (const entry of docs) figureReader.read(entry.doc, kept(entry));
  const figures = figureReader.figures;

  const rounds = [...new Set([...roundFolders, ...figures.rounds.keys()])].sort((a, b) => a - b);
  const lastRound = rounds.length ? rounds[rounds.length - 1] : 0;
  const entityReader = new EntityReader(findings, used, lastRound);
  for (const entry of docs) {
    entityReader.read(entry.doc, entry.doc.round !== undefined ? 'round' : entry.kind === 'tensions' ? 'tensions' : 'final');
  }

  const identity = identify(
    { folderName: folder.name, docs: docs.map((d) => d.doc).filter((d) => d !== record), ...(record ? { record } : {}), ...(options.title ? { title: options.title } : {}), ...(options.date ? { date: options.date } : {}), ...(folder.earliestModified ? { earliestModified: folder.earliestModified } : {}), now: options.now },
    findings,
  );
  const at = identity.createdAt.toISOString();
  const rfc = options.rfc ?? record?.keyValues.find((kv) => kv.key === 'linked rfc')?.value.trim();

  // Rounds are imported in order from round 0; a missing round ends the import there.
  const importable: number[] = [];
  for (const n of rounds) {
    if (n !== importable.length || n >= MAX_ROUNDS) break;
    importable.push(n);
  }
  if (!importable.length) {
    throw badInput('no_rounds', `${folder.name} holds no round 0 (no round-0/ folder, no round-0 scores): there is no round to import`, { folder: folder.name, fix: 'import a folder with at least its round-0/ outputs or round 0 scores' });
  }
  for (const n of rounds.filter((r) => r > importable[importable.length - 1])) {
    const missing = importable.length;
    const why = missing === MAX_ROUNDS ? MAX_ROUNDS_BOUND.rule : `the folder has no round ${missing}, and rounds are imported in order`;
    for (const f of classified.filter((c) => c.round === n)) findings.miss(f.path, 1, `round ${n} is not imported: ${why}`);
  }

  const maxRounds = settleMaxRounds(poolRead, figures.maxRounds, importable.length, findings);
  let dialogue: Dialogue = { ...start(identity, poolRead, maxRounds, rfc), id: identity.id };

  const labels = record ? roundLabels(record) : new Map<number, string>();
  const reserved = reservedNames(classified, figures.rounds);
  const bindings = new Bindings(reserved);
  const namesByRound = new Map<number, Map<string, string>>();
  const recordsByRound = firstMentions(entityReader.found.records);
  let imported = 0;

  for (const n of importable) {
    const previous = dialogue.rounds[dialogue.rounds.length - 1]?.panel ?? [];
    const panel = roundPanel(n, files, figures.rounds.get(n), pool, previous, bindings, findings);
    if (!panel.inputs.length) {
      findings.miss(`round-${n}`, 1, `round ${n} has no panel (no panel.json, output, prompt or score names an expert with a role); it and the rounds after it are not imported`);
      break;
    }
    namesByRound.set(n, panel.names);
    try {
      dialogue = openRound(dialogue, { round: n, panel: panel.inputs, at }).dialogue;
    } catch (error) {
      if (!(error instanceof BlueError)) throw error;
      findings.miss(`round-${n}`, 1, `round ${n} could not be opened (${error.message}); it and the rounds after it are not imported`);
      break;
    }
    const opened = dialogue.rounds.find((r) => r.n === n)!;
    const outputs = roundOutputs(n, files, panel.names, opened.panel.map((m) => m.name), identity.id, options, findings);
    const ingested = ingestRound(dialogue, n, outputs.outputs, outputs.missing, at);
    dialogue = ingested.dialogue;
    for (const w of ingested.report.warnings) findings.miss(outputs.sourceOf.get(w.file) ?? w.file, w.line, w.message);
    if (outputs.outputs.length === 0) {
      dialogue = recordJudgeEntities(dialogue, n, recordsByRound.get(n) ?? [], namesByRound, options, at);
      if (opened.panel.length) findings.note(`round-${n}`, 1, `the folder keeps no expert output for round ${n}; its tensions and figures come from the judge's tables`);
    } else if (outputs.missing.length) {
      findings.note(`round-${n}`, 1, `no output of ${outputs.missing.join(', ')} in round ${n}; ${outputs.missing.length === 1 ? 'it is' : 'they are'} recorded as missing`);
    }
    dialogue = applyClaims(dialogue, n, entityReader.found.claims.filter((c) => c.round === n), namesByRound, findings, at);
    const scored = scoreImportedRound(dialogue, n, figures.rounds.get(n), panel.names, labels.get(n), summaries.get(n)?.text, at, findings);
    if (!scored) break;
    dialogue = scored;
    imported++;
  }

  const stillOpen = tensionStates(dialogue).filter((t) => isOpen(t.status)).map((t) => t.tension.id);
  if (stillOpen.length && imported) {
    findings.note('.', 1, `${stillOpen.join(', ')} ${stillOpen.length === 1 ? 'is' : 'are'} still open after the last round: no file of the folder settles ${stillOpen.length === 1 ? 'it' : 'them'}`);
  }
  dialogue = recordImportedVerdict(dialogue, verdictDoc, record, findings, at);
  checkTotals(dialogue, figures, findings);
  reportUnread(files, used, kept, docs, findings);
  return { dialogue, rounds: imported, unmapped: findings.unmapped, notes: findings.notes };
}

/**
 * Refuses (exit 2) the folder when a JSON file the import reads (its pool, unless --pool names another, and
 * each round's panel.json) gives a key twice in one object, naming the file, the key and both lines, as the
 * judge's own files are refused: JSON.parse would keep the last without a word. Refused rather than
 * reported, since nothing is lost by it: the import writes nothing into the folder and stores nothing, and
 * the judge keeps the right one of the two lines and imports again, where a dialogue imported from the
 * value JSON happened to keep could only be imported again under another id. A file JSON cannot parse
 * at all is left to the readers, which report it (a panel) or refuse it (the pool) where they read it.
 */
function refuseRepeatedKeys(files: Files, options: ImportOptions): void {
  const read = [...(options.pool ? [] : files.byKind('pool').slice(0, 1)), ...files.byKind('panel')];
  for (const file of read) {
    if (!parsesAsJson(file.text)) continue;
    const twice = repeatedKeyError(file.text, options.sourcePath(file.path), file.kind === 'pool' ? POOL_FILE_ERROR : PANEL_FILE_ERROR);
    if (twice) throw twice;
  }
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The pool, and the reference's `panel_size` and `max_rounds` beside it. */
interface PoolRead {
  pool: Pool;
  panelSize?: number;
  maxRounds?: number;
}

function readPool(options: ImportOptions, file: (FolderFile & Classified) | undefined, folderName: string, findings: Findings): PoolRead {
  let data: unknown;
  let path: string;
  let lines = new Map<string, number>();
  if (options.pool) {
    ({ data, path } = options.pool);
  } else if (file) {
    path = file.path;
    const json = readJson(file.text);
    if (!json.ok) throw badInput('invalid_pool', `${file.path}:${json.line}: not valid JSON (${json.message})`, { file: file.path, line: json.line, fix: `correct the JSON at ${file.path}:${json.line}, or give another pool with --pool <file>` });
    data = json.data;
    lines = json.lines;
    if (isRecord(data)) {
      for (const key of Object.keys(data)) {
        if (!POOL_KEYS.has(key)) findings.miss(file.path, lines.get(key) ?? 1, `"${key}" is not imported: a blue pool holds the domain, the question and the experts`);
      }
    }
    if (file.path.startsWith('../')) findings.note(file.path, 1, 'the pool is read from this file beside the folder');
  } else {
    throw badInput('missing_pool', `${folderName} has no expert-pool.json (nor ${folderName}.expert-pool.json beside it); give the dialogue's pool with --pool <file>`, { folder: folderName, fix: 'give the pool with --pool <file>' });
  }
  const pool = parsePool(data, path);
  const extra = isRecord(data) ? data : {};
  // A figure past its bound is not read (the default stands), and said so where the folder's pool gives it.
  const figure = (key: string, bound: Bound): number | undefined => {
    const v = extra[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= bound.max) return v;
    if (typeof v === 'number' && v > bound.max && !options.pool && file) {
      findings.miss(file.path, lines.get(key) ?? 1, `"${key}" is ${readFigure(v)}: ${bound.rule}; not read`);
    }
    return undefined;
  };
  const panelSize = figure('panel_size', PANEL_SIZE_BOUND);
  const maxRounds = figure('max_rounds', MAX_ROUNDS_BOUND);
  return { pool, ...(panelSize ? { panelSize } : {}), ...(maxRounds ? { maxRounds } : {}) };
}

/** Keys of a pool file that blue reads (the reference's `panel_size` and `max_rounds` included). */
const POOL_KEYS = new Set(['domain', 'question', 'experts', 'panel_size', 'max_rounds', 'expert_pool']);

function settleMaxRounds(pool: { maxRounds?: number }, judge: Sourced<number> | undefined, rounds: number, findings: Findings): number {
  const wanted = pool.maxRounds ?? judge?.value ?? DEFAULT_MAX_ROUNDS;
  if (wanted >= rounds) return wanted;
  findings.note(judge?.file ?? 'expert-pool.json', judge?.line ?? 1, `the maximum of ${wanted} rounds is below the ${rounds} rounds the folder holds; imported with a maximum of ${rounds}`);
  return rounds;
}

function start(identity: { title: string; createdAt: Date }, read: PoolRead, maxRounds: number, rfc: string | undefined): Dialogue {
  try {
    return startDialogue({
      title: identity.title,
      pool: read.pool,
      ...(read.panelSize && read.panelSize <= read.pool.experts.length ? { panelSize: read.panelSize } : {}),
      // The suggested panel is never used (every round's panel comes from the folder): a fixed seed keeps
      // an import reproducible.
      seed: 0,
      maxRounds,
      ...(rfc ? { rfc } : {}),
      createdAt: identity.createdAt,
    });
  } catch (error) {
    if (error instanceof BlueError && error.code === 'missing_question') {
      throw badInput('missing_question', 'the pool gives no question; put "question" in expert-pool.json, or give a pool that has one with --pool <file>', { fix: 'add "question" to the pool, or give --pool <file> with one' });
    }
    throw error;
  }
}

/** `### Round 1 (8 experts — graduated rotation)` in a record: the judge's label of each round. */
function roundLabels(record: JudgeDoc): Map<number, string> {
  const labels = new Map<number, string>();
  for (const s of record.sections) {
    const m = /^Round (\d+) \(\d+ experts?(?: — (.+))?\)$/.exec(s.heading);
    if (m?.[2]) labels.set(Number(m[1]), m[2].trim());
  }
  return labels;
}

/** Every pastry name the folder uses, so that a name import has to give an expert never takes one of them. */
function reservedNames(files: Array<FolderFile & Classified>, rounds: Map<number, RoundFigureSet>): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    if (f.name) names.add(f.name);
    if (f.kind === 'panel') for (const m of f.text.matchAll(/"name"\s*:\s*"([^"]+)"/g)) if (isPastryName(m[1])) names.add(normaliseName(m[1]));
  }
  for (const set of rounds.values()) for (const name of set.experts.keys()) names.add(name);
  return names;
}

/** Each record at its earliest mention, by round. */
function firstMentions(records: EntityRecord[]): Map<number, EntityRecord[]> {
  const first = new Map<string, EntityRecord>();
  for (const r of records) {
    const key = `${r.ref.letter}:${r.raw}`;
    const known = first.get(key);
    if (!known || r.round < known.round) first.set(key, { ...r, raisedBy: r.raisedBy.length ? r.raisedBy : known?.raisedBy ?? [], label: r.label || known?.label || '' });
    else if (!known.label && r.label) first.set(key, { ...known, label: r.label });
  }
  const byRound = new Map<number, EntityRecord[]>();
  for (const r of first.values()) byRound.set(r.round, [...(byRound.get(r.round) ?? []), r]);
  return byRound;
}

function roundPanel(
  n: number,
  files: Files,
  figures: RoundFigureSet | undefined,
  pool: Pool,
  previous: readonly PanelMember[],
  bindings: Bindings,
  findings: Findings,
) {
  const panelFile = files.byKind('panel', n)[0];
  const entries = panelFile ? readPanelFile(panelFile.path, panelFile.text, n, findings) : undefined;
  if (entries?.length) return settlePanel(entries, { round: n, pool, previous, bindings, file: panelFile!.path, findings });
  const seen: SeenExpert[] = [];
  for (const prompt of files.byKind('prompt', n)) {
    const read = roleFromPrompt(prompt.text);
    seen.push({ name: prompt.name!, ...(read && read.name === prompt.name ? { role: read.role } : {}), from: 'prompt', file: prompt.path, line: 1 });
  }
  for (const output of files.byKind('output', n)) seen.push({ name: output.name!, from: 'output', file: output.path, line: 1 });
  for (const [name, row] of figures?.experts ?? []) seen.push({ name, ...(row.role ? { role: row.role } : {}), ...(row.tier ? { tier: row.tier } : {}), from: 'table', file: row.file, line: row.line });
  if (seen.length) findings.note(`round-${n}`, 1, `round ${n} has no panel.json; its panel is read from the experts' outputs, prompts and scores`);
  return settlePanel(seenPanel(seen, n, pool, previous, bindings, findings), { round: n, pool, previous, bindings, file: `round-${n}`, findings });
}

function roundOutputs(n: number, files: Files, names: Map<string, string>, panelNames: string[], id: string, options: ImportOptions, findings: Findings) {
  const outputs: ExpertOutput[] = [];
  const sourceOf = new Map<string, string>();
  for (const f of files.byKind('output', n)) {
    const name = names.get(f.name!);
    if (!name) {
      findings.miss(f.path, 1, `not an output of round ${n}'s panel (${panelNames.join(', ')}); not imported`);
      continue;
    }
    if (!f.text.trim()) continue;
    const file = options.outputPath(id, n, name);
    sourceOf.set(file, f.path);
    outputs.push({ name, file, text: f.text });
  }
  for (const f of files.byKind('prompt', n)) {
    findings.miss(f.path, 1, 'a prompt is not kept: blue writes each expert\'s prompt itself, from the panel (dialogue checkout writes them)');
  }
  const missing = panelNames.filter((name) => !outputs.some((o) => o.name === name));
  // In panel order, as round ingest reads them: the global ids (P0001, ...) are numbered in that order.
  outputs.sort((a, b) => panelNames.indexOf(a.name) - panelNames.indexOf(b.name));
  return { outputs, missing, sourceOf };
}

/** An id as the dialogue holds it: its author's name in the dialogue (an expert renamed on import). */
function mappedRef(ref: IdRef, round: number, namesByRound: Map<number, Map<string, string>>): IdRef {
  if (!ref.author) return ref;
  const names = namesByRound.get(ref.round ?? round);
  const name = names?.get(normaliseName(ref.author));
  return name ? { ...ref, author: name.toUpperCase() } : ref;
}

/**
 * A round whose outputs the folder did not keep: the tensions, perspectives and recommendations the judge's
 * tables list for it are recorded as the judge wrote them (its ids, its labels, who it says raised them).
 */
function recordJudgeEntities(dialogue: Dialogue, n: number, records: EntityRecord[], namesByRound: Map<number, Map<string, string>>, options: ImportOptions, at: string): Dialogue {
  const names = namesByRound.get(n) ?? new Map<string, string>();
  const tensions: Tension[] = [];
  const contributions: Contribution[] = [];
  for (const record of records) {
    const ref = mappedRef(record.ref, n, namesByRound);
    const id = formatIdRef(ref).toUpperCase();
    const raisers = record.raisedBy.filter(isPastryName).map((r) => names.get(normaliseName(r)) ?? normaliseName(r));
    const author = ref.author ? normaliseName(ref.author) : raisers[0] ?? 'judge';
    const common = {
      id,
      globalId: ref.global ? id : globalId(ref.letter, n, ref.seq),
      author,
      round: n,
      seq: ref.seq,
      label: record.label,
      text: record.raisedBy.length > 1 ? `Raised by ${record.raisedBy.join(', ')}.` : '',
      file: options.sourcePath(record.file),
      line: record.line,
    };
    if (ref.letter === 'T') {
      if (findTension(dialogue, id) || tensions.some((t) => t.id === id)) continue;
      tensions.push(common);
    } else if (ref.letter === 'P' || ref.letter === 'R') {
      if ([...dialogue.contributions, ...contributions].some((c) => c.id === id || c.globalId === id)) continue;
      contributions.push({ kind: ref.letter === 'P' ? 'perspective' : 'recommendation', ...common });
    }
  }
  let seq = nextEventSeq(dialogue);
  return {
    ...dialogue,
    tensions: [...dialogue.tensions, ...tensions],
    contributions: [...dialogue.contributions, ...contributions],
    events: [
      ...dialogue.events,
      ...tensions.map((t) => ({ seq: seq++, kind: 'raised' as const, at, round: n, tension: t.id, actor: t.author, origin: 'judge' as const, from: 'open' as const, to: 'open' as const })),
    ],
  };
}

/** The judge's statuses for round n, applied as the judge's decisions where blue's life cycle allows them. */
function applyClaims(dialogue: Dialogue, n: number, claims: StatusClaim[], namesByRound: Map<number, Map<string, string>>, findings: Findings, at: string): Dialogue {
  let d = dialogue;
  for (const claim of claims) {
    const raw = formatIdRef(mappedRef(claim.ref, n, namesByRound));
    const tension = findTension(d, raw) ?? findTension(d, claim.raw);
    if (!tension) {
      findings.miss(claim.file, claim.line, `${claim.raw} names no tension of this dialogue (no output the folder keeps raises it); its status "${claim.reading.word}" is not imported`);
      continue;
    }
    const current = stateOf(d, tension.id, n).status;
    const { status: want, word } = claim.reading;
    if (want === 'open') {
      if (!isOpen(current)) findings.miss(claim.file, claim.line, `${tension.id} is written ${word} here, but it is ${current} by round ${n}; it stays ${current} (only REOPENED reopens a tension)`);
      continue;
    }
    if (want === current) continue;
    if (want === 'reopened' && isOpen(current)) {
      findings.miss(claim.file, claim.line, `${tension.id} is written ${word}, but no file of the folder closed it before round ${n}; it stays ${current}`);
      continue;
    }
    if (claim.implied && current === 'accepted') {
      findings.miss(claim.file, claim.line, `${tension.id} is listed here among resolved tensions, but it was accepted unresolved; it stays accepted`);
      continue;
    }
    let by: string[] | undefined;
    if (want === 'superseded') {
      by = claim.successors.map((s) => findTension(d, s)?.id).filter((s): s is string => s !== undefined && s !== tension.id);
      if (!by.length) {
        findings.miss(claim.file, claim.line, `${tension.id} is written ${word}, but by no tension of this dialogue (${claim.successors.join(', ') || 'none named'}); its status is not imported`);
        continue;
      }
    }
    let note = claim.reading.note;
    if (claim.reading.deferred) note = `${word}${note ? `: ${note}` : ''}`;
    if (want === 'accepted' && !note) note = word;
    if (!canMove(current, want)) {
      findings.miss(claim.file, claim.line, `${tension.id} is ${current} by round ${n}; blue's life cycle does not let it become ${want} (${word}), so this status is not imported`);
      continue;
    }
    d = changeStatus(d, { tension: tension.id, to: want, actor: 'judge', origin: 'judge', round: n, at, ...(note ? { note } : {}), ...(by ? { by } : {}) });
  }
  return d;
}

function scoreImportedRound(
  dialogue: Dialogue,
  n: number,
  figures: RoundFigureSet | undefined,
  names: Map<string, string>,
  label: string | undefined,
  summary: string | undefined,
  at: string,
  findings: Findings,
): Dialogue | undefined {
  const round = dialogue.rounds.find((r) => r.n === n)!;
  const panelNames = round.panel.map((m) => m.name);
  const byName = new Map<string, Score>();
  for (const [folderName, row] of figures?.experts ?? []) {
    const name = names.get(folderName);
    if (!name) {
      findings.miss(row.file, row.line, `${folderName} is scored in round ${n}, but is not on its panel (${panelNames.join(', ')}); the score is not imported`);
      continue;
    }
    const member = round.panel.find((m) => m.name === name)!;
    if (row.role && row.role.toLowerCase() !== member.role.toLowerCase()) {
      findings.note(row.file, row.line, `${folderName}'s role is written "${row.role}" here; on the panel ${name} is "${member.role}"`);
    }
    const score = scoreOf(row, name, n, findings);
    if (score) byName.set(name, score);
  }
  // In panel order: the record breaks ties between equal scores in the order the scores were given.
  const scores: Record<string, Score> = Object.fromEntries(panelNames.filter((name) => byName.has(name)).map((name) => [name, byName.get(name)!]));
  const unscored = panelNames.filter((name) => !byName.has(name));
  const previousTotal = n === 0 ? 0 : roundMetrics(dialogue, n - 1).cumulative.total;
  const roundScore = judgeRoundScore(n, figures, scores, previousTotal, findings);
  const judge = judgeCounts(n, figures, round.panel.length, names, findings);
  if (unscored.length === panelNames.length) {
    findings.note(`round-${n}`, 1, roundScore ? `the folder gives round ${n}'s score but no expert's` : `the folder gives no scores for round ${n}; it is recorded as scored with none`);
  } else if (unscored.length) {
    findings.note(`round-${n}`, 1, `the folder gives no round ${n} score for ${unscored.join(', ')}`);
  }
  try {
    dialogue = scoreRound(dialogue, {
      round: n,
      scores,
      ...(roundScore ? { roundScore } : {}),
      judge,
      ...(label ? { label } : {}),
      ...(summary !== undefined ? { summary } : {}),
      at,
      recorded: true,
    }).dialogue;
  } catch (error) {
    if (!(error instanceof BlueError)) throw error;
    findings.miss(`round-${n}`, 1, `round ${n} could not be scored (${error.message}); the rounds after it are not imported`);
    return undefined;
  }
  const m = roundMetrics(dialogue, n);
  if (figures?.cumulative && figures.cumulative.value !== m.cumulative.total) {
    findings.miss(figures.cumulative.file, figures.cumulative.line, `the running total after round ${n} is written ${figures.cumulative.value}; the rounds add up to ${m.cumulative.total}, which blue keeps`);
  }
  if (figures?.velocity && figures.velocity.value !== m.velocity) {
    findings.miss(figures.velocity.file, figures.velocity.line, `round ${n}'s velocity is written ${figures.velocity.value}; blue derives ${m.velocity} (open tensions ${m.effective.openTensions} + new perspectives ${m.effective.newPerspectives})`);
  }
  if (figures?.scoreGain && figures.scoreGain.value !== m.roundScore.total) {
    findings.miss(figures.scoreGain.file, figures.scoreGain.line, `round ${n}'s gain in ALIGNMENT is written +${figures.scoreGain.value}; its score is ${m.roundScore.total}`);
  }
  return dialogue;
}

/**
 * The round's W/C/T/R and total as the judge gave them: all four parts when the judge wrote them, else the
 * round's total (written, or the running total less the rounds before). Undefined when the experts' scores
 * add up to it anyway.
 */
function judgeRoundScore(n: number, figures: RoundFigureSet | undefined, scores: Record<string, Score>, previousTotal: number, findings: Findings): Score | undefined {
  const given = Object.values(scores);
  const sum = sumScores(given);
  const mixed = given.some((s) => !hasComponents(s)) && given.some((s) => hasComponents(s) && s.total > 0);
  if (figures?.w && figures.c && figures.t && figures.r) {
    const parts = { w: figures.w.value, c: figures.c.value, t: figures.t.value, r: figures.r.value };
    const total = parts.w + parts.c + parts.t + parts.r;
    if (figures.total && figures.total.value !== total) {
      findings.miss(figures.total.file, figures.total.line, `round ${n}'s score is written ${figures.total.value}, but its W+C+T+R adds up to ${total}; blue keeps W, C, T and R`);
    }
    return { ...parts, total };
  }
  let total = figures?.total?.value;
  if (total === undefined && figures?.cumulative) {
    const gain = figures.cumulative.value - previousTotal;
    if (gain >= 0) total = gain;
  }
  if (total === undefined) return mixed ? { w: null, c: null, t: null, r: null, total: sum.total } : undefined;
  if (given.length && sum.total !== total) {
    const where = figures?.total ?? figures?.cumulative;
    findings.miss(where!.file, where!.line, `round ${n}'s experts' scores add up to ${sum.total}, but the round's score is written ${total}; the round keeps ${total}`);
  } else if (given.length && !mixed) return undefined;
  return { w: null, c: null, t: null, r: null, total };
}

/** The judge's open tensions, new perspectives and converge signals for the round, where the folder gives them. */
function judgeCounts(n: number, figures: RoundFigureSet | undefined, panelSize: number, names: Map<string, string>, findings: Findings): Partial<Counts> {
  const judge: Partial<Counts> = {};
  if (!figures) return judge;
  if (figures.openTensions) judge.openTensions = figures.openTensions.value;
  if (figures.newPerspectives) judge.newPerspectives = figures.newPerspectives.value;
  const candidates: Array<Sourced<number>> = [];
  for (const c of figures.converge) {
    const count = convergeCount(c.value, panelSize);
    if (count === undefined) {
      const written = c.value.kind === 'count' ? `${c.value.count}/${c.value.of ?? '?'}` : `${c.value.percent}%`;
      findings.miss(c.file, c.line, `round ${n}'s converge is written ${written}, which no count of its panel of ${panelSize} gives; not read`);
      continue;
    }
    candidates.push({ ...c, value: count });
  }
  if (figures.signalled) {
    const panel = new Set(names.values());
    const signalled = figures.signalled.value.map((name) => names.get(name)).filter((name): name is string => name !== undefined && panel.has(name));
    candidates.push({ ...figures.signalled, value: new Set(signalled).size });
  }
  const first = candidates[0];
  if (first) {
    judge.convergeSignals = first.value;
    for (const other of candidates.slice(1)) {
      if (other.value !== first.value) findings.miss(other.file, other.line, `round ${n}'s converge signals are ${other.value} here, but ${first.value} in ${first.file}:${first.line}; ${first.value} is kept`);
    }
  }
  return judge;
}

function convergeCount(figure: ConvergeFigure, panelSize: number): number | undefined {
  if (figure.kind === 'count') return figure.count <= panelSize && (figure.of === undefined || figure.of === panelSize) ? figure.count : undefined;
  for (let k = 0; k <= panelSize; k++) if (panelSize > 0 && Math.round((k / panelSize) * 100) === figure.percent) return k;
  return undefined;
}

/**
 * The final verdict: verdict.md (its Key Insights section as the insights), else the convergence notes,
 * else the record's Verdict and Key Insights. Recorded as final; where blue's convergence gate does not
 * open for the imported figures, it is recorded as forced with a warning that says why.
 */
function recordImportedVerdict(dialogue: Dialogue, verdictDoc: JudgeDoc | undefined, record: JudgeDoc | undefined, findings: Findings, at: string): Dialogue {
  const insightsHeading = (h: string) => /key insights/i.test(h);
  let text: string | undefined;
  let insights: string | undefined;
  let source: JudgeDoc | undefined;
  // The record's Verdict is the verdict as the judge wrote it for the record; verdict.md and convergence notes
  // are the judge's working files, whose text stands in when there is no record.
  const recordText = record ? splitSection(record, (h) => h === 'Verdict').section : undefined;
  if (record && recordText) {
    text = recordText;
    insights = splitSection(record, insightsHeading).section;
    source = record;
    if (verdictDoc) findings.miss(verdictDoc.path, 1, `its text is not kept: the record's Verdict (${record.path}) is the verdict; its tables are read`);
  } else if (verdictDoc) {
    const split = splitSection(verdictDoc, insightsHeading);
    text = split.rest;
    insights = split.section;
    source = verdictDoc;
  }
  if (!text?.trim() || !source) {
    findings.note('.', 1, `the folder holds no verdict (verdict.md, convergence notes, a record); the dialogue is imported open: record it with blue dialogue verdict ${dialogue.id}`);
    return dialogue;
  }
  const input = { type: 'final' as const, text, ...(insights ? { insights } : {}), at };
  try {
    return recordVerdict(dialogue, input).dialogue;
  } catch (error) {
    if (!(error instanceof BlueError) || error.code !== 'not_converged') {
      if (error instanceof BlueError) {
        findings.miss(source.path, 1, `the verdict is not imported: ${error.message}`);
        return dialogue;
      }
      throw error;
    }
    const blockers = (error.details.blockers as string[] | undefined) ?? [];
    const warning = `Imported from ${source.path}: the judge recorded this verdict, but blue's convergence gate was not met after the last round (${blockers.join('; ')}).`;
    findings.note(source.path, 1, `the verdict is recorded as forced: ${blockers.join('; ')}`);
    return recordVerdict(dialogue, { ...input, force: true, warning }).dialogue;
  }
}

/** The dialogue's totals as the judge wrote them, against the rounds' figures that blue adds up. */
function checkTotals(dialogue: Dialogue, figures: { total?: Sourced<number>; w?: Sourced<number>; c?: Sourced<number>; t?: Sourced<number>; r?: Sourced<number> }, findings: Findings): void {
  const total = totalAlignment(dialogue);
  const check = (figure: Sourced<number> | undefined, value: number | null, what: string) => {
    if (figure && value !== null && figure.value !== value) {
      findings.miss(figure.file, figure.line, `the dialogue's ${what} is written ${figure.value}; its rounds add up to ${value}, which blue keeps`);
    }
  };
  check(figures.total, total.total, 'total ALIGNMENT');
  check(figures.w, total.w, 'total W');
  check(figures.c, total.c, 'total C');
  check(figures.t, total.t, 'total T');
  check(figures.r, total.r, 'total R');
}

/** The files and tables the import did not read, each named. */
function reportUnread(
  files: Files,
  used: Set<DocTable>,
  kept: (entry: { doc: JudgeDoc; kind: Classified['kind'] }) => boolean,
  entries: Array<{ doc: JudgeDoc; kind: Classified['kind'] }>,
  findings: Findings,
): void {
  for (const f of files.classified) {
    if (f.kind === 'unknown') findings.miss(f.path, 1, 'not a file of a blue dialogue folder; not imported');
    else if (f.kind === 'blue-own') findings.miss(f.path, 1, 'a file blue writes for itself (its store, an export, a run log); not imported');
    else if (f.kind === 'brief') findings.miss(f.path, 1, 'a context brief is not kept: blue writes the brief into each newcomer\'s prompt itself');
  }
  for (const entry of entries) {
    if (kept(entry)) continue;
    for (const table of entry.doc.tables) {
      if (used.has(table)) continue;
      findings.miss(entry.doc.path, table.line, `the table under "${table.heading ?? 'the top'}" (${table.header.join(', ')}) is not imported: blue derives or does not record what it holds`);
    }
    if (entry.kind === 'tensions' && entry.doc.tensionEntries.length) {
      findings.miss(entry.doc.path, entry.doc.tensionEntries[0].line, 'the judge\'s descriptions of the tensions are not kept: blue keeps each tension\'s label and text from the output that raised it, and the statuses with their notes');
    }
  }
}
