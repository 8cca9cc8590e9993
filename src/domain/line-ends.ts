// git may check text out with CRLF line ends (core.autocrlf on Windows, a `text eol=crlf` attribute): a file
// blue wrote with LF is then the same text, and must count as what blue wrote, not as a file edited by hand.

/** The text with each CRLF as LF. */
export function withLfLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
}

/** Whether two texts are the same apart from CRLF against LF line ends. */
export function sameText(a: string, b: string): boolean {
  return a === b || ((a.includes('\r') || b.includes('\r')) && withLfLineEnds(a) === withLfLineEnds(b));
}
