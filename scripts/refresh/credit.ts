/**
 * Which module brought a file, for the boots that do not find out themselves. Only a
 * kernel's full walk loads its modules one by one and lists /sys after each (vm/walk.sh);
 * listing all of /sys fifteen times is most of a walk under TCG. Every other boot of the
 * kernel runs a values walk: it loads the modules together and credits what appeared to
 * LOADED_TOGETHER, and the host credits each such file from the full walk: the module that
 * made the same path there, else the module that made another instance of the same
 * tunable (`collapsePath`: a per-CPU or per-device file of a shape with more of them).
 * In the snapshots of 2026-11 every module file of every other shape had its path in its
 * kernel's first boot.
 */
import { kindOfPath } from '#core/paths.ts';
import { collapsePath, deviceAliases } from '#core/patterns.ts';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import type { WalkRecords } from './records.ts';

/** The credit a values walk gives the files that appeared once every module was loaded. */
export const LOADED_TOGETHER = '+';

export interface ModuleCredits {
  byPath: ReadonlyMap<string, string>;
  byPattern: ReadonlyMap<string, string>;
}

const patternOf = (path: string, aliases: Map<string, string>) => collapsePath(kindOfPath(path), path, aliases).pattern;

/** The module of each file a full walk credited, by path and by tunable pattern. */
export function moduleCredits(full: Pick<Snapshot, 'entries' | 'links'>): ModuleCredits {
  const aliases = deviceAliases(full.links);
  const byPath = new Map<string, string>();
  const byPattern = new Map<string, string>();
  for (const { path, module } of full.entries) {
    if (!module) continue;
    byPath.set(path, module);
    byPattern.set(patternOf(path, aliases), module);
  }
  return { byPath, byPattern };
}

/**
 * The records with each LOADED_TOGETHER file credited from the full walk, and the paths
 * it could not credit: they are left without a module, and the caller says so.
 */
export function creditModules(records: WalkRecords, credits: ModuleCredits): { records: WalkRecords; uncredited: string[] } {
  const aliases = deviceAliases(records.links);
  const uncredited: string[] = [];
  const files = records.files.map((file) => {
    if (file.module !== LOADED_TOGETHER) return file;
    const module = credits.byPath.get(file.path) ?? credits.byPattern.get(patternOf(file.path, aliases));
    if (module) return { ...file, module };
    uncredited.push(file.path);
    return { mode: file.mode, path: file.path };
  });
  return { records: { ...records, files }, uncredited };
}
