// A structural check of a stored dialogue: the essential fields exist and have the right types. It is not
// a protocol check (whether the rounds and tensions make sense); it only guards the code that reads a
// dialogue against a file that was damaged, hand-edited or written by something else.

import { DIALOGUE_STATUSES, ROTATION_MODES, ROUND_STATUSES, type DialogueStatus } from '../domain/model.js';
import { isRecord } from '../domain/values.js';

const ENTITY_LISTS = ['contributions', 'tensions', 'refs', 'moves', 'events', 'verdicts'] as const;


const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** What is wrong with `value` as a Dialogue, one line per problem; empty when it looks like one. */
export function dialogueShapeProblems(value: unknown): string[] {
  if (!isRecord(value)) return ['the dialogue is not a JSON object'];
  const problems: string[] = [];
  const expect = (ok: boolean, field: string, what: string) => {
    if (!ok) problems.push(`${field} must be ${what}`);
  };

  for (const field of ['id', 'title', 'question', 'createdAt', 'updatedAt']) {
    expect(typeof value[field] === 'string', field, 'a string');
  }
  for (const field of ['schema', 'seed', 'maxRounds', 'panelSize']) {
    expect(isFiniteNumber(value[field]), field, 'a number');
  }
  expect(Number.isSafeInteger(value.version) && (value.version as number) >= 1, 'version', 'an integer >= 1');
  expect(DIALOGUE_STATUSES.includes(value.status as DialogueStatus), 'status', `one of ${DIALOGUE_STATUSES.join(', ')}`);
  expect(ROTATION_MODES.includes(value.rotation as never), 'rotation', `one of ${ROTATION_MODES.join(', ')}`);
  expect(value.rfc === undefined || typeof value.rfc === 'string', 'rfc', 'a string when present');

  const pool = value.pool;
  expect(isRecord(pool), 'pool', 'an object');
  if (isRecord(pool)) expect(Array.isArray(pool.experts) && pool.experts.every(isRecord), 'pool.experts', 'an array of objects');

  expect(Array.isArray(value.sources) && value.sources.every((s) => typeof s === 'string'), 'sources', 'an array of strings');
  expect(Array.isArray(value.suggestedPanel) && value.suggestedPanel.every(isRecord), 'suggestedPanel', 'an array of objects');
  expect(
    Array.isArray(value.experts) && value.experts.every((e) => isRecord(e) && typeof e.name === 'string'),
    'experts',
    'an array of objects with a string name',
  );

  if (!Array.isArray(value.rounds)) {
    problems.push('rounds must be an array');
  } else {
    for (const [index, round] of (value.rounds as unknown[]).entries()) {
      const at = `rounds[${index}]`;
      if (!isRecord(round)) {
        problems.push(`${at} must be an object`);
        continue;
      }
      expect(isFiniteNumber(round.n), `${at}.n`, 'a number');
      expect((ROUND_STATUSES as readonly string[]).includes(round.status as string), `${at}.status`, 'open or scored');
      expect(Array.isArray(round.panel), `${at}.panel`, 'an array');
      expect(isRecord(round.scores), `${at}.scores`, 'an object');
      if (round.roundScore !== undefined) {
        expect(isRecord(round.roundScore) && isFiniteNumber(round.roundScore.total), `${at}.roundScore.total`, 'a number');
      }
    }
  }

  for (const list of ENTITY_LISTS) {
    expect(Array.isArray(value[list]) && (value[list] as unknown[]).every(isRecord), list, 'an array of objects');
  }
  return problems;
}
