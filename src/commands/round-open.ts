// `blue dialogue round open <id>`: opens the next round, writes round-<n>/panel.json and one prompt per
// expert; newcomers after round 0 get a context brief.

import { join, resolve } from 'node:path';
import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import type { Dialogue } from '../domain/model.js';
import { readIfExists, readInputFile, rel, writeOwnedFile } from '../workspace/files.js';
import { parsePanelFile } from '../domain/panel.js';
import { openRound } from '../domain/protocol.js';
import { fileStem } from '../domain/names.js';
import { renderExpertPrompt, type ContextBrief } from '../render/prompts.js';
import { isOpen, tensionStates } from '../domain/tensions.js';
import { absDialogueDir, dialogueDir, parseInteger, splitPair, withStores } from './shared.js';

export interface RoundOpenOptions {
  round?: string;
  panel?: string;
  focus?: string[];
}

export async function roundOpen(ctx: Context, idArg: string, options: RoundOpenOptions): Promise<CommandResult> {
  const panelInput = options.panel
    ? parsePanelFile(readInputFile(resolve(process.cwd(), options.panel), 'panel file'), rel(ctx.root, resolve(process.cwd(), options.panel)))
    : undefined;
  const focus = Object.fromEntries((options.focus ?? []).map((f) => splitPair(f, '--focus') as [string, string]));
  const wanted = parseInteger(options.round, '--round');
  const at = new Date().toISOString();
  const { dialogue, n } = await withStores(ctx, async (stores) => {
    // Only the id is needed here: update() loads (and checks) the dialogue under the lock itself.
    const id = await stores.catalog.resolve(idArg);
    let opened = -1;
    const saved = await stores.store.update(id, (d) => {
      const result = openRound(d, { round: wanted, panel: panelInput, focus, at });
      opened = result.round;
      return result.dialogue;
    });
    return { dialogue: saved, n: opened };
  });
  const round = dialogue.rounds.find((r) => r.n === n)!;
  const dir = dialogueDir(dialogue.id);
  const absDir = absDialogueDir(ctx, dialogue.id);
  await writeOwnedFile(
    join(absDir, `round-${n}`, 'panel.json'),
    JSON.stringify({ round: n, rotation: dialogue.rotation, panel: round.panel.map((m) => ({ ...m, emoji: '🧁' })) }, null, 2) + '\n',
  );
  const brief = n > 0 ? contextBrief(ctx, dialogue, n) : undefined;
  const panel = await Promise.all(round.panel.map(async (member) => {
    const stem = fileStem(member.name);
    const promptFile = `${dir}/round-${n}/${stem}.prompt.md`;
    const outputFile = `${dir}/round-${n}/${stem}.md`;
    const newcomer = n > 0 && member.source !== 'retained';
    const prompt = renderExpertPrompt({
      dialogue: { id: dialogue.id, title: dialogue.title, question: dialogue.question, sources: dialogue.sources },
      round: n,
      member,
      dir,
      outputFile,
      ...(newcomer && brief ? { brief } : {}),
      ...(newcomer ? lastSeen(dialogue, member.name, n) : {}),
    });
    await writeOwnedFile(join(ctx.root, promptFile), prompt);
    return { name: member.name, role: member.role, tier: member.tier, source: member.source, focus: member.focus ?? null, prompt_file: promptFile, output_file: outputFile };
  }));
  const human = [
    `Round ${n} is open with ${panel.length} experts. Give each expert its prompt; each writes its output file:`,
    ...panel.map((p) => `  ${p.name.padEnd(12)} ${p.prompt_file}  ->  ${p.output_file}`),
    `Then: blue dialogue round ingest ${dialogue.id}`,
  ].join('\n');
  return { json: { round: n, panel }, human };
}

/** What a newcomer needs to join round n: the last panel and its scores, open tensions, the last summary. */
function contextBrief(ctx: Context, dialogue: Dialogue, n: number): ContextBrief {
  const previous = dialogue.rounds.find((r) => r.n === n - 1)!;
  const summaryFile = `${dialogueDir(dialogue.id)}/round-${n - 1}.summary.md`;
  const summaryText = readIfExists(join(ctx.root, summaryFile));
  return {
    previousRound: n - 1,
    lastPanel: previous.panel.map((m) => ({ name: m.name, role: m.role, ...(previous.scores[m.name] ? { score: previous.scores[m.name].total } : {}) })),
    openTensions: tensionStates(dialogue)
      .filter((s) => isOpen(s.status))
      .map((s) => ({ id: s.tension.id, label: s.tension.label, status: s.status, author: s.tension.author })),
    ...(summaryText !== undefined ? { summaryFile, summaryText: previous.summary ?? summaryText } : {}),
  };
}

/** The last earlier round an expert sat in, for one who returns after sitting rounds out. */
function lastSeen(dialogue: Dialogue, name: string, n: number): { lastSeenRound?: number } {
  const earlier = dialogue.rounds.filter((r) => r.n < n && r.panel.some((m) => m.name === name));
  return earlier.length ? { lastSeenRound: earlier[earlier.length - 1].n } : {};
}
