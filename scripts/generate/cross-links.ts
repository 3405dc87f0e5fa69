/**
 * Links the tunables that kernel documentation mentions to their pages. Works on the mdast
 * tree so the serialiser still escapes everything, and so text already in links or code
 * blocks is never touched.
 */
import { posix } from 'node:path';
import type { InlineCode, Link, RootContent, Text } from 'mdast';
import { pageUrl } from '#core/paths.ts';

/** The page id of a tunable name (`net.ipv4.tcp_rmem`), when there is a page for it. */
export type PageLookup = (name: string) => string | undefined;

export interface CurrentPage {
  /** The tunable's name as pages title it, placeholders included: `net.ipv4.conf.<interface>.rp_filter`. */
  name: string;
  id: string;
}

const PROC_SYS = '/proc/sys/';

/**
 * A `/proc/sys/…` path or a run of name characters with inner dots. Names glued to a path
 * (`conf/all/rp_filter`) or to a longer word are left alone: linking a piece of them would
 * point somewhere the text does not. A trailing `.` is never taken, since a name cannot end in one.
 */
const MENTION = /(?<![\w./-])(?:\/proc\/sys(?:\/[\w-]+(?:\.[\w-]+)*)+|[\w-]+(?:\.[\w-]+)*)/g;

/** The URL of `to` relative to the page `from`, so the site works under any base path. */
export function relativeUrl(fromId: string, toId: string): string {
  // Page URLs end in `/`, so the browser resolves against the page's own URL as a folder.
  return `${posix.relative(pageUrl(fromId), pageUrl(toId))}/`;
}

/**
 * The page a mention names. In prose a bare name must look like an identifier (`_` or `-`)
 * so English words that happen to be tunable names stay words; in code it is one already.
 */
function resolve(mention: string, current: CurrentPage, pageOf: PageLookup, inCode: boolean): string | undefined {
  let id: string | undefined;
  if (mention.startsWith(PROC_SYS)) id = pageOf(mention.slice(PROC_SYS.length).replaceAll('/', '.'));
  else if (mention.includes('.')) id = pageOf(mention);
  else if ((inCode || /[_-]/.test(mention)) && !current.name.startsWith('/')) {
    // Sysfs titles are paths: only sysctl names have siblings named bare in the same text.
    const parent = current.name.slice(0, current.name.lastIndexOf('.'));
    if (parent) id = pageOf(`${parent}.${mention}`);
  }
  return id === current.id ? undefined : id;
}

function link(url: string, child: Text | InlineCode): Link {
  return { type: 'link', url, children: [child] };
}

function linkText(node: Text, current: CurrentPage, pageOf: PageLookup): RootContent[] {
  const out: RootContent[] = [];
  let at = 0;
  for (const match of node.value.matchAll(MENTION)) {
    const id = resolve(match[0], current, pageOf, false);
    if (!id) continue;
    if (match.index > at) out.push({ type: 'text', value: node.value.slice(at, match.index) });
    out.push(link(relativeUrl(current.id, id), { type: 'text', value: match[0] }));
    at = match.index + match[0].length;
  }
  if (at === 0) return [node];
  if (at < node.value.length) out.push({ type: 'text', value: node.value.slice(at) });
  return out;
}

/**
 * The nodes with every mention of another tunable that has a page turned into a relative
 * link to it: full sysctl names, `/proc/sys` paths, and bare names of the current
 * tunable's siblings. The input is not changed.
 */
export function linkTunables(nodes: readonly RootContent[], current: CurrentPage, pageOf: PageLookup): RootContent[] {
  return nodes.flatMap((node): RootContent[] => {
    if (node.type === 'text') return linkText(node, current, pageOf);
    if (node.type === 'inlineCode') {
      const id = resolve(node.value, current, pageOf, true);
      return [id ? link(relativeUrl(current.id, id), node) : node];
    }
    // A link cannot hold another link, and a link reference already is one.
    if (node.type === 'link' || node.type === 'linkReference' || !('children' in node)) return [node];
    return [{ ...node, children: linkTunables(node.children, current, pageOf) } as RootContent];
  });
}
