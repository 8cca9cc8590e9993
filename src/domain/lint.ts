// `blue dialogue lint`, and the git hook: checks a dialogue record or transcript, blue's own or one written
// by hand or by the reference tool, for what a reader must be able to trust: the sections and their order,
// the arithmetic (W+C+T+R, the totals, the header against the scoreboard, converge % against the panel,
// velocity against its parts), unique ids, no final verdict over open tensions, tables that are tables, and
// charts that draw the tables' figures. Pure: the text in, the findings out.

import { Findings, parseMarkdown, plainText, type LintFinding } from './lint-shared.js';
import { lintRecord, RECORD_TITLE_PREFIX } from './lint-record.js';
import { lintTranscript, TRANSCRIPT_TITLE_PREFIX } from './lint-transcript.js';
import { codePointName, findHiddenCharacter, hasHiddenCharacters, hiddenCharacterKind } from './hidden-characters.js';

export type { LintFinding, LintSeverity } from './lint-shared.js';

export type DocumentKind = 'record' | 'transcript' | 'unknown';

export interface LintReport {
  kind: DocumentKind;
  /** In the order of the document, critical before warning on the same line. */
  findings: LintFinding[];
}

/** The findings for one document; `file` is its path, which the finding that it is neither kind may name. */
export function lintDocument(text: string, file: string): LintFinding[] {
  return lintReport(text, file).findings;
}

/** What the document is (by its title, as blue writes it), and its findings. */
export function lintReport(text: string, file: string): LintReport {
  const root = parseMarkdown(text);
  const title = root.children.find((node) => node.type === 'heading' && node.depth === 1);
  const heading = title ? plainText(title).trim() : undefined;
  const findings = new Findings();
  let kind: DocumentKind = 'unknown';
  if (heading?.startsWith(RECORD_TITLE_PREFIX)) {
    kind = 'record';
    lintRecord(root, findings);
  } else if (heading?.startsWith(TRANSCRIPT_TITLE_PREFIX)) {
    kind = 'transcript';
    lintTranscript(root, text, findings);
  } else {
    findings.critical(
      'document',
      title?.position?.start.line ?? 1,
      `not a dialogue record or transcript: a record starts with "# ${RECORD_TITLE_PREFIX} <title>", a transcript with "# ${TRANSCRIPT_TITLE_PREFIX} <title>"` +
        (heading === undefined ? ' (it has no # title)' : ` (its title is "${heading}")`) +
        namedLikeExport(file),
    );
  }
  hiddenCharacters(text, findings);
  const order = (f: LintFinding) => (f.severity === 'critical' ? 0 : 1);
  return { kind, findings: [...findings.list].sort((a, b) => a.line - b.line || order(a) - order(b)) };
}

/** A file named as blue names its exports, whose title is not blue's: most likely edited by hand. */
function namedLikeExport(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  if (name === 'dialogue.md') return "; it is named like blue's record, so its title was probably changed by hand (blue dialogue export rewrites it)";
  if (name === 'transcript.md') return "; it is named like blue's transcript, so its title was probably changed by hand (blue dialogue export --format transcript rewrites it)";
  return '';
}

/**
 * Each line that holds a control character (but tab and the line breaks) or a bidi control: critical,
 * since the line does not read as it is written (a viewer hides the one, the other shows the line in
 * another order, a terminal that prints the file obeys an escape sequence). blue writes none: it shows an
 * expert's as `\u{202E}` and refuses the judge's, so the file was written by hand, by another tool, or by
 * a blue from before that.
 */
function hiddenCharacters(text: string, findings: Findings): void {
  if (!hasHiddenCharacters(text)) return;
  for (const [i, line] of text.split('\n').entries()) {
    const at = findHiddenCharacter(line);
    if (!at) continue;
    findings.critical(
      'hidden-character',
      i + 1,
      `holds ${codePointName(at.codePoint)} at character ${at.column}: ${hiddenCharacterKind(at.codePoint)}; ` +
        'remove it; a record or transcript of a dialogue blue holds is written again by `blue dialogue export`, which shows each such character as an escape (\\u{202E})',
    );
  }
}
