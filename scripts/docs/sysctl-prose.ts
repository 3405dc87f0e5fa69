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
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { collapsePath } from '../generate/patterns.ts';
import { tunableName } from '../../src/lib/paths.ts';
import type { SysctlDoc } from '../../src/schemas/docs.ts';
import { dedent } from './rst.ts';

/** A section before its body is converted: `rst` becomes `markdown`. */
export type RawSysctlDoc = Omit<SysctlDoc, 'markdown'> & { rst: string };

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

/** Every sysctl section of one RST file. `file` is the path relative to the tree root. */
export function parseSysctlRst(file: string, text: string): RawSysctlDoc[] {
  const lines = text.split('\n');
  const docs: RawSysctlDoc[] = [];
  /** The directory of the latest /proc/sys heading, and of the latest directory term below it. */
  let base: string | undefined;
  let sub = '';
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
    if (atColumn0 && !UNDERLINE.test(line) && UNDERLINE.test(next)) {
      // An overline belongs to this heading, not to the previous section's body.
      if (open && UNDERLINE.test(lines[i - 1] ?? '')) open.body.pop();
      close();
      const title = line.trim();
      const subdirectory = base !== undefined ? DIRECTORY_TERM.exec(title) : null;
      if (subdirectory) {
        sub = subdirectory[1]!;
        i++;
        continue;
      }
      const directory = headingDirectory(title);
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
    const fileParagraph = FILE_PARAGRAPH.exec(line);
    if (fileParagraph && (lines[i - 1] ?? '').trim() === '') {
      close();
      open = { line: i + 1, names: [sysctlName(fileParagraph[1]!)], ends: 'blank', body: [line] };
      continue;
    }
    if ((open?.ends === 'column0' && atColumn0) || (open?.ends === 'blank' && line.trim() === '')) close();
    open?.body.push(line);
  }
  close();
  return docs;
}

async function rstFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.rst')).map((entry) => join(entry.parentPath, entry.name));
}

/** A file documents sysctls when one of its headings names a /proc/sys directory. */
function namesProcSysInHeading(text: string): boolean {
  const lines = text.split('\n');
  return lines.some((line, i) => line.includes('proc/sys/') && /^\S/.test(line) && UNDERLINE.test(lines[i + 1] ?? ''));
}

/** Every sysctl section of a tree's Documentation (translations aside: they repeat the English text). */
export async function scanSysctlProse(root: string): Promise<RawSysctlDoc[]> {
  const files = (await rstFiles(join(root, 'Documentation'))).filter((file) => !file.includes('/translations/')).sort();
  const docs: RawSysctlDoc[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (namesProcSysInHeading(text)) docs.push(...parseSysctlRst(relative(root, file), text));
  }
  return docs;
}
