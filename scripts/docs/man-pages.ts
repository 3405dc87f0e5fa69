/**
 * The Linux man-pages project's descriptions of sysctls: the fallback for tunables the
 * kernel's own Documentation does not describe (kernel.pty.*, kernel.keys.*, the ARP
 * neighbour table knobs, …). Read from Debian's `manpages` package of the newest suite.
 *
 * pandoc reads the roff (`-f man`): the pages describe each file as a tagged paragraph
 * (`.TP`), which pandoc gives as a definition list. A term names full paths
 * (`/proc/sys/kernel/pty/max`, in proc_sys_*(5), keyrings(7), …) or, in a "/proc
 * interfaces" section of a section-7 page, a bare file name below the directory the
 * section's prose names (`anycast_delay` below `/proc/sys/net/ipv4/neigh/*‍/`, arp(7)).
 * The definitions are converted to markdown by pandoc with the same Lua filter as the
 * kernel's RST, then made MDX-safe the same way.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ManPageDoc } from '#core/schemas/docs.ts';
import { runText } from '../lib/run.ts';
import { pandocToGfm, sentinelToken, splitAtSentinels, toMdx, withLuaFilter } from './rst.ts';
import { sysctlName } from './sysctl-prose.ts';

/** pandoc's JSON AST, as far as this reader needs it. */
interface PandocNode {
  t: string;
  c?: unknown;
}
interface PandocDocument {
  'pandoc-api-version': number[];
  meta: Record<string, unknown>;
  blocks: PandocNode[];
}
type DefinitionItem = [PandocNode[], PandocNode[][]];

/** A described sysctl before its definition is converted: `blocks` become `markdown`. */
export interface RawManDoc extends Omit<ManPageDoc, 'markdown'> {
  blocks: PandocNode[];
}

/** The plain text of inlines (or of anything holding inlines), as a reader sees it. */
export function plainText(node: unknown): string {
  if (Array.isArray(node)) return node.map(plainText).join('');
  if (typeof node !== 'object' || node === null) return '';
  const { t, c } = node as PandocNode;
  if (t === 'Str') return c as string;
  if (t === 'Space' || t === 'SoftBreak' || t === 'LineBreak') return ' ';
  if (t === 'Code' || t === 'Math') return (c as unknown[])[1] as string;
  // Quoted, Cite, Link, Span … keep their inlines at the end of `c`; Emph and friends are `c` itself.
  if (Array.isArray(c)) return plainText(t === 'Quoted' || t === 'Link' || t === 'Span' || t === 'Cite' ? c[1] : c);
  return '';
}

const PROC_SYS_PATH = /\/proc\/sys\/([A-Za-z0-9_.*\-/]+)/g;

/**
 * A path below /proc/sys as our pages name it: a `*` segment (`neigh/*‍/gc_thresh1`)
 * stands for every interface, which the generator names after its `default` directory.
 */
function nameOfPath(path: string): string {
  return sysctlName(path.replace(/\/+$/, '').split('/').map((s) => (s === '*' ? 'default' : s)).join('/'));
}

/** The files a term names: full /proc/sys paths (not directories), or a bare name below `directory`. */
export function termNames(term: string, directory: string | undefined): string[] {
  const paths = [...term.matchAll(PROC_SYS_PATH)].map((m) => m[1]!.replace(/[.,]+$/, '')).filter((p) => !p.endsWith('/') && !p.endsWith('*'));
  if (paths.length > 0) return paths.map(nameOfPath);
  const bare = /^([a-z][a-z0-9_-]*)(?:\s*\(.*\))?\s*$/.exec(term.trim());
  return bare && directory !== undefined ? [nameOfPath(`${directory}/${bare[1]}`)] : [];
}

/** `/proc/sys/net/ipv4/neigh/*‍/*` → `net/ipv4/neigh/*`: the directory a "/proc interfaces" section is about. */
export function sectionDirectory(text: string): string | undefined {
  for (const match of text.matchAll(PROC_SYS_PATH)) {
    const path = match[1]!.replace(/[.,]+$/, '');
    if (path.endsWith('/')) return path.replace(/\/+$/, '');
    if (path.endsWith('/*')) return path.replace(/\/\*$/, '');
  }
  return undefined;
}

/** A definition that only points elsewhere ("See pipe(7).") describes nothing. */
function describes(blocks: PandocNode[]): boolean {
  const text = plainText(blocks.map((b) => b.c)).trim();
  return text.length > 0 && !/^see\s[^.]*\.?$/i.test(text);
}

/** The line of the roff where a term's first name appears (roff escapes `-` as `\-`). */
function lineOf(roff: string, term: string): number {
  const probe = (/\/proc\/sys\/\S+|^\S+/.exec(term.trim())?.[0] ?? term).replaceAll('-', '\\-');
  const lines = roff.split('\n');
  const index = lines.findIndex((line) => /^\.(?:I|IR|B|BR|TP)\b/.test(line) && (line.includes(probe) || line.includes(probe.replaceAll('\\-', '-'))));
  return index + 1 || 1;
}

/** The SPDX licence a page states in its header comment. */
export function licenseOf(roff: string): string | undefined {
  return /SPDX-License-Identifier:\s*(.+?)\s*$/m.exec(roff)?.[1];
}

/**
 * The sysctls one page describes. `file` is the page's path in the man tree
 * (`man5/proc_sys_kernel.5`); `roff` its source, for line numbers and licence.
 */
export function parseManPage(file: string, roff: string, document: PandocDocument): RawManDoc[] {
  const license = licenseOf(roff) ?? 'unstated';
  const docs: RawManDoc[] = [];
  let inProcSection = false;
  let directory: string | undefined;
  const visit = (blocks: PandocNode[]) => {
    for (const block of blocks) {
      if (block.t === 'Header') {
        const title = plainText((block.c as unknown[])[2]);
        inProcSection = /\/proc/.test(title);
        directory = undefined;
      } else if (block.t === 'Para' && inProcSection && directory === undefined) {
        directory = sectionDirectory(plainText(block.c));
      } else if (block.t === 'DefinitionList') {
        for (const [term, definitions] of block.c as DefinitionItem[]) {
          const termText = plainText(term);
          const body = definitions.flat();
          const names = termNames(termText, inProcSection ? directory : undefined);
          if (names.length > 0 && describes(body)) docs.push({ file, line: lineOf(roff, termText), names, license, blocks: body });
          // proc_sys_kernel(5) nests the files of a directory in its definition.
          visit(body);
        }
      }
    }
  };
  visit(document.blocks);
  // A directory's term may lack its trailing slash (`/proc/sys/kernel/pty`): its files below it give it away.
  const all = docs.flatMap((doc) => doc.names);
  return docs.filter((doc) => !doc.names.some((name) => all.some((other) => other.startsWith(`${name}.`))));
}

/** The definitions as MDX-safe markdown: one pandoc run, each after a sentinel paragraph. */
async function definitionsToMdx(docs: RawManDoc[], apiVersion: number[]): Promise<string[]> {
  if (docs.length === 0) return [];
  const token = sentinelToken();
  const document: PandocDocument = {
    'pandoc-api-version': apiVersion,
    meta: {},
    blocks: docs.flatMap((doc, i) => [{ t: 'Para', c: [{ t: 'Str', c: `${token}${i}` }] }, ...doc.blocks]),
  };
  const parts = splitAtSentinels(await withLuaFilter((filter) => pandocToGfm('json', JSON.stringify(document), filter)), token, docs.length);
  if (!parts) throw new Error(`pandoc did not return the ${docs.length} man page definitions one by one`);
  return parts.map((part, i) => toMdx(part, plainText(docs[i]!.blocks.map((b) => b.c))));
}

/** One page: roff → pandoc AST → described sysctls with MDX-safe text. */
export async function readManPage(file: string, roff: string): Promise<ManPageDoc[]> {
  const document = JSON.parse(await runText('pandoc', ['-f', 'man', '-t', 'json'], { input: roff, label: `pandoc ${file}` })) as PandocDocument;
  const raw = parseManPage(file, roff, document);
  const markdown = await definitionsToMdx(raw, document['pandoc-api-version']);
  return raw.map(({ blocks: _blocks, ...doc }, i) => ({ ...doc, markdown: markdown[i]! }));
}

/** The sections that describe kernel interfaces: devices (4), files (5), overviews (7). */
const SECTIONS = ['man4', 'man5', 'man7'];

/**
 * Every sysctl the man tree (`…/usr/share/man`) describes. Only pages that name
 * /proc/sys are converted; a page pandoc cannot read is reported and skipped.
 */
export async function scanManPages(manRoot: string, onSkip: (file: string, reason: string) => void = () => {}): Promise<ManPageDoc[]> {
  const docs: ManPageDoc[] = [];
  for (const section of SECTIONS) {
    const names = (await readdir(join(manRoot, section)).catch(() => [] as string[])).sort();
    for (const name of names) {
      const file = `${section}/${name.replace(/\.gz$/, '')}`;
      const bytes = await readFile(join(manRoot, section, name));
      const roff = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      // `.so` pages only point at another page.
      if (!roff.includes('/proc/sys') || /^\.so\s/m.test(roff.slice(0, 200))) continue;
      try {
        docs.push(...(await readManPage(file, roff)));
      } catch (error) {
        onSkip(file, (error as Error).message);
      }
    }
  }
  return docs;
}
