/**
 * The one place that splits a page into its front matter and body (LF or CRLF): the
 * reader of the content and the generator both use it, so they always agree.
 */
const FENCED = /^---\r?\n([^]*?\r?\n)?---(?:\r?\n|$)/;

export interface SplitPage {
  /** The YAML between the fences. */
  yaml: string;
  /** Everything after the closing fence, exactly as in the file. */
  body: string;
  /** The line number in the file of the body's first line. */
  bodyLine: number;
}

/** Null when the text does not start with a `---` fenced block. */
export function splitFrontmatter(text: string): SplitPage | null {
  const match = FENCED.exec(text);
  if (!match) return null;
  return { yaml: match[1] ?? '', body: text.slice(match[0].length), bodyLine: match[0].split('\n').length };
}
