// Reading the small JSON-or-YAML files a judge hands to blue (the pool, a round's panel), and describing
// a bad value in an error message. Pure: the caller reads the file and passes its text.

import { createRequire } from 'node:module';
import { badInput } from '../domain/errors.js';

// yaml costs tens of milliseconds to load; JSON files (the common case for scripted judges, and every
// file blue writes) never need it, so it is required only when a file is not JSON.
const require = createRequire(import.meta.url);
function parseYaml(text: string): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text);
}

/**
 * Parses `text` as JSON or YAML. JSON is tried first when the text looks like JSON, because its errors are
 * the clearer ones for a JSON file; YAML (a superset of JSON in practice) is the fallback, so a YAML flow
 * mapping such as `{domain: x}` still parses. `code` is the error code, e.g. `invalid_pool`.
 */
export function parseDataFile(text: string, file: string, code: string): unknown {
  const body = text.replace(/^\uFEFF/, ''); // editors on Windows like to add a byte-order mark
  const looksLikeJson = /\.json$/i.test(file) || /^\s*[{[]/.test(body);
  let jsonError: string | undefined;
  if (looksLikeJson) {
    let data: unknown;
    try {
      data = JSON.parse(body) as unknown;
    } catch (error) {
      jsonError = (error as Error).message;
    }
    if (jsonError === undefined) {
      // JSON.parse keeps the last of a key given twice, without a word; yaml refuses it. Refused here too.
      const repeated = repeatedKey(body);
      if (repeated) {
        throw badInput(code, `${file} gives ${repeated.path} twice in one object (line ${repeated.first} and line ${repeated.line}); JSON would keep the last without a word, so blue takes neither`, {
          file,
          line: repeated.line,
          key: repeated.path,
          fix: `keep one ${repeated.path} in ${file} (line ${repeated.first} or ${repeated.line}), and run the same command again`,
        });
      }
      return data;
    }
  }
  try {
    return parseYaml(body) as unknown;
  } catch (error) {
    const reason = jsonError ?? (error as Error).message;
    const kind = jsonError ? 'JSON' : 'YAML';
    throw badInput(code, `${file} is not valid ${kind}: ${reason}`, { file, fix: `correct ${file} (${kind}) where the message says, and run the same command again` });
  }
}

/**
 * The first key given twice in one object of `text`, a JSON text that JSON.parse accepted: its path
 * (`domain`, `experts[2].role`) and the lines of both. Keys are compared as JSON.parse reads them (`"\u0064omain"`
 * is `domain`). One pass, no recursion, so nesting cannot overflow the stack.
 */
export function repeatedKey(text: string): { path: string; first: number; line: number } | undefined {
  interface Frame {
    /** The keys of an object so far, with their lines; undefined for an array. */
    keys?: Map<string, number>;
    path: string;
    /** The key whose value comes next (an object), or the index of the next element (an array). */
    key?: string;
    index: number;
  }
  const stack: Frame[] = [];
  const childPath = (frame: Frame | undefined): string => {
    if (!frame) return '';
    if (frame.keys) return frame.path ? `${frame.path}.${frame.key}` : String(frame.key);
    return `${frame.path}[${frame.index}]`;
  };
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack[stack.length - 1];
      let next = i + 1;
      while (' \t\r\n'.includes(text[next]!)) next++;
      // A string followed by ':' is a key (valid JSON has no raw line break in a string: lines stay right).
      if (top?.keys && text[next] === ':') {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        const first = top.keys.get(key);
        top.key = key;
        if (first !== undefined) return { path: childPath(top), first, line };
        top.keys.set(key, line);
      }
    } else if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      stack.push({ ...(c === '{' ? { keys: new Map<string, number>() } : {}), path: childPath(parent), index: 0 });
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top && !top.keys) top.index++;
    }
  }
  return undefined;
}
