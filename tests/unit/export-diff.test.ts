/** Comparing two exports: the check that a refactor kept every fact (npm run compare-export). */
import { describe, expect, it } from 'vitest';
import { diffExports } from '#core/export-diff.ts';
import { EXPORT_SCHEMA_VERSION, type TunablesExport } from '#core/schemas/export.ts';

type Tunable = TunablesExport['tunables'][number];

const tunable = (path: string, more: Partial<Tunable> = {}): Tunable => ({
  name: path,
  kind: path.startsWith('/sys/') ? 'sysfs' : 'sysctl',
  path,
  url: `/${path}/`,
  subsystem: 'x',
  writable: true,
  summary: 's',
  status: 'present',
  namespace: null,
  module: null,
  type: null,
  range: null,
  documentedDefault: null,
  docSource: null,
  docOrigin: null,
  definedIn: null,
  kernels: { '6.1': { default: '1', defaultKind: 'constant', mode: '0644', namespace: null, module: null } },
  ...more,
});
const exportOf = (tunables: Tunable[]): TunablesExport => ({ schemaVersion: EXPORT_SCHEMA_VERSION, kernels: [], tunables });

describe('diffExports', () => {
  const copy = '/sys/bus/pci/devices/<pci-device>/power/control';
  const generic = tunable('/sys/devices/<device>/power/control', {
    kernels: { '6.1': { default: null, defaultKind: 'varies', mode: '0644', namespace: null, module: null, appearances: [copy] } },
  });

  it('sets apart copies folded into a generic attribute that lists them', () => {
    const diff = diffExports(exportOf([tunable('/proc/sys/vm/swappiness'), tunable(copy)]), exportOf([tunable('/proc/sys/vm/swappiness'), generic]));
    expect(diff).toEqual({ added: [generic.path], removed: [], folded: [{ from: copy, to: generic.path }], changed: [] });
  });

  it('reports a copy the generic page does not list as removed, and a changed fact with its field', () => {
    const unlisted = { ...generic, kernels: { '6.1': { ...generic.kernels['6.1']!, appearances: [] } } };
    const diff = diffExports(exportOf([tunable('/proc/sys/vm/swappiness'), tunable(copy)]), exportOf([tunable('/proc/sys/vm/swappiness', { writable: false }), unlisted]));
    expect(diff.removed).toEqual([copy]);
    expect(diff.changed).toEqual([{ path: '/proc/sys/vm/swappiness', fields: ['writable'] }]);
  });
});
