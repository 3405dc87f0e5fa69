/**
 * Writing a tunable page and merging it with the page already on disk. A page holds only
 * its title, a writer's optional summary and the body; the facts go to the facts files
 * (run.ts writes them). The body is the writers': only the text between the generated markers is
 * the generator's, and a writer's edit there wins.
 */
import { createHash } from 'node:crypto';
import type { PhrasingContent, Root, RootContent } from 'mdast';
import type { MdxFlowExpression } from 'mdast-util-mdx';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { mdxFromMarkdown, mdxToMarkdown } from 'mdast-util-mdx';
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { mdxjs } from 'micromark-extension-mdxjs';
import { parseDocument, stringify } from 'yaml';
import { splitFrontmatter } from '#core/frontmatter.ts';
import { END_MARKER, GENERATED_END, GENERATED_START, startMarker } from '#core/generated-block.ts';
import { issuePath } from '#core/zod-error.ts';
import { kernelIdsOfPage, newestFacts, newestFirst } from '#core/kernels.ts';
import { pageIdOf } from '#core/paths.ts';
import { docUrl, manPageName, sourceUrl } from '#core/source-links.ts';
import { defaultText } from '#core/values.ts';
import { measuredTunable, pageFrontmatter, type DocLocation, type KernelFacts, type MeasuredTunable, type PageFrontmatter, type TunableFrontmatter } from '#core/schemas/tunable.ts';
import { linkTunables, type CurrentPage, type PageLookup } from './cross-links.ts';
import type { UpstreamText } from './upstream.ts';

const FRONTMATTER_NOTE = '# The facts are in content/facts (npm run generate). Yours: summary (optional) and the body outside the generated block.';

export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** A page that cannot be read safely: reported with file:line and left untouched. */
export class PageError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(`${problem.file}:${problem.line}: ${problem.message}`);
    this.problem = problem;
  }
}

export function blockHash(markdown: string): string {
  return createHash('sha256').update(markdown.trim()).digest('hex').slice(0, 12);
}

export function markdownOf(nodes: RootContent[]): string {
  const tree: Root = { type: 'root', children: nodes };
  return toMarkdown(tree, { extensions: [gfmToMarkdown(), mdxToMarkdown()] }).trim();
}

const paragraph = (...children: PhrasingContent[]): RootContent => ({ type: 'paragraph', children });

/**
 * Markdown meant to be MDX-safe (npm run docs makes it so), as nodes to place in the block;
 * serialising escapes it again. Text that does not parse as MDX after all goes in as a
 * literal block, so kernel text can never break a page.
 */
function nodesOf(markdown: string): RootContent[] {
  try {
    return fromMarkdown(markdown, { extensions: [gfm(), mdxjs()], mdastExtensions: [gfmFromMarkdown(), mdxFromMarkdown()] }).children;
  } catch {
    return [{ type: 'code', value: markdown }];
  }
}

/** Where the text comes from, linked; a man page also names its licence, which differs page by page. */
function attribution(source: DocLocation): PhrasingContent[] {
  if (source.origin === 'kernel') {
    return [
      { type: 'text', value: 'From ' },
      { type: 'link', url: docUrl(source), children: [{ type: 'inlineCode', value: source.file }] },
      { type: 'text', value: ` of Linux ${source.version}.` },
    ];
  }
  return [
    { type: 'text', value: 'No kernel documents it; from ' },
    { type: 'link', url: docUrl(source), children: [{ type: 'text', value: manPageName(source.file) }] },
    { type: 'text', value: ` of the Linux man-pages ${source.version} (licence ${source.license}).` },
  ];
}

function upstreamNodes(text: UpstreamText, current: CurrentPage, pages: PageLookup): RootContent[] {
  const { source } = text;
  const linked = (markdown: string) => linkTunables(nodesOf(markdown), current, pages);
  return [
    ...linked(text.markdown),
    paragraph({ type: 'emphasis', children: attribution(source) }),
    ...text.older.flatMap(({ kernels, markdown }): RootContent[] => [
      paragraph({ type: 'strong', children: [{ type: 'text', value: `Linux ${kernels.join(', ')} documented it differently:` }] }),
      { type: 'blockquote', children: linked(markdown) as never },
    ]),
  ];
}

/**
 * The generated block's text: the kernel's own documentation where it has any, then what was measured.
 * @param pages finds the page of another tunable the documentation mentions, to link it
 */
export function generatedBody(facts: TunableFrontmatter, text: UpstreamText | null, pages: PageLookup): string {
  const { facts: newest } = newestFacts(facts.kernels);
  const current = { name: facts.title, id: pageIdOf(facts) };
  const described = newestDescription(facts);
  const documentation = text
    ? upstreamNodes(text, current, pages)
    : described
      ? []
      : [paragraph({ type: 'text', value: `No documentation of the reference kernels describes this ${facts.kind === 'boot' || facts.kind === 'module' ? 'parameter' : 'tunable'}.` })];
  return markdownOf([...documentation, ...(described ? moduleDescriptionNodes(described) : []), ...measuredNodes(newest)]);
}

/** A module parameter's own description (modinfo's `parm`), from the newest kernel that has one. */
function newestDescription(facts: TunableFrontmatter): { text: string; module: string; release: string } | undefined {
  if (facts.kind !== 'module') return undefined;
  for (const one of newestFirst(kernelIdsOfPage(facts.kernels))) {
    const kernel = facts.kernels[one]!;
    if (kernel.parameter?.description) return { text: kernel.parameter.description, module: facts.subsystem, release: kernel.release };
  }
  return undefined;
}

function moduleDescriptionNodes({ text, module, release }: { text: string; module: string; release: string }): RootContent[] {
  return [
    { type: 'blockquote', children: [paragraph({ type: 'text', value: text }) as never] },
    paragraph({ type: 'emphasis', children: [{ type: 'text', value: `The module's own description (` }, { type: 'inlineCode', value: `modinfo ${module}` }, { type: 'text', value: ` on ${release}).` }] }),
  ];
}

/** What the newest kernel's boots read, else the C initialiser read in its source (said so); nothing where neither is known. */
function measuredNodes(newest: KernelFacts): RootContent[] {
  if (newest.defaultKind === 'unmeasured') return [];
  if (newest.defaultKind === 'source' && newest.defaultSource) {
    const at = newest.defaultSource;
    return [
      paragraph(
        { type: 'text', value: `Not measured on ${newest.release}; read from the C initialiser in its source (` },
        { type: 'link', url: sourceUrl(at), children: [{ type: 'inlineCode', value: `${at.file}:${at.line}` }] },
        { type: 'text', value: '): ' },
        { type: 'inlineCode', value: newest.default ?? '' },
        { type: 'text', value: '.' },
      ),
    ];
  }
  // A constant default is code a reader may copy; every other kind reads as prose, worded as the tables word it.
  const measured: PhrasingContent[] =
    newest.defaultKind === 'constant' && newest.default !== null
      ? [{ type: 'inlineCode', value: newest.default }]
      : [{ type: 'text', value: defaultText(newest) }];
  return [paragraph({ type: 'text', value: `Measured on ${newest.release}: ` }, ...measured, { type: 'text', value: '.' })];
}

function frontmatterText(frontmatter: PageFrontmatter): string {
  return `---\n${FRONTMATTER_NOTE}\n${stringify(frontmatter, { lineWidth: 0 })}---\n`;
}

export function newPage(facts: TunableFrontmatter, text: UpstreamText | null, pages: PageLookup): string {
  const body = generatedBody(facts, text, pages);
  return `${frontmatterText({ title: facts.title })}\n${startMarker(blockHash(body))}\n\n${body}\n\n${END_MARKER}\n`;
}

export interface ParsedPage {
  file: string;
  /**
   * The front matter as YAML data, not yet checked: a page from before the facts moved
   * out of the pages holds them all here (see pageHead).
   */
  frontmatter: unknown;
  /** The front matter with its fences, exactly as on disk. */
  head: string;
  /** The body after the front matter, exactly as on disk. */
  body: string;
  /** Line number in the file of the body's first line. */
  bodyLine: number;
  block?: { start: number; end: number; innerStart: number; innerEnd: number; hash: string; line: number };
}

export function parsePage(file: string, text: string): ParsedPage {
  const split = splitFrontmatter(text);
  if (!split) throw new PageError({ file, line: 1, message: 'no front matter: the page must start with a --- block' });
  const document = parseDocument(split.yaml);
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw new PageError({ file, line: 1 + (error.linePos?.[0]?.line ?? 1), message: `front matter: ${error.message.split('\n')[0]}` });
  }
  const { body, bodyLine } = split;
  let tree: Root;
  try {
    tree = fromMarkdown(body, { extensions: [mdxjs(), gfm()], mdastExtensions: [mdxFromMarkdown(), gfmFromMarkdown()] });
  } catch (error) {
    const place = (error as { line?: number }).line ?? 1;
    throw new PageError({ file, line: bodyLine + place - 1, message: `MDX: ${(error as Error).message.split('\n')[0]}` });
  }
  const isMarker = (node: RootContent): node is MdxFlowExpression =>
    node.type === 'mdxFlowExpression' && (GENERATED_START.test(node.value.trim()) || GENERATED_END.test(node.value.trim()));
  const markers = tree.children.filter(isMarker);
  const parsed: ParsedPage = { file, frontmatter: document.toJS(), head: text.slice(0, text.length - body.length), body, bodyLine };
  if (markers.length === 0) return parsed;
  const [startNode, endNode] = markers as [MdxFlowExpression, MdxFlowExpression | undefined];
  const line = bodyLine + startNode.position!.start.line - 1;
  const hash = GENERATED_START.exec(startNode.value.trim())?.[1];
  if (markers.length !== 2 || !hash || !endNode || !GENERATED_END.test(endNode.value.trim())) {
    throw new PageError({ file, line, message: 'generated block markers must be one "generated start" followed by one "generated end"' });
  }
  parsed.block = {
    start: startNode.position!.start.offset!,
    innerStart: startNode.position!.end.offset!,
    innerEnd: endNode.position!.start.offset!,
    end: endNode.position!.end.offset!,
    hash,
    line,
  };
  return parsed;
}

/** True when nothing on the page is a writer's: only the generator's untouched block. */
export function hasNoWritersWords(page: ParsedPage): boolean {
  const { body, block } = page;
  if (!block) return body.trim() === '';
  const inner = body.slice(block.innerStart, block.innerEnd);
  return blockHash(inner) === block.hash && (body.slice(0, block.start) + body.slice(block.end)).trim() === '';
}

/** Before the facts moved to content/facts, the front matter held them all, `kernels` among them. */
const isLegacyFrontmatter = (frontmatter: unknown): frontmatter is Record<string, unknown> =>
  typeof frontmatter === 'object' && frontmatter !== null && 'kernels' in frontmatter;

/**
 * The measured facts of a page no snapshot rewrites (a vanished tunable): from its facts
 * file, or from a page written before the facts moved out, from its own front matter.
 * What upstream says is joined again, so old facts still read.
 */
export function vanishedFacts(page: ParsedPage, stored: TunableFrontmatter | undefined): MeasuredTunable {
  const checked = measuredTunable.safeParse(stored ?? page.frontmatter);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const where = stored ? 'its stored facts' : 'no facts file has this page, and its front matter';
    throw new PageError({ file: page.file, line: 2, message: `${where}: ${issuePath(issue.path)}: ${issue.message}` });
  }
  return checked.data;
}

/**
 * The page's front matter as it should be: a page of today's layout keeps its own text
 * (a writer's summary, their formatting); a page from before the facts moved out gets a
 * new one, since all of its old front matter was the generator's. A key a page may not
 * hold (a typo of summary?) stops the page rather than lose the writer's words.
 */
function pageHead(page: ParsedPage, title: string): string {
  if (isLegacyFrontmatter(page.frontmatter)) return frontmatterText({ title });
  const checked = pageFrontmatter.safeParse(page.frontmatter);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new PageError({ file: page.file, line: 2, message: `front matter ${issuePath(issue.path)}: ${issue.message} (a page holds title and an optional summary)` });
  }
  if (checked.data.title === title) return page.head;
  return frontmatterText({ ...checked.data, title });
}

export interface Merged {
  text: string;
  conflict?: Problem;
}

/**
 * The page to write, given the one on disk. The writer's words outside the block are
 * kept byte for byte. Inside the block: if the writer did not touch it, the new text
 * replaces it; if the writer emptied it, the new text fills it; if the writer edited it,
 * the writer's text stays, and when the generated text changed too that is a conflict.
 * A page without markers belongs wholly to its writer.
 */
export function mergePage(file: string, existing: ParsedPage, facts: TunableFrontmatter, text: UpstreamText | null, pages: PageLookup): Merged {
  const head = pageHead(existing, facts.title);
  const { body, block } = existing;
  if (!block) return { text: head + body };
  const generated = generatedBody(facts, text, pages);
  const inner = body.slice(block.innerStart, block.innerEnd);
  const untouched = blockHash(inner) === block.hash || inner.trim() === '';
  if (untouched) {
    const rewritten = `${startMarker(blockHash(generated))}\n\n${generated}\n\n${END_MARKER}`;
    return { text: head + body.slice(0, block.start) + rewritten + body.slice(block.end) };
  }
  const result: Merged = { text: head + body };
  if (blockHash(generated) !== block.hash) {
    result.conflict = {
      file,
      line: block.line,
      message: 'the generated text changed, but this block was edited by hand: the edit is kept. Empty the block to take the new text, or delete both markers to own the text.',
    };
  }
  return result;
}
