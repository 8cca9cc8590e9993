// Command lines for sh, as blue hands them to a judge (an answer's `next`, an error's `fix`, the protocol):
// blue's words and this dialogue's values, quoted where sh needs it, and `<placeholders>` for the judge's
// own values, left bare so that the judge sees (and replaces) them.

/** A `<placeholder>`: the judge's own value, left for the judge to fill in. */
const PLACEHOLDER = /<[^<>\s]+>/g;
/** Characters sh reads as themselves, outside quotes. Letters of other scripts are ordinary to sh too. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for sh: as it is when sh reads it so, else in single quotes. */
export function shellQuote(word: string): string {
  if (word !== '' && SHELL_SAFE.test(word.replace(/[^\x00-\x7f]/g, 'a'))) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A `blue` command line. Each argument is quoted for sh where it needs it, apart from its `<placeholders>`,
 * which stay bare so that the judge sees (and replaces) them: `--expert Muffin=<W>,<C>,<T>,<R>`.
 */
export function blueCommand(...args: string[]): string {
  const word = (arg: string) => {
    const parts = arg.split(PLACEHOLDER);
    const holes = arg.match(PLACEHOLDER) ?? [];
    return parts.map((part, i) => (part === '' ? '' : shellQuote(part)) + (holes[i] ?? '')).join('');
  };
  return ['blue', ...args.map(word)].join(' ');
}

/** The `<placeholders>` of a command, in order: what the judge must fill in before running it. */
export function placeholdersOf(command: string): string[] {
  return command.match(PLACEHOLDER) ?? [];
}
