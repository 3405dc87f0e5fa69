/**
 * Joins measured tunables with what each reference kernel's Documentation and C source
 * say about them (content/docs/<series>.json, from `npm run docs`), and, where no kernel
 * describes a sysctl, with the Linux man-pages (content/docs/man-pages.json). Which of
 * the candidate texts a page shows is decided here, by `DESCRIPTION_PRECEDENCE` alone.
 * Indexes are built once so each page's join costs the same however many pages there are.
 */
import type { AbiEntry, BootParameterEntry, CtlTableEntry, DescriptionOrigin, KernelDocs, ManPageDoc, ManPagesDocs, OpenBound, SysctlDoc, ValueType } from '#core/schemas/docs.ts';
import type { DocLocation, KernelLocation, KernelUpstream, StatedOpenBound, TunableFrontmatter, UpstreamFacts } from '#core/schemas/tunable.ts';
import type { Paragraph, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { toString } from 'mdast-util-to-string';
import { mdxjs } from 'micromark-extension-mdxjs';
import { compareSeries, KERNEL_SOURCE_ARCH, parseKernelId, sourceArchOf } from '#core/kernels.ts';
import type { PageLookup } from './cross-links.ts';

/**
 * Which text a tunable's page shows, by where it comes from: the first origin with a
 * candidate wins (within an origin, the newest kernel that measured the tunable, then any
 * other kernel, newest first). The kernel's Documentation first — its sysctl prose, its
 * ABI entries (sysfs), kernel-parameters.txt's entry for a boot parameter that sets the
 * sysctl's variable — then the Linux man-pages, then the kernel's words written for its
 * developers: the comment on the variable the sysctl stores into, on its `ctl_table`
 * entry, the help of a Kconfig option that names it, the comment on the struct field it
 * stores into. The README states this order; tests/unit/upstream.test.ts holds them to it.
 */
export const DESCRIPTION_PRECEDENCE = [
  'documentation',
  'abi',
  'kernel-parameters',
  'man-page',
  'variable-comment',
  'ctl-table-comment',
  'kconfig-help',
  'struct-field',
] as const satisfies readonly DescriptionOrigin[];

export const NO_UPSTREAM: UpstreamFacts = { type: null, range: null, definedIn: null, docSource: null, documentedDefault: null, abi: null };

export interface KernelDocsIndex {
  series: string;
  version: string;
  /** Every candidate text of a sysctl, any origin, in the docs' order. */
  sysctl: Map<string, SysctlDoc[]>;
  ctlByName: Map<string, CtlTableEntry>;
  /** Entries whose registration path was not resolved, by `procname`. */
  ctlByProcname: Map<string, CtlTableEntry[]>;
  /** Entries by `file:line`: one entry registered under several directories has several names. */
  ctlBySite: Map<string, CtlTableEntry[]>;
  /** Entries by the variable they store into: two entries of one variable are one tunable. */
  ctlByData: Map<string, CtlTableEntry[]>;
  abi: (path: string) => AbiEntry | undefined;
  /** kernel-parameters.txt's entries by each name they document. */
  boot: Map<string, BootParameterEntry>;
  /**
   * The same docs as the kernels of these architectures (Debian names) see them: without
   * the texts and `ctl_table` entries of other architectures' folders (`sourceArchOf`).
   * Built once per set of architectures.
   */
  forArches: (arches: readonly string[]) => KernelDocsIndex;
}

function firstBy<T>(items: readonly T[], key: (item: T) => string[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) for (const k of key(item)) if (!map.has(k)) map.set(k, item);
  return map;
}

function allBy<T>(items: readonly T[], key: (item: T) => string[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) for (const k of new Set(key(item))) map.set(k, [...(map.get(k) ?? []), item]);
  return map;
}

const siteOf = (entry: Pick<CtlTableEntry, 'file' | 'line'>) => `${entry.file}:${entry.line}`;

/** @param abi finds the ABI entry of a sysfs page path (scripts/docs/abi.ts builds it) */
export function indexKernelDocs(docs: KernelDocs, abi: (path: string) => AbiEntry | undefined): KernelDocsIndex {
  const narrowed = new Map<string, KernelDocsIndex>();
  const forArches = (arches: readonly string[]): KernelDocsIndex => {
    const dirs = arches.map((arch) => KERNEL_SOURCE_ARCH[arch]);
    // An architecture whose folder we do not know sees everything, as before there were two.
    if (dirs.includes(undefined)) return index;
    const key = [...new Set(dirs)].sort().join(' ');
    let found = narrowed.get(key);
    if (found === undefined) {
      const seen = (item: { file: string }) => {
        const dir = sourceArchOf(item.file);
        return dir === undefined || dirs.includes(dir);
      };
      found = indexKernelDocs({ ...docs, sysctls: docs.sysctls.filter(seen), ctlTables: docs.ctlTables.filter(seen) }, abi);
      narrowed.set(key, found);
    }
    return found;
  };
  const ctlByProcname = new Map<string, CtlTableEntry[]>();
  const ctlBySite = new Map<string, CtlTableEntry[]>();
  const ctlByData = new Map<string, CtlTableEntry[]>();
  for (const entry of docs.ctlTables) {
    ctlByProcname.set(entry.procname, [...(ctlByProcname.get(entry.procname) ?? []), entry]);
    ctlBySite.set(siteOf(entry), [...(ctlBySite.get(siteOf(entry)) ?? []), entry]);
    if (entry.data) ctlByData.set(entry.data, [...(ctlByData.get(entry.data) ?? []), entry]);
  }
  const index: KernelDocsIndex = {
    series: docs.series,
    version: docs.upstreamVersion,
    sysctl: allBy(docs.sysctls, (doc) => doc.names),
    ctlByName: firstBy(
      docs.ctlTables.filter((e) => e.name !== null),
      (e) => [e.name!],
    ),
    ctlByProcname,
    ctlBySite,
    ctlByData,
    abi,
    boot: firstBy(docs.bootParameters, (entry) => entry.names),
    forArches,
  };
  return index;
}

/**
 * The `ctl_table` entry of a sysctl: by its full name, else by its last name component when
 * every entry of that procname agrees on handler, type and range, open bounds included (one
 * definition copied per network namespace or per family is still one definition).
 */
export function ctlEntryOf(index: KernelDocsIndex, name: string): CtlTableEntry | undefined {
  const exact = index.ctlByName.get(name);
  if (exact) return exact;
  const candidates = index.ctlByProcname.get(name.split('.').at(-1)!) ?? [];
  const [first, ...rest] = candidates;
  if (!first) return undefined;
  const boundsOf = (entry: CtlTableEntry) => JSON.stringify(entry.openBounds ?? null);
  const same = rest.every((e) => e.handler === first.handler && e.type === first.type && e.min === first.min && e.max === first.max && boundsOf(e) === boundsOf(first));
  return same ? first : undefined;
}

/** The type the documentation states, in the words of the C handlers' types. */
export function documentedType(text: string | undefined): ValueType | null {
  if (!text) return null;
  const word = text.trim().toLowerCase();
  if (/^bool/.test(word)) return 'boolean';
  if (/^(int|integer)\b/.test(word)) return 'integer';
  if (/^(unsigned|uint|u32)/.test(word)) return 'unsigned integer';
  if (/^long/.test(word)) return 'long';
  if (/^str/.test(word)) return 'string';
  if (/^vector/.test(word) || /integers?\s*\(?vector/.test(word)) return 'integer vector';
  return null;
}

export interface ManPagesIndex {
  version: string;
  byName: Map<string, ManPageDoc>;
}

export function indexManPages(docs: ManPagesDocs): ManPagesIndex {
  return { version: docs.upstreamVersion, byName: firstBy(docs.sysctls, (doc) => doc.names) };
}

export interface UpstreamText {
  markdown: string;
  source: DocLocation;
  /** Older kernels whose text differs materially, newest first, each with its text. */
  older: { kernels: string[]; markdown: string }[];
  /** The sysctls its section documents, where one section documents several (`msgmax`, `msgmnb`, `msgmni`). */
  names?: readonly string[];
}

export interface Joined {
  upstream: UpstreamFacts;
  /** Each measured kernel's own statements, by kernel id (sysctls only): its series' docs. */
  kernels: Record<string, KernelUpstream>;
  text: UpstreamText | null;
  /** The summary the text gives where its first paragraph is not prose (a kernel-parameters entry is a literal block). */
  summary?: string;
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9_]+/g) ?? []);

/**
 * Two texts differ materially when they share less than this share of their words: edits
 * of wording and markup stay below it, added or removed paragraphs go above.
 */
const SAME_TEXT = 0.85;

export function differsMaterially(a: string, b: string): boolean {
  const [x, y] = [words(a), words(b)];
  const shared = [...x].filter((w) => y.has(w)).length;
  const all = new Set([...x, ...y]).size;
  return all > 0 && shared / all < SAME_TEXT;
}

interface Found<T> {
  index: KernelDocsIndex;
  item: T;
}

/** Newest first: kernels that measured the tunable, then any other kernel that documents it. */
function lookup<T>(indexes: readonly KernelDocsIndex[], measured: ReadonlySet<string>, find: (index: KernelDocsIndex) => T | undefined): Found<T>[] {
  const order = [...indexes].sort((a, b) => Number(measured.has(b.series)) - Number(measured.has(a.series)) || compareSeries(b.series, a.series));
  return order.flatMap((index) => {
    const item = find(index);
    return item ? [{ index, item }] : [];
  });
}

const locationOf = (index: KernelDocsIndex, at: { file: string; line: number }): KernelLocation => ({
  file: at.file,
  line: at.line,
  kernel: index.series,
  version: index.version,
});

/** The older kernels' texts that differ materially from the one shown, grouped by text. */
function olderTexts(shown: Candidate, all: readonly Candidate[]): UpstreamText['older'] {
  const groups: UpstreamText['older'] = [];
  if (shown.series === undefined) return groups;
  for (const { series, markdown } of all) {
    if (series === undefined || compareSeries(series, shown.series) >= 0 || !differsMaterially(markdown, shown.markdown)) continue;
    const same = groups.find((g) => !differsMaterially(g.markdown, markdown));
    if (same) same.kernels.push(series);
    else groups.push({ kernels: [series], markdown });
  }
  return groups;
}

/**
 * The other names of a sysctl, each with what makes it the same tunable: one `ctl_table`
 * entry registered under several directories (net/core/neighbour.c's table serves
 * `net.ipv4.neigh` and `net.ipv6.neigh`), or two entries storing into one variable
 * (`fs.inotify.max_user_instances` and `user.max_inotify_instances`).
 */
function otherNames(indexes: readonly KernelDocsIndex[], name: string): { name: string; because: string }[] {
  return [...indexes]
    .sort((a, b) => compareSeries(b.series, a.series))
    .flatMap((index) => {
      const entry = index.ctlByName.get(name);
      if (!entry) return [];
      const sameSite = (index.ctlBySite.get(siteOf(entry)) ?? []).map((other) => ({ other, because: `the same \`ctl_table\` entry (\`${siteOf(entry)}\`) registers both names` }));
      const sameData = entry.data ? (index.ctlByData.get(entry.data) ?? []).map((other) => ({ other, because: `both names store into \`${entry.data}\`` })) : [];
      return [...sameSite, ...sameData].flatMap(({ other, because }) => (other.name && other.name !== name ? [{ name: other.name, because }] : []));
    });
}

/**
 * The man page's text, for a sysctl no kernel describes: its own, or that of another name
 * of the same `ctl_table` entry (arp(7) describes the IPv4 neighbour table, which IPv6 shares).
 */
function manPageText(manPages: ManPagesIndex | undefined, indexes: readonly KernelDocsIndex[], name: string): UpstreamText | null {
  if (!manPages) return null;
  const own = manPages.byName.get(name);
  const alias = own ? undefined : otherNames(indexes, name).find((other) => manPages.byName.has(other.name));
  const doc = own ?? (alias && manPages.byName.get(alias.name));
  if (!doc) return null;
  const note = alias ? `\n\nThis text documents \`${alias.name}\`; ${alias.because}.` : '';
  return { markdown: doc.markdown + note, source: { origin: 'man-pages', file: doc.file, line: doc.line, version: manPages.version, license: doc.license }, older: [] };
}

/** A text a page could show: where it comes from, and, for a kernel's text, which kernel. */
export interface Candidate {
  origin: DescriptionOrigin;
  markdown: string;
  source: DocLocation;
  /** The kernel series of a kernel's text; none for a man page. */
  series?: string;
  /** The sysctls a Documentation section documents, this one among them. */
  names?: readonly string[];
}

/**
 * The text a page shows: the first candidate of the first origin in `DESCRIPTION_PRECEDENCE`
 * that has any, candidates being in kernel order already; older kernels' texts of that
 * origin that differ materially come with it. The one place that ranks origins.
 */
export function pickDescription(candidates: readonly Candidate[]): UpstreamText | null {
  for (const origin of DESCRIPTION_PRECEDENCE) {
    const same = candidates.filter((c) => c.origin === origin);
    const [shown] = same;
    if (shown) return { markdown: shown.markdown, source: shown.source, older: olderTexts(shown, same), ...(shown.names && shown.names.length > 1 && { names: shown.names }) };
  }
  return null;
}

function firstOfEachOrigin(docs: readonly SysctlDoc[]): SysctlDoc[] {
  return docs.filter((doc, i) => docs.findIndex((other) => other.origin === doc.origin) === i);
}

function kernelCandidate(origin: DescriptionOrigin, { index, item }: Found<{ markdown: string; file: string; line: number }>): Candidate {
  return { origin, markdown: item.markdown, source: { origin: 'kernel', ...locationOf(index, item) }, series: index.series };
}

const rangeOf = (entry: CtlTableEntry | undefined): KernelUpstream['range'] => (entry && (entry.min !== null || entry.max !== null) ? { min: entry.min, max: entry.max } : null);

/** An entry's open bounds, each naming the page of the sysctl it names where there is one, so the page can link it. */
function statedOpenBounds({ min, max }: NonNullable<CtlTableEntry['openBounds']>, pages: PageLookup): NonNullable<KernelUpstream['openBounds']> {
  const stated = (bound: OpenBound): StatedOpenBound => {
    const page = bound.sysctl === undefined ? undefined : pages(bound.sysctl);
    return { ...bound, ...(page && { sysctlPage: page }) };
  };
  return { ...(min && { min: stated(min) }), ...(max && { max: stated(max) }) };
}

/**
 * What each measured kernel's own `ctl_table` entry and Documentation say of a sysctl:
 * handlers, bounds, defaults and registrations change between kernels. Each kernel id takes
 * its series' docs: they are read from the kernel source, one tree for every architecture.
 */
function kernelStatements(title: string, kernelIds: readonly string[], indexes: readonly KernelDocsIndex[], pages: PageLookup): Record<string, KernelUpstream> {
  const bySeries = new Map(indexes.map((index) => [index.series, index]));
  return Object.fromEntries(
    kernelIds
      .flatMap((id) => {
        const { series, arch } = parseKernelId(id);
        const index = bySeries.get(series)?.forArches([arch]);
        return index ? [{ id, index }] : [];
      })
      .map(({ id, index }): [string, KernelUpstream] => {
        const entry = ctlEntryOf(index, title);
        const doc = index.sysctl.get(title)?.find((section) => section.origin === 'documentation');
        return [
          id,
          {
            type: entry?.type ?? documentedType(doc?.type),
            ...(entry && { handler: entry.handler }),
            range: rangeOf(entry),
            ...(entry?.openBounds && { openBounds: statedOpenBounds(entry.openBounds, pages) }),
            definedIn: entry ? locationOf(index, entry) : null,
            documentedDefault: doc?.default ?? null,
            // An entry found by its procname was registered under another name: its registration is not this sysctl's.
            ...(entry?.name === title && entry.registered && { registered: entry.registered }),
            ...(entry?.name === title && entry.instancesRegistered && { instancesRegistered: entry.instancesRegistered }),
          },
        ];
      }),
  );
}

/**
 * What a tunable's page says upstream says: the text `pickDescription` picks from every
 * candidate, the type and range of its `ctl_table` entry, the default its Documentation states.
 *
 * @param pages finds the page of a sysctl whose value bounds this one
 */
export function joinUpstream(tunable: Pick<TunableFrontmatter, 'kind' | 'title' | 'path' | 'kernels'>, allIndexes: readonly KernelDocsIndex[], manPages?: ManPagesIndex, pages: PageLookup = () => undefined): Joined {
  // The docs are per series (content/docs/<series>.json): a series is measured when any architecture's kernel of it is.
  const measured = new Set(Object.keys(tunable.kernels).map((id) => parseKernelId(id).series));
  // One tree serves every architecture: a page reads what its own architectures' kernels build.
  const arches = [...new Set(Object.keys(tunable.kernels).map((id) => parseKernelId(id).arch))];
  const indexes = arches.length === 0 ? allIndexes : allIndexes.map((index) => index.forArches(arches));
  if (tunable.kind === 'boot' || tunable.kind === 'module') return joinParameter(tunable.title, measured, indexes);
  // Each kernel's first text of each origin: a second section of one origin in one kernel is no older text.
  const sections = tunable.kind === 'sysctl' ? lookup(indexes, measured, (i) => i.sysctl.get(tunable.title)).flatMap(({ index, item }) => firstOfEachOrigin(item).map((doc) => ({ index, item: doc }))) : [];
  const docs = sections.filter(({ item }) => item.origin === 'documentation');
  const { path } = tunable;
  const abi = tunable.kind === 'sysfs' && path !== null ? lookup(indexes, measured, (i) => i.abi(path)) : [];
  const ctl = tunable.kind === 'sysctl' ? lookup(indexes, measured, (i) => ctlEntryOf(i, tunable.title)) : [];
  const definition = ctl[0];
  const abiShown = abi[0]?.item;
  const type = definition?.item.type ?? documentedType(docs[0]?.item.type);
  const range = rangeOf(definition?.item);
  const manPage = tunable.kind === 'sysctl' ? manPageText(manPages, indexes, tunable.title) : null;
  const shown = pickDescription([
    ...sections.map((found) => ({ ...kernelCandidate(found.item.origin, found), names: found.item.names })),
    ...abi.map((found) => kernelCandidate('abi', found)),
    ...(manPage ? [{ origin: 'man-page' as const, markdown: manPage.markdown, source: manPage.source }] : []),
  ]);
  return {
    upstream: {
      type,
      range,
      definedIn: definition ? locationOf(definition.index, definition.item) : null,
      docSource: shown?.source ?? null,
      documentedDefault: docs[0]?.item.default ?? null,
      abi: abiShown ? { status: abiShown.status, date: abiShown.date ?? null, kernelVersion: abiShown.kernelVersion ?? null } : null,
    },
    kernels: tunable.kind === 'sysctl' ? kernelStatements(tunable.title, Object.keys(tunable.kernels), indexes, pages) : {},
    text: shown,
  };
}

/** A boot or module parameter: its kernel-parameters.txt entry, the newest kernel's first. */
function joinParameter(name: string, measured: ReadonlySet<string>, indexes: readonly KernelDocsIndex[]): Joined {
  const entries = lookup(indexes, measured, (i) => i.boot.get(name));
  const shown = pickDescription(entries.map((found) => kernelCandidate('kernel-parameters', found)));
  const first = entries[0]?.item;
  const summary = first && bootEntrySummary(first);
  return {
    upstream: { ...NO_UPSTREAM, docSource: shown?.source ?? null, documentedDefault: first?.documentedDefault ?? null },
    kernels: {},
    text: shown,
    ...(summary && { summary }),
  };
}

/**
 * The first sentence of a kernel-parameters.txt entry: its first paragraph without the
 * names, the tags and the `Format:` and `Default:` lines. Undefined when that leaves nothing.
 */
export function bootEntrySummary(entry: Pick<BootParameterEntry, 'markdown' | 'names'>): string | undefined {
  let literal = entry.markdown.replace(/^```\w*\n|\n```$/g, '');
  const names = new Set(entry.names);
  // It starts with the names (`a=`, `b`, separated by commas, spaces or lines), then the tags' brackets.
  const NAME = /^[\s,]*([^\s,=[]+)=?/;
  for (let token = NAME.exec(literal); token && names.has(token[1]!); token = NAME.exec(literal)) literal = literal.slice(token[0].length);
  const paragraph: string[] = [];
  let skipBelow = -1;
  for (const line of literal.replace(/^\s*\[[^\]]*\]/, '').split('\n')) {
    const indent = /^\s*/.exec(line)![0].length;
    if (line.trim() === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    // A `Format:` or `Default:` line and the lines it continues onto.
    if (indent > skipBelow && skipBelow >= 0) continue;
    skipBelow = -1;
    if (/^\s*(?:format|default)\s*:/i.test(line)) {
      skipBelow = indent;
      continue;
    }
    // A list of values (`off -- disable…`, `timeout > 0: seconds…`) ends the lead.
    if (paragraph.length > 0 && /^\s*[^\s:]+(?:\s+[^\s:]+){0,3}\s*(?::|--)\s/.test(line)) break;
    paragraph.push(line.trim());
  }
  const text = paragraph.join(' ').replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  return clipped(SENTENCE.exec(text)?.[0] ?? text);
}

/** Summaries are one line in result lists and tables. */
const SUMMARY_LENGTH = 200;

/** Cut at a word when the sentence runs long. */
function clipped(sentence: string): string {
  return sentence.length <= SUMMARY_LENGTH ? sentence : `${sentence.slice(0, sentence.lastIndexOf(' ', SUMMARY_LENGTH - 1))}…`;
}

/**
 * One sentence: up to a stop followed by a space or the end, but not the stop of an
 * abbreviation ("(e.g. x86_64)") nor a range's ".." ("-8 (larger table) .. 8"). "etc."
 * ends one where a capital follows ("PCI root bridges etc. A hotplug profile…").
 */
const SENTENCE = /^.+?(?:(?<!\b(?:e\.g|i\.e|etc|vs)|\.)[.!?]|\betc\.(?=\s+[A-Z]|$))(?=\s|$)/;

/**
 * The docs stage's own lead-ins: one introduces a quoted comment, whose first paragraph is
 * the description; the other a kernel-parameters.txt entry, a literal block.
 */
const LEAD_IN = /\bsays:$|^Documented as the boot parameter\b/;

/**
 * A sentence that only gives a default, the possible values, a range or a type ("default 10",
 * "Default: 1 (enabled)", "Possible values:", "Defaults to 100 (minimum allowed value).",
 * "Default is set to (hb_interval * …)"): the page states these as facts, and they do not
 * say what the tunable does.
 */
const VALUES_ONLY = /^(?:defaults?(?: is)?(?: set)?(?: to)?\s*:?\s*[-+(\d]|default\s*:|(?:possible|valid) (?:values|range)\b|(?:range|type)\s*:)/i;

/** "default 552 - minimum Path MTU.": the default written before what the tunable is. */
const DEFAULT_PREFIX = /^default\s+\S+\s+-\s+(\S)/i;

/** "Obsolete since linux-6.6 Count buffering…": a label the docs write without a stop. */
const OBSOLETE_LABEL = /^Obsolete since \S+\s+(?=[A-Z])/;

/** A sentence that qualifies what another says ("Note, however, …", "NOTE:", "Obsolete …"), no description. */
const CAVEAT = /^(?:note|obsolete)\b/i;

/** An admonition's title on its own ("**Note**"): the paragraph after it is the note. */
const NOTE_TITLE = /^note:?$/i;

/** Marks a code span in plain text, so that a sentence can tell a name written as code (`msgmnb`) from a word. */
const CODE = '\u{E000}';

function plainText(node: Paragraph | PhrasingContent): string {
  if (node.type === 'inlineCode') return `${CODE}${node.value}${CODE}`;
  return 'children' in node ? node.children.map(plainText).join('') : toString(node);
}

/**
 * The paragraphs that may describe, as plain text with their code spans marked: top-level
 * paragraphs and those of a quote, without the docs stage's lead-ins and the notes. A
 * paragraph ending in a colon that introduces a list or an example ("…the commands
 * domainname and hostname, i.e.:") still says what it introduces, so it ends in a stop instead.
 */
function proseParagraphs(nodes: readonly RootContent[]): string[] {
  const texts: string[] = [];
  let inNote = false;
  for (const node of nodes) {
    if (node.type === 'blockquote') texts.push(...proseParagraphs(node.children));
    if (node.type !== 'paragraph') continue;
    const text = plainText(node).replace(/\s+/g, ' ').trim();
    const noteBody = inNote;
    inNote = NOTE_TITLE.test(text);
    if (noteBody || inNote || LEAD_IN.test(text)) continue;
    texts.push(
      text
        .replace(DEFAULT_PREFIX, (_, initial: string) => initial.toUpperCase())
        .replace(OBSOLETE_LABEL, '')
        .replace(/,?\s*(?:i\.e\.|e\.g\.)?:$/, '.'),
    );
  }
  return texts;
}

function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  for (let rest = text; rest !== ''; ) {
    const sentence = SENTENCE.exec(rest)?.[0] ?? rest;
    sentences.push(sentence);
    rest = rest.slice(sentence.length).trim();
  }
  return sentences;
}

/**
 * The first sentence of the documentation that says what the tunable does, as plain text:
 * what search results and index tables show. Not one that only gives a default or the
 * possible values, nor a note. Where one section documents several sysctls ("`msgmax` is
 * …. `msgmnb` is …"), the first sentence that names this one as code.
 *
 * @param name the tunable's name: its last component is what its section's sentences call it
 * @param sectionNames the sysctls its section documents, where it documents several
 */
export function summaryOf(markdown: string, name: string, sectionNames: readonly string[] = [name]): string | undefined {
  const tree = fromMarkdown(markdown, { extensions: [mdxjs()], mdastExtensions: [mdxFromMarkdown()] });
  const bare = (sentence: string) => sentence.replaceAll(CODE, '');
  const said = proseParagraphs(tree.children)
    .flatMap(sentencesOf)
    .filter((sentence) => !VALUES_ONLY.test(bare(sentence)) && !CAVEAT.test(bare(sentence)));
  const [first] = said;
  if (first === undefined) return undefined;
  const own = `${CODE}${name.split('.').at(-1)}${CODE}`;
  const ownSentence = sectionNames.length > 1 && !first.includes(own) ? said.find((sentence) => sentence.includes(own)) : undefined;
  return clipped(bare(ownSentence ?? first));
}
