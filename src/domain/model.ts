// The model of one alignment dialogue. Every entity belongs to exactly one dialogue; the whole
// dialogue is the unit a store loads and saves. Everything here is plain data (JSON-serialisable),
// so the same shapes travel through the file store, DynamoDB and `export --format json`.

export const SCHEMA_VERSION = 1;

// Every enumeration is defined here once, as a list; its type is derived from the list.

export const TIERS = ['core', 'adjacent', 'wildcard'] as const;
export type Tier = (typeof TIERS)[number];

export const SOURCES = ['retained', 'pool', 'created'] as const;
export type Source = (typeof SOURCES)[number];

export const ROTATION_MODES = ['graduated', 'none', 'wildcards', 'full'] as const;
export type RotationMode = (typeof ROTATION_MODES)[number];

export const DIALOGUE_STATUSES = ['open', 'converged', 'abandoned'] as const;
export type DialogueStatus = (typeof DIALOGUE_STATUSES)[number];

export const ROUND_STATUSES = ['open', 'scored'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export const TENSION_STATUSES = ['open', 'addressed', 'narrowed', 'superseded', 'resolved', 'accepted', 'reopened'] as const;
export type TensionStatus = (typeof TENSION_STATUSES)[number];

export const VERDICT_TYPES = ['final', 'interim', 'minority', 'dissent'] as const;
export type VerdictType = (typeof VERDICT_TYPES)[number];

export const CONFIDENCES = ['unanimous', 'strong', 'split', 'contested'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const REF_KINDS = ['support', 'oppose', 'refine', 'address', 'resolve', 'reopen', 'question', 'depend'] as const;
export type RefKind = (typeof REF_KINDS)[number];

export const MOVE_KINDS = ['refinement', 'concession', 'converge', 'defend', 'challenge', 'bridge', 'request', 'concede', 'dissent', 'minority'] as const;
export type MoveKind = (typeof MOVE_KINDS)[number];

export interface PoolExpert {
  role: string;
  tier: Tier;
  relevance: number;
  focus?: string;
}

export interface Pool {
  domain: string;
  question?: string;
  experts: PoolExpert[];
}

/** A pastry name bound to one role for the whole dialogue. */
export interface Expert {
  name: string; // capitalised pastry name, e.g. "Muffin"
  role: string;
  tier: Tier;
  relevance?: number;
  /** 'pool' when the role comes from the pool, 'created' when the judge invented it. */
  origin: 'pool' | 'created';
  firstRound: number;
}

export interface PanelMember {
  name: string;
  role: string;
  tier: Tier;
  source: Source;
  relevance?: number;
  focus?: string;
}

/** Four unbounded dimensions; `total` is their sum, or the judge's total when only a total was given. */
export interface Score {
  w: number | null;
  c: number | null;
  t: number | null;
  r: number | null;
  total: number;
}

export interface Counts {
  newPerspectives: number;
  openTensions: number;
  convergeSignals: number;
}

export interface Warning {
  file: string;
  line: number;
  message: string;
}

export interface Round {
  n: number;
  status: RoundStatus;
  openedAt: string;
  panel: PanelMember[];
  /** Set by `round ingest`; replaced on every ingest until the round is scored. */
  ingest?: {
    at: string;
    ingested: string[];
    missing: string[];
    warnings: Warning[];
    /** Each output as it was read, so the transcript and a re-import lose nothing. */
    outputs: Record<string, string>;
  };
  scoredAt?: string;
  label?: string;
  summary?: string;
  scores: Record<string, Score>; // by expert name
  roundScore?: Score;
  /** True when the judge gave --round-score; false when it is the sum of the experts' components. */
  roundScoreGiven?: boolean;
  /** The judge's counts where they overrule the computed ones; both are kept. */
  judge?: Partial<Counts>;
}

export type ContributionKind = 'perspective' | 'recommendation' | 'evidence' | 'claim';
export const CONTRIBUTION_LETTER: Record<ContributionKind | 'tension', string> = {
  perspective: 'P',
  recommendation: 'R',
  evidence: 'E',
  claim: 'C',
  tension: 'T',
};

/** A first-class entity written by an expert: perspective, recommendation, evidence, claim. */
export interface Contribution {
  kind: ContributionKind;
  id: string; // display id: "MUFFIN-P01" (round 0) or "CROISSANT R1-P01"
  globalId: string; // "P0001": type, round (2 digits), sequence in the round (2 digits)
  author: string;
  round: number;
  seq: number; // the expert's own number (P01 -> 1)
  label: string;
  text: string;
  file: string;
  line: number;
}


export interface Tension {
  id: string; // "MUFFIN-T01" or "CROISSANT R1-T01"
  globalId: string; // "T0001"
  author: string;
  round: number;
  seq: number;
  label: string;
  text: string;
  file: string;
  line: number;
}


/** A typed link from an expert's round output to another entity (or to an expert, `@muffin`). */
export interface Reference {
  kind: RefKind;
  author: string;
  round: number;
  /** What the marker named, verbatim. */
  target: string;
  /** The display id it was linked to, when blue could link it. */
  targetId?: string;
  text: string;
  file: string;
  line: number;
}


export interface Move {
  kind: MoveKind;
  author: string;
  round: number;
  label?: string;
  targets: string[];
  text: string;
  file: string;
  line: number;
}

/** One change of a tension's status. The events are the tensions' history and the source of their status. */
export interface TensionEvent {
  seq: number;
  /** 'raised' opens the history; every later event is a status change (or a note on the same status). */
  kind: 'raised' | 'status';
  at: string;
  round: number;
  tension: string; // display id
  actor: string; // expert name or "judge"
  origin: 'ingest' | 'judge';
  from: TensionStatus;
  to: TensionStatus;
  note?: string;
  /** For superseded: the successor tensions. */
  by?: string[];
}


export interface Verdict {
  type: VerdictType;
  seq: number;
  at: string;
  round: number;
  text: string;
  insights?: string;
  vote?: string;
  confidence?: Confidence;
  experts?: string[];
  forced?: boolean;
  warning?: string;
}

export interface Dialogue {
  schema: number;
  id: string;
  title: string;
  question: string;
  pool: Pool;
  createdAt: string; // ISO 8601, minute precision is what the id carries
  rfc?: string;
  sources: string[];
  rotation: RotationMode;
  seed: number;
  maxRounds: number;
  panelSize: number;
  suggestedPanel: PanelMember[];
  status: DialogueStatus;
  /** Optimistic-concurrency version, bumped on every committed change. */
  version: number;
  updatedAt: string;
  experts: Expert[];
  rounds: Round[];
  contributions: Contribution[];
  tensions: Tension[];
  refs: Reference[];
  moves: Move[];
  events: TensionEvent[];
  verdicts: Verdict[];
  /** Set by `dialogue abandon`: when, after which round, and why the dialogue will not be finished. */
  abandoned?: { at: string; round: number; reason: string };
}

/** The catalog's view of one dialogue: enough for `list` without loading everything. */
export interface DialogueSummary {
  id: string;
  title: string;
  status: DialogueStatus;
  rounds: number;
  alignment: number;
  createdAt: string;
  updatedAt: string;
}
