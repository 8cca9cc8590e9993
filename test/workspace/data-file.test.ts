// The judge's JSON or YAML files: a key given twice is refused in both, never read last-wins.

import { describe, expect, it } from 'vitest';
import { parseDataFile } from '../../src/workspace/data-file.js';
import { repeatedKey } from '../../src/domain/repeated-key.js';
import { expectBlueError } from '../support/dialogue-factory.js';

describe('a key given twice', () => {
  it('in a JSON file is refused with exit 2, naming the key and both lines, as YAML refuses it', () => {
    const json = '{\n  "domain": "Bakery",\n  "experts": [],\n  "domain": "Finance"\n}\n';
    const error = expectBlueError(() => parseDataFile(json, 'pool.json', 'invalid_pool'), 2, 'invalid_pool');
    expect(error.message).toBe('pool.json gives domain twice in one object (line 2 and line 4); JSON would keep the last without a word, so blue takes neither');
    expect(error.details).toMatchObject({ file: 'pool.json', line: 4, key: 'domain' });
    expect(error.details.fix).toMatch(/keep one domain in pool\.json/);
    expectBlueError(() => parseDataFile('domain: Bakery\nexperts: []\ndomain: Finance\n', 'pool.yaml', 'invalid_pool'), 2, 'invalid_pool');
    // A scores file in JSON: one expert twice.
    expect(expectBlueError(() => parseDataFile('{"Muffin": 9, "Muffin": 1}', 's.json', 'invalid_scores'), 2, 'invalid_scores').message).toMatch(/^s\.json gives Muffin twice in one object \(line 1 and line 1\)/);
  });

  it('is found where it is, however it is written, and only within one object', () => {
    expect(repeatedKey('{"experts": [{"role": "A", "tier": "core"}, {"role": "B", "role": "C"}]}')).toEqual({ path: 'experts[1].role', first: 1, line: 1 });
    expect(repeatedKey('{"a": {"b": {"c": 1,\n"\\u0063": 2}}}')).toEqual({ path: 'a.b.c', first: 1, line: 2 });
    expect(repeatedKey('[{"x": 1}, {"x": 2}, {"y": {"x": 3}}]')).toBeUndefined();
    expect(repeatedKey('{"q": "a \\"q\\": b, {\\"q\\": 1}", "r": "q:"}')).toBeUndefined();
    expect(repeatedKey('{"x": [1, {"x": 2}], "y": {"x": 3}}')).toBeUndefined();
    expect(repeatedKey(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeUndefined();
  });

  it('in a JSON file with a byte-order mark or that JSON refuses is still read as before', () => {
    expect(parseDataFile('\uFEFF{"domain": "x"}', 'p.json', 'invalid_pool')).toEqual({ domain: 'x' });
    expect(parseDataFile('{domain: x}', 'p.yaml', 'invalid_pool')).toEqual({ domain: 'x' });
  });
});
