// The git hook blue installs: a marked block of POSIX shell, and how it joins a hook file that is already
// there. The block starts node only when the commit stages something under `.blue/dialogues/`, so a
// commit that touches no dialogue pays for one `git diff` and one `grep`.

/** How the block calls blue back: node and bin/blue as they were at install, else `blue` on PATH. */
export interface HookInvocation {
  /** Absolute paths of the node that ran `blue hook install` and of its bin/blue. */
  node?: string;
  script?: string;
}

/**
 * The blue projects a hook checks, each by where it is below the repository's top level (git runs hooks
 * there): '' for the top level itself, else `sub/dir` (passed as `--root`). One check each, in this order.
 */
export function orderedRoots(roots: Iterable<string>): string[] {
  return [...new Set(roots)].sort((a, b) => (a === b ? 0 : a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1));
}

const begin = (hook: string) => `# >>> blue ${hook} >>>`;
const end = (hook: string) => `# <<< blue ${hook} <<<`;

/** A word for sh, in single quotes (a quote inside becomes '\''). */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A check for each project root: a project below the top level whose `.blue/` is gone is passed over. */
function checks(hook: string, roots: readonly string[], blue: string): string[] {
  return orderedRoots(roots).map((root) => {
    const run = `${blue} hook run ${hook}${root ? ` --root ${shellQuote(root)}` : ''} || exit $?`;
    return root ? `[ ! -d ${shellQuote(`${root}/.blue`)} ] || ${run}` : run;
  });
}

export function renderHookBlock(hook: string, invocation: HookInvocation, roots: readonly string[] = ['']): string {
  const recorded = invocation.node && invocation.script;
  const indent = (lines: string[]) => lines.map((line) => `    ${line}`);
  const lines = [
    begin(hook),
    '# Added by `blue hook install`: refuses a commit that stages an invalid or out-of-date dialogue record,',
    '# naming the file and the command that fixes it. `blue hook install` again rewrites this block; in',
    '# another blue project of the repository it adds that project\'s check.',
    // Deletions too (a record deleted is a record missing), and a move as a deletion and an addition.
    "if git diff --cached --name-only --no-renames | grep -q '\\.blue/dialogues/'; then",
    ...(recorded
      ? [
          `  if [ -x ${shellQuote(invocation.node!)} ] && [ -f ${shellQuote(invocation.script!)} ]; then`,
          ...indent(checks(hook, roots, `${shellQuote(invocation.node!)} ${shellQuote(invocation.script!)}`)),
          '  elif command -v blue >/dev/null 2>&1; then',
        ]
      : ['  if command -v blue >/dev/null 2>&1; then']),
    ...indent(checks(hook, roots, 'blue')),
    '  else',
    `    echo 'blue ${hook} hook: cannot find blue${recorded ? ' (the one that installed this hook is gone)' : ''}; put blue on PATH, or run \`blue hook install\` again' >&2`,
    '    exit 1',
    '  fi',
    'fi',
    end(hook),
  ];
  return lines.join('\n') + '\n';
}

/**
 * The project roots that blue's block for `hook` in a hook file checks (see orderedRoots), read back from
 * its `hook run` lines, so that installing in one project keeps the others' checks; undefined when the
 * file has no such block.
 */
export function hookBlockRoots(text: string, hook: string): string[] | undefined {
  const span = blockSpan(text, hook);
  if (!span) return undefined;
  const run = new RegExp(`hook run ${hook}(?: --root ('(?:[^']|'\\\\'')*'))? \\|\\| exit \\$\\?`, 'g');
  const roots = [...text.slice(span.start, span.end).matchAll(run)].map((m) => (m[1] === undefined ? '' : shellUnquote(m[1])));
  return orderedRoots(roots);
}

/** `shellQuote`'s word back: the text between the quotes, with each '\'' a quote again. */
function shellUnquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/'\\''/g, "'");
}

/** The node and bin/blue a block of blue's calls back (renderHookBlock's recorded invocation); {} for none. */
function recordedInvocation(block: string): HookInvocation {
  const word = "('(?:[^']|'\\\\'')*')";
  const found = new RegExp(`^ {2}if \\[ -x ${word} \\] && \\[ -f ${word} \\]; then$`, 'm').exec(block);
  return found ? { node: shellUnquote(found[1]!), script: shellUnquote(found[2]!) } : {};
}

/**
 * Whether the hook file's block for `hook` is the one this blue writes for the same projects and the same
 * node and bin/blue: false for a block an older blue wrote (which may miss a check this one makes), or one
 * edited by hand; undefined when the file has no such block.
 */
export function isCurrentHookBlock(text: string, hook: string): boolean | undefined {
  const span = blockSpan(text, hook);
  if (!span) return undefined;
  const block = text.slice(span.start, span.end).replace(/\r\n/g, '\n');
  return block === renderHookBlock(hook, recordedInvocation(block), hookBlockRoots(block, hook) ?? ['']);
}

/** The line that hands over to a hook blue moved aside (`chain`), passing on its arguments and stdin. */
function chainLine(chain: string): string {
  return `exec "$(dirname "$0")"/${shellQuote(chain)} "$@"`;
}

/** A hook file of blue's own: the block alone, or the block and then the hook it replaced. */
export function renderHookFile(block: string, chain?: string): string {
  const handover = chain ? `# The hook that was here before blue's, kept as ${chain}, runs next.\n${chainLine(chain)}\n` : '';
  return `#!/bin/sh\n${block}${handover}`;
}

/** The span of blue's block for `hook` in a hook file's text, if it is there. */
function blockSpan(text: string, hook: string): { start: number; end: number } | undefined {
  const start = text.indexOf(begin(hook));
  if (start < 0) return undefined;
  const close = text.indexOf(end(hook), start);
  if (close < 0) return undefined;
  const lineEnd = text.indexOf('\n', close);
  return { start, end: lineEnd < 0 ? text.length : lineEnd + 1 };
}

export function hasHookBlock(text: string, hook: string): boolean {
  return blockSpan(text, hook) !== undefined;
}

/** The text with blue's block replaced by `block` (which must already be there). */
export function replaceHookBlock(text: string, hook: string, block: string): string {
  const span = blockSpan(text, hook)!;
  return text.slice(0, span.start) + block + text.slice(span.end);
}

/**
 * Whether a hook file is a script that the POSIX block can join: one whose interpreter is a Bourne-style
 * shell, or one with no `#!` line (git runs those with sh).
 */
export function isShellScript(text: string): boolean {
  if (!text.startsWith('#!')) return true;
  const words = text.slice(2).split('\n', 1)[0].trim().split(/\s+/);
  // `#!/usr/bin/env sh`, `#!/usr/bin/env -S bash -e`: the interpreter is the first word after env's options.
  const interpreter = words[0]?.endsWith('/env') ? words.slice(1).find((w) => !w.startsWith('-')) : words[0];
  const name = interpreter?.split('/').pop() ?? '';
  return ['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh', 'busybox'].includes(name);
}

/**
 * A shell hook with blue's block joined in: right after its `#!` line, so that blue runs first and an
 * `exit 0` at the end of the existing hook cannot skip it; the hook's own lines follow unchanged.
 */
export function insertHookBlock(text: string, block: string): string {
  if (!text.startsWith('#!')) return block + text;
  const lineEnd = text.indexOf('\n');
  if (lineEnd < 0) return `${text}\n${block}`;
  return text.slice(0, lineEnd + 1) + block + text.slice(lineEnd + 1);
}
