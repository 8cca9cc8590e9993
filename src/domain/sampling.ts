// Sampling a panel from the pool (PRODUCT.md, protocol item 1; RFC 0048) and evolving it between rounds
// in the non-judge rotation modes (RFC 0050, alignment-play "Alternative Rotation Modes").
//
// Everything here is deterministic for a seed: the same pool, size and seed give the same panel on every
// machine, so `--seed` reproduces a dialogue's suggested panel.

import { badInput } from './errors.js';
import { TIERS, type Expert, type PanelMember, type Pool, type PoolExpert, type RotationMode, type Tier } from './model.js';
import { nextFreeName } from './names.js';
import { findPoolExpert, roleKey } from './pool.js';

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit word of state, fast, and good enough for
 * picking a dozen experts. Not for anything cryptographic. The seed is taken as `seed >>> 0`.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** MurmurHash3's 32-bit finaliser: spreads nearby inputs (round 1, round 2) far apart. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The seed a later round's resample uses: derived from the dialogue's seed and the round number, so each
 * round draws differently yet the whole dialogue replays from the one seed.
 */
export function roundSeed(seed: number, round: number): number {
  return mix32((seed >>> 0) ^ mix32(round + 1));
}

export type TierSplit = Record<Tier, number>;

/**
 * How many panel seats each tier gets (PRODUCT.md):
 * - n >= 6: core = floor(n/3), wildcard = floor(n/4), adjacent = the rest;
 * - n = 3..5: core = max(1, floor(n/3)) (which is 1), wildcard = 1, adjacent = the rest;
 * - n = 2: one core and one adjacent, n = 1: one core. The contract leaves these open; the core seat
 *   comes first because core experts are the domain's essentials, and a wildcard is only worth a seat
 *   once there is a panel for it to challenge (it arrives at n = 3).
 */
export function tierSplit(n: number): TierSplit {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`a panel size is a non-negative integer (got ${n})`);
  if (n === 0) return { core: 0, adjacent: 0, wildcard: 0 };
  if (n <= 2) return { core: 1, adjacent: n - 1, wildcard: 0 };
  if (n <= 5) {
    const core = Math.max(1, Math.floor(n / 3));
    return { core, adjacent: n - core - 1, wildcard: 1 };
  }
  const core = Math.floor(n / 3);
  const wildcard = Math.floor(n / 4);
  return { core, adjacent: n - core - wildcard, wildcard };
}

/** A candidate with its Efraimidis–Spirakis key; `order` is its position in the pool, the last tie-break. */
interface Keyed {
  expert: PoolExpert;
  order: number;
  key: number;
  tieBreak: number;
}

/**
 * Efraimidis–Spirakis weighted sampling without replacement: each candidate draws u in (0, 1] and gets the
 * key u^(1/w); taking the k largest keys is a weighted sample of k. Keys are kept as ln(u)/w, which orders
 * the same and does not underflow for small weights. Relevance 0 gets the key -Infinity, so such a
 * candidate is taken only when nobody else is left; `tieBreak` (the same u) orders those among themselves.
 * One draw per candidate, in pool order, so the sequence of draws (and the result) depends on the seed only.
 */
function drawKeys(experts: readonly PoolExpert[], rng: Rng): Keyed[] {
  return experts.map((expert, order) => {
    const u = 1 - rng(); // (0, 1]: ln(0) would tie a real candidate with the zero-weight ones
    const key = expert.relevance > 0 ? Math.log(u) / expert.relevance : Number.NEGATIVE_INFINITY;
    return { expert, order, key, tieBreak: u };
  });
}

function byKeyDescending(a: Keyed, b: Keyed): number {
  if (a.key !== b.key) return b.key - a.key;
  if (a.tieBreak !== b.tieBreak) return b.tieBreak - a.tieBreak;
  return a.order - b.order;
}

/** The order names are handed out in: core, adjacent, wildcard; within a tier by descending relevance. */
function byTierThenRelevance(a: Keyed, b: Keyed): number {
  const tier = TIERS.indexOf(a.expert.tier) - TIERS.indexOf(b.expert.tier);
  if (tier !== 0) return tier;
  if (a.expert.relevance !== b.expert.relevance) return b.expert.relevance - a.expert.relevance;
  return a.order - b.order;
}

/**
 * `size` pool experts: per tier its seats from the split, weighted by relevance, without replacement;
 * seats a tier cannot fill (too few experts, or only relevance-0 ones) are topped up from the whole
 * remaining pool by the same keys. Returned in naming order.
 */
function drawFromPool(pool: Pool, size: number, rng: Rng): PoolExpert[] {
  const keyed = drawKeys(pool.experts, rng);
  const seats = tierSplit(size);
  const chosen = new Set<Keyed>();
  for (const tier of TIERS) {
    keyed
      .filter((candidate) => candidate.expert.tier === tier && candidate.expert.relevance > 0)
      .sort(byKeyDescending)
      .slice(0, seats[tier])
      .forEach((candidate) => chosen.add(candidate));
  }
  for (const candidate of keyed.filter((c) => !chosen.has(c)).sort(byKeyDescending)) {
    if (chosen.size >= size) break;
    chosen.add(candidate);
  }
  return [...chosen].sort(byTierThenRelevance).map((candidate) => candidate.expert);
}

function checkPanelSize(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw badInput('invalid_panel_size', `the panel size must be a whole number of at least 1 (got ${n})`, { size: n, fix: 'give --panel-size a whole number of at least 1, or leave it out' });
  }
}

function poolMember(expert: PoolExpert, name: string, source: 'retained' | 'pool'): PanelMember {
  const member: PanelMember = { name, role: expert.role, tier: expert.tier, source, relevance: expert.relevance };
  if (expert.focus !== undefined) member.focus = expert.focus;
  return member;
}

/**
 * The suggested round-0 panel: `n` experts (capped at the pool's size) drawn per tier, weighted by relevance,
 * named Muffin, Cupcake, ... in the order core (by descending relevance), adjacent, wildcard. Source 'pool'.
 */
export function samplePanel(pool: Pool, n: number, seed: number): PanelMember[] {
  checkPanelSize(n);
  const size = Math.min(n, pool.experts.length);
  const drawn = drawFromPool(pool, size, createRng(seed));
  const used: string[] = [];
  return drawn.map((expert) => {
    const name = nextFreeName(used);
    used.push(name);
    return poolMember(expert, name, 'pool');
  });
}

/**
 * Names for a resampled panel. A role already bound to a name keeps it (a name stays bound to one role for
 * the whole dialogue); a new role gets the lowest name bound to nobody and not yet given in this panel.
 */
function nameFor(role: string, experts: readonly Expert[], used: Set<string>): string {
  const key = roleKey(role);
  const bound = experts.find((expert) => roleKey(expert.role) === key);
  if (bound) return bound.name;
  const name = nextFreeName(used);
  used.add(name);
  return name;
}

/**
 * A retained member as it sits on the next panel. The focus reverts to the pool's description of the role
 * when it has one, because a previous round's focus ("Resolve T0001") was about that round; a created
 * expert has no pool entry, so its focus (the description it was created with) carries over.
 */
function retain(member: PanelMember, pool: Pool): PanelMember {
  const poolFocus = findPoolExpert(pool, member.role)?.focus;
  const focus = poolFocus ?? member.focus;
  const { focus: _previousFocus, ...rest } = member;
  return focus === undefined ? { ...rest, source: 'retained' } : { ...rest, source: 'retained', focus };
}

/**
 * The next round's panel when the judge gives none (`round open` without `--panel`):
 * - `none`: the previous panel again, every member retained;
 * - `graduated`: the same. The judge decides how the panel evolves; without a decision nothing changes;
 * - `wildcards`: core and adjacent members stay; each wildcard seat is redrawn from the pool's wildcards,
 *   weighted, preferring wildcards not on the previous panel, then the previous wildcards, then
 *   relevance-0 wildcards;
 * - `full`: a fresh draw of the previous panel's size from the whole pool with the tier split.
 * Names follow the dialogue's bindings (`experts`); new roles get the lowest unused pastry names. A member
 * who sat on the previous panel is 'retained', anyone else 'pool'. `round` (>= 1) selects the round's own
 * random stream, see `roundSeed`. New roles are not bound here: run the result through `resolvePanel`
 * (panel.ts) to validate it and get the new experts.
 */
export function nextPanel(
  mode: RotationMode,
  previous: readonly PanelMember[],
  pool: Pool,
  experts: readonly Expert[],
  seed: number,
  round: number,
): PanelMember[] {
  const rng = createRng(roundSeed(seed, round));
  const previousRoles = new Set(previous.map((member) => roleKey(member.role)));
  const used = new Set<string>([...experts.map((expert) => expert.name), ...previous.map((member) => member.name)]);
  const fromPool = (expert: PoolExpert): PanelMember => {
    const previousMember = previous.find((member) => roleKey(member.role) === roleKey(expert.role));
    const name = previousMember?.name ?? nameFor(expert.role, experts, used);
    return poolMember(expert, name, previousMember ? 'retained' : 'pool');
  };

  switch (mode) {
    case 'none':
    case 'graduated':
      return previous.map((member) => retain(member, pool));

    case 'wildcards': {
      const stay = previous.filter((member) => member.tier !== 'wildcard').map((member) => retain(member, pool));
      const previousWildcards = previous.filter((member) => member.tier === 'wildcard');
      const fresh = drawKeys(
        pool.experts.filter((expert) => expert.tier === 'wildcard' && !previousRoles.has(roleKey(expert.role))),
        rng,
      ).sort(byKeyDescending);
      // Seats go to fresh weighted wildcards first, then back to the previous wildcards, and only then to
      // relevance-0 wildcards ("never picked unless needed"). Candidates become members only once seated,
      // so an unseated candidate never takes a name.
      const candidates: Array<() => PanelMember> = [
        ...fresh.filter((c) => c.expert.relevance > 0).map((c) => () => fromPool(c.expert)),
        ...previousWildcards.map((member) => () => retain(member, pool)),
        ...fresh.filter((c) => c.expert.relevance === 0).map((c) => () => fromPool(c.expert)),
      ];
      return [...stay, ...candidates.slice(0, previousWildcards.length).map((seat) => seat())];
    }

    case 'full': {
      const drawn = drawFromPool(pool, Math.min(previous.length, pool.experts.length), rng);
      return drawn.map(fromPool);
    }
  }
}
