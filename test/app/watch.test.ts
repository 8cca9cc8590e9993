// The watch use case behind `show --watch`, in process: its first snapshot, a new one for every change
// other writers make (the store, an output file, run.json), none while nothing changes, a problem reported
// without losing what was read, and an end that closes the stores; on the file store and on DynamoDB Local,
// where a poll without a change costs one GetItem and decrypts nothing.

import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { watchDialogue } from '../../src/app/watch.js';
import type { Ports } from '../../src/app/ports.js';
import type { RunState } from '../../src/domain/agent-run.js';
import { parseScore } from '../../src/domain/scoring.js';
import type { WatchSnapshot } from '../../src/render/watch.js';
import { LocalKeyWrapper } from '../../src/store/crypto/keys.js';
import { openDynamoStores } from '../../src/store/dynamodb/store.js';
import type { Stores } from '../../src/store/types.js';
import { SMALL_POOL_YAML, testProject, type TestProject } from '../support/app.js';
import { freshTable, localClientConfig } from '../support/dynamodb.js';

const INTERVAL = 25;

async function begun(): Promise<{ p: TestProject; id: string; dir: string }> {
  const p = testProject();
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Watched', pool: 'pool.yaml', panelSize: 3, seed: 3 });
  return { p, id: dialogue.id, dir: `.blue/dialogues/${dialogue.id}` };
}

/** A watch with a hand on it: the next snapshot (or none within a while), and its end. */
function watching(ports: Ports, id: string, intervalMs = INTERVAL) {
  const controller = new AbortController();
  const watch = watchDialogue(ports, id, { intervalMs, signal: controller.signal });
  return {
    async next(withinMs = 2000): Promise<WatchSnapshot> {
      const result = await Promise.race([watch.next(), new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), withinMs))]);
      if (result === 'late') throw new Error(`no snapshot within ${withinMs} ms`);
      if (result.done) throw new Error('the watch ended');
      return result.value;
    },
    /** Whether a snapshot arrives within `ms` (the pending one stays pending for next()). */
    async quietFor(ms: number): Promise<boolean> {
      const pending = watch.next();
      const late = await Promise.race([pending.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms))]);
      this.pending = pending;
      return late;
    },
    pending: undefined as Promise<IteratorResult<WatchSnapshot>> | undefined,
    async nextPending(withinMs = 2000): Promise<WatchSnapshot> {
      const pending = this.pending ?? watch.next();
      this.pending = undefined;
      const result = await Promise.race([pending, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), withinMs))]);
      if (result === 'late' || result.done) throw new Error('no snapshot');
      return result.value;
    },
    async stop(): Promise<IteratorResult<WatchSnapshot>> {
      controller.abort();
      return this.pending ?? watch.next();
    },
  };
}

function runState(id: string, round: number, pid: number, extra: Partial<RunState> = {}): RunState {
  return {
    dialogue: id,
    round,
    pid,
    startedAt: '2026-03-01T09:40:00.000Z',
    updatedAt: '2026-03-01T09:40:05.000Z',
    experts: [{ name: 'Muffin', state: 'running', attempt: 1, maxAttempts: 2, startedAt: '2026-03-01T09:40:00.000Z' }],
    ...extra,
  };
}

describe('watchDialogue on the file store', () => {
  it('yields the dialogue at once, then again for each change to the store, and not while nothing changes', async () => {
    const { p, id, dir } = await begun();
    const w = watching(p.ports, id.slice(0, 10));
    const first = await w.next();
    expect(first.dialogue.id).toBe(id);
    expect(first.openRound).toBeUndefined();
    expect(first.at).toBe('2026-03-01T09:30:00.000Z');
    expect(await w.quietFor(10 * INTERVAL)).toBe(true);

    const opened = await roundOpen(p.ports, { id });
    const afterOpen = await w.nextPending();
    expect(afterOpen.dialogue.rounds).toHaveLength(1);
    expect(afterOpen.openRound).toEqual({ n: 0, outputs: [] });

    p.write(opened.panel[0].output_file, '[PERSPECTIVE P01: Rent]\nx\n[TENSION T01: Rent or footfall]\ny\n');
    const written = await w.next();
    expect(written.openRound?.outputs).toEqual([opened.panel[0].name]);
    expect(written.dialogue.version).toBe(afterOpen.dialogue.version);

    await roundIngest(p.ports, id);
    expect((await w.next()).dialogue.tensions.map((t) => t.id)).toEqual([`${opened.panel[0].name.toUpperCase()}-T01`]);

    await score(p.ports, { id, scores: opened.panel.map((m, i) => [m.name, parseScore(i === 0 ? '2,2,2,2' : '0', m.name)]), judge: {}, decisions: [] });
    const scored = await w.next();
    expect(scored.dialogue.rounds[0].status).toBe('scored');
    expect(scored.openRound).toBeUndefined();
    expect(p.exists(`${dir}/round-0/run.json`)).toBe(false);
    expect(await w.stop()).toEqual({ done: true, value: undefined });
  });

  it('reads run.json of a round run: alive while its process is, not once it is gone or finished', async () => {
    const { p, id, dir } = await begun();
    await roundOpen(p.ports, { id });
    const w = watching(p.ports, id);
    await w.next();
    p.setAlive(4242, false); // whatever process 4242 is on this machine, the test says it is gone
    p.write(`${dir}/round-0/run.json`, JSON.stringify(runState(id, 0, 4242)));
    const dead = await w.next();
    expect(dead.openRound?.run).toEqual({ state: runState(id, 0, 4242), alive: false });

    p.setAlive(4242, true);
    expect((await w.next()).openRound?.run?.alive).toBe(true);
    p.setAlive(4242, false);
    expect((await w.next()).openRound?.run?.alive).toBe(false);

    p.write(`${dir}/round-0/run.json`, JSON.stringify(runState(id, 0, process.pid, { finishedAt: '2026-03-01T09:41:00.000Z' })));
    const finished = await w.next();
    expect(finished.openRound?.run).toMatchObject({ state: { finishedAt: '2026-03-01T09:41:00.000Z' }, alive: false });
    await w.stop();
  });

  it('names a run.json that is not a run state, is for another round, or is not a regular file, and never hangs on a FIFO', async () => {
    const { p, id, dir } = await begun();
    await roundOpen(p.ports, { id });
    const w = watching(p.ports, id);
    await w.next();
    p.write(`${dir}/round-0/run.json`, '{"pid": "not a run"');
    expect((await w.next()).openRound).toEqual({ n: 0, outputs: [], runProblem: 'run.json is not a round run state' });
    p.write(`${dir}/round-0/run.json`, JSON.stringify(runState(id, 3, 1)));
    expect((await w.next()).openRound?.runProblem).toBe(`run.json is for ${id} round 3`);
    execFileSync('rm', [join(p.root, dir, 'round-0/run.json')]);
    expect((await w.next()).openRound).toEqual({ n: 0, outputs: [] });
    execFileSync('mkfifo', [join(p.root, dir, 'round-0/run.json')]);
    expect((await w.next()).openRound?.runProblem).toMatch(/^run\.json is not read: .*(FIFO|regular file)/);
    await w.stop();
  });

  it('reports a damaged store file beside the last dialogue it read, and goes on once it is restored', async () => {
    const { p, id, dir } = await begun();
    const w = watching(p.ports, id);
    const first = await w.next();
    const good = p.read(`${dir}/store.json`);
    writeFileSync(join(p.root, dir, 'store.json'), good.replace('"Watched"', '"Edited by hand"'));
    const damaged = await w.next();
    expect(damaged.problem?.code).toBe('corrupt_store_file');
    expect(damaged.dialogue).toEqual(first.dialogue);
    expect(await w.quietFor(6 * INTERVAL)).toBe(true);
    writeFileSync(join(p.root, dir, 'store.json'), good);
    const restored = await w.nextPending();
    expect(restored.problem).toBeUndefined();
    expect(restored.dialogue).toEqual(first.dialogue);
    await w.stop();
  });

  it('an unknown dialogue is the first answer, as for show (exit 2), and the stores are closed', async () => {
    const p = testProject();
    let closed = 0;
    const ports: Ports = { ...p.ports, openStores: async () => ({ ...(await p.ports.openStores()), close: async () => void closed++ }) };
    await expect(watchDialogue(ports, 'nothing-here').next()).rejects.toMatchObject({ exitCode: 2, code: 'dialogue_not_found' });
    expect(closed).toBe(1);
  });

  it('ends at once when stopped, even in the middle of a long wait, and closes the stores; loads only when the store changed', async () => {
    const { p, id } = await begun();
    let closed = 0;
    let loads = 0;
    const ports: Ports = {
      ...p.ports,
      openStores: async () => {
        const stores = await p.ports.openStores();
        const store = stores.store;
        return {
          ...stores,
          store: { ...store, revision: (i) => store.revision(i), update: (i, c) => store.update(i, c), create: (d) => store.create(d), exists: (i) => store.exists(i), load: (i) => (loads++, store.load(i)) },
          close: async () => void closed++,
        } satisfies Stores;
      },
    };
    const quick = watching(ports, id);
    await quick.next();
    expect(await quick.quietFor(20 * INTERVAL)).toBe(true);
    expect(loads).toBe(1); // about 20 polls, none of which found a change worth a load
    await quick.stop();
    expect(closed).toBe(1);

    const slow = watching(ports, id, 60_000);
    await slow.next();
    const t0 = Date.now();
    await slow.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(closed).toBe(2);
  });
});

describe('watchDialogue on DynamoDB', () => {
  it('follows a writer with its own client within the poll, and a poll without a change is one GetItem', async () => {
    const { table, drop } = await freshTable('watch');
    const wrapper = new LocalKeyWrapper(new Uint8Array(randomBytes(32)));
    const writer = await openDynamoStores({ table, client: localClientConfig(), wrapper });
    const reader = await openDynamoStores({ table, client: localClientConfig(), wrapper });
    try {
      await writer.dynamo.initKeyring();
      const p = testProject({ storeKind: 'dynamodb' });
      p.write('pool.yaml', SMALL_POOL_YAML);
      const writing: Ports = { ...p.ports, openStores: async () => ({ ...writer, close: async () => undefined }) };
      const { dialogue } = await start(writing, { title: 'Watched on DynamoDB', pool: 'pool.yaml', panelSize: 3, seed: 3 });
      let closed = false;
      const reading: Ports = { ...p.ports, openStores: async () => ({ ...reader, close: async () => void (closed = true) }) };
      const w = watching(reading, dialogue.id, 100);
      expect((await w.next()).dialogue.rounds).toEqual([]);

      const before = new Map(reader.dynamo.requests);
      expect(await w.quietFor(1000)).toBe(true);
      const during = [...reader.dynamo.requests].map(([name, n]) => [name, n - (before.get(name) ?? 0)]).filter(([, n]) => n !== 0);
      expect(during.map(([name]) => name)).toEqual(['GetItem']);
      expect(during[0][1]).toBeGreaterThanOrEqual(5);

      const t0 = Date.now();
      await roundOpen(writing, { id: dialogue.id });
      const opened = await w.nextPending();
      expect(opened.dialogue.rounds.map((r) => r.status)).toEqual(['open']);
      expect(Date.now() - t0).toBeLessThan(2000);
      await w.stop();
      expect(closed).toBe(true);
    } finally {
      await writer.close();
      await reader.close();
      await drop();
    }
  });
});
