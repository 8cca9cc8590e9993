// Loading the Markdown templates shipped in `templates/` (the renderer that fills them is render/template.ts).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failure } from '../domain/errors.js';
import { TEMPLATE_NAMES, type Templates } from '../render/template.js';

// `src/workspace/templates.ts` under the tests and `dist/workspace/templates.js` once compiled sit two
// levels below the package root, next to `templates/`; in the bundle, this code is in
// `dist/bundle/chunks/`, three levels below it.
const defaultTemplateDir = (): URL =>
  [new URL('../../templates/', import.meta.url), new URL('../../../templates/', import.meta.url)].find((dir) => existsSync(dir)) ??
  new URL('../../templates/', import.meta.url);
const loaded = new Map<string, Templates>();

/** Reads the templates from `dir` (default: the package's `templates/`), once per directory. */
export function loadTemplates(dir: string | URL = defaultTemplateDir()): Templates {
  const path = dir instanceof URL ? fileURLToPath(dir) : dir;
  const cached = loaded.get(path);
  if (cached) return cached;
  const templates = {} as Templates;
  for (const name of TEMPLATE_NAMES) {
    const file = join(path, `${name}.md`);
    try {
      templates[name] = readFileSync(file, 'utf8');
    } catch (error) {
      throw failure('template_missing', `cannot read the template ${file}: the installation is incomplete`, {
        file,
        cause: String(error),
        fix: 'reinstall blue (npm ci in its folder): its templates/ folder is incomplete',
      });
    }
  }
  loaded.set(path, templates);
  return templates;
}
