/**
 * The sysctl prose of one kernel tree: every section of the Documentation that documents
 * a sysctl by name, with its RST body (converted to markdown afterwards, in one batch).
 *
 * Two layouts exist. The admin guide (`Documentation/admin-guide/sysctl/*.rst`) gives each
 * tunable a heading, below a heading that names its directory (`/proc/sys/vm/`,
 * `1. /proc/sys/net/core - Network core options`). The networking files
 * (`ip-sysctl.rst` and siblings) use definition lists: `name - TYPE` at column 0 with an
 * indented body, below headings such as `/proc/sys/net/ipv4/* Variables` and directory
 * terms such as ``` ``conf/interface/*`` ```. Names follow our pages: dotted, with
 * per-instance directories collapsed the way the generator collapses them
 * (`net.ipv4.conf.<interface>.rp_filter`).
 *
 * Elsewhere (a subsystem's own guide: `scheduler/sched-rt-group.rst`,
 * `security/keys/core.rst`, `filesystems/devpts.rst` …) a sysctl is documented where the
 * text names it in full — a `/proc/sys/…` path or a dotted name — in one of a few
 * layouts (`parseProseMentions`); a passing mention inside a sentence never counts.
 * A reference of entries that name their file in a field list (arm64's
 * legacy_instructions.rst: `:Node: /proc/sys/abi/swp`) documents each with its entry and
 * the file's introduction, which says what the values shared by every entry mean; a
 * paragraph that gives the command setting one (``` ``sysctl abi.tagged_addr_disabled=1`` ```)
 * documents it with that paragraph.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { collapsePath } from '#core/patterns.ts';
import { tunableName } from '#core/paths.ts';
import type { SysctlDoc } from '#core/schemas/docs.ts';
import { dedent } from './rst.ts';

/**
 * A section before its body is converted: `rst` becomes `markdown`. Its origin is a
 * Documentation file's (the schema's default, `documentation`) or kernel-parameters.txt's.
 */
export type RawSysctlDoc = Omit<SysctlDoc, 'markdown' | 'origin'> & { rst: string; origin?: Extract<SysctlDoc['origin'], 'documentation' | 'kernel-parameters'> };

/** Where the docs name a directory the kernel does not have: seg6 and ioam6 write `/proc/sys/net/conf/<iface>/`, the knobs live under ipv6. */
const DIRECTORY_FIXES: [RegExp, string][] = [[/^net\/conf\//, 'net/ipv6/conf/']];

const UNDERLINE = /^([=\-~^*+#`'".:_])\1{2,}\s*$/;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_\-.]*$/;
/** `ip_forward - BOOLEAN`, `neigh/default/gc_thresh1 - INTEGER`, `tcp_rmem - vector of 3 INTEGERs: min, default, max`. */
const TERM = /^([A-Za-z0-9_][A-Za-z0-9_\-/<>.]*)\s+-\s+(\S.*?)\s*$/;
/** ``` ``conf/interface/*``: ```, ``` ``icmp/*`` ```: the terms below live in that directory. */
const DIRECTORY_TERM = /^(?:``)?\/?([A-Za-z0-9_<>\-/]+?)\/\*(?:``)?:?\s*$/;

/** ``` ``/proc/sys/fs/mqueue/msg_max`` is a read/write file for … ```: a paragraph that documents one file. */
const FILE_PARAGRAPH = /^``\/proc\/sys\/([A-Za-z0-9_\-/]+)``\s+[a-z]/;

/** The directories of /proc/sys: a dotted name counts as a sysctl only below one of them (`kernel.pty.max`, not `vmlinux.lds`). */
const TOP_DIRECTORIES = 'abi|crypto|debug|dev|fs|fscache|kernel|net|sunrpc|user|vm';
/** A sysctl named in full: `/proc/sys/kernel/pty/max` (group 1, the path) or `kernel.pty.max` (group 2). */
const FULL_NAME = `(?:/proc/sys/([\\w\\-/.]*[\\w-])/?|((?:${TOP_DIRECTORIES})(?:\\.[\\w-]+)+))`;
/** A list item's marker: `*`, `-`, `a)`, `3.`, `#.`. */
const MARKER = '(?:[-*+]|[a-z0-9#]{1,2}[.)])\\s+';
/** A line that is only a path, maybe as a list item: `/proc/sys/kernel/sched_rt_period_us:`, `*  /proc/sys/kernel/keys/maxkeys`, `a) /proc/sys/net/core/…`. */
const PATH_ITEM = new RegExp(`^(\\s*)(${MARKER})?(?:\`\`)?/proc/sys/([\\w\\-/.]*[\\w-])/?(?:\`\`)?:?\\s*$`);
/**
 * A line of a literal block that lists sysctls: `net.core.flow_limit_table_len`,
 * `kernel.pty.max = 4096 - global limit`, `/proc/sys/kernel/sched_cfs_bandwidth_slice_us (default=5ms)`.
 * A value without a note (`net.ipv4.conf.all.arp_filter = 1`) is a setting to copy, not a listing.
 */
const LISTED = new RegExp(`^\\s*${FULL_NAME}(?:(?:\\s*=\\s*\\S+)?\\s*(?:\\(.*\\)|-\\s.*))?\\s*$`);
/** `The new pid namespaced sysctl vm.memfd_noexec has 3 values:`, `3. A new sysctl "fs.verity.require_signatures" is made available.` */
const SYSCTL_SENTENCE = new RegExp(`^(\\s*)(${MARKER})?(?:The|A)\\s+(?:new\\s+)?(?:[\\w-]+\\s+){0,3}?sysctl\\s+(?:"|\`\`)?${FULL_NAME}(?:"|\`\`)?(?=[\\s.,:;]|$)`);
/** ``` ``actions_avail``: ``` : a term that names a file of the directory the text introduced. */
const NAME_TERM = /^(?:``)?([a-z0-9_][\w\-.]*)(?:``)?:\s*$/;

/** The directory a heading names, below /proc/sys, e.g. `net/ipv4` for `/proc/sys/net/ipv4/* Variables`. */
export function headingDirectory(title: string): string | undefined {
  const match = /(?:^|[\s`])\/?proc\/sys\/([A-Za-z0-9_\-/<>.*]*)/.exec(title);
  if (!match) return undefined;
  const segments = match[1]!.split('/').filter(Boolean);
  while (segments.length > 0 && segments.at(-1)!.includes('*')) segments.pop();
  let directory = segments.join('/');
  for (const [pattern, replacement] of DIRECTORY_FIXES) directory = directory.replace(pattern, replacement);
  return directory;
}

/**
 * The tunable names a heading lists, or [] when it is prose: `a, b and c`, `a & b`, `a/b`,
 * with notes in parentheses (`(x86 only)`) and a trailing colon dropped.
 */
export function headingNames(title: string): string[] {
  const bare = title
    .replace(/\([^)]*\)/g, ' ')
    .replace(/``/g, '')
    .replace(/:\s*$/, '')
    .trim();
  const names = bare.split(/\s*(?:,|&|\/|\band\b)\s*/).filter(Boolean);
  // A capitalised word (`Introduction`, `Copyright`) is prose; sysctl names are lower case.
  const isName = (name: string) => NAME.test(name) && !/^[A-Z][a-z]*$/.test(name);
  return names.length > 0 && names.every(isName) ? names : [];
}

/** `4. TIPC` → `tipc`: a numbered heading without a path names a subdirectory of the file's. */
function numberedDirectory(title: string): string | undefined {
  const match = /^\d+[.)]\s+([A-Za-z][A-Za-z0-9_-]*)\s*(?:[-:(].*)?$/.exec(title.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

/**
 * What the docs state as the default: `Default: 0 (disabled)`, `Default value is 60`,
 * `default: 128`, `default 10`, a value list item marked `(default)`, or a sentence
 * `The default value is 60.`. As written, without RST literal marks.
 */
export function statedDefault(body: string): string | undefined {
  const clean = (value: string) =>
    value
      .replace(/``/g, '')
      .replace(/\s+-\s+.*$/, '')
      .replace(/[.;,]\s*$/, '')
      .trim() || undefined;
  for (const line of body.split('\n')) {
    const match = /^\s*default(?:\s+value)?(?:\s+is|\s*:|\s+(?=[\d"'`-]))\s*(\S.*)$/i.exec(line);
    if (match) return clean(match[1]!);
  }
  for (const line of body.split('\n')) {
    const item = /^\s*[-*]\s+(?:``)?([^\s`]+)(?:``)?\s+(?:-|:)\s+(?:\(default\)|.*\(default\)\s*$)/i.exec(line);
    if (item) return clean(item[1]!);
  }
  const sentence = /\bthe default(?: value)? is (?:set to )?((?:``)?[-\d"'][^\s,;]*(?:``)?)/i.exec(body);
  return sentence ? clean(sentence[1]!) : undefined;
}

/** A path below /proc/sys → our page name, e.g. `net/ipv4/conf/all/rp_filter` → `net.ipv4.conf.<interface>.rp_filter`. */
export function sysctlName(path: string): string {
  return tunableName('sysctl', collapsePath('sysctl', `/proc/sys/${path}`, new Map()).pattern);
}

const joinPath = (...parts: string[]) => parts.filter(Boolean).join('/');

/** The sysctl a full name denotes: group 1 of FULL_NAME is a path, group 2 a dotted name. */
function fullName(path: string | undefined, dotted: string | undefined): string {
  return sysctlName(path ?? dotted!.replaceAll('.', '/'));
}

interface Open {
  line: number;
  names: string[];
  type?: string;
  /**
   * What ends the section besides the next heading or term: a definition's body ends at
   * the first line back at column 0, a paragraph that names its file at a blank line.
   */
  ends: 'heading' | 'column0' | 'blank';
  body: string[];
}

/**
 * The `* ``child``: text` items of a section that documents a directory (`kernel.random`):
 * each child becomes a section of its own.
 */
function directoryEntries(section: Open, startLine: number): Open[] {
  if (!/\bdirectory\b/i.test(section.body.join('\n'))) return [];
  const entries: Open[] = [];
  section.body.forEach((text, i) => {
    // The item's first line is indented like its next lines (the width of `* `), so that dedent lines them up.
    const match = /^([*-]\s+)``([a-z0-9_]+)``\s*[:,]?\s*(.*)$/.exec(text);
    if (match) {
      entries.push({ line: startLine + i, names: section.names.map((name) => `${name}.${match[2]}`), ends: 'column0', body: [' '.repeat(match[1]!.length) + match[3]!] });
    } else if (entries.length > 0 && /^\s+\S/.test(text)) {
      entries.at(-1)!.body.push(text);
    }
  });
  return entries;
}

function finish(section: Open, file: string): RawSysctlDoc[] {
  const rst = dedent(section.body.join('\n'));
  const doc: RawSysctlDoc = { file, line: section.line, names: [...new Set(section.names)], rst };
  if (section.type) doc.type = section.type;
  const stated = statedDefault(rst);
  if (stated) doc.default = stated;
  return [doc];
}

const isHeading = (lines: readonly string[], i: number) => /^\S/.test(lines[i]!) && !UNDERLINE.test(lines[i]!) && UNDERLINE.test(lines[i + 1] ?? '');
/** `----` between blank lines: a transition, which RST uses like an unnamed section break. */
const isTransition = (lines: readonly string[], i: number) => UNDERLINE.test(lines[i]!) && (lines[i - 1] ?? '').trim() === '' && (lines[i + 1] ?? '').trim() === '';
const isBlank = (line: string | undefined) => (line ?? '').trim() === '';

/** The lines of the paragraph starting at `from`: up to the next blank line. */
function paragraphAt(lines: readonly string[], from: number): string[] {
  const end = lines.findIndex((line, i) => i >= from && isBlank(line));
  return lines.slice(from, end < 0 ? lines.length : end);
}

/**
 * The sysctls a paragraph lists after its colon, when that is all its last sentence does:
 * `… the debugging flags: rpc_debug, nfs_debug, nfsd_debug and nlm_debug.` Two or more, or none.
 */
function listedAfterColon(paragraph: string): string[] {
  const list = /:\s*([^:]+?)\.?\s*$/.exec(paragraph.replace(/\s+/g, ' '));
  const names = list ? headingNames(list[1]!) : [];
  return names.length >= 2 ? names : [];
}

/** Every sysctl section of a file of the admin guide or the networking definition lists (see the module comment). */
function parseSysctlDocument(file: string, text: string): RawSysctlDoc[] {
  const lines = text.split('\n');
  const docs: RawSysctlDoc[] = [];
  /** The directory of the latest /proc/sys heading, and of the latest directory term below it. */
  let base: string | undefined;
  let sub = '';
  /** Where the current section's text starts: after the latest heading or transition. */
  let sectionStart = 0;
  let open: Open | undefined;
  const close = () => {
    if (open) {
      docs.push(...finish(open, file));
      const bodyStart = open.line + (open.ends === 'heading' ? 2 : 1);
      for (const entry of directoryEntries(open, bodyStart)) docs.push(...finish(entry, file));
    }
    open = undefined;
  };
  const named = (names: string[], inSub: boolean) => names.map((name) => sysctlName(name.includes('/') || !inSub ? joinPath(base!, name) : joinPath(base!, sub, name)));

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1] ?? '';
    const atColumn0 = /^\S/.test(line);
    if (isHeading(lines, i)) {
      // An overline belongs to this heading, not to the previous section's body.
      if (open && UNDERLINE.test(lines[i - 1] ?? '')) open.body.pop();
      close();
      sectionStart = i + 2;
      const title = line.trim();
      const directory = headingDirectory(title);
      // `/proc/sys/net/unix/*` names a directory of its own, not a subdirectory of the latest one.
      const subdirectory = base !== undefined && directory === undefined ? DIRECTORY_TERM.exec(title) : null;
      if (subdirectory) {
        sub = subdirectory[1]!;
        i++;
        continue;
      }
      const numbered = directory === undefined && base !== undefined ? numberedDirectory(title) : undefined;
      if (directory !== undefined || numbered !== undefined) {
        base = directory ?? joinPath(base!.split('/')[0]!, numbered!);
        sub = '';
      } else if (base !== undefined) {
        const names = headingNames(title);
        if (names.length > 0) open = { line: i + 1, names: named(names, true), ends: 'heading', body: [] };
      }
      i++;
      continue;
    }
    // A transition ends a definition or a paragraph as text at column 0 would; a heading's section runs on through it.
    if (isTransition(lines, i) && open?.ends !== 'heading') {
      close();
      sectionStart = i + 1;
      continue;
    }
    // The body usually starts on the next line; some terms (`bridge-nf-call-arptables`) leave a blank line first.
    const termFollows = atColumn0 && (/^\s+\S/.test(next) || (next.trim() === '' && /^\s+\S/.test(lines[i + 2] ?? '')));
    const directoryTerm = termFollows ? DIRECTORY_TERM.exec(line) : null;
    const term = termFollows && !directoryTerm ? TERM.exec(line) : null;
    if (directoryTerm && base !== undefined) {
      close();
      sub = directoryTerm[1]!;
      continue;
    }
    if (term && base !== undefined) {
      close();
      open = { line: i + 1, names: named([term[1]!], true), type: term[2]!, ends: 'column0', body: [] };
      continue;
    }
    const startsParagraph = isBlank(lines[i - 1]);
    const fileParagraph = FILE_PARAGRAPH.exec(line);
    if (fileParagraph && startsParagraph) {
      close();
      open = { line: i + 1, names: [sysctlName(fileParagraph[1]!)], ends: 'blank', body: [line] };
      continue;
    }
    // A directory's files listed in one paragraph share its section's text (sunrpc.rst: `… flags: rpc_debug, nfs_debug, nfsd_debug and nlm_debug.`).
    const listed = !open && base !== undefined && atColumn0 && startsParagraph ? listedAfterColon(paragraphAt(lines, i).join(' ')) : [];
    if (listed.length > 0) {
      const first = lines.findIndex((text, j) => j >= sectionStart && !isBlank(text));
      open = { line: first + 1, names: named(listed, false), ends: 'heading', body: lines.slice(first, i) };
    }
    if ((open?.ends === 'column0' && atColumn0) || (open?.ends === 'blank' && line.trim() === '')) close();
    open?.body.push(line);
  }
  close();
  return docs;
}

/** The column a line's text starts at, tabs at 8-column stops. */
function indentOf(line: string): number {
  let column = 0;
  for (const char of /^[\t ]*/.exec(line)![0]) column = char === '\t' ? column + 8 - (column % 8) : column + 1;
  return column;
}

/** The lines from `from` that belong to an item or term at `column`: up to the first text at that column or left of it. */
function itemBody(lines: readonly string[], from: number, column: number): string[] {
  let end = from;
  while (end < lines.length && (isBlank(lines[end]) || indentOf(lines[end]!) > column)) end++;
  while (end > from && isBlank(lines[end - 1])) end--;
  return lines.slice(from, end);
}

/** The section a line is in: from below its heading (or the file's start) to the next heading (or its overline). */
function sectionOf(lines: readonly string[], headings: readonly number[], i: number): { heading: number | undefined; start: number; end: number } {
  const heading = headings.findLast((h) => h <= i);
  const next = headings.find((h) => h > i);
  const end = next === undefined ? lines.length : UNDERLINE.test(lines[next - 1] ?? '') ? next - 1 : next;
  return { heading, start: heading === undefined ? 0 : heading + 2, end };
}

/** A line that is only a /proc/sys path (or several, one a line), with an indented body: `/proc/sys/kernel/sched_rt_period_us:`, the keys' `*  /proc/sys/kernel/keys/maxkeys`. */
function pathItems(lines: readonly string[]): Open[] {
  const items: Open[] = [];
  for (let i = 0; i < lines.length; i++) {
    const item = PATH_ITEM.exec(lines[i]!);
    if (!item || !isBlank(lines[i - 1])) continue;
    const column = item[1]!.length;
    const names = [sysctlName(item[3]!)];
    let j = i + 1;
    for (let more; j < lines.length && (more = PATH_ITEM.exec(lines[j]!)) && !more[2] && indentOf(lines[j]!) > column; j++) names.push(sysctlName(more[3]!));
    const body = itemBody(lines, j, indentOf(lines[i]!));
    if (body.some((line) => !isBlank(line))) items.push({ line: i + 1, names, ends: 'column0', body });
    i = j - 1;
  }
  return items;
}

/**
 * A literal block or block quote, after a colon, that lists sysctls and nothing else
 * (`kernel.pty.max = 4096 - global limit`, `/proc/sys/kernel/keys/gc_delay`): its section
 * is about them, all of it.
 */
function literalListings(lines: readonly string[], headings: readonly number[]): Open[] {
  const listings: Open[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trimEnd().endsWith(':')) continue;
    const block = itemBody(lines, i + 1, indentOf(lines[i]!)).filter((line) => !isBlank(line));
    const listed = block.map((line) => LISTED.exec(line));
    if (block.length === 0 || !listed.every(Boolean)) continue;
    const section = sectionOf(lines, headings, i);
    const line = section.heading ?? i;
    listings.push({ line: line + 1, names: listed.map((m) => fullName(m![1], m![2])), ends: 'heading', body: lines.slice(section.start, section.end) });
  }
  return listings;
}

/**
 * A paragraph or list item whose first sentence introduces a sysctl by its full name
 * (`The new pid namespaced sysctl vm.memfd_noexec has 3 values:`): an item documents it in
 * its own text, a paragraph in the rest of its section.
 */
function sentenceSections(lines: readonly string[], headings: readonly number[]): Open[] {
  const sections: Open[] = [];
  lines.forEach((text, i) => {
    const sentence = SYSCTL_SENTENCE.exec(text);
    if (!sentence || !isBlank(lines[i - 1])) return;
    const names = [fullName(sentence[3], sentence[4])];
    const column = indentOf(text);
    if (sentence[2] || column > 0) {
      const lead = sentence[1]! + ' '.repeat(sentence[2]?.length ?? 0);
      sections.push({ line: i + 1, names, ends: 'column0', body: [lead + text.slice(lead.length), ...itemBody(lines, i + 1, column)] });
    } else {
      sections.push({ line: i + 1, names, ends: 'heading', body: lines.slice(i, sectionOf(lines, headings, i).end) });
    }
  });
  return sections;
}

/**
 * A paragraph that introduces a /proc/sys directory and ends with a colon (Yama's
 * `… through sysctls in ``/proc/sys/kernel/yama``:`), followed by the directory's files:
 * headings that name them, or terms (```` ``actions_avail``: ````) with an indented body.
 * The listing ends at the first heading or paragraph that is neither.
 */
function directoryListings(lines: readonly string[]): Open[] {
  const listings: Open[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\S/.test(lines[i]!) || !isBlank(lines[i - 1]) || isHeading(lines, i)) continue;
    const paragraph = paragraphAt(lines, i).join(' ');
    const paths = [...paragraph.matchAll(/\/proc\/sys\/([\w\-/.]*[\w-])/g)];
    if (paths.length !== 1 || !paragraph.trimEnd().endsWith(':')) continue;
    const directory = paths[0]![1]!;
    let j = i + paragraphAt(lines, i).length;
    while (j < lines.length) {
      if (isBlank(lines[j])) {
        j++;
      } else if (isHeading(lines, j)) {
        const names = headingNames(lines[j]!.trim());
        if (names.length === 0) break;
        let end = j + 2;
        while (end < lines.length && !isHeading(lines, end)) end++;
        const body = lines.slice(j + 2, UNDERLINE.test(lines[end - 1] ?? '') ? end - 1 : end);
        listings.push({ line: j + 1, names: names.map((name) => sysctlName(joinPath(directory, name))), ends: 'heading', body });
        j = end;
      } else {
        const term = NAME_TERM.exec(lines[j]!);
        const body = term ? itemBody(lines, j + 1, 0) : [];
        if (body.length === 0) break;
        listings.push({ line: j + 1, names: [sysctlName(joinPath(directory, term![1]!))], ends: 'column0', body });
        j += 1 + body.length;
      }
    }
    i = j - 1;
  }
  return listings;
}

/** `:Node: /proc/sys/abi/swp`: a field of a field list whose value is a /proc/sys path alone. */
const NODE_FIELD = /^:[A-Za-z][\w -]*:\s+(?:``)?\/proc\/sys\/([\w\-/.]*[\w-])\/?(?:``)?\s*$/;
const FIELD = /^:[A-Za-z][\w -]*:(?:\s|$)/;

/**
 * Entries whose field list names their /proc/sys file (`:Node: /proc/sys/abi/swp`), each
 * with the list item that titles it (`* SWP{B}`), its fields and the notes indented below
 * them, after the file's introduction (the text before its first section heading): the
 * entries share what it says, in legacy_instructions.rst what the values 0, 1 and 2 mean.
 */
function fieldListNodes(lines: readonly string[], headings: readonly number[]): Open[] {
  const firstSection = headings.find((h) => h > 1 && !UNDERLINE.test(lines[h - 1] ?? '')) ?? lines.length;
  // Below the title (and its overline), up to the first section's heading.
  const titleEnd = headings[0] !== undefined && headings[0] < firstSection ? headings[0] + 2 : 0;
  const introduction = headings[0] !== undefined && headings[0] < firstSection ? lines.slice(titleEnd, UNDERLINE.test(lines[firstSection - 1] ?? '') ? firstSection - 1 : firstSection) : [];
  const entries: Open[] = [];
  lines.forEach((text, i) => {
    const node = NODE_FIELD.exec(text);
    if (!node) return;
    let start = i;
    while (start > 0 && FIELD.test(lines[start - 1]!)) start--;
    // The item that titles the entry: the paragraph just above its field list, when it is a list item.
    let title = start - 1;
    while (title >= 0 && isBlank(lines[title])) title--;
    if (title >= 0 && new RegExp(`^${MARKER}`).test(lines[title]!) && title > (headings.findLast((h) => h <= start) ?? -1) + 1) start = title;
    let end = i + 1;
    while (end < lines.length && FIELD.test(lines[end]!)) end++;
    const body = [...lines.slice(start, end), ...itemBody(lines, end, 0)];
    entries.push({ line: i + 1, names: [sysctlName(node[1]!)], ends: 'column0', body: introduction.length > 0 ? [...introduction, '', ...body] : body });
  });
  return entries;
}

/** ``` ``sysctl abi.tagged_addr_disabled=1`` ```: the command that sets a sysctl, named in full, with the value it sets. */
const SET_COMMAND = new RegExp(`\`\`sysctl\\s+(?:-w\\s+)?${FULL_NAME}\\s*=\\s*[^\\s\`]+\`\``, 'g');

/**
 * A paragraph that says what setting a sysctl does, giving the command that sets it
 * (arm64's tagged-address-abi.rst: `… returns -EINVAL if the AArch64 Tagged Address ABI is
 * globally disabled by ``sysctl abi.tagged_addr_disabled=1``. The default … is 0.`): it
 * documents the sysctls it sets. A name without a value to set is a passing mention.
 */
function setCommandParagraphs(lines: readonly string[]): Open[] {
  const paragraphs: Open[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isBlank(lines[i]) || !isBlank(lines[i - 1])) continue;
    const paragraph = paragraphAt(lines, i);
    const names = [...paragraph.join('\n').matchAll(SET_COMMAND)].map((m) => fullName(m[1], m[2]));
    if (names.length > 0) paragraphs.push({ line: i + 1, names, ends: 'blank', body: paragraph });
    i += paragraph.length - 1;
  }
  return paragraphs;
}

/** Each name in the first section that documents it: a later one only mentions it again. */
function firstMentions(sections: Open[]): Open[] {
  const seen = new Set<string>();
  return sections.flatMap((section) => {
    const names = section.names.filter((name) => !seen.has(name));
    for (const name of names) seen.add(name);
    return names.length > 0 ? [{ ...section, names }] : [];
  });
}

/** The sysctls a file outside the sysctl documents names in full, each with the text that documents it (see the module comment). */
function parseProseMentions(file: string, text: string): RawSysctlDoc[] {
  const lines = text.split('\n');
  const headings = lines.flatMap((_, i) => (isHeading(lines, i) ? [i] : []));
  const sections = [...fieldListNodes(lines, headings), ...pathItems(lines), ...directoryListings(lines), ...literalListings(lines, headings), ...sentenceSections(lines, headings), ...setCommandParagraphs(lines)];
  return firstMentions(sections).flatMap((section) => finish(section, file));
}

/** A file documents sysctls the admin guide's way when one of its headings names a /proc/sys directory. */
function namesProcSysInHeading(text: string): boolean {
  const lines = text.split('\n');
  return lines.some((line, i) => line.includes('proc/sys/') && isHeading(lines, i));
}

/** Every sysctl section of one RST file. `file` is the path relative to the tree root. */
export function parseSysctlRst(file: string, text: string): RawSysctlDoc[] {
  return namesProcSysInHeading(text) ? parseSysctlDocument(file, text) : parseProseMentions(file, text);
}

async function rstFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.rst')).map((entry) => join(entry.parentPath, entry.name));
}

/** The sysctl documents' sections, then what files elsewhere say about sysctls those leave out: a sysctl they describe keeps their text alone. */
export function fillGaps(documents: readonly RawSysctlDoc[], mentions: readonly RawSysctlDoc[]): RawSysctlDoc[] {
  const documented = new Set(documents.flatMap((doc) => doc.names));
  const gaps = mentions.flatMap((doc) => {
    const names = doc.names.filter((name) => !documented.has(name));
    return names.length > 0 ? [{ ...doc, names }] : [];
  });
  return [...documents, ...gaps];
}

/** Every sysctl section of a tree's Documentation (translations aside: they repeat the English text). */
export async function scanSysctlProse(root: string): Promise<RawSysctlDoc[]> {
  const files = (await rstFiles(join(root, 'Documentation'))).filter((file) => !file.includes('/translations/')).sort();
  const documents: RawSysctlDoc[] = [];
  const mentions: RawSysctlDoc[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (namesProcSysInHeading(text)) documents.push(...parseSysctlDocument(relative(root, file), text));
    else mentions.push(...parseProseMentions(relative(root, file), text));
  }
  return fillGaps(documents, mentions);
}
