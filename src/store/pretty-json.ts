// JSON.stringify(value, null, 2), in pieces. A store file's dialogue is written this way so that a large
// one never exists as one string: at 100x the reference dialogue, the 11 MB text, its UTF-8 bytes and the
// joined file were each held at once, beside the dialogue, and were most of a write's memory. The pieces
// joined are byte for byte what JSON.stringify writes, so the store file is unchanged.

/** How deep the pieces go: the dialogue's members, and each element of its lists (a round, an event...). */
const PIECE_DEPTH = 2;

/**
 * The pieces of JSON.stringify(value, null, 2), in order, for a plain JSON value (toPlainJson's result:
 * no toJSON, no undefined in arrays). Each piece is a member or an element at most PIECE_DEPTH deep,
 * written by JSON.stringify itself and indented to its place, or the punctuation between them.
 * `element(key, item)`, when given, is what each element of the list `value[key]` is written as, made
 * when it is written and let go of after.
 */
export function prettyJsonPieces(value: unknown, element?: (key: string, item: unknown) => unknown): Generator<string> {
  return pieces(value, 0, element);
}

function* pieces(value: unknown, depth: number, element?: (key: string, item: unknown) => unknown, key?: string): Generator<string> {
  if (depth < PIECE_DEPTH && typeof value === 'object' && value !== null) {
    const inner = `\n${'  '.repeat(depth + 1)}`;
    const outer = `\n${'  '.repeat(depth)}`;
    if (Array.isArray(value)) {
      if (value.length === 0) {
        yield '[]';
        return;
      }
      for (let i = 0; i < value.length; i++) {
        yield `${i === 0 ? '[' : ','}${inner}`;
        const item: unknown = key !== undefined && element ? element(key, value[i]) : value[i];
        yield* pieces(isLeftOut(item) ? null : item, depth + 1);
      }
      yield `${outer}]`;
      return;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((name) => !isLeftOut(record[name]));
    if (keys.length === 0) {
      yield '{}';
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      yield `${i === 0 ? '{' : ','}${inner}${JSON.stringify(keys[i])}: `;
      yield* pieces(record[keys[i]!], depth + 1, element, depth === 0 ? keys[i] : undefined);
    }
    yield `${outer}}`;
    return;
  }
  if (depth === 0 || typeof value !== 'object' || value === null) {
    yield JSON.stringify(value, null, 2);
    return;
  }
  // Written inside `depth` arrays, the value comes out indented to its place; the piece is the slice
  // between the arrays' brackets (which costs no copy), so each byte of the file is made once.
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  yield text.slice(OPENING[depth]!.length, text.length - CLOSING[depth]!.length);
}

/** What JSON.stringify(value, null, 2) writes before and after a value nested `depth` arrays deep. */
const OPENING = Array.from({ length: PIECE_DEPTH + 1 }, (_, depth) => opening(depth));
const CLOSING = Array.from({ length: PIECE_DEPTH + 1 }, (_, depth) => closing(depth));

/** Before: "[\n  [\n    " at depth 2. */
function opening(depth: number): string {
  let text = '';
  for (let i = 0; i < depth; i++) text += `${'  '.repeat(i)}[\n`;
  return text + '  '.repeat(depth);
}

/** After: "\n  ]\n]" at depth 2. */
function closing(depth: number): string {
  let text = '';
  for (let i = depth - 1; i >= 0; i--) text += `\n${'  '.repeat(i)}]`;
  return text;
}

/** What JSON.stringify leaves out of an object and writes as null in an array. */
function isLeftOut(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
