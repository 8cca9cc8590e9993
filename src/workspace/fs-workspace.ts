// The workspace on the file system: the judge's folder under the project root.

import { link, mkdir, readdir, realpath, stat, unlink } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Templates } from '../render/template.js';
import { parseDataFile } from './data-file.js';
import { readIfExists, rel, writeOwnedFile } from './files.js';
import { loadTemplates } from './templates.js';
import { DEFAULT_INPUT_LIMIT, DEFAULT_OUTPUT_LIMIT, readBounded, type SafeRead } from './safe-read.js';
import { badInput, failure } from '../domain/errors.js';
import type { DataFile, FileToWrite, InputFile, Workspace } from './types.js';

export class FsWorkspace implements Workspace {
  /** `root`: the project root; `cwd`: where the judge's own paths are relative to. */
  constructor(
    readonly root: string,
    private readonly cwd: string,
    private readonly limits: { outputBytes?: number; inputBytes?: number } = {},
  ) {}

  async readInput(path: string, what: string): Promise<InputFile> {
    const full = resolve(this.cwd, path);
    const shown = rel(this.root, full);
    const read = await readBounded(full, this.limits.inputBytes ?? DEFAULT_INPUT_LIMIT);
    if (read.kind === 'absent') {
      throw badInput('file_not_found', `${what} ${full} does not exist`, { file: full, fix: `write the ${what} first, or give the path of an existing one (relative to the working directory)` });
    }
    if (read.kind === 'refused') {
      throw badInput('invalid_file', `${what} ${shown}: ${read.why}; give a regular file (the limit is limits.input_bytes in .blue/config.yaml)`, {
        file: shown,
        fix: `give a regular file of your own (not a symlink, FIFO or device) within limits.input_bytes of .blue/config.yaml`,
      });
    }
    return { path: shown, text: read.text };
  }

  async readData(path: string, what: string, errorCode: string): Promise<DataFile> {
    const input = await this.readInput(path, what);
    return { path: input.path, data: parseDataFile(input.text, input.path, errorCode) };
  }

  projectPath(path: string): string {
    return rel(this.root, resolve(this.cwd, path));
  }

  async exists(path: string): Promise<boolean> {
    return stat(this.full(path)).then(() => true, () => false);
  }

  async read(path: string): Promise<string | undefined> {
    return readIfExists(this.full(path));
  }

  async readOutput(path: string): Promise<SafeRead> {
    return readBounded(this.full(path), this.limits.outputBytes ?? DEFAULT_OUTPUT_LIMIT, join(this.root, '.blue'));
  }

  async list(folder: string): Promise<string[]> {
    return readdir(this.full(folder)).catch(() => []);
  }

  async write(files: readonly FileToWrite[]): Promise<void> {
    for (const file of files) await this.checkInsideBlue(file.path);
    await Promise.all(files.map((file) => writeOwnedFile(this.full(file.path), file.content)));
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

  templates(): Templates {
    return loadTemplates();
  }

  private full(path: string): string {
    return join(this.root, path);
  }
}
