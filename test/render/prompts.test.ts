import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlueError } from '../../src/domain/errors.js';
import { ROTATION_MODES } from '../../src/domain/model.js';
import {
  renderExpertPrompt as renderExpertPromptWith,
  renderProtocol as renderProtocolWith,
  SUMMARY_EXCERPT_CHARS,
  type ContextBrief,
  type PromptInput,
  type ProtocolInput,
} from '../../src/render/prompts.js';
import { renderTemplate, TEMPLATE_NAMES, type Templates } from '../../src/render/template.js';
import { loadTemplates } from '../../src/workspace/templates.js';

/** The renderers with the templates blue ships, as the workspace hands them over. */
const renderExpertPrompt = (input: PromptInput, templates: Templates = loadTemplates()) => renderExpertPromptWith(input, templates);
const renderProtocol = (input: ProtocolInput, templates: Templates = loadTemplates()) => renderProtocolWith(input, templates);

const ID = '2026-02-06T1839Z-rfc-0058-supersession';
const DIR = `.blue/dialogues/${ID}`;
const DIALOGUE = {
  id: ID,
  title: 'RFC 0058 supersession',
  question: 'Should RFC 0058 be superseded by a hybrid relational + DynamoDB architecture?',
  sources: ['.blue/docs/rfcs/0058-encrypted-dynamodb-storage.draft.md', '.blue/docs/rfcs/0053-storage-abstraction-layer.draft.md'],
};

function promptInput(round: number, member: Partial<PromptInput['member']> & { name: string }, extra: Partial<PromptInput> = {}): PromptInput {
  return {
    dialogue: DIALOGUE,
    round,
    member: { role: 'Relational Database Architect', tier: 'core', source: 'retained', ...member },
    dir: DIR,
    outputFile: `${DIR}/round-${round}/${member.name.toLowerCase()}.md`,
    ...extra,
  };
}

const BRIEF: ContextBrief = {
  previousRound: 1,
  lastPanel: [
    { name: 'Croissant', role: 'Rust Systems Engineer', score: 12 },
    { name: 'Muffin', role: 'Relational Database Architect', score: 9 },
    { name: 'Galette', role: 'Codebase Archaeologist' },
  ],
  openTensions: [
    { id: 'CUPCAKE-T01', label: 'Unbounded future query patterns', status: 'open', author: 'Cupcake' },
    { id: 'TARTLET R1-T01', label: 'Encryption envelope portability', status: 'narrowed', author: 'TARTLET' },
  ],
  summaryFile: `${DIR}/round-1.summary.md`,
  summaryText: '# Round 1 Summary\n\nThe trait boundary does not exist in code yet.',
};

const MARKERS = [
  '[PERSPECTIVE P01: brief label]',
  '[PERSPECTIVE P02: brief label]',
  '[TENSION T01: brief label]',
  '[REFINEMENT: ',
  '[CONCESSION: ',
  '[RESOLVED <tension id>]',
  '[MOVE:CONVERGE]',
];

describe('renderTemplate', () => {
  it('substitutes variables and renders sections by truthiness', () => {
    const template = 'Hi {{name}}.{{#loud}} LOUD{{/loud}}{{#quiet}} quiet{{/quiet}}{{^quiet}} not quiet{{/quiet}}';
    expect(renderTemplate(template, { name: 'Muffin', loud: true, quiet: '' })).toBe('Hi Muffin. LOUD not quiet');
  });

  it('iterates arrays of objects, with the outer view still in scope', () => {
    const template = '{{#items}}[{{label}} of {{owner}}]{{/items}}{{^items}}none{{/items}}';
    expect(renderTemplate(template, { owner: 'Scone', items: [{ label: 'a' }, { label: 'b' }] })).toBe('[a of Scone][b of Scone]');
    expect(renderTemplate(template, { owner: 'Scone', items: [] })).toBe('none');
  });

  it('brings an object section value into scope', () => {
    expect(renderTemplate('{{#ctx}}{{file}}{{/ctx}}', { ctx: { file: 'tensions.md' } })).toBe('tensions.md');
    expect(renderTemplate('{{#ctx}}{{file}}{{/ctx}}!', { ctx: null })).toBe('!');
  });

  it('drops the lines of standalone section tags, so sections leave no blank lines', () => {
    const template = 'a\n{{#show}}\nb\n{{/show}}\n{{#hide}}\nc\n{{/hide}}\nd\n';
    expect(renderTemplate(template, { show: true, hide: false })).toBe('a\nb\nd\n');
  });

  it('does not re-read inserted values as template text', () => {
    expect(renderTemplate('{{q}}', { q: 'what about {{x}} and $1?' })).toBe('what about {{x}} and $1?');
  });

  it('throws on an unknown variable, in a tag or a section', () => {
    expect(() => renderTemplate('{{nmae}}', { name: 'Muffin' })).toThrow(/unknown variable \{\{nmae\}\}/);
    expect(() => renderTemplate('{{#sources}}x{{/sources}}', {})).toThrow(/unknown variable \{\{sources\}\}/);
  });

  it('throws on a value it cannot print, and on malformed or unbalanced tags', () => {
    expect(() => renderTemplate('{{x}}', { x: null })).toThrow(/no printable value/);
    expect(() => renderTemplate('{{x}}', { x: { a: 1 } })).toThrow(/no printable value/);
    expect(() => renderTemplate('{{ a-b }}', {})).toThrow(/malformed tag/);
    expect(() => renderTemplate('{{#a}}x', { a: true })).toThrow(/never closed/);
    expect(() => renderTemplate('{{#a}}x{{/b}}', { a: true })).toThrow(/closes/);
  });

  it('fails with a BlueError that names the template', () => {
    try {
      renderTemplate('{{nope}}', {}, 'expert-prompt');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BlueError);
      expect((error as BlueError).message).toContain('template expert-prompt');
    }
  });
});

describe('loadTemplates', () => {
  it('reads the shipped templates once and caches them', () => {
    const templates = loadTemplates();
    for (const name of TEMPLATE_NAMES) expect(templates[name].length).toBeGreaterThan(100);
    expect(loadTemplates()).toBe(templates);
  });

  it('reads templates from another directory, and fails clearly when one is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blue-templates-'));
    for (const name of TEMPLATE_NAMES) writeFileSync(join(dir, `${name}.md`), `${name}: {{id}}`);
    expect(loadTemplates(dir).protocol).toBe('protocol: {{id}}');
    expect(() => loadTemplates(join(dir, 'nowhere'))).toThrow(/cannot read the template/);
  });
});

describe('renderExpertPrompt, round 0', () => {
  const prompt = renderExpertPrompt(promptInput(0, { name: 'muffin', source: 'pool' }));

  it('introduces the expert and puts the question', () => {
    expect(prompt.startsWith('You are Muffin 🧁, a Relational Database Architect in an ALIGNMENT-seeking dialogue.\n')).toBe(true);
    expect(prompt).toContain(DIALOGUE.question);
    expect(prompt).toContain('scored on PRECISION, not volume');
  });

  it('names the exact output file, in the instruction and in the confirmation', () => {
    expect(prompt).toContain(`OUTPUT FILE: ${DIR}/round-0/muffin.md\n`);
    expect(prompt).toContain(`FILE_WRITTEN: ${DIR}/round-0/muffin.md\n`);
    expect(prompt).toContain('=== RETURN CONFIRMATION ===');
  });

  it('teaches every marker form, the tension id forms and the convergence rule', () => {
    for (const marker of MARKERS) expect(prompt).toContain(marker);
    expect(prompt).toContain('`MUFFIN-T01`');
    expect(prompt).toContain('`CROISSANT R1-T01`');
    expect(prompt).toContain('[RESOLVED CROISSANT R1-T01]');
    expect(prompt).toMatch(/resolve a tension ONLY by naming its id/);
    expect(prompt).toMatch(/\[MOVE:CONVERGE\]`: on its own line/);
    expect(prompt).toMatch(/every expert on the panel signals it/);
  });

  it("tells the expert what its own ids will be", () => {
    expect(prompt).toContain('your T01 of this round becomes `MUFFIN-T01`');
  });

  it('lists the grounding files and says paths are relative to the project root', () => {
    for (const source of DIALOGUE.sources) expect(prompt).toContain(`- ${source}\n`);
    expect(prompt).toContain('Your working directory is the project root');
  });

  it('has no READ CONTEXT, no context brief and no focus', () => {
    expect(prompt).not.toContain('READ CONTEXT');
    expect(prompt).not.toContain(`${DIR}/tensions.md`);
    expect(prompt).not.toContain('Context for Round');
    expect(prompt).not.toContain('Your Focus');
    expect(prompt).toContain('In round 0 every expert answers blind');
  });

  it('leaves no unrendered tags and no runs of blank lines', () => {
    expect(prompt).not.toMatch(/\{\{/);
    expect(prompt).not.toMatch(/\n\n\n/);
  });

  it('omits the grounding section when the dialogue has no sources', () => {
    const bare = renderExpertPrompt({ ...promptInput(0, { name: 'muffin' }), dialogue: { ...DIALOGUE, sources: [] } });
    expect(bare).not.toContain('GROUNDING');
  });
});

describe('renderExpertPrompt, later rounds', () => {
  it('a retained expert reads tensions.md, the last summary and the last round folder', () => {
    const prompt = renderExpertPrompt(promptInput(2, { name: 'Croissant', role: 'Rust Systems Engineer' }));
    expect(prompt).toContain('READ CONTEXT — THIS IS MANDATORY');
    expect(prompt).toContain(`1. ${DIR}/tensions.md`);
    expect(prompt).toContain(`2. ${DIR}/round-1.summary.md`);
    expect(prompt).toContain(`${DIR}/round-1/`);
    expect(prompt).toContain('skip the `*.prompt.md` files');
    expect(prompt).toContain(`OUTPUT FILE: ${DIR}/round-2/croissant.md`);
    expect(prompt).toContain('your T01 of this round becomes `CROISSANT R2-T01`');
    expect(prompt).not.toContain('In round 0 every expert answers blind');
    expect(prompt).not.toContain('Context for Round');
  });

  it('a retained expert does not get the brief even when the round computed one', () => {
    const prompt = renderExpertPrompt(promptInput(2, { name: 'Croissant' }, { brief: BRIEF }));
    expect(prompt).not.toContain('Context for Round');
  });

  it('shows the focus line when given, and nothing for a blank one', () => {
    const focus = 'Specify encryption envelope portability requirements. Resolve TARTLET R1-T01.';
    const prompt = renderExpertPrompt(promptInput(2, { name: 'Tartlet', focus }));
    expect(prompt).toContain(`**Your Focus**: ${focus}\n`);
    expect(renderExpertPrompt(promptInput(2, { name: 'Tartlet', focus: '  ' }))).not.toContain('Your Focus');
  });

  it('strips a trailing slash from the dialogue folder', () => {
    const prompt = renderExpertPrompt({ ...promptInput(1, { name: 'Muffin' }), dir: `${DIR}/` });
    expect(prompt).toContain(`1. ${DIR}/tensions.md`);
  });
});

describe('renderExpertPrompt, newcomers', () => {
  const prompt = renderExpertPrompt(
    promptInput(2, { name: 'tartlet', role: 'Data Migration Specialist', source: 'pool' }, { brief: BRIEF }),
  );

  it('carries the context brief, before READ CONTEXT', () => {
    expect(prompt).toContain('## Context for Round 2');
    expect(prompt).toContain('You are joining this dialogue in progress: the panel has held rounds 0 to 1 without you.');
    expect(prompt.indexOf('Context for Round 2')).toBeLessThan(prompt.indexOf('READ CONTEXT'));
  });

  it('tells an expert who returns after sitting rounds out when it last sat, not that it is new', () => {
    const returning = renderExpertPrompt(
      promptInput(2, { name: 'donut', role: 'Cloud Cost Economist', source: 'pool' }, { brief: BRIEF, lastSeenRound: 0 }),
    );
    expect(returning).toContain('You are rejoining this dialogue: you last sat on the panel in round 0, and it has held rounds 0 to 1 in all.');
    expect(returning).not.toContain('without you');
  });

  it('lists the last panel with its scores', () => {
    expect(prompt).toContain('### The panel in round 1');
    expect(prompt).toContain('| Croissant | Rust Systems Engineer | 12 |');
    expect(prompt).toContain('| Galette | Codebase Archaeologist | — |');
  });

  it('lists every open tension by id, with label, status and author', () => {
    expect(prompt).toContain('| CUPCAKE-T01 | Unbounded future query patterns | open | Cupcake |');
    expect(prompt).toContain('| TARTLET R1-T01 | Encryption envelope portability | narrowed | Tartlet |');
  });

  it('points at the last summary and quotes it', () => {
    expect(prompt).toContain(`The full summary is in ${DIR}/round-1.summary.md.`);
    expect(prompt).toContain('> # Round 1 Summary\n>\n> The trait boundary does not exist in code yet.');
    expect(prompt).not.toContain('Trimmed here');
  });

  it('gives the newcomer its task', () => {
    expect(prompt).toContain('### Your Task');
    expect(prompt).toContain('the perspective of a Data Migration Specialist that the panel has lacked');
    expect(prompt).toContain('Engage with the open tensions above');
  });

  it('leaves no unrendered tags and no runs of blank lines', () => {
    expect(prompt).not.toMatch(/\{\{/);
    expect(prompt).not.toMatch(/\n\n\n/);
  });

  it('trims a long summary and points at the file for the rest', () => {
    const longSummary = Array.from({ length: 200 }, (_, i) => `Line ${i} of the judge's synthesis.`).join('\n');
    const long = renderExpertPrompt(
      promptInput(2, { name: 'Galette', source: 'created' }, { brief: { ...BRIEF, summaryText: longSummary } }),
    );
    expect(long).toContain('> Line 0 of');
    expect(long).not.toContain('Line 199 of');
    expect(long).toContain(`(Trimmed here: read the rest in ${DIR}/round-1.summary.md.)`);
    const quoted = long.split('\n').filter((line) => line.startsWith('> ')).join('\n');
    expect(quoted.length).toBeLessThanOrEqual(SUMMARY_EXCERPT_CHARS + 200 * 2);
  });

  it('says so when no tension is open and there is no summary', () => {
    const bare = renderExpertPrompt(
      promptInput(1, { name: 'Galette', role: 'Options Strategist', source: 'created' }, {
        brief: { previousRound: 0, lastPanel: [{ name: 'Muffin', role: 'Relational | Database Architect', score: 7 }], openTensions: [] },
      }),
    );
    expect(bare).toContain('the panel has held round 0 without you');
    expect(bare).toContain('None open:');
    expect(bare).toContain('Test the consensus');
    expect(bare).not.toContain('Engage with the open tensions above');
    expect(bare.startsWith('You are Galette 🧁, an Options Strategist in an ALIGNMENT-seeking dialogue.')).toBe(true);
    expect(bare).toContain('The Judge has written no summary of round 0.');
    expect(bare).toContain('| Muffin | Relational \\| Database Architect | 7 |');
    expect(bare).not.toMatch(/\{\{/);
  });

  it('refuses to write a newcomer prompt without a brief', () => {
    expect(() => renderExpertPrompt(promptInput(1, { name: 'Galette', source: 'pool' }))).toThrow(/needs a context brief/);
  });
});

describe('templates with a typo', () => {
  it('a missing template variable throws at render time', () => {
    const templates = { ...loadTemplates(), 'expert-prompt': 'You are {{nmae}} 🧁' };
    expect(() => renderExpertPrompt(promptInput(0, { name: 'Muffin' }), templates)).toThrow(/unknown variable \{\{nmae\}\}/);
    const brief = { ...loadTemplates(), 'context-brief': '## Context for Round {{rnd}}' };
    expect(() => renderExpertPrompt(promptInput(1, { name: 'Galette', source: 'pool' }, { brief: BRIEF }), brief)).toThrow(/\{\{rnd\}\}/);
    const protocol = { ...loadTemplates(), protocol: '{{#panels}}{{/panels}}' };
    expect(() => renderProtocol(protocolInput(), protocol)).toThrow(/\{\{panels\}\}/);
  });
});

function protocolInput(overrides: Partial<ProtocolInput> = {}): ProtocolInput {
  return {
    id: ID,
    title: DIALOGUE.title,
    question: DIALOGUE.question,
    dir: DIR,
    panel: [
      { name: 'Muffin', role: 'Relational Database Architect', tier: 'core', relevance: 0.95 },
      { name: 'Cupcake', role: 'DynamoDB Specialist', tier: 'adjacent', relevance: 0.7 },
      { name: 'Strudel', role: 'Contrarian', tier: 'wildcard', relevance: 0.3 },
    ],
    rotation: 'graduated',
    maxRounds: 10,
    sources: DIALOGUE.sources,
    ...overrides,
  };
}

describe('renderProtocol', () => {
  const protocol = renderProtocol(protocolInput());

  it('names the dialogue, its folder, the question and the suggested panel', () => {
    expect(protocol).toContain(`\`${ID}\``);
    expect(protocol).toContain(`\`${DIR}/\``);
    expect(protocol).toContain(DIALOGUE.question);
    expect(protocol).toContain('| Muffin | Relational Database Architect | Core | 0.95 |');
    expect(protocol).toContain('| Strudel | Contrarian | Wildcard | 0.30 |');
    for (const source of DIALOGUE.sources) expect(protocol).toContain(`- \`${source}\``);
  });

  it('teaches every command with the dialogue id filled in', () => {
    for (const command of ['round open', 'round ingest', 'score', 'verdict', 'export', 'show']) {
      expect(protocol).toContain(`blue dialogue ${command} ${ID}`);
    }
  });

  it('teaches every flag of the loop', () => {
    const flags = [
      '[--panel panel.yaml]',
      '[--focus Name=text]',
      '--expert Name=W,C,T,R',
      '--round-score W,C,T,R',
      '--resolve <tension>=<note>',
      '--narrow <tension>',
      '--supersede <tension>=<by>',
      '--accept <tension>=<why>',
      '--reopen <tension>',
      '--label <text>',
      '--summary-file <md>',
      '--new-perspectives <n>',
      '--open-tensions <n>',
      '--converge-signals <n>',
      '--text-file verdict.md',
      '--insights-file insights.md',
      '--force --warning',
      '--json',
    ];
    for (const flag of flags) expect(protocol).toContain(flag);
  });

  it('explains the panel file, parallel spawning and re-ingesting', () => {
    for (const source of ['source: retained', 'source: pool', 'source: created']) expect(protocol).toContain(source);
    expect(protocol).toContain('ALL of them in ONE message');
    expect(protocol).toMatch(/re-run `blue dialogue round ingest/);
  });

  it('states the convergence rule, the max rounds and the artifacts blue rewrites', () => {
    expect(protocol).toContain('velocity = open tensions + new perspectives = 0');
    expect(protocol).toContain('100% of the panel signalled `[MOVE:CONVERGE]`');
    expect(protocol).toContain('after 10 rounds');
    for (const artifact of ['scoreboard.md', 'tensions.md', 'round-<n>.summary.md']) expect(protocol).toContain(artifact);
  });

  it('lists the exit codes', () => {
    for (const code of ['0', '1', '2', '3', '4']) expect(protocol).toMatch(new RegExp(`^\\| ${code} \\| `, 'm'));
  });

  it('states the key rules', () => {
    expect(protocol).toContain('NEVER write your own perspectives');
    expect(protocol).toContain('pastry names');
    expect(protocol).toContain('Score on PRECISION');
    expect(protocol).toContain('Do NOT count by hand');
  });

  it('advises on the panel per rotation mode, and renders cleanly in every mode', () => {
    expect(protocol).toContain("This dialogue's rotation is **graduated**");
    for (const rotation of ROTATION_MODES) {
      const text = renderProtocol(protocolInput({ rotation, sources: [], maxRounds: 6 }));
      expect(text).toContain(`This dialogue's rotation is **${rotation}**`);
      expect(text.match(/This dialogue's rotation is/g)).toHaveLength(1);
      expect(text).toContain('after 6 rounds');
      expect(text).not.toContain('## Grounding files');
      expect(text).not.toMatch(/\{\{/);
      expect(text).not.toMatch(/\n\n\n/);
    }
  });
});

describe('the converge rule in the prompts', () => {
  it('round 0 requires P01; later rounds require nothing and ask for new viewpoints only', () => {
    const opening = renderExpertPrompt(promptInput(0, { name: 'muffin', source: 'pool' }));
    expect(opening).toContain('`[PERSPECTIVE P01: ...]` is required');
    expect(opening).not.toContain('No marker is required');
    const later = renderExpertPrompt(promptInput(2, { name: 'Croissant' }));
    expect(later).toContain('No marker is required');
    expect(later).toContain('Write a `[PERSPECTIVE]` only for a viewpoint the panel has not heard yet');
    expect(later).toContain('If you signal `[MOVE:CONVERGE]`, you are saying you have nothing new to add: add no perspective');
    expect(later).not.toContain('`[PERSPECTIVE P01: ...]` is required');
  });

  it('the judge protocol says what an override is for, and that arithmetic is never one', () => {
    const protocol = renderProtocol(protocolInput());
    expect(protocol).toContain('a perspective from an expert who signalled `[MOVE:CONVERGE]` that round restates and is not counted as new');
    expect(protocol).toContain('Never override to fix arithmetic.');
  });
});
