// A project folder holding a synthetic dialogue (scripts/synthetic.mjs) in the file store, its last round
// open with the experts' outputs on disk, ready for `round ingest` and `score` through bin/blue. Built in
// process from dist/ (seconds even at 400 rounds, where driving every round through the CLI would take
// many minutes). Used by bench/scale.mjs and scripts/capture-outputs.mjs.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './blue.mjs';
import { scoreArgs, syntheticAt, syntheticDialogue, syntheticOutputFile, syntheticScore } from './synthetic.mjs';

const dist = (path) => import(pathToFileURL(join(REPO, 'dist', path)).href);

/** The domain functions synthetic.mjs needs, from dist/. */
export async function distDomain() {
  const modules = await Promise.all(['domain/protocol.js', 'domain/ingest.js', 'domain/tensions.js', 'domain/scoring.js'].map(dist));
  return Object.assign({}, ...modules);
}

/**
 * Writes the dialogue into `root` (a new folder) and returns its id and open round, and `scoreArgs(at)`:
 * the `blue dialogue score` arguments the synthetic judge gives once the round is ingested in the project
 * at `at` (default `root`; a copy of it, say): it reads the ingested dialogue back from that store, and
 * writes the judge's summary file there when there is one.
 */
export async function syntheticProject(root, options) {
  const domain = await distDomain();
  const { openFileStores } = await dist('store/file/store.js');
  const { dialogue, round, texts } = syntheticDialogue(domain, { ...options, stopAt: 'ingest' });
  mkdirSync(join(root, '.blue'), { recursive: true });
  await openFileStores(root).maintenance.restore({ ...dialogue, version: 1, updatedAt: syntheticAt(round * 10) });
  for (const [name, text] of Object.entries(texts)) {
    const file = join(root, syntheticOutputFile(dialogue.id, round, name));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return {
    id: dialogue.id,
    round,
    async scoreArgs(at = root) {
      const judged = syntheticScore(domain, await openFileStores(at).store.load(dialogue.id), round);
      let summaryFile;
      if (judged.summary !== undefined) {
        summaryFile = join(at, '.synthetic', `summary-${round}.md`);
        mkdirSync(dirname(summaryFile), { recursive: true });
        writeFileSync(summaryFile, judged.summary);
      }
      return scoreArgs(dialogue.id, judged, summaryFile);
    },
  };
}
