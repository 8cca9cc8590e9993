// `blue dialogue export <id>`: the Markdown record (default), the transcript, or the whole dialogue
// as JSON; `--check` writes nothing and fails when a file differs from what export would write.

import { join, resolve } from 'node:path';
import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import type { Dialogue } from '../domain/model.js';
import { readIfExists, rel, writeOwnedFile } from '../workspace/files.js';
import { renderRecord } from '../render/record.js';
import { renderJson, renderTranscript } from '../render/export.js';
import { badInput } from '../domain/errors.js';
import { dialogueDir, loadDialogue, withStores } from './shared.js';

export type ExportFormat = 'record' | 'transcript' | 'json';
const DEFAULT_FILE: Record<ExportFormat, string> = { record: 'dialogue.md', transcript: 'transcript.md', json: 'dialogue.json' };

export interface ExportOptions {
  format?: string;
  output?: string;
  all?: boolean;
  check?: boolean;
}

export function render(dialogue: Dialogue, format: ExportFormat): string {
  if (format === 'record') return renderRecord(dialogue);
  if (format === 'transcript') return renderTranscript(dialogue);
  return renderJson(dialogue);
}

export async function exportDialogue(ctx: Context, idArg: string | undefined, options: ExportOptions): Promise<CommandResult> {
  const format = (options.format ?? 'record') as ExportFormat;
  if (!(format in DEFAULT_FILE)) throw badInput('invalid_option', `--format must be record, transcript or json (got "${options.format}")`);
  if (options.all && idArg) throw badInput('invalid_option', 'give either <id> or --all, not both');
  if (!options.all && !idArg) throw badInput('missing_id', 'which dialogue? give its id (or a unique prefix, or its slug), or --all');
  if (options.all && options.output) throw badInput('invalid_option', '--output names one file; with --all every dialogue is written to its own folder');
  const dialogues = await withStores(ctx, async (stores) => {
    if (!options.all) return [await loadDialogue(stores, idArg!)];
    const summaries = await stores.catalog.list();
    return Promise.all(summaries.map((s) => stores.store.load(s.id)));
  });
  const toStdout = options.output === '-';
  const written: string[] = [];
  const differing: string[] = [];
  const stdout: string[] = [];
  for (const dialogue of dialogues) {
    const content = render(dialogue, format);
    if (toStdout) {
      stdout.push(content);
      continue;
    }
    const target = options.output
      ? resolve(process.cwd(), options.output)
      : join(ctx.root, dialogueDir(dialogue.id), DEFAULT_FILE[format]);
    const shown = rel(ctx.root, target);
    if (options.check) {
      if (readIfExists(target) !== content) differing.push(shown);
      continue;
    }
    await writeOwnedFile(target, content);
    written.push(shown);
  }
  if (toStdout) {
    // With --json the document on stdout is the export itself (JSON format) or wraps the Markdown.
    const json = format === 'json' ? stdout.map((c) => JSON.parse(c) as unknown) : stdout.map((content) => ({ content }));
    return { json: options.all ? json : json[0], human: stdout.join(format === 'json' ? '' : '\n') };
  }
  if (options.check) {
    return {
      json: { differ: differing, checked: dialogues.length },
      human: differing.length
        ? `Out of date (run \`blue dialogue export${options.all ? ' --all' : ` ${dialogues[0].id}`}\`):\n${differing.map((f) => `  ${f}`).join('\n')}`
        : `${dialogues.length} export${dialogues.length === 1 ? '' : 's'} up to date.`,
      exitCode: differing.length ? 1 : 0,
    };
  }
  return { json: { written }, human: written.join('\n') };
}
