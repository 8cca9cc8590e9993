// The entry point: runs one command line and returns its exit code. The only module that reads the
// process (its working directory, environment, exit code); everything below gets them as values.

import type { CommandSpec, OptionSpec } from '../commands/spec.js';
import type { NextStep } from '../domain/next.js';
import { outputMayGoAway, stdio } from './stdio.js';
import { VERSION } from './version.js';

let interrupt: AbortController | undefined;

/** The signals that ask blue to stop: Ctrl-C, a kill, and a terminal that went away. */
const QUIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ctrl-C, SIGTERM and SIGHUP (a closed terminal, a dropped SSH session) as an AbortSignal, for a command
 * that stops its work gracefully (round run stops its agents' process groups and exits 130): each agent
 * runs in a session of its own, so a closed terminal would not reach it, and blue ending by default on
 * SIGHUP would leave them all running. The handlers are installed only when a command asks: every other
 * command keeps the default, which ends the process at once.
 */
function interruption(notify: (message: string) => void = (message) => stdio.stderr.write(`${message}\n`)): AbortSignal {
  if (interrupt) return interrupt.signal;
  const controller = new AbortController();
  interrupt = controller;
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      notify(`blue: ${signal} again: still stopping the agents (SIGKILL follows SIGTERM within 5 s)`);
      return;
    }
    notify(`blue: ${signal}: stopping the agents; the round stays open`);
    controller.abort(signal);
  };
  for (const signal of QUIT_SIGNALS) process.on(signal, stop);
  // A closed terminal takes stderr with it: the message above, and the view's frames, then go nowhere,
  // and must not end blue before it has stopped the agents.
  outputMayGoAway();
  return controller.signal;
}

/** `blue <the command or group argv names> --help`: the longest start of argv that is blue's own words. */
function helpCommand(argv: readonly string[], paths: ReadonlyArray<readonly string[]>): string {
  const words: string[] = [];
  for (const word of argv) {
    if (!paths.some((path) => words.every((w, i) => path[i] === w) && path[words.length] === word)) break;
    words.push(word);
  }
  return ['blue', ...words, '--help'].join(' ');
}

export async function main(argv: string[]): Promise<number> {
  // Hooks and scripts ask for the version often; it needs no command tree.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    stdio.stdout.write(`${VERSION}\n`);
    return 0;
  }
  // The pre-commit hook runs on every commit; one that stages no dialogue file is answered here.
  if (argv[0] === 'hook') {
    const { preCommitHasNothingToCheck } = await import('./hook-gate.js');
    if (preCommitHasNothingToCheck(argv, process.cwd())) return 0;
  }
  const [{ CommanderError }, { buildProgram }] = await Promise.all([import('commander'), import('./program.js')]);
  let exitCode = 0;
  const self = { node: process.execPath, script: process.argv[1] };
  const program = buildProgram({ cwd: process.cwd(), env: process.env, setExitCode: (code) => (exitCode = code), streams: { get stdout() { return stdio.stdout; }, get stderr() { return stdio.stderr; }, get stdin() { return stdio.stdin; }, onQuitSignal }, interruption, self, argv });
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (json) {
        const { COMMANDS } = await import('../commands/index.js');
        const fix = `see how the command is written: ${helpCommand(argv, COMMANDS.map((c) => c.path))}`;
        const details = { commander: error.code, fix };
        const next = await usageNext(argv, COMMANDS);
        const { jsonText } = await import('./output.js');
        stdio.stdout.write(jsonText({ error: { code: 'usage', message: error.message.replace(/^error: /, ''), details }, next }));
      }
      return 2; // bad input: an unknown flag or command, a missing argument
    }
    // Loaded when there is an error to print: the hook's quiet way out never needs it.
    const { printError } = await import('./output.js');
    return printError(error, json);
  }
}

/**
 * The next steps of the dialogue a command line names, when commander refused the line (an unknown or a
 * missing option): read from argv as commander would have, the global options included, so that the
 * answer says what the judge can run instead of an empty `next`, which means nothing is left to do.
 */
async function usageNext(argv: readonly string[], commands: readonly CommandSpec[]): Promise<NextStep[]> {
  try {
    const { GLOBAL_OPTIONS } = await import('../commands/global-options.js');
    const takesValue = (options: readonly OptionSpec[] | undefined, name: string) =>
      options?.some((o) => o.flags.split(/[ ,]+/).includes(name) && o.flags.includes('<')) ?? false;
    const globals: Record<string, string> = {};
    const given: string[] = [];
    const words: string[] = [];
    let spec: CommandSpec | undefined;
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i]!;
      if (token.startsWith('-') && token !== '-') {
        const equals = token.indexOf('=');
        const name = equals === -1 ? token : token.slice(0, equals);
        const inline = equals === -1 ? undefined : token.slice(equals + 1);
        if (takesValue(GLOBAL_OPTIONS, name)) {
          const value = inline ?? argv[++i];
          if (value !== undefined) {
            globals[name.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = value;
            given.push(name, value);
          }
        } else if (inline === undefined && takesValue(spec?.options, name)) {
          i++;
        }
        continue;
      }
      words.push(token);
      spec ??= commands.find((c) => c.path.length === words.length && c.path.every((w, k) => w === words[k]));
    }
    const { carryGlobals, idArgument } = await import('./program.js');
    const id = spec && idArgument(spec, words.slice(spec.path.length));
    if (id === undefined) return [];
    const [{ createContext }, { nextForId }] = await Promise.all([import('./context.js'), import('../app/next.js')]);
    const ctx = await createContext(globals, process.cwd(), process.env);
    return carryGlobals((await nextForId(ctx.ports, id)) ?? [], given);
  } catch {
    return []; // the usage error is the answer; what it cannot read stays unsaid
  }
}

/** A live view's way out on a signal: while it listens, the signal is its to handle (it restores the terminal). */
function onQuitSignal(listener: () => void): () => void {
  for (const signal of QUIT_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of QUIT_SIGNALS) process.off(signal, listener);
  };
}
