/**
 * Hostile values travel the whole path: fake tree → scraper → generator → astro build,
 * and must reach the built page as visible, escaped text. So does hostile kernel
 * documentation: RST → pandoc (rstToMdx) → docs JSON → generator → astro build.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, makeFakeTree, makeTempDir, runScrape } from '../helpers/fake-tree.ts';
import { rstToMdx } from '../../scripts/docs/rst.ts';
import { DOCS_SCHEMA_VERSION, type KernelDocs } from '#core/schemas/docs.ts';

/** Kernel text as the Documentation could hold it: braces, tags, backticks, a stray JSX expression. */
const HOSTILE_RST = [
  'Reads ``{x}`` and {props.x} and <script>window.__docs = 1</script> literally.',
  '',
  'A literal block::',
  '',
  '    if (a < b) { return `x`; }',
  '',
  'Default: 60',
].join('\n');

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

describe('hostile values in a built site', () => {
  let dist: string;
  const html = (id: string) => readFileSync(join(dist, id, 'index.html'), 'utf8');

  beforeAll(async () => {
    const work = makeTempDir('lkt-hostile-');
    // The scraper's default per-read limit: this test is not about timeouts, and a busy machine beats a tight one.
    const scrape = runScrape(['--root', makeFakeTree()], work);
    if (!scrape.snapshot) throw new Error(scrape.stderr);
    const snapshots = join(work, 'snapshots');
    spawnSync('mkdir', ['-p', snapshots]);
    spawnSync('cp', [join(work, 'snapshot.json'), snapshots]);
    const docsDir = join(work, 'docs');
    mkdirSync(docsDir);
    const [markdown] = await rstToMdx([HOSTILE_RST]);
    const docs: KernelDocs = {
      schemaVersion: DOCS_SCHEMA_VERSION,
      series: '6.1',
      sourceVersion: '6.1.99-1',
      upstreamVersion: '6.1.99',
      sysctls: [{ names: ['vm.swappiness'], file: 'Documentation/admin-guide/sysctl/vm.rst', line: 1, default: '60', markdown: markdown!, origin: 'documentation' }],
      ctlTables: [],
      abi: [],
      bootParameters: [],
      bootTags: {},
      moduleParamDefaults: [],
    };
    writeFileSync(join(docsDir, '6.1.json'), JSON.stringify(docs));
    const content = join(work, 'content');
    const generate = spawnSync(process.execPath, ['scripts/generate/cli.ts', '--snapshots', snapshots, '--docs', docsDir, '--content', content], { encoding: 'utf8' });
    if (generate.status !== 0) throw new Error(generate.stderr);
    dist = join(work, 'dist');
    const build = spawnSync('npx', ['astro', 'build', '--force'], { encoding: 'utf8', env: { ...process.env, LKT_CONTENT_DIR: content, LKT_OUT_DIR: dist } });
    if (build.status !== 0) throw new Error(`astro build failed:\n${build.stdout}\n${build.stderr}`);
  }); // the project's hook limit: scrape and build took 107 s beside a CPU hog

  it('shows a <script> value as text and never as markup', () => {
    const page = html('sysctl/kernel/hostile_script');
    expect(page).toContain(escapeHtml(HOSTILE.script));
    expect(page).not.toContain(HOSTILE.script);
  });

  it('shows braces, backticks and a front matter fence literally', () => {
    for (const name of ['braces', 'backticks', 'frontmatter'] as const) {
      const shown = escapeHtml(HOSTILE[name].replace(/\s+/g, ' '));
      const page = html(`sysctl/kernel/hostile_${name}`);
      expect(page.includes(shown) || page.includes(shown.replaceAll('`', '&#96;')), `${name}: ${shown}`).toBe(true);
    }
  });

  it('shows hostile kernel documentation as text: no script, braces and code kept', () => {
    const page = html('sysctl/vm/swappiness');
    expect(page).not.toContain('<script>window.__docs');
    // `>` needs no escape in HTML text; `<` does, and is.
    expect(page).toMatch(/&lt;script(&gt;|>)window\.__docs = 1&lt;\/script(&gt;|>)/);
    expect(page).toContain('{props.x}');
    expect(page).toMatch(/<code[^>]*>\{x\}<\/code>/);
    expect(page).toMatch(/if \(a &lt; b\) \{ return (`|&#96;)x(`|&#96;); \}/);
  });

  it('builds pages for the awkward values too', () => {
    expect(html('sysctl/kernel/binary')).toContain('fo\\xff\\xfe\\x00');
    expect(html('sysctl/vm/drop_caches')).toContain('EACCES');
    expect(html('sysctl/kernel/blocking')).toContain('timeout');
  });
});
