// Reading the small JSON-or-YAML files a judge hands to blue (the pool, a round's panel), and describing
// a bad value in an error message. Pure: the caller reads the file and passes its text.

import { createRequire } from 'node:module';
import { badInput } from '../domain/errors.js';
import { repeatedKeyError } from '../domain/repeated-key.js';

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
      const twice = repeatedKeyError(body, file, code);
      if (twice) throw twice;
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
