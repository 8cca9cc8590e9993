// The command tree, built from the commands' own declarations (src/commands/). Every command's use case
// is imported only when that command runs, so that `blue dialogue list` (which git hooks call) loads no
// more than it needs.

import { Command, Option, type OutputConfiguration } from 'commander';
import { COMMANDS, GROUPS } from '../commands/index.js';
import { GLOBAL_OPTIONS } from '../commands/global-options.js';
import { ID_ARG, type CommandResult, type CommandSpec, type Terminal } from '../commands/spec.js';
import { BlueError } from '../domain/errors.js';
import { shellQuote } from '../domain/shell.js';
import { printableLines } from '../domain/values.js';
import type { Ports } from '../app/ports.js';
import { withNext, type NextStep } from '../domain/next.js';
import type { GlobalOptions } from './context.js';
import { colorAllowed, printResult, setColor } from './output.js';
import { VERSION } from './version.js';

function withGlobals(cmd: Command): Command {
  // Declared once, on the program: commander recognises a program's options before the group and after
  // the command alike, and each command's help lists them after the command's own.
  for (const { flags, description } of GLOBAL_OPTIONS) cmd.addOption(new Option(flags, description));
  return cmd;
}

/** Where the process runs: handed in by main, so that nothing below reads `process` itself. */
export interface Environment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  setExitCode(code: number): void;
  /** The process's streams and its quit signals, for the live views (none in process: plain output). */
  streams?: Pick<Terminal, 'stdout' | 'stderr' | 'stdin' | 'onQuitSignal'>;
  /** Ctrl-C, SIGTERM and SIGHUP as an AbortSignal, for the commands that stop gracefully (CommandContext.interruption). */
  interruption?: (notify?: (message: string) => void) => AbortSignal;
  /** node and bin/blue, absolute, when known: the git hook calls blue back with them. */
  self?: { node: string; script: string };
  /** The command line after `blue`, as given: a failed command's next step is to run it again. */
  argv?: readonly string[];
}

/** A live view draws only on a terminal, never under CI (CLI.md: CI gets plain output, no prompts), nor on a dumb one. */
function terminalOf(environment: Environment, color: boolean | undefined): Terminal | undefined {
  const { streams, env } = environment;
  if (!streams) return undefined;
  const live = (stream: NodeJS.WriteStream) => stream.isTTY === true && !nonBlank(env.CI) && env.TERM !== 'dumb';
  // Getters: a stream is made on first use (src/cli/stdio.ts), and most commands never ask whether one is a terminal.
  return {
    get stdout() {
      return streams.stdout;
    },
    get stderr() {
      return streams.stderr;
    },
    get stdin() {
      return streams.stdin;
    },
    get liveStdout() {
      return live(streams.stdout);
    },
    get liveStderr() {
      return live(streams.stderr);
    },
    color: colorAllowed(color, env),
    onQuitSignal: streams.onQuitSignal,
  };
}

function nonBlank(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function addCommand(parent: Command, spec: CommandSpec, environment: Environment): void {
  const cmd = parent.command(spec.path[spec.path.length - 1]).description(spec.description);
  for (const [name, description] of spec.args ?? []) cmd.argument(name, description);
  for (const option of spec.options ?? []) {
    const o = new Option(option.flags, option.description);
    if (option.repeatable) o.argParser(collect);
    if (option.default !== undefined) o.default(option.default);
    if (option.required) o.makeOptionMandatory();
    if (option.hidden) o.hideHelp();
    cmd.addOption(o);
  }
  if (spec.examples?.length) cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`);
  cmd.exitOverride().action(async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    setColor(options.color as boolean | undefined);
    // Loaded when a command runs, not when the tree is built: --version and --help need none of it.
    const { createContext } = await import('./context.js');
    const ctx = await createContext(options, environment.cwd, environment.env);
    const positional = args.slice(0, -2) as Array<string | undefined>;
    const terminal = terminalOf(environment, options.color as boolean | undefined);
    const result = await spec
      .run(
        {
          ports: ctx.ports,
          json: ctx.json,
          storeName: ctx.storeName,
          ...(terminal ? { terminal } : {}),
          ...(environment.interruption ? { interruption: environment.interruption } : {}),
          ...(environment.self ? { self: environment.self } : {}),
        },
        positional,
        command.opts(),
      )
      .catch(async (error: unknown) => {
        const id = idArgument(spec, positional);
        throw withGivenGlobals(withRetryNext(await withDialogueNext(error, ctx.ports, id), id, environment.argv), command);
      });
    // Warnings about the input files go into the answer too, where a judge agent reads them.
    const json = result.json;
    if (ctx.inputWarnings.length && typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const existing = (json as { warnings?: unknown[] }).warnings ?? [];
      result.json = { ...json, warnings: [...existing, ...ctx.inputWarnings] };
    }
    printResult(result, ctx.json, carryGlobals(await nextOf(result, ctx.ports), givenGlobals(command)));
    if (result.exitCode) environment.setExitCode(result.exitCode);
  });
}

/** The global options that choose the project and the store: a next step must run where this one ran. */
const CARRIED_GLOBALS = ['root', 'store', 'endpoint', 'table', 'region', 'profile', 'keyFile', 'kmsKeyId'] as const;

/** The carried global options given on this command line (not by the environment or the config), as flags. */
function givenGlobals(command: Command): string[] {
  const options = command.optsWithGlobals() as Record<string, unknown>;
  return CARRIED_GLOBALS.flatMap((key) => {
    const value = options[key];
    if (typeof value !== 'string' || command.getOptionValueSourceWithGlobals(key) !== 'cli') return [];
    return [`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value];
  });
}

/**
 * Each next step with the global options this command line gave (`--root`, `--store`, ...), unless the
 * step names that option itself: a hint followed as written must reach the same project and store.
 */
export function carryGlobals(next: NextStep[], flags: readonly string[]): NextStep[] {
  if (flags.length === 0) return next;
  return next.map((step) => {
    if (!step.command.startsWith('blue ')) return step;
    const words: string[] = [];
    for (let i = 0; i < flags.length; i += 2) {
      if (!new RegExp(`(^| )${flags[i]}( |=|$)`).test(step.command)) words.push(flags[i]!, shellQuote(flags[i + 1]!));
    }
    return words.length ? { ...step, command: `blue ${words.join(' ')} ${step.command.slice(5)}` } : step;
  });
}

function withGivenGlobals(error: unknown, command: Command): unknown {
  if (!(error instanceof BlueError) || !error.details.next) return error;
  return withNext(error, carryGlobals(error.details.next, givenGlobals(command)));
}

/**
 * A failure (exit 1: I/O, a lock, an unreachable store) or an integrity failure (exit 4) of a command that
 * names a dialogue, with no next steps of its own: the step is the same command, once the fix its details
 * give is done. An empty `next` would tell a judge that nothing is left to do (CLI.md), and the dialogue's
 * own steps are not looked up: that load would only fail as this command did.
 */
function withRetryNext(error: unknown, id: string | undefined, argv: readonly string[] | undefined): unknown {
  if (!(error instanceof BlueError) || error.details.next || id === undefined || argv === undefined) return error;
  if (error.exitCode !== 1 && error.exitCode !== 4) return error;
  return withNext(error, [{ command: ['blue', ...argv.map(shellQuote)].join(' '), why: 'the same command again, once the fix above is done' }]);
}

/** Errors that say the named dialogue is not there (or not one): they keep their own `next`. */
const NO_DIALOGUE = new Set(['dialogue_not_found', 'ambiguous_dialogue']);

/** The dialogue a command names, when its first argument is a dialogue id. */
export function idArgument(spec: CommandSpec, positional: ReadonlyArray<string | undefined>): string | undefined {
  const first = spec.args?.[0]?.[0];
  return first === ID_ARG[0] || first === '[id]' ? positional[0] : undefined;
}

/**
 * A refusal or bad input that says nothing of what to do next, about a dialogue that can be read: it gets
 * that dialogue's next steps (CLI.md: every answer carries `next`; empty means nothing is left to do).
 */
export async function withDialogueNext(error: unknown, ports: Ports, id: string | undefined): Promise<unknown> {
  if (!(error instanceof BlueError) || error.details.next || id === undefined) return error;
  // Bad input and refusals only: a store that failed (1) or failed its checks (4) would only fail again,
  // slowly where it is unreachable, and a dialogue not found has no next steps of its own.
  if ((error.exitCode !== 2 && error.exitCode !== 3) || NO_DIALOGUE.has(error.code)) return error;
  const { nextForId } = await import('../app/next.js');
  const next = await nextForId(ports, id);
  return next ? withNext(error, next) : error;
}

/** The answer's `next`: the command's own, else the next steps of the dialogue it worked on, else none. */
async function nextOf(result: CommandResult, ports: Ports): Promise<NextStep[]> {
  if (result.next) return result.next;
  if (!result.dialogue) return [];
  const { nextFor } = await import('../app/next.js');
  return nextFor(ports, result.dialogue, result.nextOptions);
}

/**
 * Help and usage errors through the process's streams as main hands them in (each ends quietly when the
 * reader has gone, as in `blue --help | head`), rather than commander's own process.stdout; in process
 * (no streams), commander's defaults.
 */
function helpOutput(environment: Environment): OutputConfiguration {
  const streams = environment.streams;
  if (!streams) return {};
  return {
    writeOut: (text: string) => void streams.stdout.write(text),
    writeErr: (text: string) => void streams.stderr.write(text),
  };
}

export function buildProgram(environment: Environment): Command {
  const program = withGlobals(new Command('blue'))
    .description('Run and record alignment dialogues: a judge, a panel of pastry-named experts, rounds, scores, tensions, a verdict, a Markdown record.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Inherited by every command created below: global options after a command's own, and errors that
    // start with "blue:" like every other error blue prints, and are as safe to print (they quote argv).
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(printableLines(text.replace(/^error: /, 'blue: '))), ...helpOutput(environment) })
    .exitOverride();
  const groups = new Map<string, Command>();
  const group = (path: string[]): Command => {
    if (path.length === 0) return program;
    const key = path.join(' ');
    let cmd = groups.get(key);
    if (!cmd) {
      cmd = group(path.slice(0, -1)).command(path[path.length - 1]).description(GROUPS[key] ?? '').exitOverride();
      groups.set(key, cmd);
    }
    return cmd;
  };
  for (const spec of COMMANDS) addCommand(group(spec.path.slice(0, -1)), spec, environment);
  return program;
}
