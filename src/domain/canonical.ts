// Canonical JSON: one byte sequence per JSON value, so two dialogues compare (and a checksum over one does
// not depend on) key order or whitespace. Object keys are sorted by UTF-16 code units and numbers and
// strings are written the way JSON.stringify writes them, which for plain JSON values is the JSON
// Canonicalization Scheme (RFC 8785).

/** The value as JSON would carry it: undefined members dropped, toJSON applied, NaN turned into null. */
export function toPlainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Canonical JSON of a plain JSON value (the result of JSON.parse or toPlainJson). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}
