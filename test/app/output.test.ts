// What src/cli/output.ts decides for every line a person reads: whether colour is allowed.

import { describe, expect, it } from 'vitest';
import { colorAllowed } from '../../src/cli/output.js';

describe('colour', () => {
  it('is allowed unless --no-color, or a NO_COLOR that is set to something (no-color.org)', () => {
    expect(colorAllowed(undefined, {})).toBe(true);
    expect(colorAllowed(true, {})).toBe(true);
    expect(colorAllowed(undefined, { NO_COLOR: '' })).toBe(true); // present but empty: no request
    expect(colorAllowed(undefined, { NO_COLOR: '1' })).toBe(false);
    expect(colorAllowed(undefined, { NO_COLOR: '0' })).toBe(false); // any value counts, even 0
    expect(colorAllowed(false, {})).toBe(false);
    expect(colorAllowed(false, { NO_COLOR: '' })).toBe(false);
  });
});
