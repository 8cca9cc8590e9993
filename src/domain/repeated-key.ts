// A key given twice in one object of a JSON text. JSON.parse keeps the last of them without a word, while
// yaml refuses the file: blue refuses it too, in every JSON file a judge hands it (pool, panel, scores,
// config) and in those of a folder it imports, so that no value is read last-wins.

import { badInput, type BlueError } from './errors.js';

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

/**
 * The exit-2 error for a JSON text (`file`, as blue names it) that gives a key twice in one object, or
 * undefined when it gives none. `code` is the file's error code, e.g. `invalid_pool`.
 */
export function repeatedKeyError(text: string, file: string, code: string): BlueError | undefined {
  const repeated = repeatedKey(text);
  if (!repeated) return undefined;
  return badInput(code, `${file} gives ${repeated.path} twice in one object (line ${repeated.first} and line ${repeated.line}); JSON would keep the last without a word, so blue takes neither`, {
    file,
    line: repeated.line,
    key: repeated.path,
    fix: `keep one ${repeated.path} in ${file} (line ${repeated.first} or ${repeated.line}), and run the same command again`,
  });
}
