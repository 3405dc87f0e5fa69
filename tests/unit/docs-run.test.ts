/** The docs stage as a module: what run() reports, without downloading a kernel. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sysctlDocOrigin } from '#core/schemas/docs.ts';
import { countBounds, countOrigins, formatReport, run, type DocsReport } from '../../scripts/docs/run.ts';

describe('the docs stage as a module', () => {
  it('counts every sysctl origin, 0 where none', () => {
    const counts = countOrigins([{ origin: 'documentation' }, { origin: 'struct-field' }, { origin: 'documentation' }]);
    expect(Object.keys(counts).sort()).toEqual([...sysctlDocOrigin.options].sort());
    expect(counts).toMatchObject({ documentation: 2, 'struct-field': 1, 'kconfig-help': 0 });
  });

  it('counts bounds by what the source makes of them', () => {
    expect(countBounds([
      { min: '0', max: null, openBounds: { max: { written: '&x', sysctl: 'net.x' } } },
      { min: null, max: null, openBounds: { min: { written: '&pid_max_min', boot: { file: 'kernel/pid.c', line: 1, initial: '301', perPossibleCpu: '8' } }, max: { written: '&y' } } },
      { min: null, max: null },
    ])).toEqual({ resolved: 1, boot: 1, sysctl: 1, unknown: 1 });
  });

  it('rejects when there is no series to read, before fetching anything', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'docs-run-'));
    try {
      await expect(run({ snapshots: empty, out: join(empty, 'out'), cache: join(empty, 'cache') })).rejects.toThrow(/no series given and none found/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('prints counts per kernel and origin, the man pages, warnings and failures', () => {
    const report: DocsReport = {
      out: 'content/docs',
      seconds: 120,
      kernels: [{ series: '7.2', sourceVersion: '7.2.1-1', file: 'content/docs/7.2.json', seconds: 60, origins: countOrigins([{ origin: 'documentation' }, { origin: 'kconfig-help' }]), sysctlNames: 2, ctlTables: 10, bounds: { resolved: 6, boot: 1, sysctl: 2, unknown: 3 }, abi: 3, moduleParamDefaults: 7, moduleParamSkips: [['assigned at run time', 2], ['custom type', 1]] }],
      manPages: { sourceVersion: '6.20-2', file: 'content/docs/man-pages.json', seconds: 5, descriptions: 4, sysctlNames: 5 },
      files: ['content/docs/7.2.json', 'content/docs/man-pages.json'],
      warnings: ['man-pages: skipped man5/x.5: no licence'],
      failures: [{ part: '6.1', seconds: 1, error: 'no Debian suite' }],
    };
    const text = formatReport(report);
    expect(text).toContain('7.2 (7.2.1-1): 1 documentation, 0 kernel-parameters, 0 variable-comment, 0 ctl-table-comment, 0 struct-field, 1 kconfig-help');
    expect(text).toContain('ctl_table bounds: 6 resolved, 1 set at boot, 2 another sysctl\'s value, 3 unknown');
    expect(text).toContain('module parameter defaults from C: 7 read; skipped 2 assigned at run time, 1 custom type');
    expect(text).toContain('man-pages (6.20-2): 4 descriptions naming 5 sysctls');
    expect(text).toContain('6.1: FAILED after 1 s: no Debian suite');
    expect(text).toContain('man-pages: skipped man5/x.5: no licence');
    expect(text).toMatch(/failed: 6\.1$/);
  });
});
