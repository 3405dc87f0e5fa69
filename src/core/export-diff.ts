/**
 * What differs between two exports (dist/tunables.json) of the site, tunable by tunable,
 * with the removals a new page explains set apart: a copy folded into a generic device-model
 * attribute's page (src/core/generic-attributes.ts), or a module parameter's sysfs file now
 * on the module parameter's page, is not a lost tunable. Tunables are named by their path,
 * or their name where they have none (a boot parameter).
 */
import { genericAttribute } from './generic-attributes.ts';
import type { TunablesExport } from './schemas/export.ts';

export interface ExportDiff {
  /** In the new export only. */
  added: string[];
  /** In the old export only, and no new page explains it. */
  removed: string[];
  /** Old pages now part of another: `from` (old path) → `to` (the generic attribute's path, the module parameter's name). */
  folded: { from: string; to: string }[];
  /** In both, with different facts: the fields that differ. */
  changed: { path: string; fields: string[] }[];
}

type Tunable = TunablesExport['tunables'][number];

export function diffExports(before: TunablesExport, after: TunablesExport): ExportDiff {
  const old = new Map(before.tunables.map((tunable) => [tunable.url, tunable]));
  const now = new Map(after.tunables.map((tunable) => [tunable.url, tunable]));
  const diff: ExportDiff = { added: [], removed: [], folded: [], changed: [] };
  for (const [url, tunable] of now) if (!old.has(url)) diff.added.push(labelOf(tunable));
  for (const [url, tunable] of old) {
    const current = now.get(url);
    if (current) {
      const fields = changedFields(tunable, current);
      if (fields.length > 0) diff.changed.push({ path: labelOf(tunable), fields });
      continue;
    }
    const into = tunable.kind === 'sysfs' && tunable.path !== null ? newHome(tunable.path, after) : undefined;
    if (into) diff.folded.push({ from: tunable.path!, to: into });
    else diff.removed.push(labelOf(tunable));
  }
  return diff;
}

const labelOf = (tunable: Tunable) => tunable.path ?? tunable.name;

/** The page an old sysfs page's file belongs to now: its generic attribute's (its path), or its module parameter's (its name). */
function newHome(path: string, after: TunablesExport): string | undefined {
  const generic = genericAttribute(path);
  const foldedInto = generic && after.tunables.find((candidate) => candidate.path === generic.path);
  if (generic && foldedInto && appearsIn(foldedInto, path)) return generic.path;
  return after.tunables.find((candidate) => candidate.kind === 'module' && candidate.path === path)?.name;
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
