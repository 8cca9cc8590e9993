// The files blue derives from the store into the dialogue's folder for the judge and the next round's
// experts: scoreboard.md, tensions.md, the scored rounds' summaries; and the prompts of a round.

import type { Dialogue } from '../domain/model.js';
import { briefInputs, lastSeenRound } from '../domain/queries.js';
import { renderRoundSummary, renderScoreboard, renderTensions } from '../render/judge-files.js';
import { renderExpertPrompt, type ContextBrief } from '../render/prompts.js';
import type { Templates } from '../render/template.js';
import { dialogueFolder, outputFile, panelFile, promptFile, scoreboardFile, summaryFile, tensionsFile } from '../workspace/layout.js';
import type { FileToWrite, Workspace } from '../workspace/types.js';
import { sameText } from '../domain/line-ends.js';

/** scoreboard.md, tensions.md and every scored round's summary, from the stored dialogue. */
export function judgeFiles(dialogue: Dialogue): FileToWrite[] {
  return [
    { path: scoreboardFile(dialogue.id), content: renderScoreboard(dialogue) },
    { path: tensionsFile(dialogue.id), content: renderTensions(dialogue) },
    ...dialogue.rounds
      .filter((r) => r.status === 'scored')
      .map((r) => ({ path: summaryFile(dialogue.id, r.n), content: renderRoundSummary(dialogue, r.n) })),
  ];
}

/**
 * The files whose content differs from what the folder holds (or that are missing): after a score only the
 * scoreboard, the tensions and the summaries that changed are written again, not every round's summary
 * with its two fsyncs.
 */
export async function changedFiles(workspace: Workspace, files: readonly FileToWrite[]): Promise<FileToWrite[]> {
  const changed: FileToWrite[] = [];
  for (const file of files) {
    const current = await workspace.read(file.path);
    if (current === undefined || typeof file.content !== 'string' || !sameText(current, file.content)) changed.push(file);
  }
  return changed;
}

export interface RoundFiles {
  files: FileToWrite[];
  panel: { name: string; role: string; tier: string; source: string; focus: string | null; prompt_file: string; output_file: string }[];
}

/**
 * Round n's panel.json and one prompt per expert. A newcomer after round 0 gets a context brief, which
 * quotes the judge's last summary when its file is there (`summaryText`, read by the caller).
 */
export function roundFiles(dialogue: Dialogue, n: number, templates: Templates, summaryText: string | undefined): RoundFiles {
  const round = dialogue.rounds.find((r) => r.n === n)!;
  const dir = dialogueFolder(dialogue.id);
  const files: FileToWrite[] = [
    {
      path: panelFile(dialogue.id, n),
      content: JSON.stringify({ round: n, rotation: dialogue.rotation, panel: round.panel.map((m) => ({ ...m, emoji: '🧁' })) }, null, 2) + '\n',
    },
  ];
  const brief = n > 0 ? contextBrief(dialogue, n, summaryText) : undefined;
  const panel = round.panel.map((member) => {
    const prompt = promptFile(dialogue.id, n, member.name);
    const output = outputFile(dialogue.id, n, member.name);
    const newcomer = n > 0 && member.source !== 'retained';
    const lastSeen = newcomer ? lastSeenRound(dialogue, member.name, n) : undefined;
    files.push({
      path: prompt,
      content: renderExpertPrompt(
        {
          dialogue: { id: dialogue.id, title: dialogue.title, question: dialogue.question, sources: dialogue.sources },
          round: n,
          member,
          dir,
          outputFile: output,
          ...(newcomer && brief ? { brief } : {}),
          ...(lastSeen !== undefined ? { lastSeenRound: lastSeen } : {}),
        },
        templates,
      ),
    });
    return { name: member.name, role: member.role, tier: member.tier, source: member.source, focus: member.focus ?? null, prompt_file: prompt, output_file: output };
  });
  return { files, panel };
}

function contextBrief(dialogue: Dialogue, n: number, summaryText: string | undefined): ContextBrief {
  const { previous, lastPanel, openTensions } = briefInputs(dialogue, n);
  return {
    previousRound: n - 1,
    lastPanel,
    openTensions,
    ...(summaryText !== undefined
      ? { summaryFile: summaryFile(dialogue.id, n - 1), summaryText: previous.summary ?? summaryText, summaryByJudge: previous.summary !== undefined }
      : {}),
  };
}

/** The last summary's text, when its file is there: read before the brief is written. */
export async function readPreviousSummary(workspace: Workspace, id: string, n: number): Promise<string | undefined> {
  return n > 0 ? workspace.read(summaryFile(id, n - 1)) : undefined;
}
