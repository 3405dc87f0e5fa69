/**
 * What boot parameters move (content/boot-probes, written by `npm run refresh -- --probes`)
 * joined to the pages: a boot or module parameter's page gets, per kernel, the word booted
 * with and the tunables it moved; each tunable moved gets the parameters that can set it at
 * boot. A file is named by the page the walks give it (device links of the plain boots
 * resolved, generic attributes folded); a module parameter's file by its parameter's page.
 */
import type { BootProbeResults } from '#core/schemas/boot-probes.ts';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import type { BootMove, KernelFacts, MeasuredTunable } from '#core/schemas/tunable.ts';
import { bootParameterId, MODULE_PARAMETER_FILE, moduleParameterId, parameterIdOfFile } from '#core/paths.ts';
import { deviceAliases } from '#core/patterns.ts';
import { shownText } from '#core/values.ts';
import { kernelIdOfFile } from '#core/kernels.ts';
import { pageIdOfFile } from './measure.ts';

export interface BootProbeInputs {
  results: readonly BootProbeResults[];
  /** Snapshots by file name: the plain boots each result names, for their device links. */
  snapshots: ReadonlyMap<string, Snapshot>;
  /** Every page's facts, by id. */
  tunables: ReadonlyMap<string, MeasuredTunable>;
}

export interface BootProbesJoined {
  tunables: Map<string, MeasuredTunable>;
  /** `kernel id: word` of probes with no page of their name on that kernel: left out. */
  unplaced: string[];
}

const shown = (value: string | null) => (value === null ? null : shownText(value));

/** The page of a command-line parameter: `rcupdate.rcu_expedited` is a module parameter where one has that name, else a boot parameter. */
function parameterPage(parameter: string, tunables: ReadonlyMap<string, MeasuredTunable>): string | undefined {
  const dot = parameter.indexOf('.');
  const moduleId = dot > 0 ? moduleParameterId(parameter.slice(0, dot), parameter.slice(dot + 1)) : undefined;
  if (moduleId && tunables.has(moduleId)) return moduleId;
  const bootId = bootParameterId(parameter);
  return tunables.has(bootId) ? bootId : undefined;
}

/**
 * Whether a moved file is a setting a page should name: a parameter's file under
 * /sys/module, or a writable file — not a counter a different boot merely reads
 * differently (fs.dentry-state), nor a device's `uevent` (its identity; a write triggers).
 */
function isSetting(path: string, facts: KernelFacts | undefined): boolean {
  if (MODULE_PARAMETER_FILE.test(path)) return true;
  if (path.endsWith('/uevent')) return false;
  return facts === undefined || facts.writable;
}

const byTitle = (a: { title: string }, b: { title: string }) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);

/** The page of a file a probe moved: a module parameter's file is its parameter's page. */
function pageOfFile(path: string, aliases: Map<string, string>): string {
  const parameter = MODULE_PARAMETER_FILE.exec(path);
  return parameter ? parameterIdOfFile(parameter[1]!, parameter[2]!) : pageIdOfFile(path, aliases);
}

export function joinBootProbes({ results, snapshots, tunables }: BootProbeInputs): BootProbesJoined {
  const kernelsOf = new Map<string, Record<string, KernelFacts>>();
  /** A copy of a page's facts of one kernel, made once, to add to. */
  const factsOf = (id: string, kernel: string): KernelFacts | undefined => {
    const original = tunables.get(id)?.kernels[kernel];
    if (!original) return undefined;
    const kernels = kernelsOf.get(id) ?? { ...tunables.get(id)!.kernels };
    kernelsOf.set(id, kernels);
    if (kernels[kernel] === original) kernels[kernel] = { ...original };
    return kernels[kernel];
  };
  const unplaced: string[] = [];
  for (const result of results) {
    const kernel = kernelIdOfFile(result);
    const plain = snapshots.get(result.baselines[0]!);
    const aliases = deviceAliases(plain?.links ?? {});
    for (const probe of result.probes) {
      const page = parameterPage(probe.parameter, tunables);
      const facts = page && factsOf(page, kernel);
      if (!page || !facts) {
        unplaced.push(`${kernel}: ${probe.word}`);
        continue;
      }
      const movedTunables: BootMove[] = probe.moved.flatMap(({ path, from, to }) => {
        const id = pageOfFile(path, aliases);
        const known = tunables.get(id);
        if (!isSetting(path, known?.kernels[kernel])) return [];
        return [{ id: known ? id : null, title: known ? known.title : path, from: shown(from), to: shown(to) }];
      });
      // Instances of one pattern moved together (net.ipv6.conf.<interface>.autoconf): the page once, with the first path's values.
      const firstOfEach = new Map<string, BootMove>();
      for (const move of movedTunables) if (!firstOfEach.has(move.id ?? move.title)) firstOfEach.set(move.id ?? move.title, move);
      const unique = [...firstOfEach.values()].sort(byTitle);
      facts.bootProbe = { word: probe.word, moved: unique };
      const parameterTitle = tunables.get(page)!.title;
      for (const move of unique) {
        // Its own file under /sys/module shows the parameter took; it is no other way to set it.
        const target = move.id !== page && move.id && factsOf(move.id, kernel);
        if (target) target.setAtBoot = [...(target.setAtBoot ?? []), { id: page, title: parameterTitle, word: probe.word }].sort(byTitle);
      }
    }
  }
  const joined = new Map([...tunables].map(([id, tunable]) => [id, kernelsOf.has(id) ? { ...tunable, kernels: kernelsOf.get(id)! } : tunable]));
  return { tunables: joined, unplaced };
}
