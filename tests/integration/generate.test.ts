import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DOCS_SCHEMA_VERSION, type KernelDocs } from '#core/schemas/docs.ts';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot, type SnapshotEntry } from '#core/schemas/snapshot.ts';
import { parsePage } from '../../scripts/generate/page.ts';
import { factsDir, readFacts, readTunables } from '../../src/data/tunables.ts';
import { HOSTILE, makeTempDir } from '../helpers/fake-tree.ts';

function snapshotWith(entries: SnapshotEntry[]): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    source: 'fixture',
    kernel: { release: '6.1.0-99-amd64', series: '6.1' },
    machine: { arch: 'x86_64', cpus: 2, memoryKiB: 2048000 },
    entries,
    skipped: [],
    links: {},
  };
}

const sysctl = (name: string, value: string, mode = '0644'): SnapshotEntry => ({ path: `/proc/sys/${name.replaceAll('.', '/')}`, kind: 'sysctl', mode, value: `${value}\n` });

/** A workspace with a snapshot dir and a content dir, and the real generator CLI. */
function workspace(entries: SnapshotEntry[]) {
  const dir = makeTempDir('lkt-gen-');
  const snapshots = join(dir, 'snapshots');
  const content = join(dir, 'content');
  const out = join(content, 'tunables');
  const setSnapshot = (list: SnapshotEntry[]) => {
    spawnSync('mkdir', ['-p', snapshots]);
    writeFileSync(join(snapshots, 'fixture.json'), JSON.stringify(snapshotWith(list)));
  };
  setSnapshot(entries);
  // The kernels' documentation of the test: none until a test writes some.
  const docs = join(dir, 'docs');
  spawnSync('mkdir', ['-p', docs]);
  const setDocs = (kernel: KernelDocs) => writeFileSync(join(docs, `${kernel.series}.json`), JSON.stringify(kernel));
  const generate = (...args: string[]) => spawnSync(process.execPath, ['scripts/generate/cli.ts', '--snapshots', snapshots, '--docs', docs, '--content', content, ...args], { encoding: 'utf8' });
  const page = (id: string) => join(out, `${id}.mdx`);
  const read = (id: string) => readFileSync(page(id), 'utf8');
  const all = () => Object.fromEntries(readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mdx')).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
  /** A tunable's facts as the generator wrote them to its facts file. */
  const facts = (id: string) => {
    const entry = readFacts(factsDir(content)).get(id);
    if (!entry) throw new Error(`no facts for ${id}`);
    return entry.facts;
  };
  return { setSnapshot, setDocs, generate, page, read, all, facts, content };
}

const SWAPPINESS = 'sysctl/vm/swappiness';

describe('generator', () => {
  it('writes one page per tunable, collapsing interface instances', () => {
    const ws = workspace([sysctl('vm.swappiness', '60'), sysctl('net.ipv4.conf.all.rp_filter', '0'), sysctl('net.ipv4.conf.default.rp_filter', '2'), sysctl('net.ipv4.conf.eth0.rp_filter', '2')]);
    expect(ws.generate().status).toBe(0);
    expect(Object.keys(ws.all()).sort()).toEqual(['sysctl/net/ipv4/conf/_interface_/rp_filter.mdx', 'sysctl/vm/swappiness.mdx']);
    const rp = ws.facts('sysctl/net/ipv4/conf/_interface_/rp_filter');
    expect(rp.title).toBe('net.ipv4.conf.<interface>.rp_filter');
    expect(rp.kernels['6.1']!.default).toBe('2');
    expect(rp.kernels['6.1']!.instances!.map((i) => [i.instance, i.value])).toEqual([['all', '0'], ['default', '2'], ['eth0', '2']]);
  });

  it('changes no file, byte for byte, when run again on the same input', () => {
    const ws = workspace([sysctl('vm.swappiness', '60'), sysctl('kernel.hostile', HOSTILE.script)]);
    ws.generate();
    const first = ws.all();
    const again = ws.generate();
    expect(again.stderr).toMatch(/0 created, 0 updated, 2 unchanged/);
    expect(ws.all()).toEqual(first);
  });

  it("keeps a writer's words outside the generated block when the facts change", () => {
    const ws = workspace([sysctl('vm.swappiness', '60')]);
    ws.generate();
    const intro = 'Writers intro, *emphasis* kept.\n\n';
    const notes = '\n\n## Notes\n\nLower it on database hosts. <kbd>Ctrl</kbd>\n';
    const original = ws.read(SWAPPINESS);
    const bodyStart = original.indexOf('{/* generated start');
    writeFileSync(ws.page(SWAPPINESS), original.slice(0, bodyStart) + intro + original.slice(bodyStart).trimEnd() + notes);
    ws.setSnapshot([sysctl('vm.swappiness', '30')]);
    expect(ws.generate('--strict').status).toBe(0);
    const updated = ws.read(SWAPPINESS);
    expect(updated).toContain(intro);
    expect(updated.endsWith(notes)).toBe(true);
    expect(updated).toContain('`30`');
    expect(updated).not.toContain('`60`');
    expect(ws.facts(SWAPPINESS).kernels['6.1']!.default).toBe('30');
  });

  it("keeps a writer's edit inside the block, and reports a conflict with file:line when the generated text changes too", () => {
    const ws = workspace([sysctl('vm.swappiness', '60')]);
    ws.generate();
    const edited = ws.read(SWAPPINESS).replace("No documentation of the reference kernels describes this tunable.", 'Writer rewrote this.');
    writeFileSync(ws.page(SWAPPINESS), edited);
    // Same facts: the writer's edit simply stands.
    const quiet = ws.generate('--strict');
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).not.toMatch(/conflict/);
    ws.setSnapshot([sysctl('vm.swappiness', '10')]);
    const markerLine = edited.split('\n').findIndex((l) => l.startsWith('{/* generated start')) + 1;
    const lenient = ws.generate();
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toContain(`conflict: ${ws.page(SWAPPINESS)}:${markerLine}:`);
    expect(ws.read(SWAPPINESS)).toContain('Writer rewrote this.');
    const strict = ws.generate('--strict');
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('conflict:');
  });

  it('fills an emptied block with the new text', () => {
    const ws = workspace([sysctl('vm.swappiness', '60')]);
    ws.generate();
    const page = ws.read(SWAPPINESS);
    writeFileSync(ws.page(SWAPPINESS), page.replace(/(\{\/\* generated start [^\n]*\n)[^]*(\{\/\* generated end \*\/\})/, '$1\n$2'));
    ws.generate();
    expect(ws.read(SWAPPINESS)).toBe(page);
  });

  it('marks and reports a tunable that vanished from every snapshot, keeping its page', () => {
    const ws = workspace([sysctl('vm.swappiness', '60'), sysctl('vm.gone', '1')]);
    ws.generate();
    writeFileSync(ws.page('sysctl/vm/gone'), `${ws.read('sysctl/vm/gone')}\nWriter note on gone.\n`);
    ws.setSnapshot([sysctl('vm.swappiness', '60')]);
    const run = ws.generate();
    expect(run.stderr).toContain(`vanished: ${ws.page('sysctl/vm/gone')}`);
    const gone = ws.read('sysctl/vm/gone');
    expect(ws.facts('sysctl/vm/gone').status).toBe('vanished');
    expect(gone).toContain('Writer note on gone.');
  });

  it('prunes, when asked, only the vanished pages that hold no writer words', () => {
    const ws = workspace([sysctl('vm.swappiness', '60'), sysctl('vm.gone', '1'), sysctl('vm.kept', '1')]);
    ws.generate();
    writeFileSync(ws.page('sysctl/vm/kept'), `${ws.read('sysctl/vm/kept')}\nWriter note.\n`);
    ws.setSnapshot([sysctl('vm.swappiness', '60')]);
    const run = ws.generate('--prune');
    expect(run.stderr).toContain(`pruned: ${ws.page('sysctl/vm/gone')}`);
    expect(run.stderr).toContain(`vanished: ${ws.page('sysctl/vm/kept')}`);
    expect(Object.keys(ws.all()).sort()).toEqual(['sysctl/vm/kept.mdx', 'sysctl/vm/swappiness.mdx']);
  });

  it('removes a folder that pruning empties', () => {
    const ws = workspace([sysctl('vm.swappiness', '60'), sysctl('abi.vsyscall32', '1')]);
    ws.generate();
    ws.setSnapshot([sysctl('vm.swappiness', '60')]);
    expect(ws.generate('--prune').status).toBe(0);
    expect(readdirSync(join(ws.content, 'tunables/sysctl')).sort()).toEqual(['vm']);
  });

  it('names the file and line of a malformed page and leaves it untouched', () => {
    const ws = workspace([sysctl('vm.swappiness', '60')]);
    ws.generate();
    const broken = `${ws.read(SWAPPINESS)}\nFine line.\n\nBroken {expression\n`;
    writeFileSync(ws.page(SWAPPINESS), broken);
    const brokenLine = broken.split('\n').indexOf('Broken {expression') + 1;
    ws.setSnapshot([sysctl('vm.swappiness', '61')]);
    const run = ws.generate();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`error: ${ws.page(SWAPPINESS).replaceAll('/', '\\/')}:${brokenLine}: MDX`));
    expect(ws.read(SWAPPINESS)).toBe(broken);
  });

  it('escapes hostile values so the page still parses as MDX', () => {
    const ws = workspace(Object.entries(HOSTILE).map(([name, value]) => sysctl(`kernel.${name}`, value)));
    expect(ws.generate().status).toBe(0);
    for (const [name, value] of Object.entries(HOSTILE)) {
      const page = parsePage(name, ws.read(`sysctl/kernel/${name}`));
      expect(ws.facts(`sysctl/kernel/${name}`).kernels['6.1']!.default).toBe(value.replace(/\s+/g, ' '));
      expect(page.block).toBeDefined();
    }
  });

  it("joins the kernel's documentation: text, type, range, summary and links to other tunables; a docs change updates the block and keeps the writer's words", () => {
    const ws = workspace([sysctl('vm.swappiness', '60'), sysctl('vm.dirty_ratio', '20')]);
    const docs = (text: string): KernelDocs => ({
      schemaVersion: DOCS_SCHEMA_VERSION,
      series: '6.1',
      sourceVersion: '6.1.192-2',
      upstreamVersion: '6.1.192',
      sysctls: [{ names: ['vm.swappiness'], file: 'Documentation/admin-guide/sysctl/vm.rst', line: 900, default: '60', markdown: text, origin: 'documentation' }],
      ctlTables: [{ name: 'vm.swappiness', procname: 'swappiness', mode: '0644', handler: 'proc_dointvec_minmax', type: 'integer', min: '0', max: '200', file: 'kernel/sysctl.c', line: 2212 }],
      abi: [],
      bootParameters: [],
      bootTags: {},
      moduleParamDefaults: [],
    });
    ws.setDocs(docs('This control defines how hard the kernel swaps. Values \\{0..200\\} and \\<script> stay text. Cf. dirty_ratio.'));
    expect(ws.generate().status).toBe(0);
    const page = ws.read(SWAPPINESS);
    expect(page).toContain('This control defines how hard the kernel swaps.');
    expect(page).toContain('Cf. [dirty_ratio](../dirty_ratio/).');
    expect(ws.generate().stderr).toMatch(/0 created, 0 updated, 2 unchanged/);
    expect(page).toContain('(https://elixir.bootlin.com/linux/v6.1.192/source/Documentation/admin-guide/sysctl/vm.rst#L900)');
    const facts = ws.facts(SWAPPINESS);
    expect(facts.summary).toBe('This control defines how hard the kernel swaps.');
    expect(facts.upstream).toMatchObject({ type: 'integer', range: { min: '0', max: '200' }, definedIn: { file: 'kernel/sysctl.c', line: 2212, kernel: '6.1' }, documentedDefault: '60' });

    writeFileSync(ws.page(SWAPPINESS), `${page}\nA writer's note.\n`);
    ws.setDocs(docs('This control now says something else entirely about reclaim.'));
    expect(ws.generate().status).toBe(0);
    const updated = ws.read(SWAPPINESS);
    expect(updated).toContain('This control now says something else entirely about reclaim.');
    expect(updated).not.toContain('how hard the kernel swaps');
    expect(updated).toContain("A writer's note.");
  });
});

describe('facts out of the pages', () => {
  it('writes one facts file per kind and subsystem, and a page of only its title and the body', () => {
    const ws = workspace([sysctl('vm.swappiness', '60'), sysctl('vm.dirty_ratio', '20'), sysctl('kernel.panic', '0')]);
    expect(ws.generate().status).toBe(0);
    expect(readdirSync(join(ws.content, 'facts'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort()).toEqual(['sysctl/kernel.json', 'sysctl/vm.json']);
    const page = ws.read(SWAPPINESS);
    const frontmatter = page.slice(0, page.indexOf('\n---\n') + 5);
    expect(frontmatter.split('\n').filter((line) => line && !line.startsWith('#') && line !== '---')).toEqual(['title: vm.swappiness']);
    expect(ws.facts(SWAPPINESS)).toMatchObject({ title: 'vm.swappiness', kind: 'sysctl', subsystem: 'vm', kernels: { '6.1': { default: '60' } } });
  });

  it('changes only the lines that hold a changed default, in one facts file', () => {
    const ws = workspace([sysctl('vm.swappiness', '60'), sysctl('vm.dirty_ratio', '20'), sysctl('kernel.panic', '0')]);
    ws.generate();
    const before = readFileSync(join(ws.content, 'facts/sysctl/vm.json'), 'utf8').split('\n');
    const kernelFile = readFileSync(join(ws.content, 'facts/sysctl/kernel.json'), 'utf8');
    ws.setSnapshot([sysctl('vm.swappiness', '30'), sysctl('vm.dirty_ratio', '20'), sysctl('kernel.panic', '0')]);
    expect(ws.generate().stderr).toMatch(/facts files: 1 written, 1 unchanged/);
    const after = readFileSync(join(ws.content, 'facts/sysctl/vm.json'), 'utf8').split('\n');
    expect(after.length).toBe(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    // The default, and the summary of an undocumented tunable, which quotes it.
    expect(changed).toContain('          "default": "30",');
    expect(changed.length).toBeLessThanOrEqual(2);
    for (const line of changed) expect(line).toContain('30');
    expect(readFileSync(join(ws.content, 'facts/sysctl/kernel.json'), 'utf8')).toBe(kernelFile);
  });

  it("moves the facts of a page from before the move out of its front matter, losing no writer's word", () => {
    const ws = workspace([sysctl('vm.swappiness', '60')]);
    ws.generate();
    const facts = ws.facts(SWAPPINESS);
    const page = ws.read(SWAPPINESS);
    const body = page.slice(page.indexOf('\n---\n') + 5);
    // A page as the generator wrote it before: every fact in the front matter, and a writer's prose around and inside the block.
    const writerBody = `Writer's lead, with <kbd>Ctrl</kbd> and \\{braces\\}.\n\n${body.replace('No documentation of the reference kernels describes this tunable.', 'The writer rewrote the generated text.')}\n## Notes\n\nLower it on database hosts.\n`;
    const legacy = `---\n# Machine-owned: \`npm run generate\` rewrites this front matter.\n${stringify(facts, { lineWidth: 0 })}---\n${writerBody}`;
    writeFileSync(ws.page(SWAPPINESS), legacy);
    rmSync(join(ws.content, 'facts'), { recursive: true });
    expect(ws.generate('--strict').status).toBe(0);
    const migrated = ws.read(SWAPPINESS);
    expect(migrated.slice(migrated.indexOf('\n---\n') + 5)).toBe(writerBody);
    expect(migrated).not.toContain('kernels:');
    expect(ws.facts(SWAPPINESS).kernels).toEqual(facts.kernels);
  });

  it("keeps a writer's summary byte for byte, and the reader gives it precedence over the docs' summary", () => {
    const ws = workspace([sysctl('vm.swappiness', '60')]);
    ws.generate();
    const page = ws.read(SWAPPINESS).replace('title: vm.swappiness\n', 'title: vm.swappiness\nsummary:   "How eagerly the kernel swaps: lower keeps the page cache."\n');
    writeFileSync(ws.page(SWAPPINESS), page);
    ws.setSnapshot([sysctl('vm.swappiness', '10')]);
    expect(ws.generate('--strict').status).toBe(0);
    expect(ws.read(SWAPPINESS).startsWith(page.slice(0, page.indexOf('\n---\n') + 5))).toBe(true);
    const [read] = readTunables(ws.content);
    expect(read!.data.summary).toBe('How eagerly the kernel swaps: lower keeps the page cache.');
    expect(read!.data.kernels['6.1']!.default).toBe('10');
  });

  it('stops at a front matter key a page may not hold, naming the file, and leaves the page untouched', () => {
    const ws = workspace([sysctl('vm.swappiness', '60')]);
    ws.generate();
    const page = ws.read(SWAPPINESS).replace('title: vm.swappiness\n', 'title: vm.swappiness\nsumary: typo\n');
    writeFileSync(ws.page(SWAPPINESS), page);
    const run = ws.generate();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error: ${ws.page(SWAPPINESS)}:2: front matter`);
    expect(ws.read(SWAPPINESS)).toBe(page);
    expect(ws.facts(SWAPPINESS).kernels['6.1']!.default).toBe('60');
  });
});
