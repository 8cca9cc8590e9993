// Canonical JSON: one byte sequence per JSON value, so two dialogues compare (and a checksum over one does
// not depend on) key order or whitespace. Object keys are sorted by UTF-16 code units and numbers and
// strings are written the way JSON.stringify writes them, which for plain JSON values is the JSON
// Canonicalization Scheme (RFC 8785).

/**
 * The value as JSON would carry it: undefined members dropped, toJSON applied, NaN turned into null; what
 * JSON.parse(JSON.stringify(value)) gives. The parts of `value` that are plain JSON already are shared, not
 * copied (a dialogue is plain JSON all through, and every write passes it here: a copy of a large one cost
 * as much time and memory as the write itself). So the result is `value` itself when nothing needs to
 * change, and a change to the result may be a change to `value`.
 */
export function toPlainJson<T>(value: T): T {
  const plain = plainPart(value);
  return (plain === LEFT_OUT ? JSON.parse(JSON.stringify(value)) : plain) as T;
}

/** What JSON leaves out of an object (and writes as null in an array): undefined, functions, symbols. */
const LEFT_OUT = Symbol('left out of JSON');

function plainPart(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON writes NaN and the infinities as null, and -0 as 0.
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return LEFT_OUT;
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && !('toJSON' in value)) return plainArray(value);
      if (Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value)) return plainObject(value as Record<string, unknown>);
      // A Date, a class instance, a boxed primitive, an object without a prototype: exactly as JSON has it.
      return throughJson(value);
    default:
      // A bigint: JSON.stringify throws its own TypeError, as it did before.
      return throughJson(value);
  }
}

/** `value` written and read back by JSON; LEFT_OUT where JSON writes nothing for it (a toJSON giving undefined). */
function throughJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? LEFT_OUT : (JSON.parse(text) as unknown);
}

function plainArray(array: unknown[]): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    let plain = plainPart(item);
    if (plain === LEFT_OUT) plain = null;
    // A hole reads as undefined, so it became null above and the array is copied. (Object.is: -0 became 0.)
    if (copy === undefined && !Object.is(plain, item)) copy = array.slice(0, i);
    if (copy !== undefined) copy.push(plain);
  }
  return copy ?? array;
}

function plainObject(record: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = record[key];
    const plain = plainPart(member);
    if (copy === undefined && !Object.is(plain, member)) {
      copy = {};
      for (let j = 0; j < i; j++) setMember(copy, keys[j]!, record[keys[j]!]);
    }
    if (copy !== undefined && plain !== LEFT_OUT) setMember(copy, key, plain);
  }
  return copy ?? record;
}

/** An own member, as JSON.parse makes one: even "__proto__", which an assignment would take as the prototype. */
function setMember(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/**
 * Object keys as JSON writes them, kept: the few dozen names of a dialogue's items recur in every item a
 * DynamoDB load opens (two or three canonical forms each), and quoting them again was most of the work.
 */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 1024;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < MAX_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** Canonical JSON of a plain JSON value (the result of JSON.parse or toPlainJson). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  // Loops rather than map/filter/join: DynamoDB loads run this a few times for every item they open,
  // in a short command whose code V8 has not optimised yet.
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      // As join writes them: an element JSON has no text for (undefined, a hole) leaves nothing.
      if (i in value) text += canonicalJson(value[i]) ?? '';
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const member = record[keys[i]!];
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${quotedKey(keys[i]!)}:${canonicalJson(member)}`;
  }
  return `${text}}`;
}
