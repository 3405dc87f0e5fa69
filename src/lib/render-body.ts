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
 *
 * The parser is Satteri (Rust, the one Astro 7 itself ships), chosen by measurement: on the
 * 1,466 committed bodies it parses in 0.1 s where micromark's MDX grammar, which the
 * generator writes with, takes 2.6 s, and every page renders to the same HTML with either
 * (tests/unit/render-body.test.ts checks that on every committed page).
 */
import type { Element, ElementContent, Properties } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Nodes as MdastNodes, Parents, Root } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';
import { toHast, type State } from 'mdast-util-to-hast';
import { mdxToMdast } from 'satteri';
import GithubSlugger from 'github-slugger';
import { portableUrl } from './portable-links.ts';

export interface Heading {
  depth: number;
  slug: string;
  text: string;
}

export interface RenderedBody {
  html: string;
  headings: Heading[];
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
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new BodyError(lineOf(node), `<${name}> is a component: tunable pages have none; use Markdown or a plain HTML element`);
  if (REFUSED_ELEMENTS.has(name)) throw new BodyError(lineOf(node), `<${name}> is not allowed on tunable pages: they load nothing and run no script of their own`);
  for (const attribute of node.attributes) {
    if (attribute.type !== 'mdxJsxAttribute' || (attribute.value !== null && typeof attribute.value !== 'string')) {
      throw new BodyError(lineOf(node), `<${name}> has an attribute computed by JavaScript: write its value in quotes`);
    }
    if (/^on/i.test(attribute.name)) throw new BodyError(lineOf(node), `<${name} ${attribute.name}> would run a script: tunable pages run none of their own`);
  }
}

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
 * Renders one page body. `bodyLine` is the file line the body starts on, so a problem
 * names the line a writer sees in their editor; `pageDir` is the page's folder in the site
 * (`sysctl/vm/swappiness/`), which site paths in links are made relative to.
 */
export function renderBody(body: string, bodyLine = 1, pageDir = ''): RenderedBody {
  let tree: Root;
  try {
    // A body has no front matter (the reader split it off): a leading `---` is a rule.
    tree = mdxToMdast(body, { features: { gfm: true, frontmatter: false } }) as Root;
  } catch (error) {
    // Satteri's message opens with the body's `line:column:`.
    const [, line = '1', reason = String(error)] = /^(?:(\d+):\d+: )?(.*)/.exec((error as Error).message.split('\n')[0] ?? '') ?? [];
    throw new BodyError(bodyLine + Number(line) - 1, `not valid MDX: ${reason}`);
  }
  return renderTree(tree, bodyLine, pageDir);
}

/** A parsed body (an MDX syntax tree) → HTML: the half of renderBody after the parser. */
export function renderTree(tree: Root, bodyLine = 1, pageDir = ''): RenderedBody {
  const lineOf = (node: MdastNodes) => bodyLine + (node.position?.start.line ?? 1) - 1;
  checkTree(tree, lineOf);
  const hast = toHast(tree, {
    allowDangerousHtml: false,
    handlers: { mdxJsxFlowElement: jsxElement, mdxJsxTextElement: jsxElement },
  });
  const headings = addHeadingIds(hast);
  makeUrlsPortable(hast, pageDir);
  return { html: toHtml(hast, { characterReferences: { useNamedReferences: true } }), headings };
}
