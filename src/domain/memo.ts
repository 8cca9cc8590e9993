// Derived values computed once per dialogue value instead of once per question. A renderer asks for the
// tension states or a round's metrics once per round and per section; recomputing them each time made a
// record of R rounds cost R folds of every event. Dialogues are values (every change builds a new object
// with new arrays, nothing is mutated in place), so a value derived from one can be kept beside it in a
// WeakMap and dropped with it. Each entry also remembers what it was computed from (the arrays it read and
// their lengths): if the same object is ever seen with other arrays, or an array grew in place, the entry
// is recomputed rather than trusted.

export interface Memo<V> {
  deps: readonly unknown[];
  value: V;
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `compute()` for `key`, from `cache` while `deps` are the same (by identity) as when it was stored. */
export function memoOf<K extends object, V>(cache: WeakMap<K, Memo<V>>, key: K, deps: readonly unknown[], compute: () => V): V {
  const hit = cache.get(key);
  if (hit && sameDeps(hit.deps, deps)) return hit.value;
  const value = compute();
  cache.set(key, { deps, value });
  return value;
}

/** The stored value for `key`, only when it is still valid: for callers that would rather not build it. */
export function peekMemo<K extends object, V>(cache: WeakMap<K, Memo<V>>, key: K, deps: readonly unknown[]): V | undefined {
  const hit = cache.get(key);
  return hit && sameDeps(hit.deps, deps) ? hit.value : undefined;
}

const EMPTY: readonly never[] = Object.freeze([]);
const roundGroups = new WeakMap<readonly { round: number }[], Memo<Map<number, readonly unknown[]>>>();

/**
 * The items of round n (contributions, tensions, moves, events...), in their order in `items`: the same as
 * `items.filter((x) => x.round === n)`, grouped in one pass per array instead of one pass per question.
 */
export function ofRound<T extends { round: number }>(items: readonly T[], n: number): readonly T[] {
  const groups = memoOf(roundGroups, items, [items.length], () => {
    const byRound = new Map<number, T[]>();
    for (const item of items) {
      const group = byRound.get(item.round);
      if (group) group.push(item);
      else byRound.set(item.round, [item]);
    }
    for (const group of byRound.values()) Object.freeze(group);
    return byRound as Map<number, readonly unknown[]>;
  });
  return (groups.get(n) as readonly T[] | undefined) ?? EMPTY;
}

type Keyed = { id: string; globalId: string };
const keyIndexes = new WeakMap<readonly Keyed[], Memo<Map<keyof Keyed, Map<string, Keyed>>>>();

/**
 * The first item whose `field` is `value`: `items.find((x) => x[field] === value)`, from a map built once
 * per array, so that linking every reference of an ingest costs a look-up, not a scan of every entity.
 */
export function firstWith<T extends Keyed>(items: readonly T[], field: keyof Keyed, value: string): T | undefined {
  const byField = memoOf(keyIndexes, items, [items.length], () => new Map<keyof Keyed, Map<string, Keyed>>());
  let index = byField.get(field);
  if (!index) {
    index = new Map();
    for (const item of items) if (!index.has(item[field])) index.set(item[field], item);
    byField.set(field, index);
  }
  return index.get(value) as T | undefined;
}
