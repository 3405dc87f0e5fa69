/**
 * `Documentation/admin-guide/kernel-parameters.txt`: every boot parameter a kernel
 * documents. An entry starts one tab in with its name (`isolcpus=` takes a value,
 * `nokaslr` is a flag; names on consecutive lines share one entry), then its tags in
 * brackets (`[KNL,SMP,ISOL]`), and its text indented further, with free-text `Format:`
 * and `default:` lines. What a tag means is in a legend: `kernel-parameters.rst` up to
 * 6.12, the head of the .txt itself from 7.x (`parseTagLegend` reads either).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { BootParameterEntry } from '#core/schemas/docs.ts';
import { dedent } from './rst.ts';

export const KERNEL_PARAMETERS = 'Documentation/admin-guide/kernel-parameters.txt';
export const KERNEL_PARAMETERS_LEGEND = 'Documentation/admin-guide/kernel-parameters.rst';

/** One entry of kernel-parameters.txt. */
export interface KernelParameter {
  line: number;
  /** The parameters it documents, as spelled (`sunrpc.min_resvport=`, `nokaslr`). */
  spelled: string[];
  /** Its tags, as written in its brackets: `KNL`, `X86-64`, `EARLY`. */
  tags: string[];
  /** The `Format:` text, joined onto one line. */
  format?: string;
  /** What a `default:` line says, as written. */
  documentedDefault?: string;
  /** The entry as written, names included, dedented, tabs expanded. */
  text: string;
}

/** `lockd.nlm_grace_period=P  [NFS] …` → `lockd.nlm_grace_period=`; `noautogroup	Disable …` → `noautogroup`. */
const ENTRY_HEAD = /^\t([A-Za-z0-9_][\w.\-]*)(=?)(.*)$/;

/** A tag: `KNL`, `X86-64`, `ACPI_DEBUG`, `M68k`, `IA-64`, `BUGS=` (in the legend) or `BUGS=X86-32` (on an entry). */
const TAG = /^[A-Z][A-Za-z0-9_-]*(?:=[A-Za-z0-9_-]*)?$/;

export const parameterName = (spelled: string) => spelled.replace(/=$/, '');

/** Tabs to spaces at 8-column stops: the file lines its columns up with tabs inside lines too (`noautogroup<TAB>Disable …`). */
function expandTabs(line: string): string {
  let out = '';
  for (const char of line) out += char === '\t' ? ' '.repeat(8 - (out.length % 8)) : char;
  return out;
}

/**
 * The tags of the first bracket group in `text` that stands apart (`[EFI; X86]`, `[ACPI,
 * IOAPIC]`; not the unit suffix of `mem=nn[KMG]`), if it holds tags only.
 */
function tagsIn(text: string): string[] {
  const group = /(?:^|\s)\[([^\]]*)\]/.exec(text)?.[1];
  const tags = (group ?? '').split(/[,;]/).map((tag) => tag.trim());
  return group !== undefined && tags.every((tag) => TAG.test(tag)) ? tags : [];
}

/** `Format:` and `default:` from an entry's body lines (dedented): a Format continues on lines indented deeper. */
function formatAndDefault(body: string[]): Pick<KernelParameter, 'format' | 'documentedDefault'> {
  const found: Pick<KernelParameter, 'format' | 'documentedDefault'> = {};
  body.forEach((line, i) => {
    const trimmed = line.trim();
    const format = /^Format:\s*(.*)$/i.exec(trimmed);
    if (format && found.format === undefined) {
      const indent = line.length - line.trimStart().length;
      const more = [];
      for (let j = i + 1; j < body.length && body[j]!.trim() !== '' && body[j]!.length - body[j]!.trimStart().length > indent; j++) more.push(body[j]!.trim());
      found.format = [format[1], ...more].filter(Boolean).join(' ');
    }
    const documented = /^default\s*:\s*(.+)$/i.exec(trimmed);
    if (documented && found.documentedDefault === undefined) found.documentedDefault = documented[1]!.trim();
  });
  return found;
}

/** Where the legend ends: the paragraph after it in the .rst (to 6.12), the heading before the entries in the .txt (7.x). */
const LEGEND_END = /^(?:\s*Parameters denoted with BOOT|Kernel parameters\s*$)/;

/** Where the entries start: after the tag legend where it heads the file (7.x), else at the top. */
function firstEntryLine(lines: string[]): number {
  const legendEnd = lines.findIndex((line) => LEGEND_END.test(line));
  return legendEnd < 0 ? 0 : legendEnd + 1;
}

/**
 * The entries of kernel-parameters.txt: a name one tab in, its text indented further.
 * Names on consecutive lines (`sunrpc.min_resvport=` / `sunrpc.max_resvport=`) share one text.
 */
export function parseKernelParameters(text: string): KernelParameter[] {
  const entries: KernelParameter[] = [];
  const lines = text.split('\n');
  let current: { line: number; spelled: string[]; heads: string[]; lines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const expanded = dedent(current.lines.map(expandTabs).join('\n'));
    const body = current.lines.slice(current.spelled.length).map(expandTabs);
    const firstBody = body.find((line) => line.trim() !== '') ?? '';
    const tags = [...new Set(current.heads.flatMap(tagsIn))];
    entries.push({ line: current.line, spelled: current.spelled, tags: tags.length > 0 ? tags : tagsIn(firstBody.trim().startsWith('[') ? firstBody : ''), ...formatAndDefault(body), text: expanded });
    current = undefined;
  };
  for (let i = firstEntryLine(lines); i < lines.length; i++) {
    const line = lines[i]!;
    const head = ENTRY_HEAD.exec(line);
    if (head) {
      if (current && current.lines.length === current.spelled.length) {
        current.spelled.push(head[1]! + head[2]!);
        current.heads.push(head[3]!);
      } else {
        flush();
        current = { line: i + 1, spelled: [head[1]! + head[2]!], heads: [head[3]!], lines: [] };
      }
      current.lines.push(line);
    } else if (current && (line.trim() === '' || /^\t[\t ]/.test(line))) {
      current.lines.push(line);
    } else {
      flush();
    }
  }
  flush();
  return entries;
}

/**
 * The tag legend: `<tab>KNL<tab>Is a kernel start-up parameter.` (or the tag, spaces, the
 * meaning), continued on lines indented further. `text` is the .rst up to 6.12 or the .txt
 * from 7.x; lines before the legend and after it do not match, and a file that has no
 * legend gives none (an entry like `ALSA  [HW,ALSA]` is not a tag).
 */
export function parseTagLegend(text: string): Record<string, string> {
  const legend: Record<string, string> = {};
  let last: string | undefined;
  const lines = text.split('\n');
  // Every era ends the legend with one of these: a file without one has no legend (the .txt up to 6.12).
  const end = lines.findIndex((line) => LEGEND_END.test(line));
  for (const line of lines.slice(0, Math.max(end, 0))) {
    const entry = /^\t([A-Z][A-Za-z0-9_-]*=?)(?:\t+| {2,}| (?=[A-Z]))(\S.*)$/.exec(line);
    if (entry && TAG.test(entry[1]!)) {
      last = entry[1]!;
      legend[last] = entry[2]!.trim();
    } else if (last && /^\t{2,}\S/.test(line)) {
      legend[last] += ` ${line.trim()}`;
    } else {
      last = undefined;
    }
  }
  return legend;
}

/** The entries as the docs file holds them; the text as a literal block, fenced past any backticks it holds. */
export function bootParameterEntries(entries: readonly KernelParameter[]): BootParameterEntry[] {
  return entries.map(({ line, spelled, tags, format, documentedDefault, text }) => ({
    file: KERNEL_PARAMETERS,
    line,
    names: spelled.map(parameterName),
    takesValue: spelled.map((name) => name.endsWith('=')),
    tags,
    ...(format === undefined ? {} : { format }),
    ...(documentedDefault === undefined ? {} : { documentedDefault }),
    markdown: toMarkdown({ type: 'code', lang: 'text', value: text }).trimEnd(),
  }));
}

/** A tree's kernel-parameters.txt entries and tag legend; a tree without the file has none. */
export async function readKernelParameters(root: string): Promise<{ entries: KernelParameter[]; legend: Record<string, string> }> {
  const read = (file: string) => readFile(join(root, file), 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
  const [text, legendText] = await Promise.all([read(KERNEL_PARAMETERS), read(KERNEL_PARAMETERS_LEGEND)]);
  return { entries: parseKernelParameters(text), legend: { ...parseTagLegend(legendText), ...parseTagLegend(text) } };
}
