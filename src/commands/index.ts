// Every command, in the order --help lists them.

import { abandonCommand } from './abandon.js';
import { checkoutCommand } from './checkout.js';
import { completionCommand } from './completion.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { lintCommand } from './lint.js';
import { hookInstallCommand, hookRunCommand } from './hook.js';
import { listCommand } from './list.js';
import { roundIngestCommand } from './round-ingest.js';
import { roundOpenCommand } from './round-open.js';
import { roundRunCommand } from './round-run.js';
import { scoreCommand } from './score.js';
import { showCommand } from './show.js';
import type { CommandSpec } from './spec.js';
import { startCommand } from './start.js';
import { storeInitCommand } from './store-init.js';
import { storeMigrateCommand } from './store-migrate.js';
import { storeVerifyCommand } from './store-verify.js';
import { verdictCommand } from './verdict.js';

export const COMMANDS: readonly CommandSpec[] = [
  startCommand,
  roundOpenCommand,
  roundRunCommand,
  roundIngestCommand,
  scoreCommand,
  verdictCommand,
  abandonCommand,
  checkoutCommand,
  importCommand,
  exportCommand,
  lintCommand,
  listCommand,
  showCommand,
  storeInitCommand,
  storeMigrateCommand,
  storeVerifyCommand,
  hookInstallCommand,
  hookRunCommand,
  completionCommand,
];

/** The groups above the commands, with their descriptions. */
export const GROUPS: Record<string, string> = {
  dialogue: 'start, run, score and record dialogues',
  'dialogue round': 'open, run and ingest rounds',
  store: 'set up, copy and check the stores',
  hook: 'the git hook that keeps exported records valid and current',
};
