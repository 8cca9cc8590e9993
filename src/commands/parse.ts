// Parsing option values, shared by the commands.

import { grouped, pastBound, type Bound } from '../domain/bounds.js';
import { badInput } from '../domain/errors.js';

/** Splits `name=value` (value may contain '='). `expected` names the form in the error, e.g. `<tension>=<why>`. */
export function splitPair(text: string, option: string, valueRequired = true, expected = '<name>=<value>'): [string, string | undefined] {
  const i = text.indexOf('=');
  if (i === -1) {
    if (valueRequired) throw badInput('invalid_option', `${option} takes ${expected} (got "${text}")`, { option, fix: `write ${option} ${expected}` });
    return [text.trim(), undefined];
  }
  return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}

/**
 * A whole number from `min` to the bound's max, in decimal digits only (no sign, point, exponent or 0x).
 * The bound is checked on the digits as written, so 9007199254740993 or 400 digits are refused as the judge
 * wrote them, never first rounded (to ...992, or Infinity) and recorded.
 */
export function parseInteger(text: string | undefined, option: string, min: number, bound: Bound): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const range = `a whole number from ${min} to ${grouped(bound.max)}`;
  const fix = `give ${option} ${range}`;
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < min) {
    throw badInput('invalid_option', `${option} must be ${range} (got "${text}")`, { option, max: bound.max, fix });
  }
  const value = Number(trimmed);
  if (value > bound.max) throw pastBound('invalid_option', option, trimmed, bound, { option, fix });
  return value;
}

/** A number above 0 (seconds, say), whole or with a decimal point, and at most the bound's max. */
export function parsePositiveNumber(text: string | undefined, option: string, bound: Bound): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const range = `a number above 0 and at most ${grouped(bound.max)}`;
  const fix = `give ${option} ${range}, e.g. ${option} 600`;
  if (!/^\d+(\.\d+)?$/.test(trimmed) || Number(trimmed) <= 0) {
    throw badInput('invalid_option', `${option} must be ${range} (got "${text}")`, { option, max: bound.max, fix });
  }
  const value = Number(trimmed);
  if (value > bound.max) throw pastBound('invalid_option', option, trimmed, bound, { option, fix });
  return value;
}
