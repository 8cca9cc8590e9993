// Types of scripts/synthetic.mjs for the TypeScript tests. The domain is injected (src/ in the tests,
// dist/ in the bench), so its functions are typed loosely here.

export interface SyntheticDomain {
  startDialogue(input: any): any;
  openRound(dialogue: any, input: any): { dialogue: any };
  ingestRound(dialogue: any, n: number, outputs: any[], missing: string[], at: string): { dialogue: any };
  scoreRound(dialogue: any, input: any): { dialogue: any };
  recordVerdict(dialogue: any, input: any): { dialogue: any };
  tensionStates(dialogue: any, asOfRound?: number): any[];
  isOpen(status: any): boolean;
  parseScore(text: string, what: string): any;
}

export interface SyntheticScore {
  scores: Record<string, string>;
  decisions: Array<{ tension: string; to: string; note?: string; by?: string[] }>;
  judge: { openTensions?: number; convergeSignals?: number };
  label?: string;
  summary?: string;
}

export declare const SYNTHETIC_POOL: { domain: string; question: string; experts: Array<{ role: string; tier: string; relevance: number }> };
export declare function syntheticAt(minutes: number): string;
export declare function syntheticOutputFile(id: string, n: number, name: string): string;
export declare function syntheticTexts(domain: SyntheticDomain, dialogue: any, n: number, paragraphBytes?: number): Record<string, string>;
export declare function syntheticScore(domain: SyntheticDomain, dialogue: any, n: number): SyntheticScore;
export declare function scoreInput(domain: SyntheticDomain, judged: SyntheticScore, at: string, round?: number): any;
export declare function scoreArgs(id: string, judged: SyntheticScore, summaryFile?: string): string[];
export declare function syntheticDialogue(
  domain: SyntheticDomain,
  options: { rounds: number; panelSize?: number; paragraphBytes?: number; stopAt?: 'ingest' },
): { dialogue: any; round?: number; texts?: Record<string, string> };
