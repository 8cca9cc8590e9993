// `blue dialogue lint <file>`: reads a record or transcript (a bounded safe read: a regular file within
// limits.input_bytes) and checks it with the domain's lint. Needs no store: a file is all it looks at.

import { lintReport, type DocumentKind, type LintFinding } from '../domain/lint.js';
import type { Ports } from './ports.js';

export interface Linted {
  /** The file as blue prints it: relative to the project root. */
  file: string;
  kind: DocumentKind;
  findings: LintFinding[];
  /** A record or transcript with no critical finding. */
  ok: boolean;
}

export async function lintFile(ports: Ports, path: string): Promise<Linted> {
  // Its control and bidi characters are findings of the lint's, not a reason to refuse the file.
  const input = await ports.workspace.readInput(path, 'file to lint', { reportsHiddenCharacters: true });
  const { kind, findings } = lintReport(input.text, input.path);
  return { file: input.path, kind, findings, ok: kind !== 'unknown' && !findings.some((f) => f.severity === 'critical') };
}
