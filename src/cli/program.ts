// The command tree. Every command module is imported only when its command runs, so that
// `blue dialogue list` (which git hooks call) loads no more than it needs.

import { Command, CommanderError, Option } from 'commander';
import { createContext, type GlobalOptions } from './context.js';
import { printError, printResult, setColor, type CommandResult } from './output.js';
import { BlueError } from '../domain/errors.js';
import { collect } from '../commands/collect.js';

type Action = (ctx: Awaited<ReturnType<typeof createContext>>, ...args: any[]) => Promise<CommandResult>;

function globals(cmd: Command): Command {
  return cmd
    .addOption(new Option('--root <dir>', 'project root (default: nearest folder with .blue/, else the git top-level)'))
    .addOption(new Option('--store <kind>', 'store behind the command: file (default) or dynamodb (also BLUE_STORE, .blue/config.yaml)'))
    .addOption(new Option('--endpoint <url>', 'DynamoDB endpoint (BLUE_DYNAMODB_ENDPOINT; unset means AWS itself)'))
    .addOption(new Option('--table <name>', 'DynamoDB table (BLUE_DYNAMODB_TABLE; default blue_dialogues)'))
    .addOption(new Option('--region <region>', 'AWS region (AWS_REGION)'))
    .addOption(new Option('--profile <name>', 'AWS profile (AWS_PROFILE)'))
    .addOption(new Option('--key-file <path>', 'master key file for client-side encryption (BLUE_KEY_FILE)'))
    .addOption(new Option('--kms-key-id <id>', 'AWS KMS key that wraps the data keys instead of a key file (BLUE_KMS_KEY_ID)'))
    .addOption(new Option('--json', 'machine output: one JSON document on stdout'))
    .addOption(new Option('--no-color', 'no colour (also NO_COLOR)'));
}

let jsonRequested = false;

function run(action: () => Promise<Action>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const options = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    jsonRequested = options.json === true;
    setColor(options.color);
    const ctx = await createContext(options);
    const fn = await action();
    const positional = args.slice(0, -2);
    const result = await fn(ctx, ...positional, cmd.opts());
    printResult(result, ctx.json);
    if (result.exitCode) process.exitCode = result.exitCode;
  };
}

export function buildProgram(): Command {
  const program = globals(new Command('blue'))
    .description('Run and record alignment dialogues: a judge, a panel of pastry-named experts, rounds, scores, tensions, a verdict, a Markdown record.')
    .version('0.1.0', '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const dialogue = program.command('dialogue').description('start, run, score and record dialogues').exitOverride();

  globals(dialogue.command('start').argument('<title>', 'the dialogue title (its slug becomes part of the id)'))
    .description('create a dialogue, sample the suggested round-0 panel, print the judge protocol')
    .option('--pool <file>', 'expert pool, JSON or YAML: {domain, question?, experts: [{role, tier, relevance, focus?}]}')
    .option('--question <text>', "the question the dialogue answers (default: the pool's)")
    .option('--panel-size <n>', 'size of the sampled panel (default: min(pool size, 12))')
    .option('--rotation <mode>', 'graduated, none, wildcards or full', 'graduated')
    .option('--seed <n>', 'seed for the weighted sampling (default: random)')
    .option('--max-rounds <n>', 'rounds before convergence is forced', '10')
    .option('--rfc <ref>', 'linked RFC, e.g. 0058-encrypted-dynamodb-storage')
    .option('--source <path>', 'grounding file every expert must read; repeatable', collect)
    .option('--date <iso-8601>', 'creation time, for recording a dialogue held earlier (default: now)')
    .exitOverride()
    .action(run(async () => (await import('../commands/start.js')).start));

  const round = dialogue.command('round').description('open and ingest rounds').exitOverride();
  globals(round.command('open').argument('<id>', 'dialogue id, unique prefix or slug'))
    .description('open the next round and write one prompt per expert')
    .option('--round <n>', 'the round to open (must be the next one)')
    .option('--panel <file>', 'panel, JSON or YAML: [{name?, role, source: retained|pool|created, tier?, focus?}]')
    .option('--focus <name=text>', 'a focus line for one expert; repeatable', collect)
    .exitOverride()
    .action(run(async () => (await import('../commands/round-open.js')).roundOpen));
  globals(round.command('ingest').argument('<id>', 'dialogue id, unique prefix or slug'))
    .description("read the open round's expert outputs and record what they wrote")
    .exitOverride()
    .action(run(async () => (await import('../commands/round-ingest.js')).roundIngest));

  globals(dialogue.command('score').argument('<id>', 'dialogue id, unique prefix or slug'))
    .description("record the judge's scores and decisions for the open round and close it")
    .option('--round <n>', "replace a scored round's scores (recomputes everything after it)")
    .option('--expert <name=score>', 'one expert: <name>=<total> or <name>=<W>,<C>,<T>,<R>; repeatable', collect)
    .option('--scores <file>', 'YAML/JSON map of name to a total or {w,c,t,r}')
    .option('--round-score <W,C,T,R>', "the round's components (default: the sum of the experts')")
    .option('--new-perspectives <n>', "the judge's count where it differs from blue's")
    .option('--open-tensions <n>', "the judge's count where it differs from blue's")
    .option('--converge-signals <n>', "the judge's count where it differs from blue's")
    .option('--resolve <tension[=note]>', 'resolve a tension; repeatable', collect)
    .option('--narrow <tension[=note]>', 'narrow a tension; repeatable', collect)
    .option('--supersede <tension=by>', 'supersede a tension by another; repeatable', collect)
    .option('--accept <tension=why>', 'accept a tension unresolved, with a rationale; repeatable', collect)
    .option('--reopen <tension>', 'reopen a tension; repeatable', collect)
    .option('--label <text>', "a note for the round's heading in the record")
    .option('--summary-file <md>', "the judge's synthesis of the round")
    .exitOverride()
    .action(run(async () => (await import('../commands/score.js')).score));

  globals(dialogue.command('verdict').argument('<id>', 'dialogue id, unique prefix or slug'))
    .description('record a final, interim, minority or dissent verdict')
    .option('--type <type>', 'final, interim, minority or dissent', 'final')
    .option('--text-file <md>', 'the verdict, as Markdown (required)')
    .option('--insights-file <md>', 'key insights, a Markdown list')
    .option('--vote <text>', 'the vote, e.g. 6-0')
    .option('--confidence <level>', 'unanimous, strong, split or contested')
    .option('--experts <names>', 'supporters of a minority or dissent verdict, comma-separated')
    .option('--force', 'record a final verdict although the dialogue has not converged (needs --warning)')
    .option('--warning <text>', 'why the verdict is forced')
    .exitOverride()
    .action(run(async () => (await import('../commands/verdict.js')).verdict));

  globals(dialogue.command('export').argument('[id]', 'dialogue id, unique prefix or slug'))
    .description('write the Markdown record, the transcript, or the dialogue as JSON')
    .option('--format <format>', 'record, transcript or json', 'record')
    .option('--output <path>', "where to write ('-' for stdout; default: the dialogue's folder)")
    .option('--all', 'every dialogue in the store')
    .option('--check', 'write nothing; exit 1 naming the files that differ')
    .exitOverride()
    .action(run(async () => (await import('../commands/export.js')).exportDialogue));

  globals(dialogue.command('list'))
    .description('every dialogue: id, title, status, rounds, total ALIGNMENT')
    .option('--status <status>', 'open, converged or abandoned')
    .exitOverride()
    .action(run(async () => (await import('../commands/list.js')).list));

  globals(dialogue.command('show').argument('<id>', 'dialogue id, unique prefix or slug'))
    .description('where the dialogue stands: rounds, scoreboard, open tensions, blockers, overrides')
    .exitOverride()
    .action(run(async () => (await import('../commands/show.js')).show));

  const store = program.command('store').description('set up, copy and check the stores').exitOverride();
  globals(store.command('init'))
    .description('create the DynamoDB table and its index key (idempotent); create the local master key file if missing')
    .exitOverride()
    .action(run(async () => (await import('../commands/store-init.js')).storeInit));
  globals(store.command('migrate'))
    .description('copy every dialogue from one store to another: resumable, all-or-nothing per dialogue')
    .requiredOption('--from <store>', 'file or dynamodb')
    .requiredOption('--to <store>', 'file or dynamodb')
    .exitOverride()
    .action(run(async () => (await import('../commands/store-migrate.js')).storeMigrate));
  globals(store.command('verify').argument('[id]', 'dialogue id, unique prefix or slug (default: every dialogue)'))
    .description('read and authenticate every stored item; exit 4 naming any that fails')
    .exitOverride()
    .action(run(async () => (await import('../commands/store-verify.js')).storeVerify));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  jsonRequested = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (jsonRequested) {
        process.stdout.write(JSON.stringify({ error: { code: 'usage', message: error.message.replace(/^error: /, ''), details: { commander: error.code } } }, null, 2) + '\n');
      }
      return 2; // bad input: an unknown flag or command, a missing argument
    }
    return printError(error instanceof BlueError ? error : error, jsonRequested);
  }
}
