// `blue dialogue import` through the built bin/blue: the reference's RFC 0058 folder imported where a user of
// the reference has it (`.blue/dialogues/<id>/`, its record beside it), exported, and compared figure by
// figure with the reference's record; the same on DynamoDB Local; and a folder that is not a dialogue's.

import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { newProject } from '../support/cli.js';
import { localClientConfig, localEndpoint, uniqueTableName } from '../support/dynamodb.js';
import { readRecord } from '../support/record.js';
import { REFERENCE_DIALOGUES, RFC_0058 } from '../support/reference.js';

const DIALOGUES = REFERENCE_DIALOGUES;
const ID = RFC_0058;
const RECORD = `${ID}.dialogue.recorded.md`;

/** A project holding the reference's folder and record where the reference wrote them. */
function referenceProject() {
  const p = newProject();
  cpSync(join(DIALOGUES, ID), join(p.root, '.blue/dialogues', ID), { recursive: true });
  cpSync(join(DIALOGUES, RECORD), join(p.root, '.blue/dialogues', RECORD));
  return p;
}

const tables: string[] = [];
afterAll(async () => {
  if (!tables.length) return;
  const client = new DynamoDBClient(localClientConfig());
  for (const table of tables) await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  client.destroy();
});

describe.concurrent('blue dialogue import', () => {
  it('imports the RFC 0058 folder in place; its export has every derived figure of the reference record', async () => {
    const p = referenceProject();
    const run = await p.ok(['dialogue', 'import', `.blue/dialogues/${ID}`, '--json']);
    expect(Object.keys(run.json).sort()).toEqual(['id', 'next', 'notes', 'rounds', 'unmapped']);
    expect(run.json.next[0].command).toBe(`blue dialogue export ${ID}`);
    expect(run.json).toMatchObject({ id: ID, rounds: 4 });
    for (const finding of [...run.json.unmapped, ...run.json.notes]) {
      expect(Object.keys(finding).sort()).toEqual(['file', 'line', 'message']);
      expect(finding.file.startsWith(`.blue/dialogues/${ID}`)).toBe(true);
    }
    expect(run.json.unmapped).toContainEqual({ file: `.blue/dialogues/${ID}/round-3/cannoli.md`, line: 7, message: expect.stringContaining('RESOLVED names no tension id') });
    // The judge's own scoreboard.md stays as it was: import writes the store only.
    expect(p.read(`.blue/dialogues/${ID}/scoreboard.md`)).toBe(readFileSync(join(DIALOGUES, ID, 'scoreboard.md'), 'utf8'));

    await p.ok(['dialogue', 'export', ID]);
    const ours = readRecord(p.read(`.blue/dialogues/${ID}/dialogue.md`));
    const theirs = readRecord(p.read(`.blue/dialogues/${RECORD}`));
    expect(ours.header).toEqual({ ...theirs.header, 'Tensions Resolved': '18/18' });
    expect(ours.title).toBe(theirs.title);
    expect(ours.scoreboard).toEqual(theirs.scoreboard);
    expect(ours.total).toBe('415 (W:135 C:104 T:92 R:84)');
    expect(ours.panels.map((panel) => [panel.round, panel.size, panel.label])).toEqual(theirs.panels.map((panel) => [panel.round, panel.size, panel.label]));

    // Human output: the summary, the findings grouped, what to do next.
    const again = await p.blue(['dialogue', 'import', `.blue/dialogues/${ID}`]);
    expect(again.status).toBe(3);
    expect(again.stderr).toContain(`dialogue ${ID} already exists`);
  }, 120_000);

  it('prints the report for a person, one line for the prompts it does not keep', async () => {
    const p = newProject();
    const run = await p.ok(['dialogue', 'import', join(DIALOGUES, ID)]);
    expect(run.stdout).toMatch(new RegExp(`^Imported ${ID} into the file store: 4 rounds, 12 experts, 18 tensions, a final verdict\\.`));
    expect(run.stdout).toContain('a prompt is not kept: blue writes each expert\'s prompt itself, from the panel (dialogue checkout writes them) (30 files):');
    // What to do next is the Next: hint on stderr, as for every dialogue command.
    expect(run.stderr).toContain(`Next: blue dialogue export ${ID}`);
  }, 60_000);

  it('exit 2 for a folder that is not a blue dialogue folder, with the JSON error', async () => {
    const p = newProject();
    p.write('photos/cat.md', 'meow');
    const run = await p.blue(['dialogue', 'import', 'photos', '--json']);
    expect(run.status).toBe(2);
    expect(run.json.error).toMatchObject({ code: 'not_a_dialogue_folder', message: expect.stringContaining('photos is not a blue dialogue folder') });
  });

  it('imports into DynamoDB as into the file store: the same record', async () => {
    const table = uniqueTableName('import');
    tables.push(table);
    const p = referenceProject();
    const env = {
      BLUE_STORE: 'dynamodb',
      BLUE_DYNAMODB_ENDPOINT: localEndpoint(),
      BLUE_DYNAMODB_TABLE: table,
      BLUE_KEY_FILE: join(p.root, 'master.key'),
      AWS_ACCESS_KEY_ID: 'blueTest',
      AWS_SECRET_ACCESS_KEY: 'blueTestSecret',
      AWS_REGION: 'us-east-1',
    };
    await p.ok(['store', 'init'], { env });
    await p.ok(['dialogue', 'import', `.blue/dialogues/${ID}`], { env });
    const dynamo = (await p.ok(['dialogue', 'export', ID, '--output', '-'], { env })).stdout;
    await p.ok(['dialogue', 'import', `.blue/dialogues/${ID}`], { env: { BLUE_STORE: 'file' } });
    const file = (await p.ok(['dialogue', 'export', ID, '--output', '-'], { env: { BLUE_STORE: 'file' } })).stdout;
    expect(dynamo).toBe(file);
  }, 120_000);
});
