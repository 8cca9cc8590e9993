// The workspace on the file system: the judge's folder under the project root.

import { link, lstat, mkdir, readdir, realpath, stat, unlink } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Templates } from '../render/template.js';
import { parseDataFile } from './data-file.js';
import { readIfExists, rel, writeOwnedFile } from './files.js';
import { loadTemplates } from './templates.js';
import { DEFAULT_INPUT_LIMIT, DEFAULT_OUTPUT_LIMIT, readBounded, type SafeRead } from './safe-read.js';
import { notUtf8Input } from './text-encoding.js';
import { badInput, failure } from '../domain/errors.js';
import { hiddenCharacterInData, hiddenCharacterInFile } from '../domain/hidden-characters.js';
import type { DataFile, FileToWrite, ForeignFolder, InputFile, Workspace } from './types.js';

export class FsWorkspace implements Workspace {
  /** `root`: the project root; `cwd`: where the judge's own paths are relative to. */
  constructor(
    readonly root: string,
    private readonly cwd: string,
    private readonly limits: { outputBytes?: number; inputBytes?: number } = {},
  ) {}

  async readInput(path: string, what: string, options: { reportsHiddenCharacters?: boolean } = {}): Promise<InputFile> {
    const full = resolve(this.cwd, path);
    const shown = rel(this.root, full);
    const read = await readBounded(full, this.limits.inputBytes ?? DEFAULT_INPUT_LIMIT);
    if (read.kind === 'absent') {
      // Named relative to the project root, as every path blue prints is (CLI.md).
      throw badInput('file_not_found', `${what} ${shown} does not exist`, { file: shown, fix: `write the ${what} first, or give the path of an existing one (relative to the working directory)` });
    }
    if (read.kind === 'refused' && read.notText) {
      throw badInput('invalid_file', `${what} ${shown}: ${read.why}; save it as UTF-8 text and run the same command again`, { file: shown, fix: `save ${shown} as UTF-8 text, then run the same command again` });
    }
    if (read.kind === 'refused') {
      throw badInput('invalid_file', `${what} ${shown}: ${read.why}; give a regular file (the limit is limits.input_bytes in .blue/config.yaml)`, {
        file: shown,
        fix: `give a regular file of your own (not a symlink, FIFO or device) within limits.input_bytes of .blue/config.yaml`,
      });
    }
    // Read on, the bytes that are not UTF-8 would be guessed at; the judge's own file is refused instead,
    // before anything is recorded (every use case reads its input files first).
    if (read.notUtf8) throw notUtf8Input(`${what} ${shown}`, shown, read.notUtf8);
    // The same for a control or bidi character: what the judge writes is recorded, and the record must
    // read as it is written.
    const hidden = options.reportsHiddenCharacters ? undefined : hiddenCharacterInFile(`${what} ${shown}`, shown, read.text);
    if (hidden) throw hidden;
    return { path: shown, text: read.text };
  }

  async readData(path: string, what: string, errorCode: string): Promise<DataFile> {
    const input = await this.readInput(path, what);
    const data = parseDataFile(input.text, input.path, errorCode);
    const hidden = hiddenCharacterInData(`${what} ${input.path}`, input.path, data);
    if (hidden) throw hidden;
    return { path: input.path, data };
  }

  projectPath(path: string): string {
    return rel(this.root, resolve(this.cwd, path));
  }

  async exists(path: string): Promise<boolean> {
    return stat(this.full(path)).then(() => true, () => false);
  }

  async read(path: string): Promise<string | undefined> {
    return readIfExists(this.full(path), rel(this.root, this.full(path)));
  }

  async readOutput(path: string): Promise<SafeRead> {
    return readBounded(this.full(path), this.limits.outputBytes ?? DEFAULT_OUTPUT_LIMIT, join(this.root, '.blue'));
  }

  async readFolder(path: string): Promise<ForeignFolder> {
    const full = resolve(this.cwd, path);
    const shown = rel(this.root, full) || '.';
    const stats = await stat(full).catch(() => undefined);
    if (!stats) throw badInput('folder_not_found', `${shown} does not exist; give the path of a blue dialogue folder (one holding expert-pool.json and round-N/ folders)`, { folder: shown, fix: 'give the path of a blue dialogue folder, e.g. .blue/dialogues/<id>' });
    if (!stats.isDirectory()) throw badInput('not_a_folder', `${shown} is not a folder; give the path of a blue dialogue folder`, { folder: shown, fix: 'give the path of the folder, not of a file in it' });
    return readForeignFolder(full, shown, this.limits.outputBytes ?? DEFAULT_OUTPUT_LIMIT);
  }

  async list(folder: string): Promise<string[]> {
    return readdir(this.full(folder)).catch(() => []);
  }

  async write(files: readonly FileToWrite[]): Promise<void> {
    for (const file of files) await this.checkInsideBlue(file.path);
    await Promise.all(files.map((file) => writeOwnedFile(this.full(file.path), file.content, rel(this.root, this.full(file.path)))));
  }

  /**
   * A file blue writes under `.blue/` must land there: a folder on its way that is a symlink out of
   * `.blue/` (a round folder an expert replaced by a link) is refused before anything is written.
   */
  private async checkInsideBlue(path: string): Promise<void> {
    if (!path.startsWith('.blue/')) return;
    const lexicalBlue = join(this.root, '.blue');
    const blue = await realpath(lexicalBlue).catch(() => lexicalBlue);
    let folder = dirname(this.full(path));
    // The folders from the file's up to .blue/ itself: those that exist must resolve inside .blue/.
    while (folder === lexicalBlue || folder.startsWith(lexicalBlue + sep)) {
      const real = await realpath(folder).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
      if (real !== undefined) {
        const inside = relative(blue, real);
        if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
          throw failure('unsafe_path', `${rel(this.root, folder)} leads out of .blue/ (to ${real}): blue writes nothing there. Remove the symlink, then run the command again (blue dialogue checkout <id> writes what is missing)`, { file: path, target: real, fix: `remove the symlink ${rel(this.root, folder)}, then run the command again` });
        }
        return;
      }
      folder = dirname(folder);
    }
  }

  async moveAside(path: string, folder: string): Promise<string | undefined> {
    if (!(await this.exists(path))) return undefined;
    await mkdir(this.full(folder), { recursive: true });
    const name = basename(path);
    const ext = extname(name);
    for (let i = 1; ; i++) {
      const target = `${folder}/${i === 1 ? name : `${name.slice(0, name.length - ext.length)}.${i}${ext}`}`;
      try {
        // link() fails when the name is taken, so nothing is ever overwritten; then the old name goes.
        await link(this.full(path), this.full(target));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      await unlink(this.full(path));
      return target;
    }
  }

  async moveTo(path: string, to: string): Promise<void> {
    try {
      await link(this.full(path), this.full(to));
    } catch (error) {
      const taken = (error as NodeJS.ErrnoException).code === 'EEXIST';
      throw failure('move_failed', taken ? `cannot move ${path} to ${to}: ${to} exists, and blue overwrites no file` : `cannot move ${path} to ${to}: ${(error as Error).message}`, { file: path, to, fix: taken ? `move ${to} out of the way, then run the command again` : `check the permissions of ${path} and its folder` });
    }
    await unlink(this.full(path));
  }

  templates(): Templates {
    return loadTemplates();
  }

  private full(path: string): string {
    return join(this.root, path);
  }
}

/** At most this many files, and bytes in all, are read from a folder being imported: a folder is not a flood. */
const FOLDER_MAX_FILES = 2000;
const FOLDER_MAX_BYTES = 64_000_000;
const ROUND_FOLDER = /^round-\d{1,3}$/;

/**
 * Reads `full` (the folder the judge named, itself followed if a link: the judge chose it) one level deep
 * into its round-N/ folders, and the files beside it named after it. Nothing below is followed: a symlink,
 * a device or FIFO, a nested folder, a file over `limit` is left unread and named in `refused`.
 */
async function readForeignFolder(full: string, shown: string, limit: number): Promise<ForeignFolder> {
  const folder: ForeignFolder = { path: shown, name: basename(full), files: [], refused: [] };
  const inside = await realpath(full);
  let bytes = 0;
  let earliest: number | undefined;
  const readOne = async (file: string, path: string, within: string) => {
    if (folder.files.length >= FOLDER_MAX_FILES || bytes >= FOLDER_MAX_BYTES) {
      folder.refused.push({ path, why: `the folder holds more than ${FOLDER_MAX_FILES} files or ${FOLDER_MAX_BYTES} bytes; the rest is not read` });
      return;
    }
    const read = await readBounded(file, limit, within);
    if (read.kind === 'refused') folder.refused.push({ path, why: read.notText ? read.why : `${read.why} (the limit is limits.output_bytes in .blue/config.yaml)` });
    if (read.kind !== 'text') return;
    bytes += Buffer.byteLength(read.text);
    folder.files.push(read.notUtf8 ? { path, text: read.text, notUtf8: read.notUtf8 } : { path, text: read.text });
    const modified = (await lstat(file).catch(() => undefined))?.mtimeMs;
    if (modified !== undefined) earliest = Math.min(earliest ?? modified, modified);
  };
  const readLevel = async (dir: string, prefix: string, deeper: boolean) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = `${prefix}${entry.name}`;
      if (entry.isSymbolicLink()) folder.refused.push({ path, why: 'it is a symlink; import reads only regular files and follows no link' });
      else if (entry.isDirectory()) {
        if (deeper && ROUND_FOLDER.test(entry.name)) await readLevel(join(dir, entry.name), `${path}/`, false);
        else folder.refused.push({ path: `${path}/`, why: deeper ? 'a folder that is not a round-N/ folder; import does not read it' : 'a folder inside a round folder; import does not read it' });
      } else await readOne(join(dir, entry.name), path, inside);
    }
  };
  await readLevel(full, '', true);
  // Beside the folder: a pool or a record named after it, as the reference keeps them.
  const parent = dirname(full);
  const name = folder.name;
  const beside = (await readdir(parent, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.name === `${name}.expert-pool.json` || e.name === `${name}.pool.json` || (e.name.startsWith(`${name}.dialogue`) && e.name.endsWith('.md')))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of beside) {
    if (entry.isSymbolicLink()) folder.refused.push({ path: `../${entry.name}`, why: 'it is a symlink; import reads only regular files and follows no link' });
    else if (entry.isFile()) await readOne(join(parent, entry.name), `../${entry.name}`, await realpath(parent));
  }
  if (earliest !== undefined) folder.earliestModified = new Date(earliest).toISOString();
  return folder;
}
