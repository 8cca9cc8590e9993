// The config's fast path (src/workspace/plain-yaml.ts) against yaml, the parser of record: wherever the fast
// path answers, yaml parses the same text without an error or a warning to the same value; whatever it does
// not fully understand (quotes with escapes, lists, anchors, tabs, flow mappings, odd numbers, repeated
// keys...) it leaves to yaml. Checked on the configs blue documents, on tricky lines one by one, and on
// 20,000 generated files built from both kinds of line.

import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parsePlainYaml } from '../../src/workspace/plain-yaml.js';
import { createRng } from '../../src/domain/sampling.js';

/** What yaml makes of the text, when it makes it without an error or a warning. */
function yamlValue(text: string): { value: unknown } | undefined {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length || doc.warnings.length) return undefined;
  return { value: doc.toJS() };
}

/** The fast path answers as yaml does, or not at all. */
function agrees(text: string): void {
  const plain = parsePlainYaml(text);
  if (plain === undefined) return;
  const parsed = yamlValue(text);
  expect(parsed, `yaml refuses or warns about ${JSON.stringify(text)}, which the fast path read`).toBeDefined();
  expect(plain.value, JSON.stringify(text)).toStrictEqual(parsed!.value);
}

describe('the plain-YAML fast path', () => {
  it('reads the configs blue documents, as yaml does', () => {
    const configs = [
      'storage:\n  backend: dynamodb\n',
      'storage:\n  backend: file\n',
      '# blue\'s own configuration for this repository.\nstorage:\n  backend: file\n',
      'limits:\n  output_bytes: 5000000\n',
      'limits:\n  output_bytes: 5000000\n  input_bytes: 2000000\n',
      [
        'storage:',
        '  backend: dynamodb   # the team table',
        '  dynamodb:',
        '    table: blue-dialogues',
        '    endpoint: http://localhost:8000',
        '    region: eu-west-1',
        '    key_file: .secrets/master.key',
        '    kms-key-id: "arn:aws:kms:eu-west-1:123456789012:key/0b1c-22"',
        '',
        'agent:',
        "  command: 'claude -p'",
        '  parallel: 4',
        '  timeout: 600',
        '  retries: 0',
        'limits:',
        '  output_bytes: 5000000',
        '',
      ].join('\n'),
      '',
      '# nothing configured yet\n',
      'storage:\n',
      'storage:\n  backend: file\nlimits:\n',
      'storage:\n    backend: file\n',
      'storage:  # where dialogues live\n  backend: file\n',
    ];
    for (const text of configs) {
      const plain = parsePlainYaml(text);
      expect(plain, JSON.stringify(text)).toBeDefined();
      expect(plain!.value).toStrictEqual(YAML.parse(text));
    }
  });

  it('answers what yaml answers for plain values that look like other things', () => {
    const lines = [
      'a: yes', 'a: no', 'a: on', 'a: off', 'a: y', 'a: True', 'a: FALSE', 'a: Null', 'a: ~', 'a:', 'a: ""', "a: ''",
      'a: 0', 'a: 42', 'a: 123456789012345', 'a: x, y', 'a: (b)', 'a: b:c', 'a: b # c', 'a: b#c', 'a: http://h:8000/p?q',
      'a: .secrets/master.key', 'a: /abs/path', 'a: ~/key', 'a: ./x', 'a: ..', 'a: .', 'a: ~x', 'a: NaN', 'a: Infinity', 'a: nul', 'a: b=c+d', 'a: x@y', 'a: x~y', 'a: x/y.z', 'a: "x # y"', "a: 'x # y'",
      'a: "quoted value"', "a: 'single quoted'", 'a: "it\'s"', "a: 'say \"hi\"'", 'a_b-c: 1', '_a: 1', 'a: 1 # one',
    ];
    for (const line of lines) {
      agrees(`${line}\n`);
      agrees(`top:\n  ${line}\n`);
    }
    expect(parsePlainYaml('a: yes\n')?.value).toEqual({ a: 'yes' });
    expect(parsePlainYaml('a: b:c\n')?.value).toEqual({ a: 'b:c' });
    expect(parsePlainYaml('a: b # c\n')?.value).toEqual({ a: 'b' });
  });

  it('leaves to yaml what it does not fully understand', () => {
    const fallbacks = [
      'a: "esc\\n"', "a: 'it''s'", 'a: "unclosed', 'a: [1, 2]', 'a: {b: 1}', 'a: &anchor x', 'a: *anchor', 'a: !tag x',
      'a: |\n  block', 'a: >\n  folded', 'a:\n  - item', '- item', 'a: b: c', 'a: b:', 'a:b', 'a : b', '"a": 1', "'a': 1",
      'a: 007', 'a: 1.5', 'a: .5', 'a: -1', 'a: +1', 'a: 1e3', 'a: 0x1f', 'a: 0o17', 'a: .inf', 'a: .Inf', 'a: -.inf', 'a: .nan', 'a: .NaN', 'a: .5e3',
      'a: 1234567890123456', 'a: 2026-02-06', 'a: 1_000', 'a: 12abc', 'a: é', 'a: @x', 'a: `x`', 'a: %x', 'a: ?x',
      'true: 1', 'null: 1', '~: 1', '__proto__: 1', '<<: *base', 'a b: 1', 'a.b: 1', '1: one', '-a: 1',
      'a: 1\na: 2', 'a:\n  b: 1\n  b: 2', '\ta: 1', 'a:\n\tb: 1', 'a: b\tc', 'a: 1\r\nb: 2', '  a: 1', 'a:\n  b: 1\n c: 2',
      'a: 1\n  b: 2', 'a: ~\n  b: 1', '---\na: 1', 'a: 1\n...', '%YAML 1.1\n---\na: yes', 'a: x\u00a0', '\u00a0a: 1', 'a: "x" y',
      'a: b\n- c', '? a\n: b', 'a: x,\n  y',
    ];
    for (const text of fallbacks) expect(parsePlainYaml(`${text}\n`), JSON.stringify(text)).toBeUndefined();
  });

  it('agrees with yaml on 20,000 generated files, tricky lines among plain ones', () => {
    const random = createRng(58);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const keys = ['storage', 'backend', 'dynamodb', 'table', 'endpoint', 'limits', 'output_bytes', 'key-file', 'a', '_x', 'True', 'null', '__proto__', 'a b', '-a', '"q"', '<<', 'a.b', '1'];
    const values = [
      '', 'file', 'dynamodb', 'blue-dialogues', 'http://localhost:8000', '5000000', '.secrets/master.key', '~/k', '.5', '.inf', '0', '007', '1.5', '-1', '1e3', '0x1f', '.inf', '~', 'null',
      'true', 'yes', 'On', '"quoted"', "'single'", '"esc\\t"', "'it''s'", '"a # b"', 'a: b', 'a:b', 'b:', 'a #c', 'a#c', '[1, 2]', '{a: 1}', '&x y',
      '*x', '!t y', '|', '>', '- item', 'a, b', '(x)', 'é', 'x\u00a0', '12abc', '2026-02-06', 'NaN', '"', "'",
    ];
    const separators = [': ', ':', ':  ', ' : ', ':\t'];
    const comments = ['', '', '', ' # c', '# c', '  #c'];
    let understood = 0;
    for (let i = 0; i < 20_000; i++) {
      const lines: string[] = [];
      const count = 1 + Math.floor(random() * 6);
      // Mostly well-formed nesting (deeper only under a key that opened a mapping), now and then not.
      const open: number[] = [0];
      let opened = false;
      for (let j = 0; j < count; j++) {
        if (random() < 0.05) {
          lines.push(pick(['', '  ', '# comment', '   # indented comment', '---', '\t', '- x']));
          continue;
        }
        let indent: number;
        if (opened && random() < 0.8) open.push((indent = open[open.length - 1] + pick([2, 2, 4, 1])));
        else {
          if (random() < 0.3 && open.length > 1) open.pop();
          indent = random() < 0.9 ? open[open.length - 1] : pick([0, 1, 2, 3, 4, 6]);
        }
        const plainish = random() < 0.85;
        // Numbered keys seldom repeat; the listed ones do, as a repeated key should now and then.
        const key = plainish ? (random() < 0.6 ? `k${Math.floor(random() * 1000)}` : pick(keys.slice(0, 9))) : pick(keys);
        const value = plainish && random() < 0.6 ? pick(values.slice(0, 7)) : pick(values);
        const separator = plainish ? ': ' : pick(separators);
        lines.push(`${' '.repeat(indent)}${key}${value === '' ? separator.trimEnd() : separator + value}${pick(comments)}`);
        opened = value === '';
      }
      const text = lines.join(random() < 0.03 ? '\r\n' : '\n') + (random() < 0.9 ? '\n' : '');
      if (parsePlainYaml(text) !== undefined) understood++;
      agrees(text);
    }
    // Most generated files are plain enough for the fast path to answer: the comparison has teeth.
    expect(understood).toBeGreaterThan(2_500);
  });
});
