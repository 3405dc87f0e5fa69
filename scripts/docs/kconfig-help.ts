/**
 * Kconfig help texts as candidate text of sysctls (origin `kconfig-help`): the help of a
 * `config` option that names a sysctl in full (`dev.tty.ldisc_autoload`,
 * `/proc/sys/dev/mac_hid/mouse_button_emulation`) describes it — such an option sets the
 * sysctl's default or builds the code behind it (drivers/tty/Kconfig's `LDISC_AUTOLOAD`).
 *
 * Precision over reach: a name counts only when the tree registers a `ctl_table` entry of
 * exactly that name, and only when one option's help names it (two would be two stories).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CtlTableEntry, SysctlDoc } from '#core/schemas/docs.ts';
import { runText } from '../lib/run.ts';
import { dedent } from './rst.ts';
import { commentDoc, isDescription } from './source-comments.ts';

/** One `config` option's help text. */
export interface KconfigHelp {
  /** The option's symbol, without `CONFIG_`. */
  symbol: string;
  /** 1-based line of its `config` line. */
  line: number;
  /** The help text dedented, in paragraphs of lines. */
  paragraphs: string[][];
}

const ENTRY = /^\s*(?:menu)?config\s+(\w+)\s*$/;
/** A line at column 0 that is not a `config` ends the option before it (`choice`, `menu`, `if`, `source`, …). */
const OTHER_ENTRY = /^(?:choice|endchoice|menu|endmenu|if|endif|comment|source|mainmenu)\b/;
const HELP = /^\s*(?:-+\s*)?help(?:\s*-+)?\s*$/;

/** Columns of a line's leading whitespace, tabs to 8-column stops as Kconfig counts them. */
function indentation(line: string): number {
  let column = 0;
  for (const char of /^[\t ]*/.exec(line)![0]) column = char === '\t' ? column + 8 - (column % 8) : column + 1;
  return column;
}

/**
 * Every option's help: the lines after `help` (or 5.10's `---help---`), which end at the
 * first line indented less than the help's first line, as the Kconfig language defines.
 */
export function parseKconfigHelp(text: string): KconfigHelp[] {
  const lines = text.split('\n');
  const helps: KconfigHelp[] = [];
  let option: { symbol: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const entry = ENTRY.exec(lines[i]!);
    if (entry) option = { symbol: entry[1]!, line: i + 1 };
    else if (OTHER_ENTRY.test(lines[i]!)) option = undefined;
    if (!option || !HELP.test(lines[i]!)) continue;
    let first = i + 1;
    while (first < lines.length && lines[first]!.trim() === '') first++;
    if (first === lines.length || indentation(lines[first]!) <= indentation(lines[i]!)) continue;
    let end = first;
    while (end + 1 < lines.length && (lines[end + 1]!.trim() === '' || indentation(lines[end + 1]!) >= indentation(lines[first]!))) end++;
    const paragraphs = dedent(lines.slice(first, end + 1).join('\n')).split(/\n\s*\n/).map((p) => p.split('\n'));
    helps.push({ ...option, paragraphs });
    option = undefined;
    i = end;
  }
  return helps;
}

/** Trailing sentence punctuation is the text's, not the name's (`… see /proc/sys/kernel/panic.`). */
const bare = (name: string) => name.replace(/[.,:;)'"]+$/, '');

/**
 * The sysctls of `known` a help text names in full: dotted (`dev.tty.ldisc_autoload`) or as
 * a path (`/proc/sys/dev/tty/ldisc_autoload`). A placeholder name (`net.ipv4.conf.<interface>.x`)
 * is never in the text, so never named.
 */
export function namedSysctls(paragraphs: readonly string[][], known: ReadonlySet<string>): string[] {
  const text = paragraphs.flat().join('\n');
  const paths = [...text.matchAll(/\/proc\/sys\/([\w./-]+)/g)].map((m) => bare(m[1]!).replace(/\//g, '.'));
  const dotted = [...text.matchAll(/(?<![\w./-])[a-z][\w-]*(?:\.[\w-]+)+/g)].map((m) => bare(m[0]));
  return [...new Set([...paths, ...dotted])].filter((name) => known.has(name));
}

/** A Kconfig file of the tree, read. */
export interface KconfigFile {
  file: string;
  text: string;
}

/**
 * One doc per option whose help names sysctls of `entries`, with all of them; `file`/`line`
 * are the `config` line. A name two options' helps name is left out.
 */
export function kconfigDocs(files: readonly KconfigFile[], entries: readonly CtlTableEntry[]): SysctlDoc[] {
  const known = new Set(entries.flatMap((entry) => (entry.name !== null ? [entry.name] : [])));
  const found = files.flatMap(({ file, text }) => parseKconfigHelp(text).map((help) => ({ file, help, names: namedSysctls(help.paragraphs, known) })));
  const namings = new Map<string, number>();
  for (const { names } of found) for (const name of names) namings.set(name, (namings.get(name) ?? 0) + 1);
  return found.flatMap(({ file, help, names }) => {
    const own = names.filter((name) => namings.get(name) === 1);
    // The names and the option's symbol say nothing new; the help must say more.
    if (own.length === 0 || !isDescription(help.paragraphs, [...own.map((name) => name.split('.').at(-1)!), help.symbol])) return [];
    return [commentDoc(own, help.paragraphs, { origin: 'kconfig-help', option: help.symbol }, { file, line: help.line })];
  });
}

/**
 * Kconfig files under root that mention one of the names, dotted or as a path: grep is
 * much faster than reading the tree's 1700 Kconfig files, and `kconfigDocs` decides.
 */
async function filesNaming(root: string, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const patterns = names.flatMap((name) => ['-e', name, '-e', `/proc/sys/${name.replace(/\./g, '/')}`]);
  // grep exits 1, saying nothing, when nothing matches; any other failure is one.
  const stdout = await runText('grep', ['-rlF', '--include=Kconfig*', ...patterns, '.'], { cwd: root }).catch((error: Error) => {
    if (error.message.endsWith('failed: exit 1')) return '';
    throw error;
  });
  return stdout.split('\n').filter(Boolean).map((f) => f.replace(/^\.\//, '')).sort();
}

/** `kconfigDocs` for a tree, reading only the Kconfig files that mention a sysctl of its entries. */
export async function scanKconfigHelp(root: string, entries: readonly CtlTableEntry[]): Promise<SysctlDoc[]> {
  const names = [...new Set(entries.flatMap((entry) => (entry.name !== null && !entry.name.includes('<') ? [entry.name] : [])))];
  const files = await Promise.all((await filesNaming(root, names)).map(async (file) => ({ file, text: await readFile(join(root, file), 'utf8') })));
  return kconfigDocs(files, entries);
}
