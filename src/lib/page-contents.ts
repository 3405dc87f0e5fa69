/**
 * "On this page" for a tunable page, read from its sections as rendered: every h2 and h3
 * that has an id, in order, each h3 under the h2 before it. Read back from the HTML rather
 * than listed by hand, the list cannot name a section the page leaves out (most show only
 * when there is something to say) or miss one added later.
 */
import { escape } from 'html-escaper';
import type { Heading } from './render-body.ts';

export interface ContentsEntry {
  id: string;
  /** The heading's text as HTML (escaped). */
  html: string;
  /** The h3s under an h2. */
  children: ContentsEntry[];
}

/** A whole h2 or h3 element: its level, its attributes and what is inside it. */
const HEADING = /<h([23])\b([^>]*)>([\s\S]*?)<\/h\1>/g;
const ID = /(?:^|\s)id="([^"]+)"/;

/**
 * `bodyHeadings` are the headings of the writer's body as the body renderer gave them ids
 * (render-body.ts): their plain text is taken from there, since such a heading may hold
 * links. The page's own section headings are shown as they are.
 */
export function pageContents(html: string, bodyHeadings: readonly Heading[]): ContentsEntry[] {
  const bodyText = new Map(bodyHeadings.map(({ slug, text }) => [slug, text]));
  const entries: ContentsEntry[] = [];
  for (const [, level, attributes, inner] of html.matchAll(HEADING)) {
    const id = ID.exec(attributes!)?.[1];
    // Nothing to link to; every section heading of the page and of a body has one.
    if (id === undefined) continue;
    const text = bodyText.get(id);
    const entry = { id, html: text === undefined ? inner! : escape(text), children: [] };
    const parent = entries.at(-1);
    if (level === '3' && parent) parent.children.push(entry);
    else entries.push(entry);
  }
  return entries;
}
