// A round's panel as the judge gives it (`round open --panel <file>`, RFC 0050 graduated rotation): each
// expert is `retained` from the previous panel, drawn from the `pool`, or `created` for the occasion.
// `parsePanelFile` reads the file; `resolvePanel` checks the entries against the dialogue and gives every
// member its name, tier and relevance, and the experts it binds for the first time.

import { badInput } from './errors.js';
import { describeValue, hasControlCharacters, isRecord as isPlainObject, oneLine } from './values.js';
import { SOURCES, type Expert, type PanelMember, type Pool, type Source, type Tier } from './model.js';
import { PASTRY_NAME_FORM, isPastryName, nextFreeName, normaliseName } from './names.js';
import { findPoolExpert, parseTier, roleKey } from './pool.js';

/** One entry of a judge's panel: `role` and `source`, or for a retained expert its `name` and `source`. */
export interface PanelInput {
  name?: string;
  /** Left out only by a retained entry that gives its name: the role the name is bound to. */
  role?: string;
  source: Source;
  tier?: Tier;
  relevance?: number;
  focus?: string;
}

export interface PanelContext {
  pool: Pool;
  /** Every expert bound in the dialogue so far: the name-role bindings. */
  experts: readonly Expert[];
  /** The previous round's panel; empty for round 0. */
  previous: readonly PanelMember[];
  /** The round this panel is for. */
  round: number;
}

export interface ResolvedPanel {
  panel: PanelMember[];
  /** Experts this panel binds for the first time (new names), to add to the dialogue. */
  newExperts: Expert[];
}

export const PANEL_FILE_ERROR = 'invalid_panel';
/** The end of every panel error's fix: the panel file is read again by the same command. */
const AGAIN = ' and run the same `blue dialogue round open` again';

/**
 * Reads a parsed panel file (JSON or YAML), in any of the shapes judges and the reference write:
 * - a list `[{name?, role, source, tier?, relevance?, focus?}]` (the contract's form);
 * - `{panel: [...]}` (blue's and the reference's `round-N/panel.json`, with `round`, `focus`, ... beside it);
 * - `{experts: [...]}` (RFC 0050's persisted form);
 * - `{agents: [...], history: {experts: [{name, source}]}}` (the reference MCP server's `panel.json`), where
 *   an agent's source is looked up by name in `history.experts`.
 * Sources and tiers are accepted in any case ("Retained", "Core"); RFC 0050's `retained: true` means
 * source retained. Unknown fields (`emoji`, ...) are ignored.
 */
export function parsePanelFile(data: unknown, file: string): PanelInput[] {
  const fail = (field: string, message: string, extra: Record<string, unknown> = {}) =>
    badInput(PANEL_FILE_ERROR, `${file}: ${message}`, { file, field, ...extra, fix: `correct ${field || 'the panel'} in ${file} as the message says${AGAIN}` });

  let entries: unknown;
  let listName = 'panel';
  const sourceByName = new Map<string, unknown>();
  if (Array.isArray(data)) {
    entries = data;
  } else if (isPlainObject(data) && data.panel !== undefined) {
    entries = data.panel;
  } else if (isPlainObject(data) && data.agents !== undefined) {
    entries = data.agents;
    listName = 'agents';
    const history = isPlainObject(data.history) ? data.history.experts : undefined;
    if (Array.isArray(history)) {
      for (const record of history) {
        if (isPlainObject(record) && typeof record.name === 'string') {
          sourceByName.set(normaliseName(record.name), record.source);
        }
      }
    }
  } else if (isPlainObject(data) && data.experts !== undefined) {
    entries = data.experts;
    listName = 'experts';
  } else {
    throw fail(
      '',
      `a panel file is a list [{name?, role, source: retained|pool|created, tier?, focus?}] or an object with such a list under "panel" (got ${describeValue(data)})`,
    );
  }
  if (!Array.isArray(entries)) {
    throw fail(listName, `${listName} must be a list of experts {name?, role, source, tier?, focus?} (got ${describeValue(entries)})`);
  }
  if (entries.length === 0) {
    throw fail(listName, `${listName} lists no experts; a panel needs at least one`);
  }

  return entries.map((entry, index) => {
    const path = `${listName}[${index}]`;
    if (!isPlainObject(entry)) {
      throw fail(path, `${path} must be an object {name?, role, source, tier?, focus?} (got ${describeValue(entry)})`, { index });
    }
    const input: Partial<PanelInput> = {};

    if (entry.name !== undefined && entry.name !== null) {
      if (typeof entry.name !== 'string' || entry.name.trim() === '') {
        throw fail(`${path}.name`, `${path}.name must be a pastry name, or left out to get the lowest unused one (got ${describeValue(entry.name)})`, { index });
      }
      if (!isPastryName(entry.name)) {
        throw fail(`${path}.name`, `${path}.name ${describeValue(entry.name)} is not a pastry name; use one of ${PASTRY_NAME_FORM}, or leave it out`, { index });
      }
      input.name = normaliseName(entry.name);
    }

    let source = entry.source;
    if (source === undefined && entry.retained === true) source = 'retained';
    if (source === undefined && input.name !== undefined) source = sourceByName.get(input.name);
    const parsedSource = typeof source === 'string' ? SOURCES.find((s) => s === source.trim().toLowerCase()) : undefined;
    if (!parsedSource) {
      throw fail(`${path}.source`, `${path}.source must be one of retained, pool, created (got ${describeValue(source)})`, { index });
    }
    input.source = parsedSource;

    // A retained expert may be given by its name alone: the role it is bound to is kept (resolvePanel).
    const roleOptional = parsedSource === 'retained' && input.name !== undefined && (entry.role === undefined || entry.role === null);
    if (!roleOptional) {
      if (typeof entry.role !== 'string' || entry.role.trim() === '') {
        throw fail(`${path}.role`, `${path}.role must be a non-empty string: a role from the pool, or the role of a created expert (got ${describeValue(entry.role)}); a retained expert may give only its name`, { index });
      }
      if (hasControlCharacters(entry.role)) {
        throw fail(`${path}.role`, `${path}.role is one line: it may not hold line breaks, tabs or other control characters (got ${describeValue(entry.role)})`, { index });
      }
      input.role = entry.role.trim();
    }

    if (entry.tier !== undefined && entry.tier !== null) {
      const tier = parseTier(entry.tier);
      if (!tier) {
        throw fail(`${path}.tier`, `${path}.tier must be one of core, adjacent, wildcard, in any case (got ${describeValue(entry.tier)})`, { index });
      }
      input.tier = tier;
    }

    if (entry.relevance !== undefined && entry.relevance !== null) {
      const r = entry.relevance;
      if (typeof r !== 'number' || !Number.isFinite(r) || r < 0 || r > 1) {
        throw fail(`${path}.relevance`, `${path}.relevance must be a number between 0 and 1 when given (got ${describeValue(r)})`, { index });
      }
      input.relevance = r;
    }

    if (entry.focus !== undefined && entry.focus !== null) {
      if (typeof entry.focus !== 'string') {
        throw fail(`${path}.focus`, `${path}.focus must be a string when given (got ${describeValue(entry.focus)})`, { index });
      }
      if (oneLine(entry.focus) !== '') input.focus = oneLine(entry.focus);
    }

    return input as PanelInput;
  });
}

/**
 * Checks a judge's panel against the dialogue and completes it. The rules:
 * - names are pastry names (any case); a name stays bound to one role, and a role to one name, for the
 *   whole dialogue (`name_bound_to_other_role`, `role_bound_to_other_name`). Roles compare
 *   case-insensitively but otherwise strictly: "Data Migration Specialist" is not "Data Migration &
 *   Zero-Downtime Specialist", so a caller replaying a record that reworded a role passes the bound role;
 * - an entry without a name gets its role's bound name, or else the lowest pastry name bound to nobody
 *   and not named in this panel;
 * - `retained`: the expert sat on the previous panel; never in round 0. Tier, relevance default to the
 *   previous panel's;
 * - `pool`: the role is in the pool; tier and relevance default to the pool's. An expert who sat on the
 *   previous panel is `retained`, not `pool`;
 * - `created`: a new role, not in the pool; the tier is required, relevance is whatever the judge gives;
 * - no name and no role twice in one panel.
 * Errors are exit 2 and name the entry (`panel[2]`) and field. The focus defaults to the pool's description
 * of the role, else (a created expert retained) the previous panel's focus.
 */
export function resolvePanel(given: readonly PanelInput[], context: PanelContext): ResolvedPanel {
  const { pool, experts, previous, round } = context;
  if (given.length === 0) {
    throw badInput('invalid_panel', 'the panel lists no experts; a panel needs at least one', { field: 'panel', fix: `list at least one expert in the panel file${AGAIN}` });
  }
  const inputs = withBoundRoles(given, experts, previous);

  // Bindings: the dialogue's experts, and the previous panel (whose members are bound too; counted here
  // so a caller that has not yet recorded them still gets consistent answers).
  const roleByName = new Map<string, string>();
  const nameByRole = new Map<string, string>();
  const bind = (name: string, role: string) => {
    if (!roleByName.has(name)) roleByName.set(name, role);
    if (!nameByRole.has(roleKey(role))) nameByRole.set(roleKey(role), name);
  };
  experts.forEach((expert) => bind(expert.name, expert.role));
  previous.forEach((member) => bind(member.name, member.role));
  const previousByName = new Map(previous.map((member) => [member.name, member]));
  const previousNames = previous.map((member) => member.name).join(', ') || 'nobody';

  // First pass: names the judge wrote, checked against the bindings and each other.
  const explicitNames: Array<string | undefined> = inputs.map((input, index) => {
    const path = `panel[${index}]`;
    if (input.name === undefined) return undefined;
    if (!isPastryName(input.name)) {
      throw badInput('invalid_expert_name', `${path}.name ${describeValue(input.name)} is not a pastry name; use one of ${PASTRY_NAME_FORM}, or leave it out to get the lowest unused one`, { field: `${path}.name`, index, name: input.name, fix: `write a pastry name in ${path}.name, or leave the name out${AGAIN}` });
    }
    const name = normaliseName(input.name);
    const boundRole = roleByName.get(name);
    if (boundRole !== undefined && roleKey(boundRole) !== roleKey(input.role)) {
      throw badInput('name_bound_to_other_role', `${path}: ${name} is bound to "${boundRole}" in this dialogue, not "${input.role}"; a name keeps its role for the whole dialogue: write the role as "${boundRole}", or leave the name out to give "${input.role}" a name of its own`, { field: `${path}.name`, index, name, boundRole, role: input.role, fix: `write role "${boundRole}" for ${name} in ${path}, or leave the name out${AGAIN}` });
    }
    const boundName = nameByRole.get(roleKey(input.role));
    if (boundName !== undefined && boundName !== name) {
      throw badInput('role_bound_to_other_name', `${path}: "${input.role}" is ${boundName} in this dialogue, not ${name}; a role keeps its name: write ${boundName}, or leave the name out`, { field: `${path}.name`, index, name, boundName, role: input.role, fix: `write name ${boundName} in ${path}, or leave the name out${AGAIN}` });
    }
    return name;
  });
  explicitNames.forEach((name, index) => {
    const first = name === undefined ? -1 : explicitNames.indexOf(name);
    if (name !== undefined && first !== index) {
      throw badInput('duplicate_in_panel', `panel[${index}].name ${name} repeats panel[${first}].name; every expert sits on a panel once`, { field: `panel[${index}].name`, index, other: first, name, fix: `remove panel[${index}] or give it another expert${AGAIN}` });
    }
  });
  const firstIndexByRole = new Map<string, number>();
  inputs.forEach((input, index) => {
    const first = firstIndexByRole.get(roleKey(input.role));
    if (first !== undefined) {
      throw badInput('duplicate_in_panel', `panel[${index}].role "${input.role}" repeats panel[${first}].role "${inputs[first].role}"; every role sits on a panel once`, { field: `panel[${index}].role`, index, other: first, role: input.role, fix: `remove panel[${index}] or give it another role${AGAIN}` });
    }
    firstIndexByRole.set(roleKey(input.role), index);
  });

  // Second pass: every entry gets its name (written, bound, or the lowest unused), then its source's rules.
  const used = new Set<string>([...roleByName.keys(), ...explicitNames.filter((n): n is string => n !== undefined)]);
  const panel: PanelMember[] = [];
  const newExperts: Expert[] = [];
  inputs.forEach((input, index) => {
    const path = `panel[${index}]`;
    let name = explicitNames[index] ?? nameByRole.get(roleKey(input.role));
    if (name === undefined) {
      name = nextFreeName(used);
      used.add(name);
    }
    const poolExpert = findPoolExpert(pool, input.role);
    const previousMember = previousByName.get(name);
    const details = { field: `${path}.source`, index, name, role: input.role, source: input.source, fix: `correct ${path} of the panel file as the message says${AGAIN}` };
    // An unbound role without a written name got a fresh name just now; quoting that name would confuse.
    const freshName = explicitNames[index] === undefined && !roleByName.has(name);
    const who = freshName ? `"${input.role}"` : `${name} ("${input.role}")`;

    let member: PanelMember;
    switch (input.source) {
      case 'retained': {
        if (round === 0) {
          throw badInput('retained_in_round_0', `${path}: ${who} cannot be retained in round 0, which has no previous panel; use source pool or created`, details);
        }
        if (!previousMember) {
          throw badInput('not_on_previous_panel', `${path}: ${who} was not on round ${round - 1}'s panel, so it cannot be retained; round ${round - 1}'s panel was ${previousNames}. Use source pool for a role from the pool, or created for a new one`, { ...details, previous: previous.map((m) => m.name), fix: `in ${path}, write source pool (a role of the pool) or created (a new role, with its tier)${AGAIN}` });
        }
        member = {
          name,
          role: previousMember.role,
          tier: input.tier ?? previousMember.tier,
          source: 'retained',
        };
        const relevance = input.relevance ?? previousMember.relevance;
        if (relevance !== undefined) member.relevance = relevance;
        const focus = input.focus ?? poolExpert?.focus ?? previousMember.focus;
        if (focus !== undefined) member.focus = focus;
        break;
      }
      case 'pool': {
        if (!poolExpert) {
          throw badInput('role_not_in_pool', `${path}: "${input.role}" is not a role in the pool; use a pool role (${pool.experts.map((e) => e.role).join(', ')}), or source created with a tier for a new one`, details);
        }
        if (previousMember) {
          throw badInput('source_mismatch', `${path}: ${name} ("${poolExpert.role}") sat on round ${round - 1}'s panel, so its source is retained, not pool`, details);
        }
        member = {
          name,
          role: poolExpert.role,
          tier: input.tier ?? poolExpert.tier,
          source: 'pool',
          relevance: input.relevance ?? poolExpert.relevance,
        };
        const focus = input.focus ?? poolExpert.focus;
        if (focus !== undefined) member.focus = focus;
        break;
      }
      case 'created': {
        if (poolExpert) {
          throw badInput('source_mismatch', `${path}: "${poolExpert.role}" is a role in the pool; use source pool for it, or give the created expert a role of its own`, details);
        }
        if (previousMember) {
          throw badInput('source_mismatch', `${path}: ${who} sat on round ${round - 1}'s panel, so its source is retained, not created`, details);
        }
        if (input.tier === undefined) {
          throw badInput('invalid_panel', `${path}.tier is required for a created expert: one of core, adjacent, wildcard`, { ...details, field: `${path}.tier`, fix: `add tier: core, adjacent or wildcard to ${path}${AGAIN}` });
        }
        // A created expert who left and comes back keeps the role's spelling from when it was bound.
        const boundRole = roleByName.get(name);
        member = { name, role: boundRole ?? input.role.trim(), tier: input.tier, source: 'created' };
        if (input.relevance !== undefined) member.relevance = input.relevance;
        if (input.focus !== undefined) member.focus = input.focus;
        break;
      }
      default:
        // Types vanish at run time: inputs built without parsePanelFile may carry any string here.
        throw badInput('invalid_panel', `${path}.source must be one of retained, pool, created (got ${describeValue(input.source)})`, { ...details, field: `${path}.source`, fix: `write source retained, pool or created in ${path}${AGAIN}` });
    }

    if (!roleByName.has(name)) newExperts.push(expertOf(member, round));
    panel.push(member);
  });

  return { panel, newExperts };
}

/** A panel as resolvePanel's input, e.g. to validate one that `samplePanel` or `nextPanel` produced. */
export function toPanelInputs(panel: readonly PanelMember[]): PanelInput[] {
  return panel.map(({ name, role, source, tier, relevance, focus }) => ({
    name,
    role,
    source,
    tier,
    ...(relevance !== undefined ? { relevance } : {}),
    ...(focus !== undefined ? { focus } : {}),
  }));
}

/** Entries that give a retained expert by name alone get the role that name is bound to. */
function withBoundRoles(inputs: readonly PanelInput[], experts: readonly Expert[], previous: readonly PanelMember[]): Array<PanelInput & { role: string }> {
  return inputs.map((input, index) => {
    if (input.role !== undefined) return input as PanelInput & { role: string };
    const name = input.name === undefined ? undefined : normaliseName(input.name);
    const role = previous.find((m) => m.name === name)?.role ?? experts.find((e) => e.name === name)?.role;
    if (name === undefined || role === undefined) {
      const path = `panel[${index}]`;
      throw badInput('invalid_panel', `${path} gives only a name${name ? ` (${name})` : ''}, but no expert of that name sits in this dialogue; give its role too, or use source pool or created`, { field: `${path}.role`, index, fix: `add the role to ${path}, or use source pool or created${AGAIN}` });
    }
    return { ...input, role };
  });
}

/** The expert a panel member binds when its name is new to the dialogue. */
function expertOf(member: PanelMember, round: number): Expert {
  return {
    name: member.name,
    role: member.role,
    tier: member.tier,
    ...(member.relevance !== undefined ? { relevance: member.relevance } : {}),
    origin: member.source === 'created' ? 'created' : 'pool',
    firstRound: round,
  };
}

/**
 * The binding rule, in one place: a name keeps its role for the whole dialogue. Checks a round's panel
 * (the judge's, resolved by resolvePanel, or one the rotation drew) against the dialogue's experts and
 * returns the experts it binds for the first time.
 */
export function bindPanel(panel: readonly PanelMember[], experts: readonly Expert[], round: number): Expert[] {
  const known = new Map(experts.map((expert) => [expert.name, expert]));
  const added: Expert[] = [];
  for (const member of panel) {
    const bound = known.get(member.name);
    if (bound && roleKey(bound.role) !== roleKey(member.role)) {
      throw badInput('name_bound_to_other_role', `${member.name} is bound to "${bound.role}" in this dialogue, not "${member.role}"; pick another name or leave it out`, { name: member.name, fix: `give "${member.role}" another name, or leave the name out${AGAIN}` });
    }
    if (!bound) {
      const expert = expertOf(member, round);
      known.set(member.name, expert);
      added.push(expert);
    }
  }
  return added;
}

