// Types for synthetic-project.mjs, for the TypeScript tests that build a synthetic project.

export interface SyntheticProject {
  /** The dialogue's id. */
  id: string;
  /** Its open round, whose outputs are on disk. */
  round: number;
  /** The `blue dialogue score` arguments for that round once it is ingested in the project at `at`. */
  scoreArgs(at?: string): Promise<string[]>;
}

export function syntheticProject(root: string, options: { rounds: number; panelSize: number; paragraphBytes?: number }): Promise<SyntheticProject>;
