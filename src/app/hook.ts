// `blue hook run pre-commit` and `blue hook install`: the git hook that keeps exported records valid and
// current. The hook checks what the commit will record (the staged content, never the working tree):
// every staged export (dialogue.md, transcript.md, dialogue.json) must pass lint and be exactly what
// `blue dialogue export` writes from the dialogue as the commit records it; so must every export the
// index holds of a dialogue whose store.json the commit stages (the judge scored a round and forgot to
// export). On the file store the dialogue as the commit records it is the store.json the index holds,
// not the one in the working tree. A commit that stages no dialogue file costs one `git diff` and no store.

import { posix } from 'node:path';
import { badInput, BlueError, integrity } from '../domain/errors.js';
import type { Dialogue } from '../domain/model.js';
import { hasHookBlock, hookBlockRoots, insertHookBlock, isCurrentHookBlock, isShellScript, orderedRoots, renderHookBlock, renderHookFile, replaceHookBlock, shellQuote, type HookInvocation } from '../render/git-hook.js';
import type { Stores } from '../store/types.js';
import { dialogueFileOf, exportFile, EXPORT_FORMATS, storeFile, type ExportFormat } from '../workspace/layout.js';
import { render } from './export.js';
import type { Ports } from './ports.js';
import { withStores } from './shared.js';

import type { LintFinding } from '../domain/lint.js';
import { sameText } from '../domain/line-ends.js';

export type { LintFinding };

/** The linter the hook runs on each staged Markdown export: `lintDocument(text, file)`. */
export type Linter = (text: string, file: string) => LintFinding[];

/** The git index, as the hook reads it; paths relative to the project root (outside it: `../...`). */
export interface StagedIndex {
  /** The files the commit adds or changes (not those it deletes). */
  stagedFiles(): Promise<string[]>;
  /** The files the commit deletes (a file moved is deleted from where it was). */
  deletedFiles(): Promise<string[]>;
  /** The content the commit records for each path; undefined for a path the index does not hold. */
  stagedTexts(paths: readonly string[]): Promise<Array<{ path: string; text: string | undefined }>>;
}

/** The repository's hooks folder and its files; a hook path is as hooksFolder() names it, joined with `/`. */
export interface HookFiles {
  /** The hooks folder git runs (core.hooksPath when set): relative to the project root, or absolute. */
  hooksFolder(): Promise<string>;
  /** Where the project root is below the repository's top level (where git runs hooks): '' or `sub/dir/`. */
  projectPrefix(): Promise<string>;
  /** Every folder of the repository that holds a `.blue/` (tracked or not ignored), from the top level: '' or `sub/dir`. */
  projects(): Promise<string[]>;
  readHook(path: string): Promise<{ text: string | undefined; executable: boolean } | undefined>;
  exists(path: string): Promise<boolean>;
  writeHook(path: string, text: string): Promise<void>;
  moveHook(from: string, to: string): Promise<void>;
}

/**
 * git runs pre-commit for a commit, and pre-merge-commit (not pre-commit) for a merge it completes itself,
 * with the merge result in the index: the same check serves both.
 */
export const HOOKS = ['pre-commit', 'pre-merge-commit'] as const;
export type HookName = (typeof HOOKS)[number];

function hookName(name: string | undefined): HookName {
  if ((HOOKS as readonly string[]).includes(name ?? '')) return name as HookName;
  throw badInput('unknown_hook', `blue has the ${HOOKS.join(' and ')} hooks only (got "${name ?? ''}")`, { hook: name, hooks: [...HOOKS], fix: `name one of: ${HOOKS.map((h) => `blue hook run ${h}`).join(', ')}` });
}

const EXPORT_OPTION: Record<ExportFormat, string> = { record: '', transcript: ' --format transcript', json: ' --format json' };

/** The commands that make a staged export current again. */
export function exportFix(id: string, format: ExportFormat, path: string): string[] {
  return [`blue dialogue export ${id}${EXPORT_OPTION[format]}`, `git add ${path}`];
}

export interface CheckedExport {
  file: string;
  id: string;
  format: ExportFormat;
  /** Why it was checked: the commit stages it, stages its dialogue's store.json, or deletes it. */
  because: 'staged' | 'store_staged' | 'deleted';
  /** true: what export writes now (from the dialogue as the commit records it); false: it differs, or is missing; null: no such dialogue. */
  current: boolean | null;
  /**
   * Only when the commit holds no such file (current is false): the dialogue is not abandoned, and the
   * commit stages its store.json with no record (never exported, or never added), or deletes its record
   * while the dialogue stays.
   */
  missing?: true;
  findings: LintFinding[];
  /** Whether this file alone refuses the commit: a critical finding, or not current. */
  refuses: boolean;
  fix: string[];
}

export interface PreCommitReport {
  hook: HookName;
  checked: CheckedExport[];
  refused: boolean;
  /** Said, not refused: dialogue files of another blue project, dialogues the store does not hold. */
  warnings: string[];
}

interface Candidate {
  file: string;
  id: string;
  format: ExportFormat;
  because: CheckedExport['because'];
}

/**
 * The records the commit deletes while keeping their dialogue: those it does not delete the store.json of
 * too (deleting a dialogue's folder takes its record with it). Whether the dialogue stays, and is not
 * abandoned, is for the dialogue as the commit records it. The transcript and the JSON export are optional:
 * deleting one is the team's choice, as never writing it would have been, and `export --all --check`
 * does not ask for it either.
 */
function deletedRecordsOf(deleted: readonly string[]): Candidate[] {
  const gone = new Set(deleted);
  return deleted.flatMap((path): Candidate[] => {
    const found = dialogueFileOf(path);
    if (found?.kind !== 'record' || gone.has(storeFile(found.id))) return [];
    return [{ file: path, id: found.id, format: 'record', because: 'deleted' }];
  });
}

/** The exports the commit must keep current, from the paths it stages. */
function candidatesOf(staged: readonly string[]): Candidate[] {
  const byFile = new Map<string, Candidate>();
  for (const path of staged) {
    const found = dialogueFileOf(path);
    if (!found) continue;
    if (found.kind !== 'store') {
      byFile.set(path, { file: path, id: found.id, format: found.kind, because: 'staged' });
      continue;
    }
    for (const format of EXPORT_FORMATS) {
      const file = exportFile(found.id, format);
      if (!byFile.has(file)) byFile.set(file, { file, id: found.id, format, because: 'store_staged' });
    }
  }
  return [...byFile.values()];
}

/** Lint for the Markdown exports; for the JSON one, that it parses. */
function findingsOf(text: string, candidate: Candidate, lint: Linter): LintFinding[] {
  if (candidate.format !== 'json') return lint(text, candidate.file);
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    return [{ severity: 'critical', rule: 'json-syntax', line: 1, message: `not valid JSON: ${(error as Error).message}` }];
  }
}

/**
 * The dialogues as the commit records them, by id: what each export must be the export of. On a store
 * whose state is a file the repository tracks (the file store's store.json), that file as the index holds
 * it (staged, or as the last commit left it), read and checked as the store reads it: a corrupt one is
 * exit 4, naming it. Where the index holds no store.json of the dialogue (the repository does not track
 * it), and on a store outside the repository (DynamoDB), the store's dialogue. An id in neither is left out.
 */
async function recordedDialogues(stores: Stores, index: StagedIndex, ids: readonly string[]): Promise<Map<string, Dialogue>> {
  const reader = stores.storeFile;
  const staged = new Map(reader ? (await index.stagedTexts(ids.map(storeFile))).map((t) => [t.path, t.text]) : []);
  const recorded = new Map<string, Dialogue>();
  for (const id of ids) {
    const text = staged.get(storeFile(id));
    if (reader && text !== undefined) recorded.set(id, decodeStaged(reader, text, id));
    else if (await stores.store.exists(id)) recorded.set(id, await stores.store.load(id));
  }
  return recorded;
}

/**
 * The staged store.json, decoded; a corrupt one is the store's own integrity error, with a remedy for the
 * index. The store's advice (`git checkout -- <file>`) copies the index over the working tree, which here
 * would spread the corrupt copy, so the fix is to stage a sound one or to unstage it.
 */
function decodeStaged(reader: NonNullable<Stores['storeFile']>, text: string, id: string): Dialogue {
  const file = storeFile(id);
  try {
    return reader.decode(text, id, file);
  } catch (error) {
    if (!(error instanceof BlueError) || error.code !== 'corrupt_store_file' || typeof error.details.problem !== 'string') throw error;
    // Staged with git's conflict markers: the merge is to be redone from one side, as the store says.
    if (error.details.conflict === true && typeof error.details.fix === 'string') {
      throw integrity('corrupt_store_file', `${file}, as this commit stages it, still holds git's conflict markers (lines that start <<<<<<<, ======= and >>>>>>>). ${error.details.fix}.`, error.details);
    }
    const merged = typeof error.details.merged === 'string' ? `; or, ${error.details.merged}` : '';
    const fix = `stage a sound store.json (check the working tree's with \`blue dialogue show ${id}\`, then \`git add ${file}\`), or unstage it: git restore --staged ${file}${merged}`;
    throw integrity('corrupt_store_file', `${file}, as this commit stages it, is corrupt: ${error.details.problem}. ${fix}.`, { ...error.details, fix });
  }
}

/**
 * The dialogue files of other blue projects (paths from this project's root, `../...`) that no check of
 * blue's installed hook covers: the hook checks each project it was installed in, one run each, so a
 * file of another such project is that project's run's to check, not to warn about here.
 */
async function uncheckedElsewhere(hook: HookName, elsewhere: readonly string[], installed: HookInstalledText | undefined, hooks: InstalledHook | undefined): Promise<string[]> {
  if (!hooks || elsewhere.length === 0) return [...elsewhere];
  const roots = (installed && hookBlockRoots(installed.text, hook)) || [];
  const prefix = await hooks.projectPrefix();
  return elsewhere.filter((file) => {
    const top = posix.normalize(posix.join(prefix, file));
    const project = top.startsWith('.blue/') ? '' : top.slice(0, top.indexOf('/.blue/dialogues/'));
    return !roots.includes(project);
  });
}

interface HookInstalledText {
  file: string;
  text: string;
}

/** The hook file git runs for `hook`, when there is one that holds text. */
async function installedHookText(hooks: InstalledHook, hook: HookName): Promise<HookInstalledText | undefined> {
  const file = `${(await hooks.hooksFolder()).replace(/\/$/, '')}/${hook}`;
  const text = (await hooks.readHook(file))?.text;
  return text === undefined ? undefined : { file, text };
}

/**
 * A block an older blue installed keeps running, and keeps missing what this blue checks (a commit that
 * deletes a record, say), until `blue hook install` rewrites it: said on each commit it checks.
 */
function staleHookWarning(hook: HookName, installed: HookInstalledText | undefined): string[] {
  if (!installed || isCurrentHookBlock(installed.text, hook) !== false) return [];
  return [`blue's ${hook} hook in ${installed.file} is not the one this blue installs (an older blue wrote it, or it was edited), so it may miss checks this blue makes: run \`blue hook install\` to bring it up to date (it keeps the hook's other projects and commands)`];
}

/** What `hook run` reads of the installed hook: which projects its block checks. */
export type InstalledHook = Pick<HookFiles, 'hooksFolder' | 'projectPrefix' | 'readHook'>;

export async function runHook(ports: Ports, request: { hook: string; index: StagedIndex; lint: Linter; hooks?: InstalledHook }): Promise<PreCommitReport> {
  const hook = hookName(request.hook);
  const staged = await request.index.stagedFiles();
  const deleted = await request.index.deletedFiles();
  const installed = request.hooks && (await installedHookText(request.hooks, hook));
  const warnings: string[] = staleHookWarning(hook, installed);
  const elsewhere = await uncheckedElsewhere(hook, [...staged, ...deleted].filter((p) => p.startsWith('../') && /(^|\/)\.blue\/dialogues\//.test(p)), installed, request.hooks);
  if (elsewhere.length) {
    warnings.push(`not checked, outside this project (${ports.workspace.root}): ${elsewhere.join(', ')}; check them with \`blue --root <their project> hook run ${hook}\`, and on every commit by \`blue hook install\` in their project`);
  }
  const deletedRecords = deletedRecordsOf(deleted);
  const candidates = [...candidatesOf(staged).filter((c) => !deletedRecords.some((d) => d.file === c.file)), ...deletedRecords];
  if (candidates.length === 0) return { hook, checked: [], refused: false, warnings };
  const asked = candidates.filter((c) => c.because !== 'deleted');
  const texts = new Map((await request.index.stagedTexts(asked.map((c) => c.file))).map((t) => [t.path, t.text]));
  const present = asked.filter((c) => texts.get(c.file) !== undefined);
  // A dialogue whose store.json the commit stages must have its record in the commit too, unless it is
  // abandoned (as `export --all --check` skips it); so must one whose record the commit deletes. The
  // transcript and the JSON export are optional: one the index does not hold is not asked for.
  const unrecorded = candidates.filter((c) => c.format === 'record' && texts.get(c.file) === undefined && c.because !== 'staged');
  if (present.length === 0 && unrecorded.length === 0) return { hook, checked: [], refused: false, warnings };

  const ids = [...new Set([...present, ...unrecorded].map((c) => c.id))];
  const dialogues = await withStores(ports, (stores) => recordedDialogues(stores, request.index, ids));
  const checked = candidates.flatMap((candidate): CheckedExport[] => {
    const text = texts.get(candidate.file);
    if (text === undefined) {
      const status = unrecorded.includes(candidate) ? dialogues.get(candidate.id)?.status : undefined;
      if (status === undefined || status === 'abandoned') return [];
      return [{ ...candidate, current: false, missing: true, findings: [], refuses: true, fix: exportFix(candidate.id, candidate.format, candidate.file) }];
    }
    const findings = findingsOf(text, candidate, request.lint);
    const dialogue = dialogues.get(candidate.id);
    const current = dialogue ? sameText(render(dialogue, candidate.format), text) : null;
    if (current === null) warnings.push(`${candidate.file}: the store holds no dialogue ${candidate.id}, so blue cannot say whether it is current; lint alone checked it`);
    const critical = findings.some((f) => f.severity === 'critical');
    // Out of date: export again. Invalid and not in the store: only an edit by hand mends it. (Invalid and
    // current would be blue's own export failing its own lint: refused, with nothing for the judge to run.)
    const fix = current === false ? exportFix(candidate.id, candidate.format, candidate.file) : critical && current === null ? [`blue dialogue lint ${candidate.file}`, `git add ${candidate.file}`] : [];
    return [{ ...candidate, current, findings, refuses: current === false || critical, fix }];
  });
  return { hook, checked, refused: checked.some((c) => c.refuses), warnings };
}

export type InstallAction = 'created' | 'added' | 'updated' | 'unchanged' | 'chained';

export interface HookInstalled {
  hook: HookName;
  /** The hook file: relative to the project root, or absolute when the hooks folder is outside it. */
  file: string;
  action: InstallAction;
  /** Where a hook that was in the way now is (never deleted). */
  kept?: string;
  warnings: string[];
}

/** `base`, else `base.1`, `base.2`...: the first name not taken in the hooks folder. */
async function freeName(files: HookFiles, base: string): Promise<string> {
  for (let n = 0; ; n++) {
    const name = n === 0 ? base : `${base}.${n}`;
    if (!(await files.exists(name))) return name;
  }
}

/** How the installed hook calls blue back: the node and bin/blue that ran the install, when known. */
export type BlueInvocation = HookInvocation;

/** Where a project is, in words: its folder from the repository's top level. */
const projectName = (root: string): string => (root === '' ? 'the top level' : root);

/** The installs that give these projects their checks, run from the repository's top level. */
const installsIn = (projects: readonly string[]): string =>
  `from the top level: ${projects.map((p) => (p === '' ? 'blue hook install' : `(cd ${shellQuote(p)} && blue hook install)`)).join('; ')}`;

/**
 * A hook for a folder that holds no `.blue/` would check nothing, and say nothing about it: refused,
 * naming the repository's blue projects, where the install belongs.
 */
function noProject(prefix: string, projects: readonly string[]): BlueError {
  const here = prefix === '' ? "the repository's top level" : prefix;
  const fix = projects.length
    ? `install it in each blue project, ${installsIn(projects)}`
    : 'run `blue hook install` in the folder that holds .blue/ (the first `blue dialogue start` there makes it), or make this folder a blue project first: mkdir .blue';
  const found = projects.length ? ` The blue projects in this repository are in ${projects.map(projectName).join(', ')}.` : ' No folder of this repository holds one yet.';
  return badInput('no_blue_project', `no blue project here: ${here} holds no .blue/ folder, so a hook installed for it would check nothing.${found} Fix: ${fix}.`, { folder: prefix, projects: [...projects], fix });
}

/**
 * `blue hook install`: the hook `hook` names, or every hook blue has (a commit's and a merge's), for the
 * blue project the command runs in. Each hook holds one check per project it was installed in.
 */
export async function installHooks(request: { hook?: string; files: HookFiles; invocation: BlueInvocation }): Promise<HookInstalled[]> {
  const hooks = request.hook === undefined ? HOOKS : [hookName(request.hook)];
  const { files } = request;
  const projects = await files.projects();
  if (!(await files.exists('.blue'))) throw noProject((await files.projectPrefix()).replace(/\/$/, ''), projects);
  const installed: HookInstalled[] = [];
  for (const hook of hooks) installed.push(await installHook({ ...request, hook }, projects));
  return installed;
}

/** One hook, beside what its file already holds; `projects` (the repository's) that it does not check are named. */
export async function installHook(request: { hook?: string; files: HookFiles; invocation: BlueInvocation }, projects: readonly string[] = []): Promise<HookInstalled> {
  const hook = hookName(request.hook ?? 'pre-commit');
  const { files } = request;
  const folder = await files.hooksFolder();
  const file = `${folder.replace(/\/$/, '')}/${hook}`;
  const existing = await files.readHook(file);
  // git runs a hook at the repository's top level; a project below it is named to the hook by --root.
  // The checks the block has for other projects (installed there) are kept beside this one.
  const prefix = (await files.projectPrefix()).replace(/\/$/, '');
  const roots = orderedRoots([...((existing?.text !== undefined && hookBlockRoots(existing.text, hook)) || []), prefix]);
  const block = renderHookBlock(hook, request.invocation, roots);
  const warnings: string[] = [];
  if (/(^|\/)\.husky(\/|$)/.test(folder)) {
    warnings.push(`core.hooksPath is ${folder}, which husky rewrites; add \`blue hook run ${hook}\` to .husky/${hook} instead (see blue's README)`);
  }
  const unchecked = projects.filter((p) => !roots.includes(p));
  if (unchecked.length) {
    warnings.push(`blue's hook does not check the blue project${unchecked.length === 1 ? '' : 's'} in ${unchecked.map(projectName).join(', ')}: run \`blue hook install\` in ${unchecked.length === 1 ? 'it' : 'each'} too, ${installsIn(unchecked)}`);
  }
  const done = (action: InstallAction, kept?: string): HookInstalled => ({ hook, file, action, ...(kept ? { kept } : {}), warnings });

  if (!existing) {
    await files.writeHook(file, renderHookFile(block));
    return done('created');
  }
  if (existing.text !== undefined && hasHookBlock(existing.text, hook)) {
    const text = replaceHookBlock(existing.text, hook, block);
    if (text === existing.text && existing.executable) return done('unchanged');
    await files.writeHook(file, text);
    return done('updated');
  }
  if (!existing.executable) {
    // git never ran it: keep it, but do not start running code someone switched off.
    const kept = await freeName(files, `${file}.inactive`);
    await files.moveHook(file, kept);
    await files.writeHook(file, renderHookFile(block));
    warnings.push(`${file} was not executable, so git did not run it; it is kept as ${kept}, and the new hook runs blue only`);
    return done('created', kept);
  }
  if (existing.text !== undefined && isShellScript(existing.text)) {
    await files.writeHook(file, insertHookBlock(existing.text, block));
    return done('added');
  }
  // A hook in another language (or a binary) cannot take a shell block: it runs after blue's, by name.
  const kept = await freeName(files, `${file}.before-blue`);
  await files.moveHook(file, kept);
  await files.writeHook(file, renderHookFile(block, kept.slice(kept.lastIndexOf('/') + 1)));
  return done('chained', kept);
}
