// `blue store verify [<id>]`

import { blueCommand } from '../domain/shell.js';
import type { CommandSpec } from './spec.js';

export const storeVerifyCommand: CommandSpec = {
  path: ['store', 'verify'],
  args: [['[id]', 'dialogue id, unique prefix or slug (default: every dialogue)']],
  description: 'read and authenticate every stored item; exit 4 naming any that fails',
  examples: ['blue store verify', 'blue store verify <id> --store dynamodb'],
  async run(ctx, [id]) {
    const { storeVerify, verifyLine } = await import('../app/store-verify.js');
    const reports = await storeVerify(ctx.ports, id, ctx.storeName);
    return {
      json: { ok: true, store: ctx.ports.storeKind, dialogues: reports },
      human: reports.length
        ? `${reports.map(verifyLine).join('\n')}\n${reports.length} dialogue(s) verified in ${ctx.storeName}.`
        : `No dialogues in ${ctx.storeName}.`,
      next: [{ command: blueCommand('dialogue', 'list'), why: 'the dialogues, their status, rounds and ALIGNMENT' }],
    };
  },
};
