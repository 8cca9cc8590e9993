// The small pieces both live views draw with: durations, the charts, wrapped sentences, and what follows
// a run state's word.

import { describe, expect, it } from 'vitest';
import { bar, duration, lineText, meter, runDetails, sparkline, wrapWords } from '../../src/views/format.js';
import { printable } from '../../src/domain/values.js';

describe('format', () => {
  it('durations: seconds, then minutes and seconds, then hours and minutes', () => {
    expect([0, 9.9, 59, 60, 65, 600, 3599, 3600, 7380].map(duration)).toEqual(['0s', '9s', '59s', '1m 00s', '1m 05s', '10m 00s', '59m 59s', '1h 00m', '2h 03m']);
    expect(duration(-3)).toBe('0s');
  });

  it('a sparkline scales to its largest value, one cell per value', () => {
    expect(sparkline([0, 50, 100])).toBe('▁▅█');
    expect(sparkline([415, 300, 20])).toBe('█▆▁');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([])).toBe('');
  });

  it('a bar fills `width` cells in eighths, and is always exactly that wide', () => {
    expect(bar(8, 8, 4)).toBe('████');
    expect(bar(1, 8, 4)).toBe('▌   ');
    expect(bar(3, 8, 4)).toBe('█▌  ');
    expect(bar(0, 8, 4)).toBe('    ');
    expect(bar(20, 8, 4)).toBe('████');
    for (const v of [0, 1, 2, 5, 7, 8]) expect([...bar(v, 8, 6)]).toHaveLength(6);
  });

  it('a meter shows done out of total, one cell each up to its width', () => {
    expect(meter(3, 6, 12)).toBe('■■■□□□');
    expect(meter(12, 24, 12)).toBe('■■■■■■□□□□□□');
    expect(meter(0, 0, 12)).toBe('');
  });

  it('wraps a sentence at spaces, keeping every word', () => {
    expect(wrapWords('converge is 50% (2/4); every expert must signal [MOVE:CONVERGE] (not yet: Scone, Eclair)', 30)).toEqual([
      'converge is 50% (2/4); every',
      'expert must signal',
      '[MOVE:CONVERGE] (not yet:',
      'Scone, Eclair)',
    ]);
    expect(wrapWords('', 10)).toEqual(['']);
  });

  it('runDetails: the time, the attempt and the error of each state, the error only where it matters', () => {
    const text = (facts: Parameters<typeof runDetails>[0]) => lineText(runDetails(facts));
    expect(text({ state: 'waiting', attempt: 0, maxAttempts: 2 })).toBe('');
    expect(text({ state: 'running', attempt: 1, maxAttempts: 2, seconds: 5 })).toBe('5s');
    expect(text({ state: 'running', attempt: 2, maxAttempts: 3, seconds: 5 })).toBe('5s  attempt 2 of 3');
    expect(text({ state: 'retrying', attempt: 2, maxAttempts: 2, error: 'exit 1: boom\nstack' })).toBe('attempt 2 of 2 · exit 1: boom');
    expect(text({ state: 'done', attempt: 2, maxAttempts: 2, seconds: 61, error: 'an earlier failure' })).toBe('1m 01s  2 attempts');
    expect(text({ state: 'failed', attempt: 1, maxAttempts: 1, seconds: 2, exitCode: 3 })).toBe('2s · exit 3');
    expect(text({ state: 'timeout', attempt: 1, maxAttempts: 1, seconds: 600, exitCode: null })).toBe('10m 00s');
    expect(text({ state: 'skipped', attempt: 0, maxAttempts: 1, error: 'output exists' })).toBe('output exists');
    expect(text({ state: 'stopped', was: 'retrying', attempt: 2, maxAttempts: 2, seconds: 9 })).toBe('9s  while retrying, attempt 2 of 2');
  });

  it('printable: control characters become spaces, one for one, so widths stay', () => {
    expect(printable('a\u001b[2Jb\r\nc\u0007')).toBe('a [2Jb  c ');
    expect(printable('Нужен ли')).toBe('Нужен ли');
  });
});
