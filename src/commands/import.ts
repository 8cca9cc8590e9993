// `blue dialogue import <folder>`

import type { Finding } from '../domain/import/folder.js';
import type { CommandSpec } from './spec.js';

export const importCommand: CommandSpec = {
  path: ['dialogue', 'import'],
  args: [['<folder>', 'a dialogue folder written by blue: expert-pool.json, round-N/ folders, summaries, scoreboard.md, tensions.md, verdict.md']],
  description: 'import a dialogue folder written by blue into the store, and report what it could not map',
  options: [
    { flags: '--title <text>', description: "the dialogue's title, where the folder gives none (default: its record's, else from the folder's name)" },
    { flags: '--rfc <ref>', description: 'the linked RFC, where the folder gives none' },
    { flags: '--date <iso-8601>', description: "the dialogue's creation time, where the folder's name carries none" },
    { flags: '--pool <file>', description: "the expert pool, JSON or YAML, for a folder that holds none" },
  ],
  examples: [
    'blue dialogue import .blue/dialogues/2026-02-06T1839Z-rfc-0058-supersession   # a folder the reference wrote, in place',
    'blue dialogue import ../old/ukfs-spec-review --date 2026-02-04T10:00Z --title "UKFS spec review"',
  ],
  async run(ctx, [folder], o) {
    const { importFolder } = await import('../app/import.js');
    const r = await importFolder(ctx.ports, {
      folder: folder!,
      ...(o.title !== undefined ? { title: o.title } : {}),
      ...(o.rfc !== undefined ? { rfc: o.rfc } : {}),
      ...(o.date !== undefined ? { date: o.date } : {}),
      ...(o.pool !== undefined ? { pool: o.pool } : {}),
    });
    const d = r.dialogue;
    const id = d.id;
    const final = d.verdicts.find((v) => v.type === 'final');
    const verdict = final ? (final.forced ? 'a final verdict (forced)' : 'a final verdict') : 'no verdict (imported open)';
    return {
      json: { id, rounds: r.rounds, unmapped: r.unmapped, notes: r.notes },
      human: [
        `Imported ${id} into ${ctx.storeName}: ${r.rounds} round${r.rounds === 1 ? '' : 's'}, ${d.experts.length} experts, ${d.tensions.length} tensions, ${verdict}.`,
        ...section(`Not mapped (${r.unmapped.length})`, r.unmapped),
        ...section(`Notes (${r.notes.length})`, r.notes),
      ].join('\n'),
      dialogue: d,
    };
  },
};

/** Findings under a heading; one message said of several files (every prompt of a round) is said once. */
function section(title: string, findings: Finding[]): string[] {
  if (!findings.length) return [];
  const byMessage = new Map<string, Finding[]>();
  for (const f of findings) byMessage.set(f.message, [...(byMessage.get(f.message) ?? []), f]);
  const lines = [`${title}:`];
  for (const [message, group] of byMessage) {
    if (group.length === 1) lines.push(`  ${group[0].file}:${group[0].line}: ${message}`);
    else lines.push(`  ${message} (${group.length} files):`, ...group.map((f) => `    ${f.file}:${f.line}`));
  }
  return lines;
}
