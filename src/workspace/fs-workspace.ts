// The workspace on the file system: the judge's folder under the project root.

import { link, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { join, resolve } from 'node:path';
import type { Templates } from '../render/template.js';
import { parseDataFile } from './data-file.js';
import { readIfExists, readInputFile, rel, writeOwnedFile } from './files.js';
import { loadTemplates } from './templates.js';
import type { DataFile, FileToWrite, InputFile, Workspace } from './types.js';

export class FsWorkspace implements Workspace {
  /** `root`: the project root; `cwd`: where the judge's own paths are relative to. */
  constructor(
    readonly root: string,
    private readonly cwd: string,
  ) {}

  async readInput(path: string, what: string): Promise<InputFile> {
    const full = resolve(this.cwd, path);
    return { path: rel(this.root, full), text: readInputFile(full, what) };
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

  async readOutput(path: string): Promise<string | undefined> {
    return readIfExists(this.full(path));
  }

  async list(folder: string): Promise<string[]> {
    return readdir(this.full(folder)).catch(() => []);
  }

  async write(files: readonly FileToWrite[]): Promise<void> {
    await Promise.all(files.map((file) => writeOwnedFile(this.full(file.path), file.content)));
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
