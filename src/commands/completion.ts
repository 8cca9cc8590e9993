// `blue completion bash|zsh|fish`, and the hidden `blue completion --ids <word>` its scripts call where a
// dialogue id goes.

import { badInput } from '../domain/errors.js';
import type { CompletionNode, CompletionOption, CompletionTree, Shell, ValueKind } from '../render/completion.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import type { ArgSpec, CommandSpec, OptionSpec } from './spec.js';

const SHELL_CHOICES: readonly Shell[] = ['bash', 'zsh', 'fish'];

/** What an option's value is, from its declaration: its choices, else its placeholder (`<dir>`, `<file>`...). */
function optionValue(option: OptionSpec): ValueKind | undefined {
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1];
  if (placeholder === undefined) return undefined;
  if (option.choices) return { choices: option.choices };
  if (placeholder === 'dir') return 'dir';
  return ['file', 'md', 'path'].includes(placeholder) ? 'file' : 'text';
}

function argValue([name, , choices]: ArgSpec): ValueKind {
  if (choices) return { choices };
  const bare = name.replace(/[<>[\]]/g, '');
  if (bare === 'id') return 'id';
  if (bare === 'folder' || bare === 'dir') return 'dir';
  return bare === 'file' ? 'file' : 'text';
}

function completionOption(option: OptionSpec): CompletionOption {
  const flag = option.flags.split(/[\s,]+/).find((w) => w.startsWith('--'))!;
  const value = optionValue(option);
  return { flag, description: option.description, ...(value ? { value } : {}) };
}

const HELP: CompletionOption = { flag: '--help', description: 'show help' };

/** The tree the scripts complete: every group and command, with its options and the global ones. */
export function completionTree(commands: readonly CommandSpec[], groups: Record<string, string>): CompletionTree {
  const nodes = new Map<string, CompletionNode>();
  const node = (path: string[]): CompletionNode => {
    const key = path.join(' ');
    let found = nodes.get(key);
    if (!found) {
      found = { path, subcommands: [], options: path.length === 0 ? [{ flag: '--version', description: 'show the version' }] : [], args: [] };
      nodes.set(key, found);
      if (path.length) node(path.slice(0, -1)).subcommands.push({ name: path[path.length - 1], description: groups[key] ?? '' });
    }
    return found;
  };
  node([]);
  for (const spec of commands) {
    const leaf = node(spec.path);
    node(spec.path.slice(0, -1)).subcommands.find((s) => s.name === spec.path[spec.path.length - 1])!.description = spec.description;
    leaf.options = (spec.options ?? []).filter((o) => !o.hidden).map(completionOption);
    leaf.args = (spec.args ?? []).map(argValue);
  }
  // Every global option with a value says which project or store holds the dialogues: the id lookup gets them.
  const forwarded = GLOBAL_OPTIONS.filter((o) => optionValue(o) !== undefined).map((o) => completionOption(o).flag);
  return { program: 'blue', nodes: [...nodes.values()], globalOptions: [...GLOBAL_OPTIONS.map(completionOption), HELP], forwarded };
}

export const completionCommand: CommandSpec = {
  path: ['completion'],
  args: [['[shell]', 'bash, zsh or fish', SHELL_CHOICES]],
  description: 'print the shell completion script: commands, options, their values and dialogue ids',
  options: [{ flags: '--ids <word>', description: 'the dialogue ids (or slugs) that start with <word>, one a line', hidden: true }],
  examples: ['source <(blue completion bash)   # in ~/.bashrc', 'source <(blue completion zsh)    # in ~/.zshrc, after compinit', 'blue completion fish > ~/.config/fish/completions/blue.fish'],
  async run(ctx, [shell], o) {
    if (typeof o.ids === 'string') {
      const { dialogueIdsFor } = await import('../app/completion.js');
      const ids = await dialogueIdsFor(ctx.ports, o.ids);
      return { json: { ids }, human: ids.join('\n') };
    }
    if (!shell || !(SHELL_CHOICES as readonly string[]).includes(shell)) {
      throw badInput('invalid_shell', `which shell? blue completion ${SHELL_CHOICES.join('|')} (got ${shell ? `"${shell}"` : 'none'})`, { shells: SHELL_CHOICES, fix: `e.g. source <(blue completion bash); one of ${SHELL_CHOICES.join(', ')}` });
    }
    const [{ renderCompletion }, { COMMANDS, GROUPS }] = await Promise.all([import('../render/completion.js'), import('./index.js')]);
    const script = renderCompletion(shell as Shell, completionTree(COMMANDS, GROUPS));
    return { json: { shell, script }, human: script, exact: true };
  },
};
