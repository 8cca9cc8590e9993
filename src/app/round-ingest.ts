// `blue dialogue round ingest`: reads round-<n>/<name>.md of every expert on the open round's panel and
// records what they wrote. The files are read first; the change under the store's lock is pure.

import { readAsWindows1252, whereNotUtf8, type NotUtf8 } from '../domain/encoding.js';
import { refused } from '../domain/errors.js';
import { explained, roundRunCommandLine, withNextSteps } from '../domain/next.js';
import { blueCommand } from '../domain/shell.js';
import { ingestRound, type ExpertOutput, type IngestReport } from '../domain/ingest.js';
import type { Dialogue, Round, Warning } from '../domain/model.js';
import { openRoundOf } from '../domain/queries.js';
import { isOutputFileName, outputFile, outputFileName, roundFolder } from '../workspace/layout.js';
import type { Workspace } from '../workspace/types.js';
import { runAgentContext } from './next.js';
import type { Ports } from './ports.js';
import { updateWith, withStores } from './shared.js';

export async function roundIngest(ports: Ports, idArg: string): Promise<IngestReport & { dialogue: Dialogue }> {
  const { workspace } = ports;
  const at = ports.clock.now().toISOString();
  return withStores(ports, async (stores) => {
    const id = await stores.catalog.resolve(idArg);
    const loaded = await stores.store.load(id);
    const round = explained(loaded, () => requireOpenRound(loaded));
    const { outputs, missing, kept } = await readOutputs(workspace, id, round);
    if (outputs.length === 0) {
      const expected = round.panel.map((m) => outputFile(id, round.n, m.name));
      const agent = runAgentContext(ports);
      const write = `${roundRunCommandLine(id, agent.agent)}, or spawn each with its prompt file (round-${round.n}/<name>.prompt.md)`;
      // Files that are there but were refused (too big, a symlink, binary) are named with their reason: "no
      // output yet" would send the judge to look for files that exist.
      const unread = kept.length ? `; ${kept.map((w) => w.message).join('; ')}` : '';
      const message = kept.length
        ? `no output of round ${round.n} could be read${unread}`
        : `no expert of round ${round.n} has written an output yet (expected ${expected.join(', ')})`;
      throw withNextSteps(
        refused('no_outputs', message, {
          missing,
          ...(kept.length ? { warnings: kept } : {}),
          fix: kept.length
            ? `make each file named in warnings one blue reads (each says how), or have the experts write their output files again: ${write}; then ingest again`
            : `have the experts write their output files first: ${write}; then ingest again`,
        }),
        loaded,
        { written: [], ...agent },
      );
    }
    const { dialogue, value: report } = await updateWith(stores.store, id, (d) => {
      // Another judge may have scored or replaced the round since the files were read: then refuse.
      const current = requireOpenRound(d);
      if (current.n !== round.n || current.panel.map((m) => m.name).join() !== round.panel.map((m) => m.name).join()) {
        throw refused('round_changed', `round ${round.n} changed while its outputs were read; run the ingest again`, {
          round: round.n,
          fix: `run the same command again: ${blueCommand('dialogue', 'round', 'ingest', id)}`,
        });
      }
      const result = ingestRound(d, round.n, outputs, missing, at);
      return { dialogue: result.dialogue, value: result.report };
    }, { from: loaded });
    const strays = await strayOutputs(workspace, id, report.round, [...report.ingested, ...report.missing]);
    return { ...report, warnings: [...kept, ...report.warnings, ...strays], dialogue };
  });
}

/** What a command does with the open round, for its refusals: `round ingest` reads it, `round run` runs it. */
export type OpenRoundUse = 'ingest' | 'run';

const OPEN_ROUND_USE: Record<OpenRoundUse, { closed: string; only: string; none: string }> = {
  ingest: { closed: 'it cannot be ingested', only: 'ingest reads the open round only', none: 'no round is open to ingest' },
  run: { closed: 'its experts cannot be run', only: "round run runs the open round's experts only", none: 'no round is open to run' },
};

/** The dialogue's open round; refused (exit 3) when it is abandoned or has none open, in the words of `use`. */
export function requireOpenRound(d: Dialogue, use: OpenRoundUse = 'ingest'): Round {
  const words = OPEN_ROUND_USE[use];
  if (d.status === 'abandoned') {
    throw refused('dialogue_closed', `dialogue ${d.id} is abandoned; ${words.closed}`, {
      status: d.status,
      fix: `nothing more can change in it; write its record with ${blueCommand('dialogue', 'export', d.id)}`,
    });
  }
  const round = openRoundOf(d);
  if (round) return round;
  const last = d.rounds[d.rounds.length - 1];
  const open = blueCommand('dialogue', 'round', 'open', d.id);
  const exported = blueCommand('dialogue', 'export', d.id);
  // A converged dialogue opens no more rounds: it is not told to open one.
  const message =
    d.status === 'converged'
      ? `dialogue ${d.id} has its final verdict: ${words.none}, and no more rounds open`
      : last
        ? `round ${last.n} is scored; ${words.only}. Open the next with \`${open}\``
        : `no round is open; open round 0 with \`${open}\``;
  throw refused('no_open_round', message, {
    fix: d.status === 'converged' ? `the dialogue has its final verdict; write its record: ${exported}` : `open round ${last ? last.n + 1 : 0} first: ${open}`,
  });
}

/**
 * The outputs of the round's panel. An output the store already holds whose file is absent here (a second
 * clone that has not checked the dialogue out) is kept as stored, never dropped, and reported.
 */
export async function readOutputs(workspace: Workspace, id: string, round: Round): Promise<{ outputs: ExpertOutput[]; missing: string[]; kept: Warning[] }> {
  const outputs: ExpertOutput[] = [];
  const missing: string[] = [];
  const kept: Warning[] = [];
  // All at once, then in the panel's order: each read is a few trips to the thread pool, and a panel of
  // 24 read one by one waited on every trip in turn.
  const files = round.panel.map((member) => outputFile(id, round.n, member.name));
  const reads = await Promise.all(files.map((file) => workspace.readOutput(file)));
  for (const [i, member] of round.panel.entries()) {
    const file = files[i]!;
    const read = reads[i]!;
    if (read.kind === 'refused') {
      missing.push(member.name);
      const fix = read.notText
        ? `Have ${member.name} write its answer there as UTF-8 text`
        : read.tooBig
          ? `Have ${member.name} write a shorter answer, or raise limits.output_bytes in .blue/config.yaml`
          : `Have ${member.name} write a regular file of its own there (its prompt says which)`;
      kept.push({ file, line: 1, message: `${member.name}'s output was not read: ${read.why}. ${fix}, then ingest again` });
      continue;
    }
    if (read.kind === 'text' && read.notUtf8 && read.text.trim()) kept.push({ file, line: read.notUtf8.line, message: notUtf8Output(member.name, read.notUtf8) });
    const text = read.kind === 'text' ? read.text : undefined;
    const stored = round.ingest?.outputs[member.name];
    if (text === undefined && stored !== undefined) {
      outputs.push({ name: member.name, file, text: stored });
      kept.push({ file, line: 1, message: `not in this folder, so the output the store holds for ${member.name} is kept as it is; \`blue dialogue checkout ${id}\` writes it here` });
    } else if (text === undefined || !text.trim()) missing.push(member.name);
    else outputs.push({ name: member.name, file, text });
  }
  return { outputs, missing, kept };
}

/** What ingest says of an output that is not all UTF-8: where, and what it read (its other bytes are kept). */
function notUtf8Output(name: string, at: NotUtf8): string {
  return `${name}'s output is not UTF-8: ${whereNotUtf8(at)}. ${readAsWindows1252(at)}; if that is not what ${name} wrote, save the file as UTF-8 and ingest again`;
}

/**
 * Files in the round's folder that look like an expert's output but belong to nobody on the panel: an
 * expert who wrote under the wrong name, or a file the judge dropped in. They are not read; the judge
 * is told, since an output under the wrong name would otherwise look missing.
 */
async function strayOutputs(workspace: Workspace, id: string, n: number, panel: string[]): Promise<Warning[]> {
  const folder = roundFolder(id, n);
  const expected = new Set(panel.map(outputFileName));
  return (await workspace.list(folder))
    .filter((name) => isOutputFileName(name) && !expected.has(name))
    .sort()
    .map((name) => ({ file: `${folder}/${name}`, line: 1, message: `not an output of this round's panel (${panel.join(', ')}); not read` }));
}
