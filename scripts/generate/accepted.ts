/**
 * The values each sysctl accepted (content/accepted, written by `npm run refresh --
 * --accepted`) joined to the pages: each probed file's page gets, on that kernel, the
 * smallest and largest value accepted, or why it was not probed. A file is named by its
 * page (`/proc/sys/net/ipv4/conf/lo/rp_filter` → `net.ipv4.conf.<interface>.rp_filter`).
 */
import type { AcceptedResults } from '#core/schemas/accepted.ts';
import type { AcceptedFacts, KernelFacts, MeasuredTunable } from '#core/schemas/tunable.ts';
import { kernelIdOfFile } from '#core/kernels.ts';
import { pageIdOfFile } from './measure.ts';

export interface AcceptedJoined {
  tunables: Map<string, MeasuredTunable>;
  /** `kernel id: path` of results with no page on that kernel: left out. */
  unplaced: string[];
}

/** The facts of one result: elements only for a vector, read-backs only where they differ. */
export function acceptedFactsOf(result: AcceptedResults['results'][number]): AcceptedFacts {
  return {
    min: result.min,
    max: result.max,
    ...(result.minReadsBack === undefined ? {} : { minReadsBack: result.minReadsBack }),
    ...(result.maxReadsBack === undefined ? {} : { maxReadsBack: result.maxReadsBack }),
    ...(result.elements > 1 ? { elements: result.elements } : {}),
  };
}

export function joinAccepted(results: readonly AcceptedResults[], tunables: ReadonlyMap<string, MeasuredTunable>): AcceptedJoined {
  const changed = new Map<string, MeasuredTunable>();
  const unplaced: string[] = [];
  const update = (kernel: string, path: string, change: Partial<KernelFacts>) => {
    const id = pageIdOfFile(path, new Map());
    const tunable = changed.get(id) ?? tunables.get(id);
    const facts = tunable?.kernels[kernel];
    if (!tunable || !facts) {
      unplaced.push(`${kernel}: ${path}`);
      return;
    }
    changed.set(id, { ...tunable, kernels: { ...tunable.kernels, [kernel]: { ...facts, ...change } } });
  };
  for (const file of results) {
    for (const result of file.results) update(kernelIdOfFile(file), result.path, { accepted: acceptedFactsOf(result) });
    for (const { path, reason } of file.left) update(kernelIdOfFile(file), path, { acceptedNotMeasured: reason });
    for (const { path, reason } of file.skipped) update(kernelIdOfFile(file), path, { acceptedNotMeasured: reason });
    for (const { path } of file.killed) update(kernelIdOfFile(file), path, { acceptedNotMeasured: 'the VM died while probing it' });
  }
  return { tunables: new Map([...tunables].map(([id, tunable]) => [id, changed.get(id) ?? tunable])), unplaced };
}
