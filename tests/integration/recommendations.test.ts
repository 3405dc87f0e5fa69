/**
 * Integration: `npm run recommendations` on Debian's real packages (tuned, ssg-debian,
 * ssg-debderived, ssg-nondebian), fetched with the private apt unless .cache/ holds them:
 * TuneD's profiles and Debian's own SCAP content read into schema-valid files.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recommendationsFile, type RecommendationsFile } from '#core/schemas/recommendations.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

/** A hang guard: the downloads are about 50 MB, and reading an XCCDF file takes seconds. */
const RUN_LIMIT_MS = 10 * 60_000;

describe('npm run recommendations', () => {
  let status: number | null;
  let stderr: string;
  let warmStderr: string;
  let tuned: RecommendationsFile;
  let ssg: RecommendationsFile;

  beforeAll(() => {
    const out = makeTempDir('lkt-recommendations-');
    const runOnce = () => spawnSync(process.execPath, ['scripts/recommendations/cli.ts', '--products', 'debian13', '--out', out], { encoding: 'utf8', timeout: RUN_LIMIT_MS });
    const first = runOnce();
    status = first.status;
    stderr = first.stderr;
    warmStderr = runOnce().stderr;
    const read = (name: string) => recommendationsFile.parse(JSON.parse(readFileSync(join(out, name), 'utf8')));
    tuned = read('tuned.json');
    ssg = read('ssg.json');
  }, 2 * RUN_LIMIT_MS + 60_000);

  it('writes one file per source, naming the packages and versions read and their licence', () => {
    expect(status, stderr).toBe(0);
    expect(tuned).toMatchObject({ source: 'tuned', licence: 'GPL-2.0-or-later', suite: 'sid', packages: [{ name: 'tuned', version: expect.stringMatching(/^\d/) }] });
    expect(ssg.packages.map((p) => p.name)).toEqual(['ssg-debian', 'ssg-debderived', 'ssg-nondebian']);
    expect(ssg.licence).toBe('BSD-3-Clause');
    expect(stderr).toMatch(/tuned: \d+ profiles, \d+ settings → /);
  });

  it("reads TuneD's throughput-performance: vm.swappiness 10, net.core.somaxconn at least 2048, and network-latency's inherited ones", () => {
    const setting = (profile: string, name: string) => tuned.settings.find((s) => s.profile === profile && s.target.name === name);
    expect(setting('throughput-performance', 'vm.swappiness')).toMatchObject({ comparison: 'equals', value: '10', rationale: expect.stringContaining('swappiness') });
    expect(setting('throughput-performance', 'net.core.somaxconn')).toMatchObject({ comparison: 'at-least', value: '2048' });
    expect(tuned.profiles.find((p) => p.id === 'network-latency')!.includes).toContain('latency-performance');
    expect(setting('network-latency', 'vm.swappiness')).toMatchObject({ value: '10', inheritedFrom: 'latency-performance' });
  });

  it("reads Debian 13's SCAP profiles: sysctls with values and references", () => {
    const debian = ssg.settings.filter((s) => s.profile.startsWith('debian13:'));
    expect(debian.length).toBeGreaterThan(10);
    const kptr = debian.find((s) => s.target.name === 'kernel.kptr_restrict');
    expect(kptr).toMatchObject({ target: { kind: 'sysctl' }, value: expect.stringMatching(/^[12]$/), via: expect.stringContaining('sysctl_kernel_kptr_restrict') });
    expect(ssg.profiles.find((p) => p.id === kptr!.profile)!.title.length).toBeGreaterThan(0);
  });

  it('downloads nothing the second time', () => {
    expect(stderr).toMatch(/download|read /);
    expect(warmStderr).not.toMatch(/\] download /);
  });
});
