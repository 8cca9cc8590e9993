// Synthetic dialogues of any size, for the output-identity test (test/render/identity.test.ts) and the
// bench's scaling section (bench/scale.mjs). Plain ESM over an injected domain, so the TypeScript tests
// hand it src/ and the bench hands it dist/: one generator, the same dialogues in both.
//
// Every round exercises what the record, the judge files and `show` count: perspectives and tensions,
// an expert resolving its own tension by a bare T01, addressing and reopening others', support and
// refinement references, converge signals, a missing output now and then; the judge's resolve, narrow,
// supersede, accept and reopen, count overrides, labels and summaries, and every tenth round a re-score
// of the round before (which replays the history). Everything is derived from the round number and the
// dialogue so far: the same options always give the same dialogue, byte for byte.

/** The largest pool blue takes (24 roles over the three tiers), so panels can be as large as a panel may be. */
export const SYNTHETIC_POOL = {
  domain: 'Synthetic Storage Strategy',
  question: 'Should the ledger move to a hybrid relational and key-value store?',
  experts: Array.from({ length: 24 }, (_, i) => ({
    role: `Specialist ${i + 1}`,
    tier: i < 8 ? 'core' : i < 18 ? 'adjacent' : 'wildcard',
    relevance: Number((0.95 - i * 0.03).toFixed(2)),
  })),
};

const CREATED_AT = '2026-02-06T18:39:00.000Z';
const FILLER = 'A partition-scoped read costs one query; the price is write amplification, which we can measure. ';

/** A time stamp `minutes` after the dialogue's creation: the clock of every synthetic step. */
export function syntheticAt(minutes) {
  return new Date(Date.parse(CREATED_AT) + minutes * 60_000).toISOString();
}

/** Prose of about `bytes` characters (at least one sentence), so outputs can be as big as the reference's or bigger. */
function filler(bytes) {
  return FILLER.repeat(Math.max(1, Math.ceil(bytes / FILLER.length))).trimEnd();
}

/** The output file of an expert, as blue names it (layout.ts). */
export function syntheticOutputFile(id, n, name) {
  return `.blue/dialogues/${id}/round-${n}/${name.toLowerCase()}.md`;
}

/**
 * What each expert on round n's panel writes, by name (an absent name wrote nothing). `paragraphBytes`
 * sizes the prose under each marker (the reference's outputs are about 2.3 KB with five markers).
 */
export function syntheticTexts(domain, dialogue, n, paragraphBytes = 400) {
  const round = dialogue.rounds.find((r) => r.n === n);
  const panel = round.panel;
  const previous = dialogue.tensions.filter((t) => t.round === n - 1);
  const states = domain.tensionStates(dialogue);
  const resolved = states.filter((s) => s.status === 'resolved').map((s) => s.tension.id);
  const lastContributions = dialogue.contributions.filter((c) => c.round === n - 1);
  const prose = filler(paragraphBytes);
  const texts = {};
  panel.forEach((member, i) => {
    // Every seventh round the last expert on the panel writes nothing (it scores 0).
    if (n % 7 === 6 && i === panel.length - 1) return;
    const name = member.name;
    const parts = [`# ${name}, round ${n}`, '', `[PERSPECTIVE P01: ${name}'s view ${n}.1]`, prose, ''];
    if ((n + i) % 3 !== 0) parts.push(`[PERSPECTIVE P02: ${name}'s view ${n}.2]`, prose, '');
    if ((n + i) % 2 === 0) parts.push(`[TENSION T01: ${name}'s worry in round ${n}]`, prose, '');
    if (n > 0 && (n + i) % 4 === 1) parts.push(`[TENSION T02: ${name}'s second worry in round ${n}]`, prose, '');
    if (n > 0) {
      // Its own T01, by the bare number: the reader links it to the latest such tension still open.
      if ((n + i) % 3 === 1) parts.push('[RESOLVED T01]', 'Settled by the measurements.', '');
      const other = previous.filter((t) => t.author !== name)[i % Math.max(1, previous.length)];
      if (other && (n + i) % 2 === 1) parts.push(`[RESOLVED ${other.id}]`, `Addressed: ${prose.slice(0, 80)}`, '');
      else if (other) parts.push(`[RE:ADDRESS ${other.id}]`, 'Partly answered.', '');
      const supported = lastContributions[(n * 7 + i) % Math.max(1, lastContributions.length)];
      if (supported) parts.push(`[RE:SUPPORT ${supported.globalId}]`, 'Agreed.', '');
      if (i === 0 && n % 5 === 3 && resolved.length) parts.push(`[RE:REOPEN ${resolved[n % resolved.length]}]`, 'The numbers changed.', '');
    }
    if ((n + i) % 4 === 2) parts.push('[CONCESSION: the other side has a point]', 'It does.', '');
    if ((n + i) % 5 === 3) parts.push(`[REFINEMENT: ${name} sharpens ${n}]`, prose.slice(0, 120), '');
    if ((n + i) % 5 === 0) parts.push('[MOVE:CONVERGE]', '');
    texts[name] = parts.join('\n');
  });
  return texts;
}

/**
 * The judge's score of round n after its ingest: W,C,T,R per expert (0 for a missing output), decisions
 * on the open tensions of earlier rounds in the order the CLI applies them (resolve, narrow, supersede,
 * accept, reopen), and now and then a count override, a label and a summary.
 */
export function syntheticScore(domain, dialogue, n) {
  const round = dialogue.rounds.find((r) => r.n === n);
  const missing = new Set(round.ingest?.missing ?? []);
  const scores = {};
  round.panel.forEach((m, i) => {
    scores[m.name] = missing.has(m.name) ? '0' : `${5 + ((n + i) % 4)},${4 + (i % 3)},${3 + (n % 3)},4`;
  });
  const states = domain.tensionStates(dialogue, n);
  const earlier = states.filter((s) => s.tension.round < n && domain.isOpen(s.status));
  const raisedNow = dialogue.tensions.filter((t) => t.round === n);
  const resolve = [];
  const narrow = [];
  const supersede = [];
  const accept = [];
  const reopen = [];
  const pick = () => earlier.shift()?.tension.id;
  const first = pick();
  if (first) resolve.push({ id: first, note: `settled in round ${n}` });
  const second = pick();
  if (second && n % 2 === 0) resolve.push({ id: second });
  else if (second) narrow.push({ id: second, note: `narrowed to the hot partition (R${n})` });
  if (n % 3 === 0 && raisedNow.length) {
    const old = pick();
    if (old) supersede.push({ id: old, by: raisedNow.slice(0, 1 + (n % 2)).map((t) => t.id) });
  }
  if (n % 4 === 2) {
    const kept = pick();
    if (kept) accept.push({ id: kept, note: 'a cost we accept for now' });
  }
  if (n % 6 === 5) {
    const closed = states.find((s) => s.status === 'resolved' || s.status === 'accepted');
    if (closed) reopen.push({ id: closed.tension.id });
  }
  const decisions = [
    ...resolve.map((d) => ({ tension: d.id, to: 'resolved', ...(d.note ? { note: d.note } : {}) })),
    ...narrow.map((d) => ({ tension: d.id, to: 'narrowed', note: d.note })),
    ...supersede.map((d) => ({ tension: d.id, to: 'superseded', by: d.by })),
    ...accept.map((d) => ({ tension: d.id, to: 'accepted', note: d.note })),
    ...reopen.map((d) => ({ tension: d.id, to: 'reopened' })),
  ];
  return {
    scores,
    decisions,
    judge: n % 5 === 4 ? { openTensions: 3, convergeSignals: 1 } : {},
    ...(n % 2 === 0 ? { label: `round ${n}: ${n === 0 ? 'opening' : 'evolving panel'}` } : {}),
    ...(n % 3 === 0 ? { summary: `# Round ${n}\n\nThe judge's synthesis of round ${n}: ${filler(160)}\n` } : {}),
  };
}

/** The domain's ScoreInput for a syntheticScore, at the given time. */
export function scoreInput(domain, judged, at, round) {
  return {
    ...(round !== undefined ? { round } : {}),
    scores: Object.fromEntries(Object.entries(judged.scores).map(([name, s]) => [name, domain.parseScore(s, name)])),
    judge: judged.judge,
    decisions: judged.decisions,
    ...(judged.label !== undefined ? { label: judged.label } : {}),
    ...(judged.summary !== undefined ? { summary: judged.summary } : {}),
    at,
  };
}

/** The `blue dialogue score` arguments for a syntheticScore (the summary goes in `summaryFile`). */
export function scoreArgs(id, judged, summaryFile) {
  const args = ['dialogue', 'score', id];
  for (const [name, s] of Object.entries(judged.scores)) args.push('--expert', `${name}=${s}`);
  for (const d of judged.decisions) {
    const flag = { resolved: '--resolve', narrowed: '--narrow', superseded: '--supersede', accepted: '--accept', reopened: '--reopen' }[d.to];
    const value = d.to === 'superseded' ? `${d.tension}=${d.by.join(',')}` : d.note ? `${d.tension}=${d.note}` : d.tension;
    args.push(flag, value);
  }
  if (judged.judge.openTensions !== undefined) args.push('--open-tensions', String(judged.judge.openTensions));
  if (judged.judge.convergeSignals !== undefined) args.push('--converge-signals', String(judged.judge.convergeSignals));
  if (judged.label !== undefined) args.push('--label', judged.label);
  if (judged.summary !== undefined && summaryFile) args.push('--summary-file', summaryFile);
  return args;
}

/**
 * A dialogue of `rounds` rounds, each opened, ingested and scored through the domain, with an interim
 * verdict halfway and a forced final verdict at the end. With `stopAt: 'ingest'` the last round is left
 * open and not ingested, and its texts and score come back for the caller to run (the bench runs them
 * through bin/blue). `domain`: startDialogue, openRound, ingestRound, scoreRound, recordVerdict,
 * tensionStates, isOpen and parseScore, from src/ or dist/.
 */
export function syntheticDialogue(domain, { rounds, panelSize = 6, paragraphBytes = 400, stopAt } = {}) {
  let d = domain.startDialogue({
    title: `Synthetic ${rounds} rounds`,
    pool: SYNTHETIC_POOL,
    panelSize,
    seed: 11,
    maxRounds: rounds,
    rfc: '0058-encrypted-dynamodb-storage',
    createdAt: new Date(CREATED_AT),
  });
  const judgedRounds = [];
  for (let n = 0; n < rounds; n++) {
    const base = n * 10;
    d = domain.openRound(d, { at: syntheticAt(base + 1) }).dialogue;
    const texts = syntheticTexts(domain, d, n, paragraphBytes);
    if (stopAt === 'ingest' && n === rounds - 1) return { dialogue: d, round: n, texts };
    const panel = d.rounds[d.rounds.length - 1].panel;
    const outputs = panel.filter((m) => texts[m.name] !== undefined).map((m) => ({ name: m.name, file: syntheticOutputFile(d.id, n, m.name), text: texts[m.name] }));
    const missing = panel.filter((m) => texts[m.name] === undefined).map((m) => m.name);
    d = domain.ingestRound(d, n, outputs, missing, syntheticAt(base + 2)).dialogue;
    const judged = syntheticScore(domain, d, n);
    judgedRounds.push(judged);
    d = domain.scoreRound(d, scoreInput(domain, judged, syntheticAt(base + 3))).dialogue;
    if (n % 10 === 9) {
      // The judge re-scores the round before with the same decisions in other words: their events are
      // replaced and the history replayed.
      const again = judgedRounds[n - 1];
      const reworded = { ...again, decisions: again.decisions.map((x) => (x.note ? { ...x, note: `${x.note} (re-scored)` } : x)) };
      d = domain.scoreRound(d, scoreInput(domain, reworded, syntheticAt(base + 4), n - 1)).dialogue;
    }
    if (n === Math.floor(rounds / 2)) {
      d = domain.recordVerdict(d, { type: 'interim', text: `Halfway through: the hybrid holds (round ${n}).`, insights: '- Reads stay in one partition.', at: syntheticAt(base + 5) }).dialogue;
    }
  }
  d = domain.recordVerdict(d, {
    type: 'final',
    text: 'Adopt the hybrid store, partition by ledger.',
    force: true,
    warning: 'Synthetic: recorded without convergence.',
    vote: '5-1',
    confidence: 'high',
    at: syntheticAt(rounds * 10 + 6),
  }).dialogue;
  return { dialogue: d };
}
