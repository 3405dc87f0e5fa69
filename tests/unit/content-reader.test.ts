/**
 * The one reader of the content (src/data/tunables.ts): pages joined with their facts,
 * and every problem named with its file (and line) at once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FACTS_SCHEMA_VERSION, type TunableFrontmatter } from '#core/schemas/tunable.ts';
import { ContentError, readRecommendations, readTunables } from '../../src/data/tunables.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

const FACTS: TunableFrontmatter = {
  title: 'vm.swappiness',
  kind: 'sysctl',
  path: '/proc/sys/vm/swappiness',
  subsystem: 'vm',
  placeholders: [],
  summary: 'How hard the kernel swaps.',
  writable: true,
  status: 'present',
  namespace: null,
  module: null,
  kernels: { '6.1': { release: '6.1.0-1-amd64', source: 'qemu', mode: '0644', writable: true, default: '60', defaultKind: 'constant', namespace: null, module: null } },
  upstream: { type: null, range: null, definedIn: null, docSource: null, documentedDefault: null, abi: null },
};

function content(files: Record<string, string>): string {
  const root = makeTempDir('lkt-content-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const factsJson = (tunables: Record<string, TunableFrontmatter>) => JSON.stringify({ schemaVersion: FACTS_SCHEMA_VERSION, kind: 'sysctl', subsystem: 'vm', tunables });
const PAGE = '---\ntitle: vm.swappiness\n---\n\nBody.\n';

function problems(root: string): string[] {
  try {
    readTunables(root);
  } catch (error) {
    if (error instanceof ContentError) return error.problems;
    throw error;
  }
  throw new Error('read without complaint');
}

describe('readTunables', () => {
  it('joins each page with its facts; CRLF pages read the same', () => {
    const root = content({ 'facts/sysctl/vm.json': factsJson({ 'sysctl/vm/swappiness': FACTS }), 'tunables/sysctl/vm/swappiness.mdx': PAGE.replaceAll('\n', '\r\n') });
    const [page] = readTunables(root);
    expect(page).toMatchObject({ id: 'sysctl/vm/swappiness', data: FACTS, bodyLine: 4 });
    expect(page!.body).toBe('\r\nBody.\r\n');
  });

  it('reports every problem at once, each with its file and, for a page, its line', () => {
    const root = content({
      'facts/sysctl/vm.json': factsJson({ 'sysctl/vm/swappiness': FACTS, 'sysctl/vm/orphan': { ...FACTS, title: 'vm.orphan' } }),
      'tunables/sysctl/vm/swappiness.mdx': '---\ntitle: vm.swapiness\n---\n',
      'tunables/sysctl/vm/nofacts.mdx': '---\ntitle: vm.nofacts\n---\n',
      'tunables/sysctl/vm/extra.mdx': '---\ntitle: vm.extra\nkernels: {}\n---\n',
      'tunables/sysctl/vm/bare.mdx': 'No front matter.\n',
    });
    const found = problems(root);
    const pages = join(root, 'tunables/sysctl/vm');
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${join(pages, 'swappiness.mdx')}:2: title "vm.swapiness" is not the tunable's name "vm.swappiness"`)),
        expect.stringMatching(new RegExp(`^${join(pages, 'nofacts.mdx')}:1: no facts for sysctl/vm/nofacts`)),
        expect.stringMatching(new RegExp(`^${join(pages, 'extra.mdx')}:3: front matter: .*kernels.*a page holds only title and summary`)),
        expect.stringMatching(new RegExp(`^${join(pages, 'bare.mdx')}:1: no front matter`)),
        expect.stringMatching(new RegExp(`^${join(root, 'facts/sysctl/vm.json')}: facts for sysctl/vm/orphan, but there is no page`)),
      ]),
    );
    expect(found).toHaveLength(5);
  });

  it('names the field of a facts file that does not fit the schema', () => {
    const root = content({ 'facts/sysctl/vm.json': factsJson({ 'sysctl/vm/swappiness': { ...FACTS, writable: 'yes' as never } }), 'tunables/sysctl/vm/swappiness.mdx': PAGE });
    expect(problems(root)).toContainEqual(expect.stringMatching(/vm\.json: tunables\.sysctl\/vm\/swappiness\.writable: /));
  });

  it('says how to get content when there is none', () => {
    expect(problems(content({}))).toEqual([expect.stringContaining('no tunable pages (*.mdx): run npm run generate')]);
  });
});

describe('reading the recommendations', () => {
  const write = (root: string, name: string, text: string) => {
    mkdirSync(join(root, 'recommendations'), { recursive: true });
    writeFileSync(join(root, 'recommendations', name), text);
  };
  const valid = (source: string) => JSON.stringify({ schemaVersion: 1, source, packages: [{ name: 'tuned', version: '2.27.0-1' }], suite: 'sid', licence: 'GPL-2.0-or-later', homepage: 'https://tuned-project.org/', profiles: [], settings: [] });

  it('reads every source file; none where the content has no folder for them', () => {
    const root = makeTempDir('lkt-content-');
    expect(readRecommendations(root)).toEqual([]);
    write(root, 'tuned.json', valid('tuned'));
    expect(readRecommendations(root).map((file) => file.source)).toEqual(['tuned']);
  });

  it('names every file that is not valid JSON, breaks the schema, or is named for another source, all at once', () => {
    const root = makeTempDir('lkt-content-');
    write(root, 'tuned.json', '{ not json');
    write(root, 'ssg.json', valid('tuned'));
    write(root, 'other.json', JSON.stringify({ schemaVersion: 1, source: 'nobody' }));
    const problems = (() => {
      try {
        readRecommendations(root);
      } catch (error) {
        return (error as ContentError).message;
      }
      return '';
    })();
    expect(problems).toMatch(/recommendations\/tuned\.json: not valid JSON/);
    expect(problems).toMatch(/recommendations\/ssg\.json: holds source "tuned", so it must be named tuned\.json/);
    expect(problems).toMatch(/recommendations\/other\.json/);
  });
});
