// The texts blue hands to agents: one prompt per expert per round, and the judge protocol printed by
// `start`. The wording lives in templates/*.md; this module only turns the dialogue's facts into the
// templates' variables. It never touches the file system: callers pass the templates (the workspace loads
// the ones shipped with the package).

import { displayId } from '../domain/ids.js';
import type { RotationMode, Source } from '../domain/model.js';
import { renderTemplate, type Templates } from './template.js';
import { cell } from './common.js';
import { markdownFile } from './markdown-text.js';
import { capitalise } from '../domain/values.js';
import { shellQuote } from '../domain/shell.js';

export interface PromptInput {
  dialogue: { id: string; title: string; question: string; sources: string[] };
  round: number;
  member: { name: string; role: string; tier: string; source: Source; focus?: string };
  /** The dialogue folder relative to the project root, e.g. ".blue/dialogues/<id>". */
  dir: string;
  /** The file the expert must write, relative to the project root. */
  outputFile: string;
  /** What happened before round `round`; shown only to newcomers (source pool or created) after round 0. */
  brief?: ContextBrief;
  /** For an expert who sat on an earlier panel and returns: the last round it sat in. */
  lastSeenRound?: number;
}

export interface ContextBrief {
  previousRound: number;
  lastPanel: { name: string; role: string; score?: number }[];
  openTensions: { id: string; label: string; status: string; author: string }[];
  /** Relative path of round-<n-1>.summary.md, when it exists. */
  summaryFile?: string;
  summaryText?: string;
  /** False when the judge wrote no summary and the text is blue's figures for the round; default true. */
  summaryByJudge?: boolean;
}

export interface ProtocolInput {
  id: string;
  title: string;
  question: string;
  /** The dialogue folder relative to the project root. */
  dir: string;
  panel: { name: string; role: string; tier: string; relevance?: number }[];
  rotation: RotationMode;
  maxRounds: number;
  sources: string[];
}

/**
 * How much of the judge's last summary a newcomer's brief quotes. Enough for the gist of a round; the
 * whole summary can run to pages, and the brief points at the file for the rest.
 */
export const SUMMARY_EXCERPT_CHARS = 1500;

export function renderExpertPrompt(input: PromptInput, templates: Templates): string {
  const { dialogue, round, member, dir } = input;
  const name = capitalise(member.name);
  const folder = trimTrailingSlash(dir);
  const isNewcomer = round >= 1 && member.source !== 'retained';
  if (isNewcomer && !input.brief) {
    // A newcomer without a brief is the reference's weakest prompt; refuse to write it.
    throw new Error(`renderExpertPrompt: ${name} joins in round ${round} (source ${member.source}) and needs a context brief`);
  }
  // One brief may be computed per round and passed for every expert; only newcomers see it.
  const contextBrief = isNewcomer ? renderContextBrief(input, input.brief!, templates).trimEnd() : null;
  const readContext =
    round >= 1
      ? {
          previousRound: round - 1,
          tensionsFile: `${folder}/tensions.md`,
          summaryFile: `${folder}/round-${round - 1}.summary.md`,
          previousRoundDir: `${folder}/round-${round - 1}/`,
        }
      : null;
  // The brief quotes other experts' tension labels and the last summary: shown as any Markdown file blue writes.
  return markdownFile(renderTemplate(
    templates['expert-prompt'],
    {
      name,
      aRole: withArticle(member.role),
      title: dialogue.title,
      // "Should we shard?" stays as it is; "Sharding" gets its full stop.
      titleSentence: /[.?!…]$/.test(dialogue.title) ? dialogue.title : `${dialogue.title}.`,
      question: dialogue.question,
      round,
      isOpeningRound: round === 0,
      focus: member.focus?.trim() || null,
      contextBrief,
      hasSources: dialogue.sources.length > 0,
      sources: dialogue.sources.map((path) => ({ path })),
      readContext,
      outputFile: input.outputFile,
      ownTensionId: displayId(name, round, 'T', 1),
      ownPerspectiveId: displayId(name, round, 'P', 1),
    },
    'expert-prompt',
  ));
}

function renderContextBrief(input: PromptInput, brief: ContextBrief, templates: Templates): string {
  const summary = brief.summaryText?.trim() ?? '';
  const excerpt = summary ? excerptOf(summary, SUMMARY_EXCERPT_CHARS) : null;
  const summaryFile = brief.summaryFile ?? null;
  return renderTemplate(
    templates['context-brief'],
    {
      round: input.round,
      previousRound: brief.previousRound,
      roundsHeld: brief.previousRound === 0 ? 'round 0' : `rounds 0 to ${brief.previousRound}`,
      returning: input.lastSeenRound !== undefined,
      lastSeenRound: input.lastSeenRound ?? null,
      question: input.dialogue.question,
      aRole: withArticle(input.member.role),
      lastPanel: brief.lastPanel.map((member) => ({
        name: cell(capitalise(member.name)),
        role: cell(member.role),
        score: member.score ?? '—',
      })),
      hasOpenTensions: brief.openTensions.length > 0,
      openTensions: brief.openTensions.map((tension) => ({
        id: cell(tension.id),
        label: cell(tension.label),
        status: cell(tension.status),
        author: cell(capitalise(tension.author)),
      })),
      hasSummary: Boolean(summaryFile || excerpt),
      summaryByJudge: brief.summaryByJudge !== false,
      summaryFile,
      // Quoted, so the judge's headings and lists stay visibly the judge's and not the prompt's own.
      summaryExcerpt: excerpt ? blockquote(excerpt.text + (excerpt.trimmed && !summaryFile ? ' …' : '')) : null,
      // The pointer to the rest only makes sense when there is a file to point at.
      summaryTrimmed: Boolean(excerpt?.trimmed && summaryFile),
    },
    'context-brief',
  );
}

export function renderProtocol(input: ProtocolInput, templates: Templates): string {
  return renderTemplate(
    templates.protocol,
    {
      id: input.id,
      // The id as a word for sh in the commands the protocol teaches (an id of any script's letters is one).
      idArg: shellQuote(input.id),
      title: input.title,
      question: input.question,
      dir: trimTrailingSlash(input.dir),
      panel: input.panel.map((member) => ({
        name: cell(capitalise(member.name)),
        role: cell(member.role),
        tier: capitalise(member.tier),
        relevance: member.relevance === undefined ? '—' : member.relevance.toFixed(2),
      })),
      rotation: input.rotation,
      rotationGraduated: input.rotation === 'graduated',
      rotationNone: input.rotation === 'none',
      rotationWildcards: input.rotation === 'wildcards',
      rotationFull: input.rotation === 'full',
      maxRounds: input.maxRounds,
      hasSources: input.sources.length > 0,
      sources: input.sources.map((path) => ({ path })),
    },
    'protocol',
  );
}

/** The start of `text`, cut at a line break when one falls in the last half of the budget. */
function excerptOf(text: string, maxChars: number): { text: string; trimmed: boolean } {
  if (text.length <= maxChars) return { text, trimmed: false };
  const head = text.slice(0, maxChars);
  const lineBreak = head.lastIndexOf('\n');
  return { text: (lineBreak > maxChars / 2 ? head.slice(0, lineBreak) : head).trimEnd(), trimmed: true };
}

function blockquote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? `> ${line}` : '>'))
    .join('\n');
}

/** "a Relational Database Architect", "an Options Strategist": the prompt's first line reads as English. */
function withArticle(role: string): string {
  return `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role}`;
}


function trimTrailingSlash(path: string): string {
  return path.replace(/\/+$/, '');
}
