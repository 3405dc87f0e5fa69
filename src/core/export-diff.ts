/**
 * What differs between two exports (dist/tunables.json) of the site, tunable by tunable,
 * with the removals a generic device-model attribute explains set apart: a copy folded into
 * the generic attribute's page (src/core/generic-attributes.ts) is not a lost tunable.
 */
import { genericAttribute } from './generic-attributes.ts';
import type { TunablesExport } from './schemas/export.ts';

export interface ExportDiff {
  /** In the new export only. */
  added: string[];
  /** In the old export only, and no generic attribute explains it. */
  removed: string[];
  /** Old copies now one generic attribute's page: `from` (old path) → `to` (generic path). */
  folded: { from: string; to: string }[];
  /** In both, with different facts: the fields that differ. */
  changed: { path: string; fields: string[] }[];
}

type Tunable = TunablesExport['tunables'][number];

export function diffExports(before: TunablesExport, after: TunablesExport): ExportDiff {
  const old = new Map(before.tunables.map((tunable) => [tunable.url, tunable]));
  const now = new Map(after.tunables.map((tunable) => [tunable.url, tunable]));
  const diff: ExportDiff = { added: [], removed: [], folded: [], changed: [] };
  for (const [url, tunable] of now) if (!old.has(url)) diff.added.push(tunable.path);
  for (const [url, tunable] of old) {
    const current = now.get(url);
    if (current) {
      const fields = changedFields(tunable, current);
      if (fields.length > 0) diff.changed.push({ path: tunable.path, fields });
      continue;
    }
    const generic = tunable.kind === 'sysfs' ? genericAttribute(tunable.path) : undefined;
    const foldedInto = generic && after.tunables.find((candidate) => candidate.path === generic.path);
    if (foldedInto && appearsIn(foldedInto, tunable.path)) diff.folded.push({ from: tunable.path, to: generic.path });
    else diff.removed.push(tunable.path);
  }
  return diff;
}

function changedFields(a: Tunable, b: Tunable): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof Tunable)[];
  // Both exports are written by buildExport, whose key order is fixed: equal facts give equal text.
  return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

/** The generic page lists the old copy among the places it appears, on some kernel. */
function appearsIn(generic: Tunable, path: string): boolean {
  return Object.values(generic.kernels).some((facts) => facts.appearances?.includes(path));
}
