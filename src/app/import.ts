// `blue dialogue import <folder>`: reads a blue dialogue folder (as the reference writes it) through the
// workspace's safe reads, maps it onto the protocol's operations in the domain, and creates the dialogue in
// the store. It writes no file into the dialogue's folder: a folder imported in place (`.blue/dialogues/<id>/`)
// keeps the judge's own scoreboard.md and tensions.md, and `dialogue checkout` writes blue's where the judge
// wants them (leaving a differing file alone unless --force).

import { BlueError, refused } from '../domain/errors.js';
import { parseDate } from '../domain/ids.js';
import { importDialogue, type Finding } from '../domain/import/import.js';
import { poolInputWarnings } from '../domain/input-check.js';
import { refuseHiddenCharacters } from '../domain/hidden-characters.js';
import type { Dialogue } from '../domain/model.js';
import { POOL_FILE_ERROR } from '../domain/pool.js';
import { outputFile } from '../workspace/layout.js';
import type { Ports } from './ports.js';
import { withStores } from './shared.js';

export interface ImportRequest {
  /** The folder as the judge named it (relative to the working directory). */
  folder: string;
  title?: string;
  rfc?: string;
  date?: string;
  /** A pool file for a folder that has none. */
  pool?: string;
}

export interface Imported {
  dialogue: Dialogue;
  rounds: number;
  /** What the dialogue holds in no form, each with its file (relative to the project root) and line. */
  unmapped: Finding[];
  /** What the import chose where the folder left a choice. */
  notes: Finding[];
}

export async function importFolder(ports: Ports, request: ImportRequest): Promise<Imported> {
  const { workspace, log } = ports;
  refuseHiddenCharacters({ '--title': request.title, '--rfc': request.rfc });
  const date = request.date !== undefined ? parseDate(request.date) : undefined;
  const folder = await workspace.readFolder(request.folder);
  let pool: { path: string; data: unknown } | undefined;
  if (request.pool) {
    pool = await workspace.readData(request.pool, 'pool file', POOL_FILE_ERROR);
    for (const w of poolInputWarnings(pool.data, pool.path)) log.warn(`${w.file}: ${w.message}`, w);
  }
  const shown = (path: string) => inFolder(folder.path, path);
  const result = importDialogue(
    { name: folder.name, files: folder.files, refused: folder.refused, ...(folder.earliestModified ? { earliestModified: folder.earliestModified } : {}) },
    {
      ...(request.title ? { title: request.title } : {}),
      ...(request.rfc ? { rfc: request.rfc } : {}),
      ...(date ? { date } : {}),
      ...(pool ? { pool } : {}),
      outputPath: outputFile,
      sourcePath: shown,
      now: ports.clock.now(),
    },
  );
  const { dialogue } = result;
  await withStores(ports, async (stores) => {
    const exists = () =>
      refused(
        'dialogue_exists',
        `dialogue ${dialogue.id} already exists in ${ports.storeKind === 'file' ? 'the file store' : 'the DynamoDB store'}: ${folder.path} was imported before, or another dialogue has its id. ` +
          `Look at it with blue dialogue show ${dialogue.id}; to import the folder as another dialogue, give it another time with --date.`,
        { id: dialogue.id, fix: `look at it with blue dialogue show ${dialogue.id}; to import the folder as another dialogue, give it another time with --date <YYYY-MM-DDTHH:MMZ>` },
      );
    if (await stores.store.exists(dialogue.id)) throw exists();
    await stores.store.create(dialogue).catch((error: unknown) => {
      throw error instanceof BlueError && error.code === 'dialogue_exists' ? exists() : error;
    });
  });
  const place = (f: Finding): Finding => ({ ...f, file: shown(f.file) });
  return { dialogue, rounds: result.rounds, unmapped: result.unmapped.map(place), notes: result.notes.map(place) };
}

/** A path relative to the imported folder (`round-1/panel.json`, `.`, `../x.md`) as blue prints it. */
function inFolder(folder: string, path: string): string {
  if (path === '.') return folder;
  if (path.startsWith('../')) {
    const cut = folder.lastIndexOf('/');
    const up = folder === '.' || folder === '..' || folder.endsWith('/..');
    const parent = up ? (folder === '.' ? '..' : `${folder}/..`) : cut === -1 ? '.' : folder.slice(0, cut);
    return parent === '.' ? path.slice(3) : `${parent}/${path.slice(3)}`;
  }
  return folder === '.' ? path : `${folder}/${path}`;
}
