// The expert pool (PRODUCT.md, protocol item 1; RFC 0048): a domain, an optional question and 8 to 24
// roles, each with a tier and a relevance in 0..1. The judge writes it as JSON or YAML; blue writes it back
// as `expert-pool.json`. Pool files written by the reference (tier "Core", extra fields such as
// `panel_size`, `emoji` or `supersedes`) are accepted as they are: unknown fields are ignored.

import { badInput } from './errors.js';
import { describeValue, hasControlCharacters, isRecord as isPlainObject, oneLine } from './values.js';
import { TIERS, type Pool, type PoolExpert, type Tier } from './model.js';

/** PRODUCT.md: "8 to 24 roles". Named so a relaxed bound is one edit away. */
export const POOL_MIN_EXPERTS = 8;
export const POOL_MAX_EXPERTS = 24;

export const POOL_FILE_ERROR = 'invalid_pool';

/**
 * The form two roles are compared in: case-insensitive, surrounding and repeated whitespace ignored.
 * "Startup CTO" and "startup  cto" are one role; "Startup CTO (Ship-Speed Pragmatist)" is another.
 */
export function roleKey(role: string): string {
  return role.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function sameRole(a: string, b: string): boolean {
  return roleKey(a) === roleKey(b);
}

/** The pool expert with this role, if any. */
export function findPoolExpert(pool: Pool, role: string): PoolExpert | undefined {
  const key = roleKey(role);
  return pool.experts.find((expert) => roleKey(expert.role) === key);
}

/** A tier written in any case ("Core", "ADJACENT"), or undefined when it is not one. */
export function parseTier(value: unknown): Tier | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  return (TIERS as readonly string[]).includes(lower) ? (lower as Tier) : undefined;
}

/** The pool from a parsed pool file (`file` names it in errors). */
export function parsePool(input: unknown, file: string): Pool {
  let data = input;
  const fail = (field: string, message: string) =>
    badInput(POOL_FILE_ERROR, `${file}: ${message}`, { file, field, fix: `correct ${field || 'the pool'} in ${file} as the message says and run the same \`blue dialogue start\` again` });

  // RFC 0048's create call nests the pool under `expert_pool`; a judge who copied that shape gets it read.
  if (isPlainObject(data) && isPlainObject(data.expert_pool) && data.experts === undefined) data = data.expert_pool;
  if (!isPlainObject(data)) {
    throw fail('', `the pool must be an object with "domain" and "experts" (got ${describeValue(data)})`);
  }

  const domain = data.domain;
  if (typeof domain !== 'string' || domain.trim() === '') {
    throw fail(
      'domain',
      `domain must be a non-empty string naming the field the experts come from, e.g. "Data Architecture" (got ${describeValue(domain)})`,
    );
  }

  const question = data.question;
  if (question !== undefined && question !== null && typeof question !== 'string') {
    throw fail('question', `question must be a string when given (got ${describeValue(question)})`);
  }

  const experts = data.experts;
  if (!Array.isArray(experts)) {
    throw fail(
      'experts',
      `experts must be a list of ${POOL_MIN_EXPERTS} to ${POOL_MAX_EXPERTS} entries {role, tier, relevance, focus?} (got ${describeValue(experts)})`,
    );
  }
  if (experts.length < POOL_MIN_EXPERTS || experts.length > POOL_MAX_EXPERTS) {
    const advice = experts.length < POOL_MIN_EXPERTS ? 'add roles' : 'drop the least relevant roles';
    throw fail(
      'experts',
      `experts must list ${POOL_MIN_EXPERTS} to ${POOL_MAX_EXPERTS} roles (got ${experts.length}); ${advice}`,
    );
  }

  const parsed = experts.map((entry, index) => parsePoolExpert(entry, `experts[${index}]`, fail));

  // Roles identify experts throughout the dialogue, so two entries with one role would be one expert.
  const firstIndexByRole = new Map<string, number>();
  parsed.forEach((expert, index) => {
    const key = roleKey(expert.role);
    const first = firstIndexByRole.get(key);
    if (first !== undefined) {
      throw fail(
        `experts[${index}].role`,
        `experts[${index}].role ${describeValue(expert.role)} repeats experts[${first}].role ${describeValue(parsed[first].role)}; every role in a pool must be unique (roles compare case-insensitively): rename or remove one`,
      );
    }
    firstIndexByRole.set(key, index);
  });

  const pool: Pool = { domain: domain.trim(), experts: parsed };
  if (typeof question === 'string' && question.trim() !== '') pool.question = question.trim();
  return pool;
}

function parsePoolExpert(
  entry: unknown,
  path: string,
  fail: (field: string, message: string) => Error,
): PoolExpert {
  if (!isPlainObject(entry)) {
    throw fail(path, `${path} must be an object {role, tier, relevance, focus?} (got ${describeValue(entry)})`);
  }
  const { role, tier, relevance, focus } = entry;
  if (typeof role !== 'string' || role.trim() === '') {
    throw fail(`${path}.role`, `${path}.role must be a non-empty string such as "Security Architect" (got ${describeValue(role)})`);
  }
  const parsedTier = parseTier(tier);
  if (!parsedTier) {
    throw fail(`${path}.tier`, `${path}.tier must be one of core, adjacent, wildcard, in any case (got ${describeValue(tier)})`);
  }
  if (typeof relevance !== 'number' || !Number.isFinite(relevance) || relevance < 0 || relevance > 1) {
    throw fail(
      `${path}.relevance`,
      `${path}.relevance must be a number between 0 and 1 (got ${describeValue(relevance)}); higher means more likely to be sampled`,
    );
  }
  if (focus !== undefined && focus !== null && typeof focus !== 'string') {
    throw fail(`${path}.focus`, `${path}.focus must be a string when given (got ${describeValue(focus)})`);
  }
  if (hasControlCharacters(role)) {
    throw fail(`${path}.role`, `${path}.role is one line: it may not hold line breaks, tabs or other control characters (got ${describeValue(role)})`);
  }
  const expert: PoolExpert = { role: role.trim(), tier: parsedTier, relevance };
  // A focus reaches prompts as one line: line breaks in it become spaces.
  if (typeof focus === 'string' && oneLine(focus) !== '') expert.focus = oneLine(focus);
  return expert;
}

/**
 * Advice about a valid pool, for stderr. RFC 0048 warns when there are no wildcards: a panel without
 * outsiders tends to groupthink.
 */
export function poolWarnings(pool: Pool): string[] {
  const warnings: string[] = [];
  for (const tier of TIERS) {
    if (!pool.experts.some((expert) => expert.tier === tier)) {
      const why = tier === 'wildcard' ? ' (groupthink risk: no outsider perspectives)' : '';
      warnings.push(`the pool has no ${tier} experts${why}; the panel is topped up from the other tiers`);
    }
  }
  return warnings;
}

/** `expert-pool.json`: fixed key order, 2-space indentation, lower-case tiers, a final newline. */
export function serialisePool(pool: Pool): string {
  const ordered = {
    domain: pool.domain,
    ...(pool.question !== undefined ? { question: pool.question } : {}),
    experts: pool.experts.map((expert) => ({
      role: expert.role,
      tier: expert.tier.toLowerCase(),
      relevance: expert.relevance,
      ...(expert.focus !== undefined ? { focus: expert.focus } : {}),
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
