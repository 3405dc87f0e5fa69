/** The scrape stage imported: run() on a fake tree, in this process (no CLI). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshot as snapshotSchema } from '#core/schemas/snapshot.ts';
import { OptionsError, StageError } from '../../scripts/lib/stage.ts';
import { run, type ScrapeStart, type WalkProgress } from '../../scripts/scrape/run.ts';
import { makeFakeTree, makeTempDir } from '../helpers/fake-tree.ts';

describe('scrape run()', () => {
  it('walks a fake tree, writes the snapshot and reports what it read, skipped and could not read', async () => {
    const out = join(makeTempDir('lkt-scrape-run-'), 'snap.json');
    const starts: ScrapeStart[] = [];
    const progress: WalkProgress[] = [];
    const report = await run({ root: makeFakeTree(), out, timeoutMs: 300, reads: 1, onStart: (s) => starts.push(s), onProgress: (p) => progress.push(p) });

    expect(starts).toEqual([{ source: 'fixture', release: '6.1.0-99-amd64', machine: expect.objectContaining({ cpus: 4, memoryKiB: 4026532 }) }]);
    expect(progress.at(-1)).toMatchObject({ read: progress.at(-1)!.found });
    expect(report).toMatchObject({ source: 'fixture', kernel: { release: '6.1.0-99-amd64', series: '6.1' }, out });
    const written = snapshotSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(report.read.total).toBe(written.entries.length);
    expect(report.read.sysctl + report.read.sysfs).toBe(report.read.total);
    expect(written.entries.find((e) => e.path === '/proc/sys/vm/swappiness')?.value).toBe('60\n');
    expect(report.skipped).toContainEqual({ path: '/sys/kernel/debug', reason: expect.stringContaining('debugfs') });
    expect(report.unreadable.timeout).toBe(1);
    expect(report.passedOver['symlink (not followed)']).toBeGreaterThan(0);
  });

  it('rejects options it cannot work with before reading anything', async () => {
    await expect(run({})).rejects.toThrow(OptionsError);
    await expect(run({ live: true, root: '/tmp' })).rejects.toThrow('give exactly one of --live or --root DIR');
    await expect(run({ root: makeFakeTree(), reads: 0 })).rejects.toThrow(/reads must be a positive whole number/);
  });

  it('says so when the root is not a /proc and /sys root', async () => {
    await expect(run({ root: makeTempDir('lkt-empty-root-') })).rejects.toThrow(StageError);
  });
});
