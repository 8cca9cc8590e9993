// The shell completion scripts of `blue completion bash|zsh|fish`, generated from the command tree (the
// commands' own declarations). Commands, options and option values are in the script itself, so a TAB
// costs no process; only where a dialogue id goes does the script ask blue (`blue completion --ids <word>`,
// one folder listing on the file store), passing on the --root and store options typed before it.
//
// Each script has the same parts: four lookups generated from the tree (the subcommands of a path, the
// options of a path, what follows an option, what a command's n-th argument is), and a walk over the words
// typed so far that finds the path, skips options and their values, and counts the arguments.

/** What a word can be: a dialogue id, a file, a folder, free text (nothing to offer), or one of some values. */
export type ValueKind = 'id' | 'file' | 'dir' | 'text' | { choices: readonly string[] };

export interface CompletionOption {
  /** The long form, e.g. `--format`. */
  flag: string;
  description: string;
  /** What its value is; absent for a flag that takes none. */
  value?: ValueKind;
}

export interface CompletionNode {
  /** [] for the program itself, ['dialogue'] for a group, ['dialogue', 'export'] for a command. */
  path: string[];
  subcommands: Array<{ name: string; description: string }>;
  /** The node's own options (the global ones are the tree's). */
  options: CompletionOption[];
  /** A command's positional arguments, in order. */
  args: ValueKind[];
}

export interface CompletionTree {
  program: string;
  nodes: CompletionNode[];
  /** The options every node takes. */
  globalOptions: CompletionOption[];
  /** Options that choose the project or the store: passed on to the id lookup when typed before the id. */
  forwarded: string[];
}

export type Shell = 'bash' | 'zsh' | 'fish';

/** A word for sh or zsh in single quotes. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A word for fish in single quotes (there, \ and ' are escaped with \). */
function fq(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}

/** The lookups' encoding of a value kind: `id`, `file`, `dir`, `text`, or `=` and the values. */
function kindWord(kind: ValueKind): string {
  return typeof kind === 'string' ? kind : `=${kind.choices.join(' ')}`;
}

const key = (path: string[]) => path.join(' ');

/** One line of a description: the completion menus show one line per candidate. */
function short(description: string): string {
  return description.split('\n')[0].replace(/\s+/g, ' ').trim();
}

/** The cases of the four lookups, shell-neutral: [pattern, output lines]. */
interface Lookups {
  subcommands: Array<[string, Array<[string, string]>]>;
  options: Array<[string, Array<[string, string]>]>;
  optionValue: Array<[string, string]>;
  argument: Array<[string, string]>;
}

function lookups(tree: CompletionTree): Lookups {
  const result: Lookups = { subcommands: [], options: [], optionValue: [], argument: [] };
  const described = (options: CompletionOption[]) => options.map((o): [string, string] => [o.flag, short(o.description)]);
  for (const node of tree.nodes) {
    const path = key(node.path);
    if (node.subcommands.length) result.subcommands.push([path, node.subcommands.map((s) => [s.name, short(s.description)])]);
    result.options.push([path, described([...node.options, ...tree.globalOptions])]);
    for (const o of node.options) if (o.value) result.optionValue.push([`${path}|${o.flag}`, kindWord(o.value)]);
    node.args.forEach((arg, i) => result.argument.push([`${path}|${i}`, kindWord(arg)]));
  }
  // A global option's value is the same after any path: one case each, after the commands' own.
  for (const o of tree.globalOptions) if (o.value) result.optionValue.push([`*|${o.flag}`, kindWord(o.value)]);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// bash and zsh share the lookups' syntax (case ... esac); each has its own walk.

function shCase(name: string, comment: string, cases: Array<[string, string[]]>, argument = '"$1"'): string {
  const lines = [`# ${comment}`, `${name}() {`, `  case ${argument} in`];
  for (const [pattern, out] of cases) {
    const matcher = pattern.startsWith('*|') ? `*${sq(pattern.slice(1))}` : sq(pattern);
    lines.push(`    ${matcher}) printf '%s\\n' ${out.map(sq).join(' ')} ;;`);
  }
  lines.push('  esac', '}');
  return lines.join('\n');
}

function shLookups(prefix: string, tree: CompletionTree, described: boolean): string {
  const l = lookups(tree);
  const entries = (pairs: Array<[string, string]>) => pairs.map(([name, description]) => (described ? `${name}:${description}` : name));
  return [
    shCase(`${prefix}_subcommands`, `The subcommands of a path${described ? ', as name:description' : ''}.`, l.subcommands.map(([p, pairs]) => [p, entries(pairs)])),
    shCase(`${prefix}_options`, `The options of a path${described ? ', as option:description' : ''}.`, l.options.map(([p, pairs]) => [p, entries(pairs)])),
    shCase(`${prefix}_option_value`, 'What follows an option (path|option): id, file, dir, text, or = and its values; nothing for a flag.', l.optionValue.map(([p, k]) => [p, [k]]), '"$1|$2"'),
    shCase(`${prefix}_argument`, "What a command's n-th argument is (path|n), as above.", l.argument.map(([p, k]) => [p, [k]]), '"$1|$2"'),
  ].join('\n\n');
}

function renderBash(tree: CompletionTree): string {
  const p = `_${tree.program.replace(/\W/g, '_')}`;
  const forwarded = tree.forwarded.join('|');
  return `# ${tree.program} completion for bash. Load it in ~/.bashrc:
#   source <(${tree.program} completion bash)
# Generated by \`${tree.program} completion bash\`; run it again after upgrading ${tree.program}.

${shLookups(p, tree, false)}

# Completes the word under the cursor: walks the words before it to the command, skipping options and their
# values and counting the arguments, then offers what fits there.
${p}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" where='' npos=0 i=1 word kind='' value='' subs
  local -a forward=()
  while [ "$i" -lt "$COMP_CWORD" ]; do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      --*=*) ;;
      -*)
        kind="$(${p}_option_value "$where" "$word")"
        if [ -n "$kind" ]; then
          i=$((i + 1))
          if [ "$i" -eq "$COMP_CWORD" ]; then value="$kind"; break; fi
          case "$word" in ${forwarded}) forward+=("$word" "\${COMP_WORDS[i]}") ;; esac
        fi
        ;;
      *)
        subs="$(${p}_subcommands "$where")"
        if [ "$npos" -eq 0 ] && [ -n "$subs" ] && case $'\\n'"$subs"$'\\n' in *$'\\n'"$word"$'\\n'*) true ;; *) false ;; esac; then
          where="\${where:+$where }$word"
        else
          npos=$((npos + 1))
        fi
        ;;
    esac
    i=$((i + 1))
  done
  local IFS=$'\\n'
  COMPREPLY=()
  if [ -z "$value" ]; then
    case "$cur" in
      -*) COMPREPLY=($(compgen -W "$(${p}_options "$where")" -- "$cur")); return 0 ;;
    esac
    subs="$(${p}_subcommands "$where")"
    if [ -n "$subs" ]; then COMPREPLY=($(compgen -W "$subs" -- "$cur")); return 0; fi
    value="$(${p}_argument "$where" "$npos")"
  fi
  case "$value" in
    id) COMPREPLY=($("\${COMP_WORDS[0]}" "\${forward[@]}" completion --ids "$cur" 2>/dev/null)) ;;
    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    dir) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    '='*) IFS=$' \n'; COMPREPLY=($(compgen -W "\${value#=}" -- "$cur")) ;;
  esac
  return 0
}
complete -F ${p} ${tree.program}
`;
}

function renderZsh(tree: CompletionTree): string {
  const p = `_${tree.program.replace(/\W/g, '_')}`;
  const forwarded = tree.forwarded.join('|');
  return `#compdef ${tree.program}
# ${tree.program} completion for zsh. Load it in ~/.zshrc, after compinit:
#   source <(${tree.program} completion zsh)
# or save it as _${tree.program} in a folder of $fpath. Generated by \`${tree.program} completion zsh\`.

${shLookups(`${p}_z`, tree, true)}

# What goes where a value of this kind goes.
${p}_offer() {
  local kind="$1" cur="$2"; shift 2
  case "$kind" in
    id) local -a ids; ids=(\${(f)"$("\${words[1]}" "$@" completion --ids "$cur" 2>/dev/null)"}); compadd -a ids ;;
    file) _files ;;
    dir) _directories ;;
    '='*) local -a values; values=(\${=kind#=}); compadd -a values ;;
  esac
}

# Walks the words before the cursor to the command, skipping options and their values and counting the
# arguments, then offers what fits there.
${p}() {
  local cur="\${words[CURRENT]}" where='' npos=0 i=2 word kind subs
  local -a forward entries
  while (( i < CURRENT )); do
    word="\${words[i]}"
    case "$word" in
      --*=*) ;;
      -*)
        kind="$(${p}_z_option_value "$where" "$word")"
        if [[ -n "$kind" ]]; then
          (( i++ ))
          if (( i == CURRENT )); then ${p}_offer "$kind" "$cur" "\${forward[@]}"; return; fi
          case "$word" in ${forwarded}) forward+=("$word" "\${words[i]}") ;; esac
        fi
        ;;
      *)
        subs="$(${p}_z_subcommands "$where")"
        if (( npos == 0 )) && [[ -n "$subs" ]] && (( \${\${(f)subs}[(I)$word:*]} )); then
          where="\${where:+$where }$word"
        else
          (( npos++ ))
        fi
        ;;
    esac
    (( i++ ))
  done
  if [[ "$cur" == -* ]]; then
    entries=(\${(f)"$(${p}_z_options "$where")"})
    _describe -t options 'option' entries
    return
  fi
  subs="$(${p}_z_subcommands "$where")"
  if [[ -n "$subs" ]]; then
    entries=(\${(f)subs})
    _describe -t commands 'command' entries
    return
  fi
  ${p}_offer "$(${p}_z_argument "$where" "$npos")" "$cur" "\${forward[@]}"
}

# Autoloaded from $fpath, this file is the body of ${p}: complete now. Sourced: register.
if [[ "\$funcstack[1]" == ${p} ]]; then
  ${p} "$@"
else
  compdef ${p} ${tree.program}
fi
`;
}

function fishCase(name: string, comment: string, cases: Array<[string, string[]]>, argument: string): string {
  const lines = [`# ${comment}`, `function ${name}`, `    switch ${argument}`];
  for (const [pattern, out] of cases) {
    lines.push(`        case ${pattern.startsWith('*|') ? `'*'${fq(pattern.slice(1))}` : fq(pattern)}`, `            printf '%s\\n' ${out.map(fq).join(' ')}`);
  }
  lines.push('    end', 'end');
  return lines.join('\n');
}

function renderFish(tree: CompletionTree): string {
  const p = `__${tree.program.replace(/\W/g, '_')}`;
  const l = lookups(tree);
  const tabbed = (pairs: Array<[string, string]>) => pairs.map(([name, description]) => `${name}\t${description}`);
  return `# ${tree.program} completion for fish. Load it with:
#   ${tree.program} completion fish | source
# or save it as ~/.config/fish/completions/${tree.program}.fish. Generated by \`${tree.program} completion fish\`.

${fishCase(`${p}_subcommands`, 'The subcommands of a path, as name<TAB>description.', l.subcommands.map(([path, pairs]) => [path, tabbed(pairs)]), '"$argv[1]"')}

${fishCase(`${p}_options`, 'The options of a path, as option<TAB>description.', l.options.map(([path, pairs]) => [path, tabbed(pairs)]), '"$argv[1]"')}

${fishCase(`${p}_option_value`, 'What follows an option (path|option): id, file, dir, text, or = and its values; nothing for a flag.', l.optionValue.map(([path, k]) => [path, [k]]), '"$argv[1]|$argv[2]"')}

${fishCase(`${p}_argument`, "What a command's n-th argument is (path|n), as above.", l.argument.map(([path, k]) => [path, [k]]), '"$argv[1]|$argv[2]"')}

# What goes where a value of this kind goes: kind, the word so far, the program, the options passed on.
function ${p}_offer
    set -l kind $argv[1]
    set -l cur $argv[2]
    switch $kind
        case id
            $argv[3] $argv[4..-1] completion --ids "$cur" 2>/dev/null
        case file
            __fish_complete_path "$cur"
        case dir
            __fish_complete_directories "$cur"
        case '=*'
            string split ' ' -- (string sub -s 2 -- $kind)
    end
end

# Walks the words before the cursor to the command, skipping options and their values and counting the
# arguments, then offers what fits there.
function ${p}_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l where ''
    set -l npos 0
    set -l forward
    set -l i 2
    while test $i -le (count $tokens)
        set -l word $tokens[$i]
        switch $word
            case '--*=*'
            case '-*'
                set -l kind (${p}_option_value "$where" $word)
                if test -n "$kind"
                    set i (math $i + 1)
                    if test $i -gt (count $tokens)
                        ${p}_offer $kind "$cur" $tokens[1] $forward
                        return
                    end
                    if contains -- $word ${tree.forwarded.join(' ')}
                        set -a forward $word $tokens[$i]
                    end
                end
            case '*'
                set -l subs (${p}_subcommands "$where" | string replace -r '\\t.*' '')
                if test $npos -eq 0; and contains -- $word $subs
                    set where (string trim -- "$where $word")
                else
                    set npos (math $npos + 1)
                end
        end
        set i (math $i + 1)
    end
    if string match -q -- '-*' "$cur"
        ${p}_options "$where"
        return
    end
    set -l subs (${p}_subcommands "$where")
    if test (count $subs) -gt 0
        printf '%s\\n' $subs
        return
    end
    ${p}_offer (${p}_argument "$where" $npos) "$cur" $tokens[1] $forward
end

complete -c ${tree.program} -f -a '(${p}_complete)'
`;
}

export function renderCompletion(shell: Shell, tree: CompletionTree): string {
  if (shell === 'bash') return renderBash(tree);
  if (shell === 'zsh') return renderZsh(tree);
  return renderFish(tree);
}
