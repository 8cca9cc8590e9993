// The dialogues `show --watch` is tested on, at each stage a judge meets (through the real protocol, with
// the bakery pool of dialogue-factory.ts), and snapshots of them as the watch use case yields them.

import type { ExpertRunStatus, RunState } from '../../src/domain/agent-run.js';
import type { Dialogue } from '../../src/domain/model.js';
import { abandonDialogue } from '../../src/domain/protocol.js';
import type { WatchSnapshot } from '../../src/render/watch.js';
import { at, everyone, ingest, open, play, start, verdict } from './dialogue-factory.js';

/** The moment the snapshots are read at, and the view's clock: round 1's time plus a little. */
export const WATCH_AT = at(20);
export const WATCH_NOW = Date.parse(at(21));

const ROUND_0 = {
  Muffin: '[PERSPECTIVE P01: Rent is the risk]\nRent.\n[TENSION T01: Rent against footfall]\nWhich wins?\n',
  Cupcake: '[PERSPECTIVE P01: Flour contracts]\nSupply.\n[TENSION T01: One mill or two]\nRisk.\n',
  Scone: '[PERSPECTIVE P01: Regulars follow]\nThey do.\n',
  Eclair: '[PERSPECTIVE P01: The new quarter grows]\nIt does.\n',
};

export const stages = {
  /** Started: no round yet. */
  noRounds: (): Dialogue => start(),
  /** Round 0 open, nothing written yet. */
  openRound: (): Dialogue => open(start()),
  /** Round 0 scored: two open tensions and four new perspectives keep it from converging. */
  scoredWithBlockers: (): Dialogue =>
    play(start(), { texts: ROUND_0, scores: { Muffin: '8,6,5,4', Cupcake: '6,5,5,4', Scone: '4,4,3,3', Eclair: '3,3,3,3' }, label: 'opening' }),
  /** Round 1 open after a scored round 0, two outputs ingested (Muffin converges). */
  secondRoundIngested: (): Dialogue => ingest(open(stages.scoredWithBlockers()), { Muffin: '[RESOLVED MUFFIN-T01]\nSettled.\n[MOVE:CONVERGE]\n', Cupcake: '[REFINEMENT: two mills]\nYes.\n' }),
  /** Round 1 converges (everyone signals, the judge resolves both tensions), and the final verdict is in. */
  converged: (): Dialogue => {
    const round0 = stages.scoredWithBlockers();
    const round1 = play(round0, {
      texts: everyone(open(round0), '[MOVE:CONVERGE]\nNothing new.\n'),
      scores: { Muffin: '9,8,7,6', Cupcake: '8,7,7,6', Scone: '6,6,5,5', Eclair: '5,5,5,5' },
      decisions: [
        { tension: 'MUFFIN-T01', to: 'resolved', note: 'footfall data settles it' },
        { tension: 'CUPCAKE-T01', to: 'resolved', note: 'two mills' },
      ],
    });
    return verdict(round1, { confidence: 'unanimous' }).dialogue;
  },
  /** Abandoned after round 0. */
  abandoned: (): Dialogue => abandonDialogue(stages.scoredWithBlockers(), { at: at(15), reason: 'the lease fell through' }),
};

export function snapshotOf(dialogue: Dialogue, extra: Partial<WatchSnapshot> = {}): WatchSnapshot {
  const openRound = dialogue.rounds.find((r) => r.status === 'open');
  return { dialogue, at: WATCH_AT, ...(openRound ? { openRound: { n: openRound.n, outputs: [] } } : {}), ...extra };
}

/** A run.json of `round run` in another process, for the open round of `dialogue`. */
export function runStateOf(dialogue: Dialogue, experts: ExpertRunStatus[], extra: Partial<RunState> = {}): RunState {
  const round = dialogue.rounds.find((r) => r.status === 'open')!;
  return { dialogue: dialogue.id, round: round.n, pid: 4242, startedAt: at(20), updatedAt: at(20.5), experts, ...extra };
}

/** An expert's run status, with the defaults of a first attempt out of two. */
export function expertRun(name: string, state: ExpertRunStatus['state'], extra: Partial<ExpertRunStatus> = {}): ExpertRunStatus {
  return { name, state, attempt: state === 'waiting' ? 0 : 1, maxAttempts: 2, ...extra };
}

/** Waits until `check` holds, looking every 10 ms; fails naming `what` after `ms`. */
export async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
