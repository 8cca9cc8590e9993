// Time as the stores see it: a clock for the timestamps they write and a sleep for the waits between
// retries. Both are passed in where a test needs to control them; these are the real ones.

import { setTimeout as timer } from 'node:timers/promises';

/** Now, as a Date: what updatedAt, createdAt and lock records are stamped with. */
export type Clock = () => Date;

/** Resolves after `ms` milliseconds; an abort rejects it at once (with the signal's reason). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = () => new Date();

export const sleep: Sleep = (ms, signal) => timer(ms, undefined, signal ? { signal } : undefined);
