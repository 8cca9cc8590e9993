// The agent command-line tools blue knows by name: each runs headless, reads the prompt on stdin, may read
// the dialogue's files, and writes only the expert's output file (or prints it, for llm). The README
// documents each as the command line below, with the traps each tool sets for a headless run.

import type { ResolvedAgent } from './types.js';

export const PRESETS: Readonly<Record<string, string>> = {
  // -p: print mode reads the prompt from stdin. Headless, claude denies every tool that is not pre-approved
  // (dontAsk makes that explicit): reading tools, and edits of the output file only. Edit rules cover Write.
  claude: 'claude -p --permission-mode dontAsk --allowedTools "Read,Grep,Glob,Edit(./$BLUE_OUTPUT_FILE)" --output-format text',
  // exec is codex's headless mode; `-` reads the prompt from stdin; it refuses to run outside a git
  // repository without --skip-git-repo-check; workspace-write lets it write in the project (not only the
  // output file: codex has no per-file rule) and nowhere else.
  codex: 'codex exec --skip-git-repo-check --sandbox workspace-write -',
  // Without -p gemini starts its interactive UI; -p's text is appended to the prompt read from stdin.
  // auto_edit approves file edits and nothing else (no shell).
  gemini: 'gemini --approval-mode auto_edit -p "Follow the instructions above and write your answer to $BLUE_OUTPUT_FILE."',
  // llm reads the prompt from stdin and prints the answer, which becomes the output; it cannot write files,
  // so the system prompt tells the model to print the file's content instead of a confirmation.
  llm: 'llm -s "You cannot write files here: reply with exactly the content the instructions tell you to write to the output file (the markers and their text), and nothing else."',
};

export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);

/** A preset name (in any case, alone) is its command line; anything else runs as given. */
export function resolveAgent(agent: string): ResolvedAgent {
  const name = agent.trim().toLowerCase();
  const command = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  return command !== undefined ? { command, preset: name } : { command: agent.trim() };
}
