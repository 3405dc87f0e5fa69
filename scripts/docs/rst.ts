/**
 * reStructuredText fragments of the kernel's Documentation → MDX-safe markdown.
 *
 * pandoc does the reading: it is the one maintained RST reader outside docutils (Python)
 * and knows literal blocks, simple and grid tables, nested lists, roles and directives,
 * which hand-written converters get wrong. It runs in batches: fragments are joined with
 * sentinel paragraphs, converted by one pandoc process and split again, so a kernel's
 * ~1500 fragments cost a handful of processes. A Lua filter (below) shapes the tree for
 * an embedded page body. The markdown is then re-parsed with mdast and serialised with
 * the MDX extension, which escapes `{` and `<`; raw HTML becomes visible text, never markup.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Nodes, Parent, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { mdxFromMarkdown, mdxToMarkdown } from 'mdast-util-mdx';
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { mdxjs } from 'micromark-extension-mdxjs';
import { runText } from '../lib/run.ts';

/** Fragments per pandoc process: big enough to amortise start-up, small enough that a bad batch is cheap to bisect. */
const BATCH = 250;
/** pandoc processes at once. */
const PARALLEL = 2;

/**
 * Shapes pandoc's tree for a body embedded in a page:
 * - roles: `:ref:`/`:doc:` become their link text (their targets are not pages of ours),
 *   other roles (`:c:func:`, `:manpage:` …) inline code; links only to absolute URLs;
 * - directives become their content (a note keeps a bold "Note" lead), headings bold
 *   paragraphs (the page owns the outline), definition lists bullet lists (GFM has none);
 * - footnotes inline in parentheses: GFM writes them at the end of the document, which
 *   would put every fragment's notes into the last fragment;
 * - tables GFM cannot express (cells with several blocks) become a code block of pandoc's
 *   plain-text rendering; raw HTML/TeX becomes code, so it is shown, never run;
 * - every code block gets a marker class, so pandoc fences it: two indented code blocks
 *   in a row would read back as one.
 */
const FENCE = 'lkt-fence';
const LUA_FILTER = String.raw`
local FENCE = '${FENCE}'

local function role_text(text)
  local label = text:match('^(.-)%s*<[^>]*>$')
  if label and label ~= '' then text = label end
  return (text:gsub('^[~!]', ''))
end

local function is_absolute(url)
  return url:match('^https?://') or url:match('^mailto:') or url:match('^ftp://')
end

local function simple_cell(cell)
  local blocks = cell.contents or cell[5] or {}
  if #blocks > 1 then return false end
  if #blocks == 1 and blocks[1].t ~= 'Plain' and blocks[1].t ~= 'Para' then return false end
  return true
end

local function simple_table(tbl)
  local rows = {}
  for _, row in ipairs(tbl.head.rows or {}) do table.insert(rows, row) end
  for _, body in ipairs(tbl.bodies or {}) do
    for _, row in ipairs(body.body or {}) do table.insert(rows, row) end
  end
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row.cells or row[2] or {}) do
      if not simple_cell(cell) then return false end
      if (cell.row_span or 1) > 1 or (cell.col_span or 1) > 1 then return false end
    end
  end
  return true
end

return {{
  Code = function(el)
    local role = el.attributes['role']
    if role == nil then return nil end
    if role == 'ref' or role == 'doc' then return pandoc.Str(role_text(el.text)) end
    if role == 'math' then return pandoc.Code(el.text) end
    return pandoc.Code(role_text(el.text))
  end,
  Math = function(el) return pandoc.Code(el.text) end,
  Span = function(el) return el.content end,
  Link = function(el)
    if is_absolute(el.target) then return nil end
    return el.content
  end,
  Image = function(el)
    if #el.caption > 0 then return el.caption end
    return pandoc.Str(el.src)
  end,
  Note = function(el)
    return pandoc.Str(' (' .. pandoc.utils.stringify(el.content) .. ')')
  end,
  RawInline = function(el) return pandoc.Code(el.text) end,
  RawBlock = function(el) return pandoc.CodeBlock(el.text) end,
  Header = function(el) return pandoc.Para({pandoc.Strong(el.content)}) end,
  Div = function(el)
    if el.classes:includes('title') then
      return pandoc.Para({pandoc.Strong({pandoc.Str(pandoc.utils.stringify(el))})})
    end
    return el.content
  end,
  DefinitionList = function(el)
    local items = {}
    for _, item in ipairs(el.content) do
      local blocks = {pandoc.Plain({pandoc.Strong(item[1])})}
      for _, definition in ipairs(item[2]) do
        for _, block in ipairs(definition) do table.insert(blocks, block) end
      end
      table.insert(items, blocks)
    end
    return pandoc.BulletList(items)
  end,
}, {
  Table = function(el)
    if simple_table(el) then return nil end
    return pandoc.CodeBlock(pandoc.write(pandoc.Pandoc({el}), 'plain'))
  end,
}, {
  CodeBlock = function(el)
    el.classes = {FENCE}
    return el
  end,
}}
`;

/** Tabs to 8-column stops (as RST reads them), then the common indentation removed. */
export function dedent(text: string): string {
  const lines = text.split('\n').map((line) => line.replace(/^[\t ]+/, (lead) => {
    let column = 0;
    for (const char of lead) column = char === '\t' ? column + 8 - (column % 8) : column + 1;
    return ' '.repeat(column);
  }));
  const indents = lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common).trimEnd()).join('\n').replace(/^\n+|\n+$/g, '');
}

/**
 * Sphinx domain roles (`:c:func:`) are not RST that pandoc knows: keep only the last role
 * name so the Lua filter sees one `role` attribute. Sphinx-only directives that carry no
 * text of the section (`contents`, `kernel-doc`, `toctree`) are dropped.
 */
export function preprocess(rst: string): string {
  return rst
    .replace(/:(?:[a-z]+:)+([a-z]+):`/g, ':$1:`')
    .replace(/^(\s*)\.\. (?:contents|kernel-doc|toctree|kernel-feat|kernel-abi)::.*(?:\n\1[ \t]+\S.*|\n[ \t]*(?=\n))*/gm, '');
}

/** A sentinel paragraph's text: random, so no fragment can forge one. */
export function sentinelToken(): string {
  return `LKTSENTINEL${randomBytes(6).toString('hex')}N`;
}

/**
 * pandoc's output split at the sentinel paragraphs `<token>0` … `<token>count-1`;
 * undefined when they do not come back one per fragment, in order, as when a fragment's
 * construct swallowed the next sentinel.
 */
export function splitAtSentinels(output: string, token: string, count: number): string[] | undefined {
  const matches = [...output.matchAll(new RegExp(`^${token}(\\d+)$`, 'gm'))];
  if (matches.length !== count || matches.some((match, i) => Number(match[1]) !== i)) return undefined;
  const parts = matches.map((match, i) => output.slice(match.index + match[0].length, matches[i + 1]?.index ?? output.length));
  return parts.some((part) => part.includes(token)) ? undefined : parts;
}

/** pandoc to GFM through the Lua filter, `from` whichever reader the input needs. */
export function pandocToGfm(from: string, input: string, filter: string): Promise<string> {
  return runText('pandoc', ['-f', from, '-t', 'gfm-raw_html', '--wrap=none', '--lua-filter', filter], { input, label: 'pandoc' });
}

/** Runs `use` with the Lua filter written to a temporary file, removed afterwards. */
export async function withLuaFilter<T>(use: (filter: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lkt-pandoc-'));
  try {
    const filter = join(dir, 'filter.lua');
    await writeFile(filter, LUA_FILTER);
    return await use(filter);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One pandoc run over joined fragments, each after a sentinel paragraph. */
async function pandocBatch(fragments: string[], filter: string): Promise<string[] | undefined> {
  const token = sentinelToken();
  const input = fragments.map((fragment, i) => `${token}${i}\n\n${preprocess(dedent(fragment))}\n\n`).join('');
  let output: string;
  try {
    output = await pandocToGfm('rst', input, filter);
  } catch {
    return undefined;
  }
  return splitAtSentinels(output, token, fragments.length);
}

/** Converts a batch, halving it on failure until the fragment at fault converts alone (or not: undefined). */
async function convertBatch(fragments: string[], filter: string): Promise<(string | undefined)[]> {
  const parts = await pandocBatch(fragments, filter);
  if (parts) return parts;
  if (fragments.length === 1) return [undefined];
  const half = Math.ceil(fragments.length / 2);
  return [...(await convertBatch(fragments.slice(0, half), filter)), ...(await convertBatch(fragments.slice(half), filter))];
}

function codeBlock(text: string): Root {
  return { type: 'root', children: [{ type: 'code', value: text }] };
}

/** Raw HTML left in pandoc's output is shown as text: in flow position as its own paragraph. */
function htmlToText(node: Nodes): void {
  if (!('children' in node)) return;
  const parent = node as Parent;
  parent.children = parent.children.flatMap((child): RootContent[] => {
    if (child.type === 'code' && child.lang === FENCE) child.lang = null;
    if (child.type !== 'html') {
      htmlToText(child);
      return [child];
    }
    if (/^<!--[^]*-->$/.test(child.value.trim())) return [];
    const text = { type: 'text' as const, value: child.value };
    return parent.type === 'root' || parent.type === 'listItem' || parent.type === 'blockquote' ? [{ type: 'paragraph', children: [text] }] : [text];
  }) as typeof parent.children;
}

export const serialise = (tree: Root) => toMarkdown(tree, { extensions: [gfmToMarkdown(), mdxToMarkdown()], resourceLink: true }).trim();

/** Throws when the text is not MDX (with GFM), as the site's compiler would. */
export function assertMdx(markdown: string): void {
  fromMarkdown(markdown, { extensions: [mdxjs(), gfm()], mdastExtensions: [mdxFromMarkdown(), gfmFromMarkdown()] });
}

/** pandoc's GFM → MDX-safe markdown; the raw RST as a code block when that fails. */
export function toMdx(gfmText: string | undefined, rst: string): string {
  if (gfmText !== undefined) {
    try {
      const tree = fromMarkdown(gfmText, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
      htmlToText(tree);
      const markdown = serialise(tree);
      assertMdx(markdown);
      return markdown;
    } catch {
      // fall through to the code block
    }
  }
  return serialise(codeBlock(dedent(rst)));
}

/** Runs at most `parallel` of the tasks at once, keeping their order. */
async function inPool<T>(tasks: (() => Promise<T>)[], parallel: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, tasks.length) }, worker));
  return results;
}

/**
 * RST fragments (section bodies, indented or not) → MDX-safe markdown, same order and
 * length. A fragment pandoc cannot convert comes back as its text in a code block; one
 * bad fragment never fails the others.
 */
export async function rstToMdx(fragments: string[]): Promise<string[]> {
  if (fragments.length === 0) return [];
  const batches: string[][] = [];
  for (let i = 0; i < fragments.length; i += BATCH) batches.push(fragments.slice(i, i + BATCH));
  const converted = await withLuaFilter(async (filter) => (await inPool(batches.map((batch) => () => convertBatch(batch, filter)), PARALLEL)).flat());
  return fragments.map((rst, i) => toMdx(converted[i], rst));
}
