/**
 * A tunable page's MDX body → HTML, once, when the content is loaded.
 *
 * Why not @astrojs/mdx: it compiles every page into a JavaScript module that the build
 * then bundles, and that bundling was two thirds of the site's build time (21 of 32 s for
 * 2,019 pages) and grows with every page. The pages use MDX for its grammar — escaped
 * braces and angle brackets, `{/* comments *\/}` as block markers — not for components, so
 * they are parsed into an MDX syntax tree and turned into HTML by mdast-util-to-hast. What
 * a page could do with MDX and cannot here (imports, components, JavaScript expressions,
 * scripts) fails the build with its file and line instead of being dropped silently.
 * Two components need no JavaScript and are rendered here, without an import: `<Tunable>`
 * (a link to another tunable's page, checked against the content) and `<Aside>` (a note,
 * caution or danger box); see COMPONENTS.
 *
 * The parser is Satteri (Rust, the one Astro 7 itself ships), chosen by measurement: on the
 * 1,466 committed bodies it parses in 0.1 s where micromark's MDX grammar, which the
 * generator writes with, takes 2.6 s, and every page renders to the same HTML with either
 * (tests/unit/render-body.test.ts checks that on every committed page).
 */
import type { Element, ElementContent, Properties } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Nodes as MdastNodes, Parents, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';
import { toHast, type State } from 'mdast-util-to-hast';
import { mdxToMdast } from 'satteri';
import GithubSlugger from 'github-slugger';
import { GENERATED_END, GENERATED_START } from '#core/generated-block.ts';
import { pageUrl } from '#core/paths.ts';
import { tunableKind } from '#core/schemas/snapshot.ts';
import { nearestNames } from '#core/sysctl-check/lint.ts';
import { portableUrl } from './portable-links.ts';

export interface Heading {
  depth: number;
  slug: string;
  text: string;
}

export interface RenderedBody {
  html: string;
  headings: Heading[];
  /** Whether the body holds words outside the generated block: a writer's own (see hasWritersWords). */
  writersWords: boolean;
}

/** Every tunable's name (its page title) → the ids of the pages of that name: what `<Tunable name>` may name. */
export type PagesByName = ReadonlyMap<string, readonly string[]>;

/** The name index of a content's pages, built once per load: the loader's, the bench's and the tests'. */
export function pagesByName(pages: Iterable<{ id: string; data: { title: string } }>): PagesByName {
  const byName = new Map<string, string[]>();
  for (const { id, data } of pages) byName.set(data.title, [...(byName.get(data.title) ?? []), id]);
  return byName;
}

/** Where a body is rendered: its first line in the file, its page's folder in the site, and the tunables it may link. */
export interface BodyContext {
  /** The file line the body starts on, so a problem names the line a writer sees in their editor. */
  bodyLine?: number;
  /** The page's folder in the site (`sysctl/vm/swappiness/`), which site paths in links are made relative to. */
  pageDir?: string;
  /** Without it, no `<Tunable>` resolves. */
  pages?: PagesByName;
}

/** A body that cannot be shown as written: `line` is the file's, not the body's. */
export class BodyError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

/** Elements a page may not carry: pages run no JavaScript of their own and take the site's styles. */
const REFUSED_ELEMENTS = new Set(['script', 'style', 'iframe', 'object', 'embed', 'link', 'meta', 'base', 'form']);

/** `{/* … *\/}`: a comment and nothing else (the generated block's markers are these). */
const ONLY_COMMENT = /^\s*\/\*(?:[^*]|\*(?!\/))*\*\/\s*$/;

type Jsx = MdxJsxFlowElement | MdxJsxTextElement;

/**
 * Drops comments; refuses what has no meaning without JavaScript. Runs before the HTML
 * conversion so every problem names its line.
 */
function checkTree(node: MdastNodes, lineOf: (node: MdastNodes) => number): void {
  if (node.type === 'mdxjsEsm') throw new BodyError(lineOf(node), 'import and export are not available on tunable pages: write Markdown');
  if ((node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') && !ONLY_COMMENT.test(node.value)) {
    throw new BodyError(lineOf(node), `the expression {${node.value.trim().slice(0, 40)}} would need JavaScript: write \\{ to show a brace`);
  }
  if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') checkElement(node, lineOf);
  if ('children' in node) {
    (node as Parents).children = (node as Parents).children.filter(
      (child) => !((child.type === 'mdxFlowExpression' || child.type === 'mdxTextExpression') && ONLY_COMMENT.test(child.value)),
    ) as never;
    for (const child of (node as Parents).children) checkTree(child, lineOf);
  }
}

function checkElement(node: Jsx, lineOf: (node: MdastNodes) => number): void {
  const name = node.name ?? '';
  if (name === '') throw new BodyError(lineOf(node), 'fragments (<>…</>) are not available on tunable pages: write the content without them');
  if (!/^[a-z][a-z0-9-]*$/.test(name) && !Object.hasOwn(COMPONENTS, name)) {
    throw new BodyError(lineOf(node), `<${name}> is a component: tunable pages have only ${COMPONENT_NAMES}; use Markdown or a plain HTML element`);
  }
  if (REFUSED_ELEMENTS.has(name)) throw new BodyError(lineOf(node), `<${name}> is not allowed on tunable pages: they load nothing and run no script of their own`);
  for (const attribute of node.attributes) {
    if (attribute.type !== 'mdxJsxAttribute' || (attribute.value !== null && typeof attribute.value !== 'string')) {
      throw new BodyError(lineOf(node), `<${name}> has an attribute computed by JavaScript: write its value in quotes`);
    }
    if (/^on/i.test(attribute.name)) throw new BodyError(lineOf(node), `<${name} ${attribute.name}> would run a script: tunable pages run none of their own`);
  }
}

/** What a component's renderer gets besides its node. */
interface ComponentContext {
  state: State;
  lineOf: (node: MdastNodes) => number;
  pages: PagesByName;
}

/** A component's attributes as written (checkElement let through only literal values), refusing any it does not take. */
function attributesOf(node: Jsx, context: ComponentContext, allowed: readonly string[]): Map<string, string | null> {
  const values = new Map<string, string | null>();
  for (const attribute of node.attributes) {
    if (attribute.type !== 'mdxJsxAttribute') continue;
    if (!allowed.includes(attribute.name)) {
      throw new BodyError(context.lineOf(node), `<${node.name}> takes ${allowed.map((name) => `${name}="…"`).join(' and ')}, not ${attribute.name}`);
    }
    values.set(attribute.name, attribute.value as string | null);
  }
  return values;
}

/** Block content of an element: when its text was written on the element's own line, MDX gives phrasing, held here in a paragraph. */
function asBlocks(node: Jsx, children: ElementContent[]): ElementContent[] {
  const phrasing = node.children.length > 0 && node.children.every((child) => !BLOCK_TYPES.has(child.type));
  return phrasing ? [{ type: 'element', tagName: 'p', properties: {}, children }] : children;
}

const BLOCK_TYPES: ReadonlySet<string> = new Set(['paragraph', 'heading', 'list', 'blockquote', 'code', 'table', 'thematicBreak', 'html', 'mdxJsxFlowElement', 'mdxFlowExpression']);

/**
 * `<Tunable name="vm.swappiness" />`: a link to that tunable's page, relative like every
 * link here (makeUrlsPortable), its text the name or the element's children. A name no
 * page bears fails the build, so a cross-link cannot break when a tunable is renamed or
 * mistyped; `kind` chooses where two kinds share a name (sunrpc.min_resvport is a sysctl
 * and a module parameter).
 */
function tunableLink(node: Jsx, context: ComponentContext): Element {
  const line = context.lineOf(node);
  const attributes = attributesOf(node, context, ['name', 'kind']);
  const name = attributes.get('name');
  if (!name) throw new BodyError(line, '<Tunable> needs the tunable\'s name: <Tunable name="vm.swappiness" />');
  const kind = attributes.get('kind');
  if (kind !== undefined && !tunableKind.safeParse(kind).success) {
    throw new BodyError(line, `<Tunable kind="${kind}">: kind is one of ${tunableKind.options.join(', ')}`);
  }
  const named = context.pages.get(name) ?? [];
  const ids = kind === undefined ? named : named.filter((id) => id.startsWith(`${kind}/`));
  if (ids.length === 0) {
    const nearest = nearestNames(name, [...context.pages.keys()]);
    const kindWords = kind === undefined ? '' : ` of kind ${kind}`;
    throw new BodyError(line, `<Tunable name="${name}">: no kernel has a tunable of that name${kindWords}${nearest.length > 0 ? ` (did you mean ${nearest.join(', ')}?)` : ''}`);
  }
  if (ids.length > 1) {
    const kinds = ids.map((id) => `kind="${id.split('/')[0]}"`);
    throw new BodyError(line, `<Tunable name="${name}"> names ${ids.length} tunables (${ids.join(', ')}): add ${kinds.join(' or ')}`);
  }
  const children = node.children.length > 0 ? (context.state.all(node) as ElementContent[]) : [{ type: 'text' as const, value: name }];
  if (node.children.some((child) => BLOCK_TYPES.has(child.type))) {
    throw new BodyError(line, `<Tunable name="${name}"> holds a paragraph: write its link text on the same line as <Tunable> and </Tunable>`);
  }
  const link: Element = { type: 'element', tagName: 'a', properties: { href: pageUrl(ids[0]!) }, children };
  // Alone on its line it is a paragraph of its own.
  return node.type === 'mdxJsxFlowElement' ? { type: 'element', tagName: 'p', properties: {}, children: [link] } : link;
}

/** The kinds of `<Aside>`, with the title each shows (and is named by). */
const ASIDE_TITLES = { note: 'Note', caution: 'Caution', danger: 'Danger' } as const;
type AsideType = keyof typeof ASIDE_TITLES;

/**
 * `<Aside type="caution">…</Aside>`: a box set off from the text (styles in global.css,
 * `.aside`). Role `note`, not the `<aside>` element's complementary landmark: it belongs
 * to the text around it, and landmarks nested in `main` are an accessibility error. Its
 * name is its title, which the box also shows.
 */
function aside(node: Jsx, context: ComponentContext): Element {
  const line = context.lineOf(node);
  if (node.type === 'mdxJsxTextElement') throw new BodyError(line, '<Aside> is a block: put <Aside> and </Aside> on lines of their own');
  const type = attributesOf(node, context, ['type']).get('type') ?? 'note';
  if (!Object.hasOwn(ASIDE_TITLES, type)) throw new BodyError(line, `<Aside type="${type}">: type is one of ${Object.keys(ASIDE_TITLES).join(', ')}`);
  const title = ASIDE_TITLES[type as AsideType];
  return {
    type: 'element',
    tagName: 'aside',
    properties: { className: ['aside', `aside-${type}`], role: 'note', ariaLabel: title },
    children: [
      // Hidden from assistive technology: it already reads the title as the note's name.
      { type: 'element', tagName: 'p', properties: { className: ['aside-title'], ariaHidden: 'true' }, children: [{ type: 'text', value: title }] },
      ...asBlocks(node, context.state.all(node) as ElementContent[]),
    ],
  };
}

/** The components a page may use without importing them: each renders to plain HTML. */
const COMPONENTS: Record<string, (node: Jsx, context: ComponentContext) => Element> = { Tunable: tunableLink, Aside: aside };
const COMPONENT_NAMES = Object.keys(COMPONENTS)
  .map((name) => `<${name}>`)
  .join(' and ');

/** A plain HTML element written as JSX becomes that element. */
function jsxElement(state: State, node: Jsx): Element {
  const properties: Properties = {};
  for (const attribute of node.attributes) {
    // checkElement let through only literal values.
    if (attribute.type === 'mdxJsxAttribute') properties[attribute.name === 'className' ? 'class' : attribute.name] = (attribute.value as string | null) ?? true;
  }
  return { type: 'element', tagName: node.name!, properties, children: state.all(node) as ElementContent[] };
}

/** Heading ids as Astro's Markdown gives them (github-slugger), so anchors keep working. */
function addHeadingIds(hast: ReturnType<typeof toHast>): Heading[] {
  const slugger = new GithubSlugger();
  const headings: Heading[] = [];
  const visit = (node: ElementContent | ReturnType<typeof toHast>) => {
    if (node.type === 'element' && /^h[1-6]$/.test(node.tagName)) {
      const text = hastText(node);
      const slug = slugger.slug(text);
      node.properties.id = slug;
      headings.push({ depth: Number(node.tagName[1]), slug, text });
    }
    if ('children' in node) for (const child of node.children) visit(child as ElementContent);
  };
  visit(hast);
  return headings;
}

/** Links and images as the rest of the site writes them: relative to the page, naming `index.html` (see href.ts). */
function makeUrlsPortable(node: ElementContent | ReturnType<typeof toHast>, pageDir: string): void {
  if (node.type === 'element') {
    for (const name of ['href', 'src'] as const) {
      const url = node.properties[name];
      if (typeof url === 'string') node.properties[name] = portableUrl(url, pageDir);
    }
  }
  if ('children' in node) for (const child of node.children) makeUrlsPortable(child as ElementContent, pageDir);
}

function hastText(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map((child) => hastText(child as ElementContent)).join('') : '';
}

/**
 * Whether a writer wrote anything on the page: any content but comments outside the
 * generated block (a page without the markers is all the writer's). Edits inside the block
 * are not counted: the guide asks writers to write outside it.
 */
function hasWritersWords(tree: Root): boolean {
  const isComment = (node: RootContent) => node.type === 'mdxFlowExpression' && ONLY_COMMENT.test(node.value);
  const marker = (pattern: RegExp) => tree.children.findIndex((node) => node.type === 'mdxFlowExpression' && pattern.test(node.value.trim()));
  const start = marker(GENERATED_START);
  const end = marker(GENERATED_END);
  const outside = start === -1 || end < start ? tree.children : [...tree.children.slice(0, start), ...tree.children.slice(end + 1)];
  return outside.some((node) => !isComment(node));
}

/** Renders one page body (see BodyContext for where it is rendered). */
export function renderBody(body: string, context: BodyContext = {}): RenderedBody {
  const bodyLine = context.bodyLine ?? 1;
  let tree: Root;
  try {
    // A body has no front matter (the reader split it off): a leading `---` is a rule.
    tree = mdxToMdast(body, { features: { gfm: true, frontmatter: false } }) as Root;
  } catch (error) {
    // Satteri's message opens with the body's `line:column:`.
    const [, line = '1', reason = String(error)] = /^(?:(\d+):\d+: )?(.*)/.exec((error as Error).message.split('\n')[0] ?? '') ?? [];
    throw new BodyError(bodyLine + Number(line) - 1, `not valid MDX: ${reason}`);
  }
  return renderTree(tree, context);
}

/** A parsed body (an MDX syntax tree) → HTML: the half of renderBody after the parser. */
export function renderTree(tree: Root, { bodyLine = 1, pageDir = '', pages = new Map() }: BodyContext = {}): RenderedBody {
  const lineOf = (node: MdastNodes) => bodyLine + (node.position?.start.line ?? 1) - 1;
  const writersWords = hasWritersWords(tree);
  checkTree(tree, lineOf);
  const element = (state: State, node: Jsx): Element => {
    const component = Object.hasOwn(COMPONENTS, node.name!) ? COMPONENTS[node.name!] : undefined;
    return component ? component(node, { state, lineOf, pages }) : jsxElement(state, node);
  };
  const hast = toHast(tree, {
    allowDangerousHtml: false,
    handlers: { mdxJsxFlowElement: element, mdxJsxTextElement: element },
  });
  const headings = addHeadingIds(hast);
  makeUrlsPortable(hast, pageDir);
  return { html: toHtml(hast, { characterReferences: { useNamedReferences: true } }), headings, writersWords };
}
