/**
 * The offline search end to end on a real (tiny) Pagefind index: Pagefind writes it, the
 * bundle reader and encoder turn it into the offline index, and OfflineSearch answers queries.
 */
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode } from 'cbor-x';
import * as pagefind from 'pagefind';
import { beforeAll, describe, expect, it } from 'vitest';
import { normaliseQuery, OfflineSearch } from '../../src/lib/search/offline-search.ts';
import { offlineIndexFiles, offlineIndexFromBundle, type OfflineIndexParts } from '../../scripts/search-index/encode-offline-index.ts';
import { readPagefindBundle } from '../../scripts/search-index/pagefind-bundle.ts';
import type { PageData } from '#core/schemas/offline-index.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';
import { fileIndex, memoryLoader, pagesOf } from '../helpers/offline-index.ts';

interface FixturePage {
  url: string;
  title: string;
  summary: string;
  body: string;
  filters: Record<string, string>;
}

/** Marked up like a tunable page: only the article is indexed, the title weighs 10. */
function tunableHtml({ title, summary, body, filters }: FixturePage): string {
  const [first, ...rest] = Object.entries(filters);
  // An element holds one data-pagefind-filter attribute, so further filters go on empty spans.
  const extra = rest.map(([name, value]) => `<span data-pagefind-filter="${name}:${value}"></span>`).join('');
  return (
    `<html lang="en"><head><title>${title}</title></head><body><nav>Home Search swappiness navigation</nav>` +
    `<article data-pagefind-body data-pagefind-filter="${first![0]}:${first![1]}">${extra}` +
    `<h1 data-pagefind-meta="title" data-pagefind-weight="10">${title}</h1>` +
    `<p data-pagefind-meta="summary">${summary}</p><p>${body}</p></article></body></html>`
  );
}

const PAGES: FixturePage[] = [
  {
    url: '/sysctl/vm/swappiness/',
    title: 'vm.swappiness',
    summary: 'How eagerly the kernel swaps anonymous memory.',
    body: 'Higher values make the kernel swap more aggressively; zero avoids swapping.',
    filters: { subsystem: 'vm', kind: 'sysctl' },
  },
  {
    url: '/sysctl/vm/vfs_cache_pressure/',
    title: 'vm.vfs_cache_pressure',
    summary: 'How the kernel reclaims dentry and inode caches.',
    body: 'Often tuned together with swappiness. Swappiness governs anonymous pages, this governs caches.',
    filters: { subsystem: 'vm', kind: 'sysctl' },
  },
  {
    url: '/sysctl/fs/file-max/',
    title: 'fs.file-max',
    summary: 'System-wide limit on open file handles.',
    body: 'The maximum number of file handles the kernel allocates; see also file-nr.',
    filters: { subsystem: 'fs', kind: 'sysctl' },
  },
  {
    url: '/sys/kernel/mm/transparent_hugepage/enabled/',
    title: 'transparent_hugepage/enabled',
    summary: 'Whether anonymous memory uses transparent huge pages.',
    body: 'Huge pages reduce TLB misses for large anonymous mappings.',
    filters: { subsystem: 'mm', kind: 'sysfs' },
  },
  {
    url: '/boot/hugepages/',
    title: 'hugepages',
    summary: 'Huge pages reserved at boot.',
    body: 'The number of persistent huge pages the kernel reserves while booting.',
    filters: { subsystem: 'mm', kind: 'boot' },
  },
];

let bundleDir: string;
let index: OfflineIndexParts;
/** Every page's data, in page order. */
let pages: PageData[];
let search: OfflineSearch;

beforeAll(async () => {
  bundleDir = join(makeTempDir('lkt-pagefind-'), 'pagefind');
  try {
    const { index: pagefindIndex, errors } = await pagefind.createIndex();
    if (!pagefindIndex) throw new Error(`pagefind could not create an index: ${errors.join('; ')}`);
    for (const page of PAGES) {
      const added = await pagefindIndex.addHTMLFile({ url: page.url, content: tunableHtml(page) });
      if (added.errors.length > 0) throw new Error(`pagefind rejected ${page.url}: ${added.errors.join('; ')}`);
    }
    const written = await pagefindIndex.writeFiles({ outputPath: bundleDir });
    if (written.errors.length > 0) throw new Error(`pagefind could not write its index: ${written.errors.join('; ')}`);
  } finally {
    // The API runs Pagefind as a service process: stop it or the test run never exits.
    await pagefind.close();
  }
  // Two pages or titles per part: the fixture's five pages span three parts of each kind.
  index = offlineIndexFromBundle(await readPagefindBundle(bundleDir), { pagesPerPart: 2, titlesPerPart: 2 });
  pages = pagesOf(index);
  search = new OfflineSearch(index.core, memoryLoader(index));
});

const urlsFor = async (query: string | null, filters?: Record<string, string>, engine = search) =>
  Promise.all((await engine.search(query, filters)).map(async ({ page }) => (await engine.page(page)).url));
const pageNumber = (url: string) => pages.findIndex((page) => page.url === url);

describe('reading the Pagefind bundle', () => {
  it('holds every page with its title, summary and filters', async () => {
    expect(pages.map(({ url }) => url).sort()).toEqual(PAGES.map(({ url }) => url).sort());
    expect(index.core.pageCount).toBe(PAGES.length);
    for (const page of PAGES) {
      const number = pageNumber(page.url);
      expect(pages[number]).toMatchObject({ title: page.title, summary: page.summary });
      expect(pages[number]!.filters).toEqual({ subsystem: [page.filters.subsystem], kind: [page.filters.kind] });
    }
  });
});

describe('offline search', () => {
  it("finds a page first by its exact name, and by a prefix of it", async () => {
    expect((await urlsFor('vm.swappiness'))[0]).toBe('/sysctl/vm/swappiness/');
    expect((await urlsFor('swappiness'))[0]).toBe('/sysctl/vm/swappiness/');
    expect((await urlsFor('swapp'))[0]).toBe('/sysctl/vm/swappiness/');
    expect((await urlsFor('hugepages'))[0]).toBe('/boot/hugepages/');
  });

  it('ranks a page with the word in its title above one with it only in its text', async () => {
    // vfs_cache_pressure says "swappiness" twice in its text; swappiness has it once, in its title.
    const urls = await urlsFor('swappiness');
    expect(urls).toEqual(['/sysctl/vm/swappiness/', '/sysctl/vm/vfs_cache_pressure/']);
    const [first, second] = await search.search('swappiness');
    expect(first!.score).toBeGreaterThan(second!.score);
  });

  it("gives a page's title from a part of titles, loading no page data", async () => {
    const loaded: string[] = [];
    const titled = new OfflineSearch(index.core, async (name) => (loaded.push(name), memoryLoader(index)(name)));
    for (const { url, title } of PAGES) expect(await titled.title(pageNumber(url)), url).toBe(title);
    // Two titles per part: five pages in three parts, each loaded once.
    expect(loaded.sort()).toEqual(['t0', 't1', 't2']);
  });

  it('indexes only the article: words outside data-pagefind-body find nothing', async () => {
    expect(await urlsFor('navigation')).toEqual([]);
  });

  it('requires every word of a multi-word query', async () => {
    expect((await urlsFor('anonymous')).sort()).toEqual(['/sys/kernel/mm/transparent_hugepage/enabled/', '/sysctl/vm/swappiness/', '/sysctl/vm/vfs_cache_pressure/']);
    // transparent_hugepage mentions anonymous memory but not the kernel.
    expect((await urlsFor('kernel anonymous')).sort()).toEqual(['/sysctl/vm/swappiness/', '/sysctl/vm/vfs_cache_pressure/']);
    expect(await urlsFor('huge boot')).toEqual(['/boot/hugepages/']);
  });

  it('ignores a word that matches nothing, as Pagefind does, but finds nothing for only such words', async () => {
    expect(await urlsFor('swappiness qwzxv')).toEqual(await urlsFor('swappiness'));
    expect(await urlsFor('qwzxv')).toEqual([]);
    expect(await urlsFor('qwzxv jjkqq')).toEqual([]);
  });

  it("drops punctuation from the query like Pagefind's search box", async () => {
    expect((await urlsFor('vm.swappiness'))[0]).toBe('/sysctl/vm/swappiness/');
    expect(await urlsFor('file-max')).toEqual(['/sysctl/fs/file-max/']);
    expect(await urlsFor('(fs.file-max)')).toEqual(['/sysctl/fs/file-max/']);
    expect(await urlsFor('VM.SWAPPINESS')).toEqual(await urlsFor('vm.swappiness'));
  });

  it('narrows results with filters, combining several as AND', async () => {
    expect((await urlsFor('kernel', { subsystem: 'vm' })).sort()).toEqual(['/sysctl/vm/swappiness/', '/sysctl/vm/vfs_cache_pressure/']);
    expect(await urlsFor('huge', { subsystem: 'mm', kind: 'boot' })).toEqual(['/boot/hugepages/']);
    expect(await urlsFor('swappiness', { subsystem: 'fs' })).toEqual([]);
    expect(await urlsFor('kernel', { subsystem: 'no-such-subsystem' })).toEqual([]);
  });

  it("lists the pages of a filter-only search in Pagefind's page order", async () => {
    const inPagefindOrder = (keep: (page: FixturePage) => boolean) =>
      pages.map(({ url }) => url).filter((url) => keep(PAGES.find((page) => page.url === url)!));
    expect(await urlsFor(null, { kind: 'sysctl' })).toEqual(inPagefindOrder((page) => page.filters.kind === 'sysctl'));
    expect(await urlsFor(null, { subsystem: 'mm' })).toEqual(inPagefindOrder((page) => page.filters.subsystem === 'mm'));
    expect(await urlsFor('', {})).toEqual(pages.map(({ url }) => url));
    expect((await search.search(null, { kind: 'sysctl' })).every(({ score }) => score === 0)).toBe(true);
  });
});

describe('normaliseQuery', () => {
  it('lower-cases, drops punctuation but keeps _, and collapses spaces', async () => {
    expect(normaliseQuery('VM.Swappiness')).toBe('vmswappiness');
    expect(normaliseQuery('net.ipv4.tcp_max_orphans')).toBe('netipv4tcp_max_orphans');
    expect(normaliseQuery('  file-max   (fs) ')).toBe('filemax fs');
    expect(normaliseQuery('a - b')).toBe('a b');
    expect(normaliseQuery('"quoted" «text»!?')).toBe('quoted text');
    expect(normaliseQuery('')).toBe('');
  });
});

describe('the offline index scripts', () => {
  it('carry the index through JSON to a search that answers the same, loading only the parts a query needs', async () => {
    const dist = makeTempDir('lkt-offline-files-');
    for (const [file, script] of offlineIndexFiles(index)) {
      mkdirSync(dirname(join(dist, file)), { recursive: true });
      writeFileSync(join(dist, file), script);
    }
    const files = fileIndex(dist);
    expect(files.core).toEqual(index.core);
    const reloaded = new OfflineSearch(files.core, files.load);
    expect(files.loaded).toEqual([]);
    expect(await urlsFor('swappiness', {}, reloaded)).toEqual(await urlsFor('swappiness'));
    // One word chunk for the word, and the page parts of the two results.
    expect(files.loaded.filter((name) => name.startsWith('w'))).toHaveLength(1);
    expect(new Set(files.loaded.filter((name) => name.startsWith('p'))).size).toBeLessThanOrEqual(2);
    for (const query of ['swapp', 'kernel anonymous', 'file-max', 'huge', 'qwzxv']) {
      expect(await reloaded.search(query), query).toEqual(await new OfflineSearch(index.core, memoryLoader(index)).search(query));
    }
    expect(await reloaded.search(null, { subsystem: 'vm' })).toEqual(await search.search(null, { subsystem: 'vm' }));
    expect(await reloaded.title(pageNumber('/sysctl/vm/swappiness/'))).toBe('vm.swappiness');
    // Data as JSON in a string (JSON.parse reads it faster than an object literal).
    for (const script of offlineIndexFiles(index).values()) expect(script).toMatch(/=JSON\.parse\("/);
  });

  it('says which part is missing, and tries again after a failed load', async () => {
    let fail = true;
    const flaky = new OfflineSearch(index.core, async (name) => {
      if (fail && name.startsWith('p')) throw new Error(`could not load ${name}`);
      return memoryLoader(index)(name);
    });
    const [first] = await flaky.search('swappiness');
    await expect(flaky.page(first!.page)).rejects.toThrow(/could not load p\d/);
    fail = false;
    expect((await flaky.page(first!.page)).url).toBe('/sysctl/vm/swappiness/');
  });
});

describe('a corrupted Pagefind bundle', () => {
  /** A copy of the bundle with its pf_meta file replaced; returns the copy and that file's path. */
  function withMeta(bytes: Buffer): { dir: string; file: string } {
    const dir = makeTempDir('lkt-pagefind-bad-');
    cpSync(bundleDir, dir, { recursive: true });
    const name = readdirSync(dir).find((file) => file.endsWith('.pf_meta'));
    if (!name) throw new Error(`no pf_meta file in ${bundleDir}`);
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return { dir, file };
  }
  const pagefindFile = (payload: Buffer | Uint8Array) => gzipSync(Buffer.concat([Buffer.from('pagefind_dcd'), payload]));

  it('names a file without the Pagefind signature', async () => {
    const { dir, file } = withMeta(gzipSync(Buffer.from('{"not": "pagefind"}')));
    await expect(readPagefindBundle(dir)).rejects.toThrow(`${file}: not a Pagefind file`);
  });

  it('names a file whose layout is not the one this site reads', async () => {
    const { dir, file } = withMeta(pagefindFile(encode(['1.6.0', 'pages should be a list'])));
    await expect(readPagefindBundle(dir)).rejects.toThrow(`${file}: not the layout this site reads`);
  });

  it('names a fragment whose layout is not the one this site reads', async () => {
    const dir = makeTempDir('lkt-pagefind-bad-');
    cpSync(bundleDir, dir, { recursive: true });
    const fragment = join(dir, 'fragment', readdirSync(join(dir, 'fragment'))[0]!);
    writeFileSync(fragment, pagefindFile(Buffer.from(JSON.stringify({ url: 1, meta: {} }))));
    await expect(readPagefindBundle(dir)).rejects.toThrow(`${fragment}: not the layout`);
  });

  it('rejects a file that is not gzip or not CBOR', async () => {
    await expect(readPagefindBundle(withMeta(Buffer.from('plain text, not gzip')).dir)).rejects.toThrow();
    await expect(readPagefindBundle(withMeta(pagefindFile(Buffer.from('garbage after the signature'))).dir)).rejects.toThrow();
  });

  it('names a file that is not gzip', async () => {
    const { dir, file } = withMeta(Buffer.from('plain text, not gzip'));
    await expect(readPagefindBundle(dir)).rejects.toThrow(file);
  });

  it('names a file whose content after the signature is not CBOR', async () => {
    const { dir, file } = withMeta(pagefindFile(Buffer.from('garbage after the signature')));
    await expect(readPagefindBundle(dir)).rejects.toThrow(file);
  });
});
