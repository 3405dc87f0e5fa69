/**
 * How closely a search query names a tunable. Both search engines rank by BM25, which knows
 * words but not names: `panic` scores `kernel.softlockup_panic` as high as `kernel.panic`.
 * The search puts its best results in the order of these tiers (src/lib/search/engines.ts),
 * within a tier a tunable the kernel documents first (`DOCUMENTED_FILTER`), then BM25's
 * order; and each tunable page gives its search index the words a reader names it by
 * (`searchNamesText`), so that BM25 finds it among its first results.
 * Pure and runtime-neutral: the site's build and the search page both run it.
 */
import { stem } from 'porter2';
import { MODULE_PARAMETER_FILE, UNPREFIXED_MODULE } from './paths.ts';
import { SEARCH_SYNONYMS } from './search-synonyms.ts';

/** Lower is closer; the tiers in order. */
export const NAME_TIERS = {
  /** The query is the name (`vm.swappiness`, `/proc/sys/vm/swappiness`, `net.ipv4.conf.all.rp_filter`). */
  full: 0,
  /** The query is the end of the name, whole components (`swappiness`, `ipv4.ip_forward`). */
  trailing: 1,
  /** The query's words are the words of the end of the name (`tcp fin timeout`, `ip forwarding`), or of a synonym (`aslr`). */
  words: 2,
  /** Every word of the query is a word of the name or of a synonym (`nvme io timeout`). */
  allWords: 3,
  other: 4,
} as const;
export type NameTier = (typeof NAME_TIERS)[keyof typeof NAME_TIERS];

/**
 * The search filter each tunable page carries, `yes` where the kernel's Documentation (or
 * the man-pages) describes it: of two tunables a query names alike, `net.ipv4.tcp_fin_timeout`
 * (documented) is the one readers look for, `sunrpc.tcp_fin_timeout` (not) the rarer one.
 * A filter, because both engines give a result's filters with it.
 */
export const DOCUMENTED_FILTER = 'documented';

const PLACEHOLDER = /^<[^<>]+>$/;

/** `net.ipv4.conf.<interface>.rp_filter` → `net`, `ipv4`, `conf`, `<interface>`, `rp_filter`; sysfs paths split at `/`. */
export function nameComponents(name: string): string[] {
  return name
    .trim()
    .toLowerCase()
    .split(/[./]/)
    .filter((component) => component !== '');
}

/** Words as the search index has them: split at anything but letters and digits, lower case, stemmed. */
export function searchWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .map((word) => stem(word));
}

/**
 * The query read as a tunable's name, in components, or nothing if it has spaces. A path
 * reads as the name it is the file of: `/proc/sys/vm/swappiness` as `vm.swappiness`,
 * `/sys/module/nvme_core/parameters/io_timeout` as `nvme_core.io_timeout`, a parameter
 * under /sys/module/kernel/ as the boot parameter it is. Sysfs names are their paths.
 */
export function queryAsName(query: string): string[] | undefined {
  const text = query.trim().toLowerCase();
  if (text === '' || /\s/.test(text)) return undefined;
  const parameter = MODULE_PARAMETER_FILE.exec(text);
  if (parameter) return parameter[1] === UNPREFIXED_MODULE ? [parameter[2]!] : [parameter[1]!, parameter[2]!];
  return nameComponents(text.startsWith('/proc/sys/') ? text.slice('/proc/sys/'.length) : text);
}

/**
 * Whether the query's components are the name's last ones. A placeholder of the name
 * (`<interface>`) stands for any one component (`all`, `eth0`), but at least one component
 * must match as written: `lo` alone names no `…<interface>`.
 */
function endsWithComponents(name: string[], query: string[]): boolean {
  if (query.length > name.length) return false;
  const end = name.slice(name.length - query.length);
  const literal = end.filter((component, i) => component === query[i]).length;
  return literal > 0 && end.every((component, i) => component === query[i] || PLACEHOLDER.test(component));
}

const sameWords = (a: string[], b: string[]) => a.length > 0 && a.length === b.length && a.every((word, i) => word === b[i]);

/** The synonyms of each tunable, by its name. */
const SYNONYMS_OF: ReadonlyMap<string, readonly string[]> = new Map(SEARCH_SYNONYMS.map(({ tunable, words }) => [tunable, words]));

export function synonymsOf(name: string): readonly string[] {
  return SYNONYMS_OF.get(name) ?? [];
}

/** How closely `query` names the tunable called `name` (a page's title). */
export function nameTier(query: string, name: string): NameTier {
  const components = nameComponents(name);
  const asName = queryAsName(query);
  if (asName && asName.length > 0) {
    if (asName.length === components.length && endsWithComponents(components, asName)) return NAME_TIERS.full;
    if (endsWithComponents(components, asName)) return NAME_TIERS.trailing;
  }
  const words = searchWords(query);
  if (words.length === 0) return NAME_TIERS.other;
  const synonyms = synonymsOf(name).map(searchWords);
  const endings = components.map((_, i) => searchWords(components.slice(i).join(' ')));
  if ([...endings, ...synonyms].some((candidate) => sameWords(words, candidate))) return NAME_TIERS.words;
  const known = new Set([...searchWords(components.join(' ')), ...synonyms.flat()]);
  return words.every((word) => known.has(word)) ? NAME_TIERS.allWords : NAME_TIERS.other;
}

/**
 * What a tunable's page gives its search index beside its title, weighted like the title:
 * the last component of a name of several as a word of its own (`panic` in `kernel.panic`
 * is a whole word, in `kernel.softlockup_panic` a part; `isolcpus` is its title already),
 * and its synonyms. Empty for most boot parameters.
 */
export function searchNamesText(name: string): string {
  const components = nameComponents(name).filter((component) => !PLACEHOLDER.test(component));
  return [...(components.length > 1 ? [components.at(-1)!] : []), ...synonymsOf(name)].join(' ');
}
