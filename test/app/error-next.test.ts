// An error's `next` (src/cli/program.ts withDialogueNext): bad input and refusals about a readable dialogue
// get its next steps; a store failure or an integrity failure is not followed by a second load of the
// dialogue (which would fail again, slowly where the store is unreachable), nor is "no such dialogue".

import { describe, expect, it, vi } from 'vitest';
import { start } from '../../src/app/start.js';
import { withDialogueNext } from '../../src/cli/program.js';
import { badInput, failure, integrity, refused, type BlueError } from '../../src/domain/errors.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';

describe("an error's next steps", () => {
  it('are the dialogue\'s for bad input and refusals, and are not looked for after a store or integrity failure', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(p.ports, { title: 'Second shop?', pool: 'pool.yaml', panelSize: 3 });
    const opened = vi.spyOn(p.ports, 'openStores');

    for (const error of [badInput('invalid_score', 'bad', { fix: 'the fix' }), refused('no_open_round', 'no', { fix: 'the fix' })]) {
      const explained = (await withDialogueNext(error, p.ports, dialogue.id)) as BlueError;
      expect(explained.details.next?.[0]?.command).toBe(`blue dialogue round open ${dialogue.id}`);
      expect([explained.code, explained.exitCode]).toEqual([error.code, error.exitCode]);
    }
    expect(opened).toHaveBeenCalledTimes(2);

    opened.mockClear();
    for (const error of [failure('store_unreachable', 'down', { fix: 'the fix' }), integrity('corrupt_store_file', 'bad', { fix: 'the fix' }), badInput('dialogue_not_found', 'none', { fix: 'the fix' })]) {
      expect(await withDialogueNext(error, p.ports, dialogue.id)).toBe(error);
    }
    expect(opened).not.toHaveBeenCalled();
  });
});
