// The tiny renderer that fills the Markdown templates shipped in `templates/` (loaded by workspace/templates.ts).
//
// The syntax is a strict subset of Mustache: `{{name}}` inserts a value; `{{#name}}...{{/name}}` renders
// its body when the value is truthy, once per item when it is an array of objects (the item's fields
// come into scope), and with the object's fields in scope when it is an object; `{{^name}}...{{/name}}`
// renders its body when the value is falsy or an empty array. Nothing is escaped: the output is Markdown.
// A name that is in no scope is an error, not an empty string, so a typo in a template fails the tests
// instead of silently dropping text from a prompt. A section tag alone on its line takes the line with
// it, so sections leave no blank lines behind.

import { failure } from '../domain/errors.js';

export const TEMPLATE_NAMES = ['expert-prompt', 'context-brief', 'protocol'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
/** The source text of every template, by name (`expert-prompt` is `templates/expert-prompt.md`). */
export type Templates = Record<TemplateName, string>;

export type View = Record<string, unknown>;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: string }
  | { kind: 'section'; name: string; inverted: boolean; body: Node[] };

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_]\w*)\s*\}\}/g;
const STANDALONE_SECTION_TAG = /^[ \t]*(\{\{\s*[#^/]\s*[A-Za-z_]\w*\s*\}\})[ \t]*(?:\r?\n|$)/gm;

/** Renders `template` with `view`; `templateName` only labels the errors. */
export function renderTemplate(template: string, view: View, templateName = 'template'): string {
  return renderNodes(parse(template, templateName), [view], templateName);
}

function parse(template: string, templateName: string): Node[] {
  const source = template.replace(STANDALONE_SECTION_TAG, '$1');
  const root: Node[] = [];
  const open: { name: string; body: Node[] }[] = [];
  let body = root;
  let textStart = 0;
  const addText = (text: string) => {
    // Anything still looking like a tag here did not match TAG: a malformed tag, e.g. `{{ a-b }}`.
    if (text.includes('{{')) throw templateError(templateName, `malformed tag near "${text.slice(text.indexOf('{{'), text.indexOf('{{') + 30)}"`);
    if (text) body.push({ kind: 'text', text });
  };
  for (const match of source.matchAll(TAG)) {
    addText(source.slice(textStart, match.index));
    textStart = match.index + match[0].length;
    const [, sigil, name] = match;
    if (sigil === '/') {
      const section = open.pop();
      if (section?.name !== name) throw templateError(templateName, `{{/${name}}} closes ${section ? `{{#${section.name}}}` : 'no section'}`);
      body = open.length ? open[open.length - 1].body : root;
    } else if (sigil === '#' || sigil === '^') {
      const section: Node = { kind: 'section', name, inverted: sigil === '^', body: [] };
      body.push(section);
      open.push({ name, body: section.body });
      body = section.body;
    } else {
      body.push({ kind: 'variable', name });
    }
  }
  addText(source.slice(textStart));
  if (open.length) throw templateError(templateName, `{{#${open[open.length - 1].name}}} is never closed`);
  return root;
}

function renderNodes(nodes: Node[], scopes: View[], templateName: string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text;
      continue;
    }
    const value = lookup(node.name, scopes, templateName);
    if (node.kind === 'variable') {
      if (value === null || value === undefined || typeof value === 'object') {
        throw templateError(templateName, `{{${node.name}}} has no printable value (${value === null ? 'null' : typeof value})`);
      }
      out += String(value);
    } else if (node.inverted) {
      if (!isTruthy(value)) out += renderNodes(node.body, scopes, templateName);
    } else if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item !== 'object' || item === null) throw templateError(templateName, `{{#${node.name}}} iterates over a non-object item`);
        out += renderNodes(node.body, [...scopes, item as View], templateName);
      }
    } else if (isTruthy(value)) {
      const scope = typeof value === 'object' ? [...scopes, value as View] : scopes;
      out += renderNodes(node.body, scope, templateName);
    }
  }
  return out;
}

/** The innermost scope that has `name` wins; a section's item shadows the outer view. */
function lookup(name: string, scopes: View[], templateName: string): unknown {
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (Object.hasOwn(scopes[i], name)) return scopes[i][name];
  }
  throw templateError(templateName, `unknown variable {{${name}}}`);
}

function isTruthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function templateError(templateName: string, message: string) {
  return failure('template_error', `template ${templateName}: ${message}`, { template: templateName, fix: `the template ${templateName} shipped with blue is broken: reinstall blue, or restore templates/ from git` });
}
