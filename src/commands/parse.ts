// Parsing option values, shared by the commands.

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

export function parseInteger(text: string | undefined, option: string, min = 0): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) {
    throw badInput('invalid_option', `${option} must be an integer of at least ${min} (got "${text}")`, { option, fix: `give ${option} a whole number of at least ${min}` });
  }
  return Number(text);
}

/** A number above 0 (seconds, say): whole or with a decimal point. */
export function parsePositiveNumber(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || Number(text) <= 0) {
    throw badInput('invalid_option', `${option} must be a number above 0 (got "${text}")`, { option, fix: `give ${option} a number above 0, e.g. ${option} 600` });
  }
  return Number(text);
}
