// The entry point: runs one command line and returns its exit code. The only module that reads the
// process (its working directory, environment, exit code); everything below gets them as values.

import { VERSION } from './version.js';

export async function main(argv: string[]): Promise<number> {
  // `blue ... | head` closes stdout early: that ends the command quietly, it is not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  // Hooks and scripts ask for the version often; it needs no command tree.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
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
  const program = buildProgram({ cwd: process.cwd(), env: process.env, setExitCode: (code) => (exitCode = code), self });
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (json) {
        process.stdout.write(JSON.stringify({ error: { code: 'usage', message: error.message.replace(/^error: /, ''), details: { commander: error.code } } }, null, 2) + '\n');
      }
      return 2; // bad input: an unknown flag or command, a missing argument
    }
    // Loaded when there is an error to print: the hook's quiet way out never needs it.
    const { printError } = await import('./output.js');
    return printError(error, json);
  }
}
