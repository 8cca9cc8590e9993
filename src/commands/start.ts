// `blue dialogue start <title>`

import { MAX_ROUNDS_BOUND, PANEL_SIZE_BOUND, SEED_BOUND } from '../domain/bounds.js';
import { parseInteger } from './parse.js';
import type { CommandSpec } from './spec.js';

export const startCommand: CommandSpec = {
  path: ['dialogue', 'start'],
  args: [['<title>', 'the dialogue title (its slug becomes part of the id)']],
  description: 'create a dialogue, sample the suggested round-0 panel, print the judge protocol',
  options: [
    { flags: '--pool <file>', description: 'expert pool, JSON or YAML: {domain, question?, experts: [{role, tier, relevance, focus?}]}' },
    { flags: '--question <text>', description: "the question the dialogue answers (default: the pool's)" },
    { flags: '--panel-size <n>', description: 'size of the sampled panel (default: min(pool size, 12))' },
    { flags: '--rotation <mode>', description: 'graduated, none, wildcards or full', default: 'graduated', choices: ['graduated', 'none', 'wildcards', 'full'] },
    { flags: '--seed <n>', description: 'seed for the weighted sampling (default: random)' },
    { flags: '--max-rounds <n>', description: 'rounds before convergence is forced', default: '10' },
    { flags: '--rfc <ref>', description: 'linked RFC, e.g. 0058-encrypted-dynamodb-storage' },
    { flags: '--source <path>', description: 'grounding file every expert must read; repeatable', repeatable: true },
    { flags: '--date <iso-8601>', description: 'creation time, for recording a dialogue held earlier (default: now)' },
  ],
  examples: ['blue dialogue start "Should we shard the ledger?" --pool pool.yaml --rfc 0061-ledger-sharding'],
  async run(ctx, [title], o) {
    const { start } = await import('../app/start.js');
    const started = await start(ctx.ports, {
      title: title!,
      pool: o.pool,
      question: o.question,
      panelSize: parseInteger(o.panelSize, '--panel-size', 1, PANEL_SIZE_BOUND),
      rotation: o.rotation,
      seed: parseInteger(o.seed, '--seed', 0, SEED_BOUND),
      maxRounds: parseInteger(o.maxRounds, '--max-rounds', 1, MAX_ROUNDS_BOUND),
      rfc: o.rfc,
      sources: o.source,
      date: o.date,
    });
    const d = started.dialogue;
    const panel = d.suggestedPanel.map((m) => ({ name: m.name, role: m.role, tier: m.tier, relevance: m.relevance ?? null }));
    return {
      json: { id: d.id, dir: started.dir, title: d.title, question: d.question, panel, protocol: started.protocol },
      human: started.protocol,
      dialogue: d,
    };
  },
};
