// Two clones of one project, one DynamoDB table (DynamoDB Local) and one master key: the second clone
// checks out a dialogue the first started, ingests, scores and exports it, and nothing of the first is lost.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkout } from '../../src/app/checkout.js';
import { exportDialogues } from '../../src/app/export.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { createContext, type Context } from '../../src/cli/context.js';
import { parseScore } from '../../src/domain/scoring.js';
import { SMALL_POOL_YAML } from '../support/app.js';
import { localEndpoint, uniqueTableName } from '../support/dynamodb.js';

describe('a second clone on the same DynamoDB table', () => {
  const base = mkdtempSync(join(tmpdir(), 'blue-clones-'));
  const table = uniqueTableName('second_clone');
  const keyFile = join(base, 'team.key');
  let first: Context;
  let second: Context;
  const file = (ctx: Context, path: string) => join(ctx.root, path);
  const write = (ctx: Context, path: string, text: string) => {
    mkdirSync(dirname(file(ctx, path)), { recursive: true });
    writeFileSync(file(ctx, path), text);
  };

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'blueTest');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'blueTestSecret');
    for (const name of ['one', 'two']) mkdirSync(join(base, name, '.blue'), { recursive: true });
    const options = { store: 'dynamodb', endpoint: localEndpoint(), table, keyFile };
    first = await createContext(options, join(base, 'one'), {});
    second = await createContext(options, join(base, 'two'), {});
    await first.ports.initDynamoStore();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(base, { recursive: true, force: true });
  });

  it('checks out, ingests, scores and exports what the first clone started, losing nothing', async () => {
    write(first, 'pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(first.ports, { title: 'Shared', pool: 'pool.yaml', panelSize: 3, seed: 5 });
    const id = dialogue.id;
    const opened = await roundOpen(first.ports, { id });
    const [a, b, c] = opened.panel;
    write(first, a.output_file, '[PERSPECTIVE P01: From clone one]\nA.\n[TENSION T01: Rent]\nHigh.\n');
    write(first, b.output_file, '[PERSPECTIVE P01: Also clone one]\nB.\n');
    await roundIngest(first.ports, id);

    // Clone two has none of the files. Ingest there keeps what the store holds instead of dropping it.
    write(second, c.output_file, '[PERSPECTIVE P01: From clone two]\nC.\n');
    const report = await roundIngest(second.ports, id);
    expect(report.ingested).toEqual([a.name, b.name, c.name]);
    expect(report.missing).toEqual([]);
    expect(report.warnings.filter((w) => /kept as it is/.test(w.message)).map((w) => w.file)).toEqual([a.output_file, b.output_file]);

    const out = await checkout(second.ports, { id });
    expect(out.written).toEqual(expect.arrayContaining([`.blue/dialogues/${id}/expert-pool.json`, `.blue/dialogues/${id}/round-0/panel.json`, a.prompt_file, a.output_file, b.output_file, `.blue/dialogues/${id}/dialogue.md`]));
    expect(out.unchanged).toContain(c.output_file);
    expect(readFileSync(file(second, a.output_file), 'utf8')).toContain('From clone one');
    expect(readFileSync(file(second, a.prompt_file), 'utf8')).toBe(readFileSync(file(first, a.prompt_file), 'utf8'));

    await score(second.ports, { id, scores: [a, b, c].map((m) => [m.name, parseScore('3,2,2,1', m.name)]), judge: {}, decisions: [] });
    await exportDialogues(second.ports, { id });
    const record = readFileSync(file(second, `.blue/dialogues/${id}/dialogue.md`), 'utf8');
    expect(record).toContain('**ALIGNMENT Score**: 24 (W:9 C:6 T:6 R:3)');

    // The first clone catches up: a file it changed by hand is left alone and named, then --force moves it aside.
    write(first, a.output_file, 'edited here\n');
    await expect(checkout(first.ports, { id })).rejects.toMatchObject({ exitCode: 1, code: 'checkout_conflict', details: { conflicts: [a.output_file] } });
    expect(readFileSync(file(first, c.output_file), 'utf8')).toContain('From clone two');
    const forced = await checkout(first.ports, { id, force: true });
    expect(forced.movedAside).toEqual([{ from: a.output_file, to: `.blue/dialogues/${id}/round-0/aside/${a.output_file.split('/').pop()}` }]);
    expect(readFileSync(file(first, a.output_file), 'utf8')).toContain('From clone one');
    expect(readFileSync(file(first, forced.movedAside[0].to), 'utf8')).toBe('edited here\n');
    expect(readFileSync(file(first, `.blue/dialogues/${id}/scoreboard.md`), 'utf8')).toBe(readFileSync(file(second, `.blue/dialogues/${id}/scoreboard.md`), 'utf8'));
    expect(existsSync(file(first, `.blue/dialogues/${id}/dialogue.md`))).toBe(true);
  });
});
