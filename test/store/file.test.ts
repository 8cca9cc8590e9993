// The file store: the shared conformance suite, plus what only a file store has: the store file's format
// and integrity checks, the lock file, leftovers of crashed writers, and real concurrent processes.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/store/canonical-json.js';
import { FileStore, openFileStores, sealStoreFile } from '../../src/store/file/store.js';
import { toPlainJson } from '../../src/domain/canonical.js';
import { ingest, open, start } from '../support/dialogue-factory.js';
import type { CatalogProblem } from '../../src/store/types.js';
import type { Dialogue } from '../../src/domain/model.js';
import { makeDialogue, makeRound } from '../support/dialogue-factory.js';
import { expectBlueError, storeConformance } from './conformance.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WRITER_SCRIPT = path.join(here, '..', 'support', 'store-writer.mjs');

const ID = '2025-01-10T0900Z-cache-strategy';
const OTHER_ID = '2025-02-01T1200Z-cache-eviction';
const STORE_PATH = `.blue/dialogues/${ID}/store.json`;

/** The pid of a process that has exited. */
function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  return new Promise((resolve) => child.once('exit', () => resolve(child.pid!)));
}

async function makeTempRoot(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'blue-store-'));
}

storeConformance('file store', async () => {
  const root = await makeTempRoot();
  return { stores: openFileStores(root), cleanup: () => fs.rm(root, { recursive: true, force: true }) };
});

describe('file store', () => {
  let root: string;
  let store: FileStore;
  const dialogueDir = (id = ID) => path.join(root, '.blue', 'dialogues', id);
  const storeFile = (id = ID) => path.join(dialogueDir(id), 'store.json');

  beforeEach(async () => {
    root = await makeTempRoot();
    store = new FileStore(root);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  describe('the store file', () => {
    it('is readable JSON: a first line with format, schema and the sha256 of the dialogue\'s bytes as written', async () => {
      await store.create(makeDialogue(ID));
      const text = await fs.readFile(storeFile(), 'utf8');
      const envelope = JSON.parse(text);

      expect(text).toMatch(/^\{"format": "blue.dialogue-store", "schema": 2, "sha256": "[0-9a-f]{64}", "summary": \{"id":.*\}, "summary_check": "[0-9a-f]{8}", "dialogue":\n\{\n {2}"schema": 1,\n/);
      const summary = (await store.list())[0];
      expect(envelope.summary).toEqual(summary);
      expect(text.endsWith('\n}\n}\n')).toBe(true);
      expect(envelope.dialogue).toEqual(await store.load(ID));
      const body = text.slice(text.indexOf('\n') + 1, -'\n}\n'.length);
      expect(body).toBe(JSON.stringify(envelope.dialogue, null, 2));
      expect(envelope.sha256).toBe(sha256Hex(body));
      // Nothing else is left behind: no lock, no temporary file.
      expect(await fs.readdir(dialogueDir())).toEqual(['store.json']);
    });

    it('still reads a schema 1 file (sha256 over canonical JSON) and writes it as schema 2 on the next change', async () => {
      const dialogue = toPlainJson({ ...makeDialogue(ID), version: 1, updatedAt: '2025-01-01T00:00:00.000Z' });
      const schema1 = { format: 'blue.dialogue-store', schema: 1, sha256: sha256Hex(canonicalJson(dialogue)), dialogue };
      await fs.mkdir(dialogueDir(), { recursive: true });
      await fs.writeFile(storeFile(), `${JSON.stringify(schema1, null, 2)}\n`);

      expect(await store.load(ID)).toEqual(dialogue);
      expect((await store.list()).map((s) => s.id)).toEqual([ID]);
      await store.update(ID, (d) => ({ ...d, title: 'upgraded' }));
      const text = await fs.readFile(storeFile(), 'utf8');
      expect(text.startsWith('{"format": "blue.dialogue-store", "schema": 2, ')).toBe(true);
      expect(await store.load(ID)).toMatchObject({ title: 'upgraded', version: 2 });

      // A schema 1 file that was edited is still caught by its canonical checksum.
      await fs.writeFile(storeFile(), `${JSON.stringify({ ...schema1, dialogue: { ...dialogue, title: 'edited' } }, null, 2)}\n`);
      await expectBlueError(store.load(ID), 4, 'corrupt_store_file');
    });

    it('reads a store file git checked out with CRLF line ends (core.autocrlf), and writes LF again', async () => {
      // Outputs with line breaks and a JSON-escaped \r of their own: only the file's own line ends change.
      const d = toPlainJson(ingest(open(start()), { muffin: '[PERSPECTIVE P01: Cost]\nIt costs.\r\nA lot.\n[TENSION T01: Latency]\nSlow.\n' }));
      await store.create(d);
      const written = await fs.readFile(storeFile(d.id), 'utf8');
      const loaded = await store.load(d.id);
      expect(written).not.toContain('\r');
      await fs.writeFile(storeFile(d.id), written.replace(/\n/g, '\r\n'));

      const fresh = new FileStore(root);
      expect(await fresh.load(d.id)).toEqual(loaded);
      // list's first-line summary holds too, so it stays a read of the first line.
      expect(await fresh.list()).toEqual(await store.list());
      await fresh.update(d.id, (x) => ({ ...x, title: 'after a Windows checkout' }));
      const rewritten = await fs.readFile(storeFile(d.id), 'utf8');
      expect(rewritten).not.toContain('\r\n');
      expect((await fresh.load(d.id)).title).toBe('after a Windows checkout');
    });

    it('still refuses a CRLF store file that was edited, and a CR that is not a line end', async () => {
      await store.create(makeDialogue(ID));
      const written = await fs.readFile(storeFile(), 'utf8');
      await fs.writeFile(storeFile(), written.replace(/\n/g, '\r\n').replace('"schema": 1', '"schema": 7'));
      await expectBlueError(new FileStore(root).load(ID), 4, 'corrupt_store_file');
      await fs.writeFile(storeFile(), written.replace('"schema": 1,\n', '"schema": 1,\r \n'));
      const error = await expectBlueError(new FileStore(root).load(ID), 4, 'corrupt_store_file');
      expect(error.message).toMatch(/sha256/);
    });

    it('stores an expert\'s words once: an entity text that is a slice of its output is kept as the slice\'s bounds', async () => {
      const body = 'A perspective with some words in it, long enough to matter. '.repeat(200);
      const d = toPlainJson(ingest(open(start()), { muffin: `# Muffin\n\n[PERSPECTIVE P01: Long]\n${body}\n` }));
      const id = d.id;
      await store.create(d);
      const text = await fs.readFile(storeFile(id), 'utf8');
      const stored = JSON.parse(text).dialogue;
      const loaded = await store.load(id);

      const perspective = loaded.contributions.find((c) => c.author === 'Muffin')!;
      expect(perspective.text.length).toBeGreaterThan(10_000);
      const index = loaded.contributions.indexOf(perspective);
      const [from, to] = stored.contributions[index].text;
      expect(loaded.rounds[0].ingest!.outputs.Muffin.slice(from, to)).toBe(perspective.text);
      // The body is in the file once (in the output), not twice.
      expect(text.split('long enough to matter').length - 1).toBe(200);
      expect(loaded).toEqual({ ...d, version: 1, updatedAt: loaded.updatedAt });
      // The key order survives the round trip, so the JSON export is byte-identical.
      expect(JSON.stringify(loaded.contributions[index])).toBe(JSON.stringify({ ...d.contributions[index] }));
    });


    it('is written in pieces, yet byte for byte the file one JSON.stringify of the stored dialogue makes', async () => {
      // Outputs past the write buffer (256 KB), one of them a single piece past it, in multi-byte UTF-8
      // (é, —, 🧁) so that the buffer's boundaries fall inside characters' reach.
      const line = 'Une pâtisserie — légère et dorée 🧁. ';
      const d = toPlainJson(
        ingest(open(start()), {
          muffin: `[PERSPECTIVE P01: Long]\n${line.repeat(12_000)}\n[TENSION T01: Cost]\nIt costs.\n`,
          scone: `[PERSPECTIVE P01: Short]\n${line.repeat(300)}\n`,
        }),
      );
      await store.create(d);
      const bytes = await fs.readFile(storeFile(d.id));
      expect(bytes.length).toBeGreaterThan(500_000);
      const envelope = JSON.parse(bytes.toString('utf8'));
      expect(bytes.toString('utf8')).toBe(sealStoreFile(envelope.dialogue, envelope.summary));
      const newline = bytes.indexOf(10);
      expect(envelope.sha256).toBe(sha256Hex(bytes.subarray(newline + 1, bytes.length - 3)));
      const loaded = await store.load(d.id);
      expect(loaded).toEqual({ ...d, version: 1, updatedAt: loaded.updatedAt });
    });
    it('a stored slice outside its output is exit 4 naming the entity', async () => {
      const d = toPlainJson(ingest(open(start()), { muffin: '[PERSPECTIVE P01: Short]\nA short one.\n' }));
      await store.create(d);
      const envelope = JSON.parse(await fs.readFile(storeFile(d.id), 'utf8'));
      envelope.dialogue.contributions[0].text = [0, 10_000_000];
      await fs.writeFile(storeFile(d.id), sealStoreFile(envelope.dialogue));
      const error = await expectBlueError(store.load(d.id), 4, 'corrupt_store_file');
      expect(error.message).toContain('contributions[0].text');
    });

    it('never touches the other files in the dialogue folder', async () => {
      const others = { 'prompt-muffin.md': 'prompt\n', 'scoreboard.md': '| a | b |\n', 'round-0/muffin.md': '# out\n' };
      for (const [name, content] of Object.entries(others)) {
        await fs.mkdir(path.dirname(path.join(dialogueDir(), name)), { recursive: true });
        await fs.writeFile(path.join(dialogueDir(), name), content);
      }
      await store.create(makeDialogue(ID)); // a folder that already holds judge files is fine
      await store.update(ID, (d) => ({ ...d, title: 'changed' }));
      await store.update(ID, (d) => ({ ...d, title: 'changed again' }));

      for (const [name, content] of Object.entries(others)) {
        expect(await fs.readFile(path.join(dialogueDir(), name), 'utf8')).toBe(content);
      }
      expect((await fs.readdir(dialogueDir())).sort()).toEqual(['prompt-muffin.md', 'round-0', 'scoreboard.md', 'store.json']);
    });

    it('stamps updatedAt from the injected clock', async () => {
      const at = new Date('2030-01-02T03:04:05.000Z');
      const clocked = new FileStore(root, { clock: () => at });
      await clocked.create(makeDialogue(ID));
      expect((await clocked.load(ID)).updatedAt).toBe(at.toISOString());
      expect(await clocked.update(ID, (d) => d)).toMatchObject({ version: 2, updatedAt: at.toISOString() });
    });

    it.skipIf(process.platform === 'win32')('keeps the permissions a user gave store.json', async () => {
      await store.create(makeDialogue(ID));
      await fs.chmod(storeFile(), 0o600);
      await store.update(ID, (d) => d);
      expect((await fs.stat(storeFile())).mode & 0o777).toBe(0o600);
    });

    it('refuses to write a structurally invalid dialogue (a bug in the caller), writing nothing', async () => {
      await store.create(makeDialogue(ID));
      const before = await fs.readFile(storeFile(), 'utf8');
      const error = await expectBlueError(
        store.update(ID, (d) => ({ ...d, rounds: [{ ...makeRound(0), n: 'zero' as unknown as number }] })),
        1,
        'invalid_dialogue',
      );
      expect(error.message).toContain('rounds[0].n must be an integer');
      expect(await fs.readFile(storeFile(), 'utf8')).toBe(before);
    });
  });

  describe('a corrupt or hand-edited store file', () => {
    /** Rewrites the envelope with a correct sha256, so only the structural checks can catch `edit`. */
    async function rewriteWithValidSha(id: string, edit: (dialogue: Record<string, unknown>) => void) {
      const envelope = JSON.parse(await fs.readFile(storeFile(id), 'utf8'));
      edit(envelope.dialogue);
      await fs.writeFile(storeFile(id), sealStoreFile(envelope.dialogue));
    }

    it('a hand edit is exit 4 naming the file, and the file is left byte-identical', async () => {
      await store.create(makeDialogue(ID, { title: 'Original title' }));
      const edited = (await fs.readFile(storeFile(), 'utf8')).replaceAll('Original title', 'Edited title');
      await fs.writeFile(storeFile(), edited);

      const error = await expectBlueError(store.load(ID), 4, 'corrupt_store_file');
      expect(error.message).toContain(STORE_PATH);
      expect(error.message).toContain('sha256');
      expect(error.message).toMatch(/restore it from version control/);
      expect(error.details).toMatchObject({ file: STORE_PATH, id: ID });

      // Neither an update nor a listing repairs or replaces it.
      await expectBlueError(store.update(ID, (d) => d), 4, 'corrupt_store_file');
      await store.list();
      expect(await fs.readFile(storeFile(), 'utf8')).toBe(edited);
      expect(existsSync(path.join(dialogueDir(), 'store.lock'))).toBe(false);
    });

    /** The first line's summary_check (FNV-1a) made again for its summary, as a careful hand edit would. */
    const resealSummary = (text: string) => {
      const line = text.slice(0, text.indexOf('\n'));
      const header = JSON.parse(`${line} null}`) as { sha256: string; summary: unknown };
      const checked = `${header.sha256}\n${JSON.stringify(header.summary)}`;
      let hash = 0x811c9dc5;
      for (let i = 0; i < checked.length; i++) hash = Math.imul(hash ^ checked.charCodeAt(i), 0x01000193) >>> 0;
      return text.replace(/"summary_check": "[0-9a-f]{8}"/, `"summary_check": "${hash.toString(16).padStart(8, '0')}"`);
    };
    const damages: Array<[string, (text: string) => string, RegExp]> = [
      ['truncated', (text) => text.slice(0, Math.floor(text.length / 2)), /cut short/],
      ['truncated before its first line ends', (text) => text.slice(0, 40), /not valid JSON/],
      ['reformatted', (text) => JSON.stringify(JSON.parse(text), null, 2), /not on its first line/],
      ['empty', () => '', /empty/],
      ['garbage', () => '\u0000\u0001 not json at all \uFFFD', /not valid JSON/],
      ['not a store file', () => JSON.stringify({ hello: 'world' }), /not a blue dialogue store file/],
      ['a JSON array', () => '[1, 2, 3]', /not a blue dialogue store file/],
      ['missing schema', (text) => text.replace('"schema": 2, ', ''), /store schema is missing/],
      ['a newer schema', (text) => text.replace('"schema": 2, ', '"schema": 3, '), /newer.*upgrade blue/s],
      ['missing sha256', (text) => text.replace(/"sha256": "[0-9a-f]+", /, ''), /no valid "sha256"/],
      ['an edit to the stated checksum', (text) => text.replace(/"sha256": "[0-9a-f]/, '"sha256": "g'), /no valid "sha256"/],
      ['an edit to the summary line alone', (text) => text.replace('"status":"open"', '"status":"converged"'), /summary does not match its summary_check/],
      ['an edit to the summary with its checksum made again', (text) => resealSummary(text.replace('"status":"open"', '"status":"converged"')), /summary disagrees/],
      ['a trailing edit', (text) => text.replace('"status": "open"', '"status": "converged"'), /sha256/],
    ];
    it.each(damages)('%s: exit 4 naming the file', async (_label, damage, problem) => {
      await store.create(makeDialogue(ID));
      const damaged = damage(await fs.readFile(storeFile(), 'utf8'));
      await fs.writeFile(storeFile(), damaged);

      const error = await expectBlueError(store.load(ID), 4, 'corrupt_store_file');
      expect(error.message).toContain(STORE_PATH);
      expect(error.message).toMatch(problem);
      expect(await fs.readFile(storeFile(), 'utf8')).toBe(damaged);
    });

    /** What git writes where both sides changed lines: ours, theirs, each between its markers. */
    const conflicted = (ours: string, theirs: string, style: 'merge' | 'diff3' = 'merge') =>
      ['<<<<<<< HEAD', ours, ...(style === 'diff3' ? ['||||||| base', ours] : []), '=======', theirs, '>>>>>>> teammate', ''].join('\n');
    const conflicts: Array<[string, (text: string) => string]> = [
      // Both sides changed the first line (its checksum), as every change to a dialogue does.
      ['the whole file in conflict', (text) => conflicted(text.trimEnd(), text.trimEnd().replace('"status":"open"', '"status":"abandoned"'))],
      ['diff3 style', (text) => conflicted(text.trimEnd(), text.trimEnd().replace('Original', 'Edited'), 'diff3')],
      // A first line that merged cleanly, the conflict further down.
      ['a conflict in the body only', (text) => text.replace(/\n(.*"title".*)\n/, (_all, line: string) => `\n${conflicted(line, line.replace('Original', 'Edited')).trimEnd()}\n`)],
    ];
    it.each(conflicts)('%s: exit 4 saying it has a merge conflict, and to take one side whole', async (_label, damage) => {
      await store.create(makeDialogue(ID, { title: 'Original title' }));
      await fs.writeFile(storeFile(), damage(await fs.readFile(storeFile(), 'utf8')));
      const error = await expectBlueError(store.load(ID), 4, 'corrupt_store_file');
      expect(error.message).toMatch(`${STORE_PATH} has an unresolved merge conflict: git left its conflict markers in it`);
      expect(error.message).toContain(`take one side whole with \`git checkout --ours ${STORE_PATH}\` (or \`--theirs\``);
      expect(error.message).toContain(`redo the other side's steps with blue commands, then \`blue dialogue export ${ID}\` and \`blue dialogue checkout ${ID} --force\``);
      expect(error.message).not.toMatch(/not valid JSON|sha256|git checkout -- /);
      expect(error.details).toMatchObject({ id: ID, file: STORE_PATH, conflict: true });
    });

    it('a broken checksum names a merge too, and a file whose text only mentions a marker is not taken for a conflict', async () => {
      await store.create(makeDialogue(ID, { title: 'Original title' }));
      const text = await fs.readFile(storeFile(), 'utf8');
      await fs.writeFile(storeFile(), text.replace('"title": "Original title"', '"title": "<<<<<<< HEAD\\n=======\\n>>>>>>> x"'));
      const error = await expectBlueError(store.load(ID), 4, 'corrupt_store_file');
      expect(error.message).toContain('its content does not match its sha256 checksum, so it was edited by hand, merged line by line, or damaged');
      expect(error.message).toContain(`restore it from version control (e.g. git checkout -- ${STORE_PATH}) or from a backup. If a merge joined two versions of it line by line, take one side whole with \`git checkout --ours ${STORE_PATH}\``);
      expect(error.details.conflict).toBeUndefined();
    });

    it('a structurally invalid dialogue with a matching sha256 is exit 4 too', async () => {
      await store.create(makeDialogue(ID, { rounds: [makeRound(0, 3)] }));
      await rewriteWithValidSha(ID, (d) => {
        (d.rounds as Array<Record<string, unknown>>)[0].n = 'zero';
        delete d.events;
      });
      const error = await expectBlueError(store.load(ID), 4, 'corrupt_store_file');
      expect(error.message).toContain('rounds[0].n must be an integer');
      expect(error.message).toContain('events must be an array');
    });

    it('a store file copied into another folder is exit 4 (its id does not match the folder)', async () => {
      await store.create(makeDialogue(ID));
      await fs.mkdir(dialogueDir(OTHER_ID), { recursive: true });
      await fs.copyFile(storeFile(ID), storeFile(OTHER_ID));
      const error = await expectBlueError(store.load(OTHER_ID), 4, 'corrupt_store_file');
      expect(error.message).toContain(`holds dialogue ${ID}`);
    });

    it('list does not trust a first line edited by hand: it reports the dialogue, as a load does', async () => {
      await store.create(makeDialogue(ID));
      await store.create(makeDialogue(OTHER_ID));
      const text = await fs.readFile(storeFile(ID), 'utf8');
      const edited = text.replace(/"alignment":\d+/, '"alignment":999');
      expect(edited).not.toBe(text);
      await fs.writeFile(storeFile(ID), edited);
      const problems: CatalogProblem[] = [];
      expect((await store.list({ problems })).map((s) => s.id)).toEqual([OTHER_ID]);
      expect(problems).toEqual([expect.objectContaining({ id: ID, file: STORE_PATH, code: 'corrupt_store_file', message: expect.stringMatching(/summary_check/) })]);
      expect(await fs.readFile(storeFile(ID), 'utf8')).toBe(edited);
    });

    it('list reads an earlier schema 2 first line (no summary_check) through a full read', async () => {
      await store.create(makeDialogue(ID));
      const text = await fs.readFile(storeFile(ID), 'utf8');
      await fs.writeFile(storeFile(ID), text.replace(/"summary_check": "[0-9a-f]{8}", /, ''));
      const problems: CatalogProblem[] = [];
      expect((await store.list({ problems })).map((s) => [s.id, s.status])).toEqual([[ID, 'open']]);
      expect(problems).toEqual([]);
      expect((await store.load(ID)).id).toBe(ID);
    });

    it('list leaves a corrupt dialogue out and reports it; resolve still finds it', async () => {
      await store.create(makeDialogue(ID));
      await store.create(makeDialogue(OTHER_ID));
      await fs.writeFile(storeFile(ID), '{ "format": "blue.dialogue-store", ');

      const problems: CatalogProblem[] = [];
      expect((await store.list({ problems })).map((s) => s.id)).toEqual([OTHER_ID]);
      expect(problems).toEqual([
        { id: ID, file: STORE_PATH, code: 'corrupt_store_file', message: expect.stringContaining(STORE_PATH) },
      ]);
      expect((await store.list()).map((s) => s.id)).toEqual([OTHER_ID]);
      // Resolving reads folder names only, so the user then gets the corruption, not "not found".
      expect(await store.resolve('cache-strategy')).toBe(ID);
    });
  });

  describe('ids and folders', () => {
    it.each(['../escape', '2025-01-10T0900Z-../../escape', '2025-01-10T0900Z-a/b', 'cache-strategy', '2025-01-10T0900Z-', '2025-01-10T0900Z--x', ''])(
      'rejects %j as an id (exit 2) without touching the file system',
      async (badId) => {
        await expectBlueError(store.create(makeDialogue(ID, { id: badId })), 2, 'invalid_dialogue_id');
        await expectBlueError(store.load(badId), 2, 'invalid_dialogue_id');
        await expectBlueError(store.update(badId, (d) => d), 2, 'invalid_dialogue_id');
        expect(await store.exists(badId)).toBe(false);
        expect(await fs.readdir(root)).toEqual([]);
      },
    );

    it('a folder without store.json, or whose name is not an id, is not a dialogue', async () => {
      await store.create(makeDialogue(ID));
      await fs.mkdir(dialogueDir(OTHER_ID), { recursive: true });
      await fs.writeFile(path.join(dialogueDir(OTHER_ID), 'prompt.md'), 'hello');
      await fs.mkdir(path.join(root, '.blue', 'dialogues', 'notes'), { recursive: true });
      await fs.writeFile(path.join(root, '.blue', 'dialogues', 'README.md'), 'hello');

      expect(await store.exists(OTHER_ID)).toBe(false);
      await expectBlueError(store.load(OTHER_ID), 2, 'dialogue_not_found');
      await expectBlueError(store.update(OTHER_ID, (d) => d), 2, 'dialogue_not_found');
      expect((await store.list()).map((s) => s.id)).toEqual([ID]);
      expect(await store.resolve('2025')).toBe(ID);
      await expectBlueError(store.resolve('cache-eviction'), 2, 'dialogue_not_found');
      // Creating it is fine: the judge files stay.
      await store.create(makeDialogue(OTHER_ID));
      expect(await fs.readFile(path.join(dialogueDir(OTHER_ID), 'prompt.md'), 'utf8')).toBe('hello');
    });

    it('resolve ignores case and surrounding blanks', async () => {
      await store.create(makeDialogue(ID));
      expect(await store.resolve('  Cache-Strategy ')).toBe(ID);
      expect(await store.resolve('2025-01-10t09')).toBe(ID);
      await expectBlueError(store.resolve('   '), 2, 'dialogue_not_found');
    });
  });

  describe('leftovers of crashed writers', () => {
    it('temporary files are ignored on load and removed by the next write once a minute old, or once their writer is gone', async () => {
      await store.create(makeDialogue(ID));
      const live = process.ppid; // alive for as long as this test runs
      const gone = await exitedPid();
      const old = path.join(dialogueDir(), `store.json.${live}.0123456789ab.tmp`);
      const young = path.join(dialogueDir(), `store.json.${live}.ba9876543210.tmp`);
      const killedMidWrite = path.join(dialogueDir(), `store.json.${gone}.a1b2c3d4e5f6.tmp`);
      const oldLockDraft = path.join(dialogueDir(), `store.lock.${live}.0123456789ab.tmp`);
      const youngLockDraft = path.join(dialogueDir(), `store.lock.${gone}.0123456789ab.tmp`);
      const unrelated = path.join(dialogueDir(), 'notes.tmp');
      for (const file of [old, young, killedMidWrite, oldLockDraft, youngLockDraft, unrelated]) await fs.writeFile(file, '{"half": ');
      const twoMinutesAgo = new Date(Date.now() - 120_000);
      for (const file of [old, oldLockDraft, unrelated]) await fs.utimes(file, twoMinutesAgo, twoMinutesAgo);

      expect((await store.load(ID)).version).toBe(1);
      await store.update(ID, (d) => d);

      expect(existsSync(old)).toBe(false);
      expect(existsSync(oldLockDraft)).toBe(false);
      // A draft is written under the lock this write holds: one whose writer is gone was left by a crash.
      expect(existsSync(killedMidWrite)).toBe(false);
      expect(existsSync(young)).toBe(true); // it may belong to a writer that is still running
      // A lock draft is made before the lock is held, perhaps by another machine sharing the folder: age alone tells.
      expect(existsSync(youngLockDraft)).toBe(true);
      expect(existsSync(unrelated)).toBe(true); // not ours
    });
  });

  describe('the lock', () => {
    const lockFile = () => path.join(dialogueDir(), 'store.lock');
    const plantLock = async (owner: object | string, ageMs = 0) => {
      await fs.writeFile(lockFile(), typeof owner === 'string' ? owner : JSON.stringify(owner));
      if (ageMs > 0) {
        const then = new Date(Date.now() - ageMs);
        await fs.utimes(lockFile(), then, then);
      }
    };
    const impatient = () => new FileStore(root, { lockTimeoutMs: 300 });
    const host = os.hostname();

    beforeEach(async () => {
      await store.create(makeDialogue(ID));
    });

    it('a lock held by a live process makes a writer fail with store_locked (exit 1) naming the pid', async () => {
      const holder = process.ppid; // alive for as long as this test runs
      await plantLock({ pid: holder, host, at: new Date().toISOString(), token: 'x' });
      const error = await expectBlueError(impatient().update(ID, (d) => d), 1, 'store_locked');
      expect(error.message).toContain('Waited 0.3 s'); // its own timeout, not the default's 10 s
      expect(error.message).toContain(`pid ${holder}`);
      expect(error.message).toContain(`.blue/dialogues/${ID}/store.lock`);
      expect(error.details).toMatchObject({ pid: holder, host });
      expect((await store.load(ID)).version).toBe(1);
      expect(existsSync(lockFile())).toBe(true); // not ours to remove
    });

    it('a lock from another host cannot be checked by pid and is respected until it is old', async () => {
      await plantLock({ pid: 999_999_999, host: 'elsewhere.example', at: new Date().toISOString(), token: 'x' });
      await expectBlueError(impatient().update(ID, (d) => d), 1, 'store_locked');
      await fs.rm(lockFile());
      await plantLock({ pid: 999_999_999, host: 'elsewhere.example', at: '2020-01-01T00:00:00.000Z', token: 'x' }, 61_000);
      expect((await impatient().update(ID, (d) => d)).version).toBe(2);
    });

    it('a lock whose process is dead is taken over at once', async () => {
      const deadPid = await pidOfFinishedProcess();
      await plantLock({ pid: deadPid, host, at: new Date().toISOString(), token: 'x' });
      expect((await impatient().update(ID, (d) => d)).version).toBe(2);
      expect(existsSync(lockFile())).toBe(false);
    });

    it('a lock older than the stale age is taken over even if its pid is alive (pid reuse)', async () => {
      await plantLock({ pid: process.ppid, host, at: new Date(Date.now() - 61_000).toISOString(), token: 'x' }, 61_000);
      expect((await impatient().update(ID, (d) => d)).version).toBe(2);
    });

    it('a lock naming this very process but not held by it (a dead namesake, as in containers) is taken over', async () => {
      await plantLock({ pid: process.pid, host, at: new Date().toISOString(), token: 'not-one-of-ours', thread: threadId });
      expect((await impatient().update(ID, (d) => d)).version).toBe(2);
    });

    it('a lock naming this process but another thread is respected (threads share the pid)', async () => {
      await plantLock({ pid: process.pid, host, at: new Date().toISOString(), token: 'x', thread: threadId + 1 });
      await expectBlueError(impatient().update(ID, (d) => d), 1, 'store_locked');
    });

    it('an unreadable lock is respected while young and taken over when old', async () => {
      await plantLock('garbage');
      const error = await expectBlueError(impatient().update(ID, (d) => d), 1, 'store_locked');
      expect(error.message).toContain('no readable record');
      await plantLock('garbage', 61_000);
      expect((await impatient().update(ID, (d) => d)).version).toBe(2);
    });

    it('update refuses a change that returns no dialogue or a promise, writing nothing', async () => {
      await expectBlueError(store.update(ID, () => undefined as never), 1, 'invalid_change');
      const asyncChange = (async (d: Dialogue) => d) as unknown as (d: Dialogue) => Dialogue;
      await expectBlueError(store.update(ID, asyncChange), 1, 'invalid_change');
      expect((await store.load(ID)).version).toBe(1);
    });

    it('is released after a change that throws, and after a failed integrity check', async () => {
      await expect(store.update(ID, () => { throw new Error('refused'); })).rejects.toThrow('refused');
      expect(existsSync(lockFile())).toBe(false);
      await fs.writeFile(storeFile(), 'garbage');
      await expectBlueError(store.update(ID, (d) => d), 4, 'corrupt_store_file');
      expect(existsSync(lockFile())).toBe(false);
    });

    it('create waits for the lock too, and then refuses to overwrite', async () => {
      const other = makeDialogue(OTHER_ID);
      await fs.mkdir(dialogueDir(OTHER_ID), { recursive: true });
      const otherLock = path.join(dialogueDir(OTHER_ID), 'store.lock');
      await fs.writeFile(otherLock, JSON.stringify({ pid: process.ppid, host, at: new Date().toISOString(), token: 'x' }));
      await expectBlueError(impatient().create(other), 1, 'store_locked');
      expect(await store.exists(OTHER_ID)).toBe(false);
      await fs.rm(otherLock);
      await store.create(other);
      await expectBlueError(store.create(other), 3, 'dialogue_exists');
    });
  });

  describe('separate processes', () => {
    beforeAll(() => {
      // The child processes run the compiled store; make sure it is there and not older than the source.
      const compiled = path.join(here, '..', '..', 'dist', 'store', 'file', 'store.js');
      if (!existsSync(compiled)) throw new Error('dist/store/file/store.js is missing: run `npx tsc -p tsconfig.json` first');
      const sources = [
        'store/file/store.ts', 'store/file/lock.ts', 'store/versioned.ts', 'store/summary.ts', 'store/canonical-json.ts', 'store/shape.ts',
        'platform/atomic-write.ts', 'platform/fs-sync.ts', 'platform/time.ts',
      ];
      for (const name of sources) {
        const compiledFile = path.join(here, '..', '..', 'dist', name.replace(/\.ts$/, '.js'));
        if (!existsSync(compiledFile) || statSync(compiledFile).mtimeMs < statSync(path.join(here, '..', '..', 'src', name)).mtimeMs) {
          throw new Error(`dist/${name.replace(/\.ts$/, '.js')} is older than src/${name}: run \`npx tsc -p tsconfig.json\``);
        }
      }
    });

    it('a writer killed at random moments leaves the old or the new state, and no lock that blocks', async () => {
      await store.create(makeDialogue(ID));
      // A writer that would wait for a lock the killed one left no longer than this fails with store_locked.
      const next = new FileStore(root, { lockTimeoutMs: 1_000 });
      let lastSeen = 1;
      for (let round = 0; round < 6; round++) {
        const child = startWriter(['churn', root, ID, String(2_000_000)]);
        await child.waitForOutput(/committed \d+/); // it is in its update loop
        await delay(Math.random() * 60);
        child.process.kill('SIGKILL');
        const { output } = await child.exited;
        const reported = Math.max(lastSeen, ...[...output.matchAll(/committed (\d+)/g)].map((m) => Number(m[1])));
        const lockFile = path.join(dialogueDir(), 'store.lock');
        if (existsSync(lockFile)) {
          // Killed while holding the lock: the lock it left is whole and names it, so the next writer sees a dead holder.
          expect(JSON.parse(await fs.readFile(lockFile, 'utf8'))).toMatchObject({ pid: child.process.pid, host: os.hostname() });
        }

        // Whole, checksummed, and the version printed last or the one after (committed, not yet printed).
        const loaded = await store.load(ID);
        expect([reported, reported + 1]).toContain(loaded.version);
        expect(loaded.question.startsWith(`${loaded.version}:`)).toBe(true);
        expect(loaded.question.length).toBe(`${loaded.version}:`.length + 2_000_000);
        expect(loaded.version).toBeGreaterThanOrEqual(lastSeen);

        // The next writer is not held up by whatever the killed one left: it takes a dead writer's lock over.
        const after = await next.update(ID, (d) => ({ ...d, question: `${d.version + 1}:after kill` }));
        expect(after.version).toBe(loaded.version + 1);
        lastSeen = after.version;
      }
      expect(existsSync(path.join(dialogueDir(), 'store.lock'))).toBe(false);
    }, 20_000);

    it('two processes updating the same dialogue at once lose nothing, even breaking a stale lock together', async () => {
      await store.create(makeDialogue(ID));
      // Both start by finding the lock of a dead process, and must not both take it over.
      const deadPid = await pidOfFinishedProcess();
      const stale = { pid: deadPid, host: os.hostname(), at: new Date().toISOString(), token: 'dead', thread: 0 };
      await fs.writeFile(path.join(dialogueDir(), 'store.lock'), JSON.stringify(stale));
      const perWriter = 25;
      const writers = ['alpha', 'beta'].map((marker) => startWriter(['append', root, ID, marker, String(perWriter)]));
      const results = await Promise.all(writers.map((w) => w.exited));
      for (const result of results) expect(result, result.output).toMatchObject({ code: 0 });

      const final = await store.load(ID);
      expect(final.version).toBe(1 + 2 * perWriter);
      for (const marker of ['alpha', 'beta']) {
        // Every change is there, once, in the order its writer made them.
        expect(final.sources.filter((s) => s.startsWith(`${marker}-`))).toEqual(
          Array.from({ length: perWriter }, (_, i) => `${marker}-${i}`),
        );
      }
      expect(final.sources).toHaveLength(2 * perWriter);
    }, 20_000);
  });
});

// --- child processes ------------------------------------------------------------------------------------

interface Writer {
  process: ChildProcess;
  waitForOutput(pattern: RegExp): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

function startWriter(args: string[]): Writer {
  const child = spawn(process.execPath, [WRITER_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
  return {
    process: child,
    exited,
    waitForOutput: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
        void exited.then(() => {
          if (!pattern.test(output)) reject(new Error(`the writer exited before printing ${pattern}: ${output}`));
        });
      }),
  };
}

/** The pid of a process that has finished, so that nothing answers to it any more. */
async function pidOfFinishedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
