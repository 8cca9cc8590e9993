// A reader for the plain subset of YAML that `.blue/config.yaml` is written in: nested block mappings of
// `key: value` lines, comments and blank lines, with plain words, small whole numbers, true/false/null and
// simple quoted strings as values. Every command reads the config, and loading the `yaml` package costs
// more than the rest of a command's start-up; this subset needs none of it.
//
// `yaml` stays the parser of record: anything this reader does not fully understand (a list, an anchor, a
// tab, a flow mapping, an escape, a number that is not a plain whole one, a repeated key, a line it cannot
// place) makes it answer undefined, and the caller hands the text to `yaml`, so the result, the errors and
// the warnings are always yaml's own. Where it answers, it answers what yaml.parse would (test/workspace/
// plain-yaml.test.ts compares the two on many inputs, tricky ones included).

/** A key as the subset writes it: a word of letters, digits, `_` and `-`, starting with a letter or `_`. */
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Words that YAML reads as null or a boolean: as a key they would not be the string they look like. */
const SPECIAL_WORDS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '~']);
/** A whole number YAML and JavaScript agree on: no sign, no leading zero, well inside the safe range. */
const PLAIN_INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
/**
 * The characters of a plain value: letters, digits, space and punctuation that means nothing to YAML here,
 * starting with a letter, a digit, `_`, or the `.`, `/` or `~` of a path (`.secrets/master.key`).
 */
const PLAIN_VALUE = /^[A-Za-z0-9_./~][A-Za-z0-9 _./:+=,()@~-]*$/;
/** `.5`, `.inf`, `.NaN`: numbers to YAML, though they start like a path. */
const DOT_NUMBER = /^\.(?:[0-9]|inf$|Inf$|INF$|nan$|NaN$|NAN$)/;
/** Inside quotes: no quote, backslash or other character a quoted YAML string treats specially. */
const QUOTED_DOUBLE = /^"([A-Za-z0-9 _./:+=,()@~#&*!|>%?{}[\]'-]*)"$/;
const QUOTED_SINGLE = /^'([A-Za-z0-9 _./:+=,()@~#&*!|>%?{}[\]"-]*)'$/;

/** undefined: not understood (hand the text to yaml); else the value yaml would give. */
export type PlainYaml = { value: unknown } | undefined;

interface Level {
  indent: number;
  map: Record<string, unknown>;
}

/**
 * Parses `text` when it is in the plain subset; undefined when it is not, or when in doubt. The text is the
 * file's as read (a leading byte-order mark is the caller's to strip, as parseDataFile does).
 */
export function parsePlainYaml(text: string): PlainYaml {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  const root: Record<string, unknown> = {};
  const levels: Level[] = [{ indent: 0, map: root }];
  // The key of the line before when it opened a mapping (`storage:` with nothing after it).
  let opened: { map: Record<string, unknown>; key: string } | undefined;
  let any = false;
  for (const raw of text.split('\n')) {
    // Only the space is white space here: YAML reads a no-break space (which trim() would drop) as text.
    const line = raw.replace(/ +$/, '');
    const indent = /^ */.exec(line)![0].length;
    const body = line.slice(indent);
    if (body === '' || body.startsWith('#')) continue;
    let level = levels[levels.length - 1];
    if (opened) {
      if (indent > level.indent) {
        // The first line of the mapping the line before opened sets its indent.
        const map: Record<string, unknown> = {};
        opened.map[opened.key] = map;
        levels.push((level = { indent, map }));
      }
      opened = undefined;
    }
    if (indent !== level.indent) {
      // A line further out closes mappings, back to one at exactly its indent; anything else is not ours.
      while (levels.length > 1 && levels[levels.length - 1].indent > indent) levels.pop();
      level = levels[levels.length - 1];
      if (level.indent !== indent) return undefined;
    }
    const colon = body.indexOf(':');
    if (colon === -1) return undefined;
    const key = body.slice(0, colon);
    if (!KEY.test(key) || SPECIAL_WORDS.has(key) || key === '__proto__') return undefined;
    if (Object.prototype.hasOwnProperty.call(level.map, key)) return undefined; // yaml refuses a repeated key
    const rest = body.slice(colon + 1);
    if (rest !== '' && !rest.startsWith(' ')) return undefined; // `a:b` is one scalar in YAML, not a key
    const written = withoutComment(rest.replace(/^ +/, ''));
    const value = scalar(written);
    if (value === NOT_PLAIN) return undefined;
    level.map[key] = value;
    any = true;
    if (written === '') opened = { map: level.map, key };
  }
  return { value: any ? root : null };
}

const NOT_PLAIN = Symbol('not plain');

/** A value with a trailing ` # comment` cut off; a `#` with no space before it belongs to the value. */
function withoutComment(text: string): string {
  if (text.startsWith('#')) return '';
  const at = text.indexOf(' #');
  return at === -1 ? text : text.slice(0, at).replace(/ +$/, '');
}

/** What YAML's core schema reads a value as, or NOT_PLAIN when it is not of the subset. */
function scalar(text: string): unknown {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (PLAIN_INTEGER.test(text)) return Number(text);
  const quoted = QUOTED_DOUBLE.exec(text) ?? QUOTED_SINGLE.exec(text);
  if (quoted) return quoted[1];
  // A value that starts with a digit and is not a plain whole number may be a float, an octal, a hex, a
  // date or a string: yaml decides.
  if (/^[0-9]/.test(text) || DOT_NUMBER.test(text) || !PLAIN_VALUE.test(text)) return NOT_PLAIN;
  // `a: b` inside a value is a nested mapping to YAML (an error), and a final `:` opens one.
  if (text.includes(': ') || text.endsWith(':')) return NOT_PLAIN;
  return text;
}
