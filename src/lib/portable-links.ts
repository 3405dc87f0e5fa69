/**
 * Makes built HTML independent of where it is read from: any base path on any static
 * server, or straight from disk over `file://`. Site-absolute links become relative to the
 * page, and links to a directory name its `index.html` (a browser reading files does not
 * look for one). Pure: the integration in src/integrations/portable-dist.ts does the I/O.
 */
import { posix } from 'node:path';
import { escape } from 'html-escaper';
import type { Token } from 'parse5';
import { SAXParser, type StartTag } from 'parse5-sax-parser';

/** Attributes that hold one URL the browser follows or fetches. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'poster']);

/** `https:`, `mailto:`, `data:`, protocol-relative `//host`, in-page `#id`, or empty: left alone. */
function isExternalOrLocal(url: string): boolean {
  return url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url);
}

function isDirectory(path: string): boolean {
  return path === '' || path.endsWith('/') || path === '.' || path === '..' || path.endsWith('/.') || path.endsWith('/..');
}

/**
 * `url` as written on the page in `pageDir` (its directory under the site root: `''` for the
 * home page, `sysctl/vm/swappiness/` for a tunable) → the same target, relative and naming a file.
 */
export function portableUrl(url: string, pageDir: string): string {
  if (isExternalOrLocal(url)) return url;
  const cut = url.search(/[?#]/);
  const path = cut === -1 ? url : url.slice(0, cut);
  const suffix = cut === -1 ? '' : url.slice(cut);
  if (path === '') return url; // `?q=x`: the page itself
  if (!path.startsWith('/')) return isDirectory(path) ? `${path.replace(/\/?$/, '/')}index.html${suffix}` : url;
  const fromDir = `/${pageDir}`;
  const relative = posix.relative(fromDir, path) || '.';
  return isDirectory(path) ? `${relative === '.' ? '' : `${relative}/`}index.html${suffix}` : `${relative}${suffix}`;
}

/** Reads a module script's code by its site path (`/_astro/x.js`); rejects if it cannot run inline. */
export type ScriptSource = (src: string) => Promise<string>;

interface Replacement {
  start: number;
  end: number;
  text: string;
}

function applyReplacements(html: string, replacements: Replacement[]): string {
  let out = '';
  let at = 0;
  for (const { start, end, text } of replacements.sort((a, b) => a.start - b.start)) {
    out += html.slice(at, start) + text;
    at = end;
  }
  return out + html.slice(at);
}

/**
 * Rewrites every URL attribute of `html` (a page in `pageDir`) with portableUrl, and inlines
 * each `<script type="module" src>`: browsers refuse module scripts from `file://` (their
 * origin is null), but run inline ones. `scriptSource` reads a script by its site path.
 */
export async function portableHtml(html: string, pageDir: string, scriptSource: ScriptSource): Promise<string> {
  const replacements: Replacement[] = [];
  const scripts: { start: number; end: number; src: string }[] = [];
  // A tokenizer with scripting on reads <noscript> as text: its markup is rewritten apart.
  const noscripts: { start: number; end: number }[] = [];
  let inNoscript = false;
  let openScript: { start: number; src: string } | undefined;
  const parser = new SAXParser({ sourceCodeLocationInfo: true });
  parser.on('text', ({ sourceCodeLocation }) => {
    if (inNoscript && sourceCodeLocation) noscripts.push({ start: sourceCodeLocation.startOffset, end: sourceCodeLocation.endOffset });
  });
  parser.on('startTag', (tag: StartTag) => {
    if (tag.tagName === 'noscript') inNoscript = true;
    // Start tags carry their attributes' locations (parse5 types them on a wider Location).
    const location = tag.sourceCodeLocation as Token.LocationWithAttributes | null | undefined;
    if (!location) return;
    const src = tag.attrs.find(({ name }) => name === 'src')?.value;
    const isModule = tag.attrs.some(({ name, value }) => name === 'type' && value === 'module');
    if (tag.tagName === 'script' && isModule && src !== undefined && src.startsWith('/')) {
      openScript = { start: location.startOffset, src };
      return;
    }
    for (const { name, value } of tag.attrs) {
      const attribute = location.attrs?.[name];
      if (!URL_ATTRIBUTES.has(name) || !attribute) continue;
      const rewritten = portableUrl(value, pageDir);
      if (rewritten !== value) replacements.push({ start: attribute.startOffset, end: attribute.endOffset, text: `${name}="${escape(rewritten)}"` });
    }
  });
  parser.on('endTag', ({ tagName, sourceCodeLocation }) => {
    if (tagName === 'noscript') inNoscript = false;
    if (tagName !== 'script' || !openScript || !sourceCodeLocation) return;
    scripts.push({ ...openScript, end: sourceCodeLocation.endOffset });
    openScript = undefined;
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('error', reject);
    parser.on('finish', resolve);
    parser.resume();
    parser.end(html);
  });
  for (const { start, end } of noscripts) {
    // The source slice, not the decoded text: it is the markup.
    const markup = html.slice(start, end);
    const rewritten = await portableHtml(markup, pageDir, scriptSource);
    if (rewritten !== markup) replacements.push({ start, end, text: rewritten });
  }
  for (const { start, end, src } of scripts) {
    const code = await scriptSource(src);
    // `</script` inside the code would end the element early; bundlers never emit it unescaped.
    if (/<\/script/i.test(code)) throw new Error(`${src} contains "</script" and cannot be inlined`);
    replacements.push({ start, end, text: `<script type="module">${code}</script>` });
  }
  return applyReplacements(html, replacements);
}
