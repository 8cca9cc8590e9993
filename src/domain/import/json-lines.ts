// JSON read with line numbers, so that a finding about `round-1/panel.json` can name the line: where each
// key stands (`focus`, `panel[3].role`), and where a syntax error is.

export type JsonRead = { ok: true; data: unknown; lines: Map<string, number> } | { ok: false; line: number; message: string };

/** Parses `text`; on success also the 1-based line of every key and array element, by path. */
export function readJson(text: string): JsonRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The engine's message names no line (and not always a position): find the first error ourselves.
    const at = errorAt(text);
    return { ok: false, line: lineAt(text, at.offset), message: at.message };
  }
  // Line numbers are a courtesy: a hostile file nested thousands deep gets none, rather than a stack overflow.
  return { ok: true, data, lines: nesting(text) <= MAX_NESTING ? keyLines(text) : new Map() };
}

const MAX_NESTING = 64;

/** How deep the brackets of a JSON text nest, strings skipped. */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** Where the first syntax error of a text that JSON.parse refused stands, and what it is. */
function errorAt(text: string): { offset: number; message: string } {
  let i = 0;
  const fail = (what: string): never => {
    throw { offset: i, message: i >= text.length ? `it ends where ${what} should follow` : `${JSON.stringify(text[i])} where ${what} should be` };
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('a value');
  };
  const string = () => {
    if (text[i] !== '"') fail('a string');
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('the end of the string');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('the end of the string');
    i++;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail('less nesting');
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          string();
          ws();
          if (text[i] !== ':') fail('":"');
          i++;
        }
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === close) {
          i++;
          return;
        }
        fail(`"," or "${close}"`);
      }
    }
    if (c === '"') return string();
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number) {
      i += number[0].length;
      return;
    }
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    fail('a value');
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail('the end of the file');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error) return error as { offset: number; message: string };
    throw error;
  }
  return { offset: 0, message: 'not valid JSON' };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** `focus` -> 4, `panel[0]` -> 3, `panel[0].name` -> 3: where each path starts. Text known to be valid JSON. */
function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skip();
    if (path) lines.set(path, line);
    const c = text[i];
    if (c === '{') {
      i++;
      for (;;) {
        skip();
        if (text[i] === '}') break;
        const keyLine = line;
        const key = readString();
        const child = path ? `${path}.${key}` : key;
        skip();
        i++; // ':'
        value(child);
        lines.set(child, keyLine);
        skip();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '[') {
      i++;
      for (let index = 0; ; index++) {
        skip();
        if (text[i] === ']') break;
        value(`${path}[${index}]`);
        skip();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    }
  };
  value('');
  return lines;
}
