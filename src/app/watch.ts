// `blue dialogue show <id> --watch`: follows a dialogue that other processes change. Polls, cheaply: the
// store's revision (a stat of store.json, or one small GetItem of DynamoDB's meta), and a load only when
// it moved; the open round's folder (one listing) and its run.json (one bounded read). Yields a snapshot
// first and then whenever any of that changed; the view (views/watch-view.tsx) draws them.

import { parseRunState } from '../domain/agent-run.js';
import { BlueError } from '../domain/errors.js';
import type { Dialogue } from '../domain/model.js';
import { openRoundOf } from '../domain/queries.js';
import type { WatchSnapshot } from '../render/watch.js';
import { outputFileName, roundFolder, runStateFile } from '../workspace/layout.js';
import type { Ports } from './ports.js';
import { loadDialogue } from './shared.js';

export type { WatchSnapshot };

/** Half a second on the file store (a stat); a second on DynamoDB (a request). Both well inside two seconds. */
export const WATCH_INTERVAL_MS = { file: 500, dynamodb: 1000 } as const;

export interface WatchOptions {
  /** Between polls; default WATCH_INTERVAL_MS of the store. */
  intervalMs?: number;
  /** Ends the watch: the generator returns at once, even while it waits, and closes the stores. */
  signal?: AbortSignal;
}

/**
 * The dialogue as it stands, then again every time it or its open round's files change. The first
 * snapshot's errors are thrown (an unknown id is exit 2, as `show` says); later ones are reported in
 * `problem` beside the last dialogue read, and the watch goes on.
 */
export async function* watchDialogue(ports: Ports, idArg: string, options: WatchOptions = {}): AsyncGenerator<WatchSnapshot, void, undefined> {
  const interval = options.intervalMs ?? WATCH_INTERVAL_MS[ports.storeKind];
  const stores = await ports.openStores();
  try {
    const id = await stores.catalog.resolve(idArg);
    let revision = await stores.store.revision(id);
    let dialogue = await stores.store.load(id);
    let folder = await readOpenRound(ports, dialogue);
    let problem: WatchSnapshot['problem'];
    let shown = fingerprint(revision, folder, problem);
    yield snapshot(ports, dialogue, folder, problem);
    while (!options.signal?.aborted) {
      await wait(interval, options.signal);
      if (options.signal?.aborted) return;
      try {
        const now = await stores.store.revision(id);
        // The revision is read before the load, so a change that lands between them is seen next time.
        if (now !== revision) dialogue = await stores.store.load(id);
        revision = now;
        folder = await readOpenRound(ports, dialogue);
        problem = undefined;
      } catch (error) {
        if (!(error instanceof BlueError)) throw error;
        problem = { code: error.code, message: error.message };
        // Read everything again once the problem is gone, even if the revision is back where it was.
        revision = '';
      }
      const next = fingerprint(revision, folder, problem);
      if (next !== shown) {
        shown = next;
        yield snapshot(ports, dialogue, folder, problem);
      }
    }
  } finally {
    await stores.close?.();
  }
}

type OpenRoundFiles = WatchSnapshot['openRound'];

function snapshot(ports: Ports, dialogue: Dialogue, openRound: OpenRoundFiles, problem: WatchSnapshot['problem']): WatchSnapshot {
  return { dialogue, at: ports.clock.now().toISOString(), ...(openRound ? { openRound } : {}), ...(problem ? { problem } : {}) };
}

/** What the open round's folder holds: whose output is there, and `round run`'s state file. */
async function readOpenRound(ports: Ports, dialogue: Dialogue): Promise<OpenRoundFiles> {
  const round = openRoundOf(dialogue);
  if (!round) return undefined;
  const names = new Set(await ports.workspace.list(roundFolder(dialogue.id, round.n)));
  const outputs = round.panel.filter((m) => names.has(outputFileName(m.name))).map((m) => m.name);
  const files: NonNullable<OpenRoundFiles> = { n: round.n, outputs };
  if (!names.has('run.json')) return files;
  // Read like an expert output: the round folder is the experts' to write in, so no FIFO or giant file here.
  const read = await ports.workspace.readOutput(runStateFile(dialogue.id, round.n));
  if (read.kind === 'absent') return files; // removed between the listing and the read
  if (read.kind === 'refused') return { ...files, runProblem: `run.json is not read: ${read.why}` };
  let state;
  try {
    state = parseRunState(JSON.parse(read.text));
  } catch {
    state = undefined;
  }
  if (!state || state.dialogue !== dialogue.id || state.round !== round.n) {
    return { ...files, runProblem: state ? `run.json is for ${state.dialogue} round ${state.round}` : 'run.json is not a round run state' };
  }
  return { ...files, run: { state, alive: !state.finishedAt && ports.isProcessAlive(state.pid) } };
}

/** Everything a snapshot shows but the clock: equal fingerprints draw the same board. */
function fingerprint(revision: string, folder: OpenRoundFiles, problem: WatchSnapshot['problem']): string {
  return JSON.stringify([revision, folder ?? null, problem ?? null]);
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
