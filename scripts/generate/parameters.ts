/**
 * Boot and module parameters: one page per parameter, joined per kernel from three
 * sources that each know part of it.
 *
 * - The walks: a module parameter's file under /sys/module (writable, or read-only: the
 *   walkers read both) gives its mode and the value the boot had — measured, as any sysfs
 *   attribute is. The sysfs pages `measureTunables` makes of those files become the
 *   module parameters' pages.
 * - The kernel's module files, read without loading them (content/modules): every loadable
 *   module's parameters with their type, description and file mode, and the built-in
 *   modules' parameters from `modules.builtin.modinfo`. A built-in module is named there by
 *   its object file (`tree` for kernel/rcu/tree.o) where its parameters are named by a
 *   prefix of its own (`rcutree.`): only built-in modules a walk found under /sys/module
 *   under the same name are taken, the others are counted, never guessed.
 * - kernel-parameters.txt (content/docs): a documented `module.param` joins that module
 *   parameter's page; every other documented name is a boot parameter.
 */
import type { KernelModules, ModuleParam } from '#core/schemas/modules.ts';
import type { BootParameterEntry } from '#core/schemas/docs.ts';
import type { KernelFacts, MeasuredTunable, ParameterFacts, SettableAt } from '#core/schemas/tunable.ts';
import { compareSeries, compareText, newestFacts } from '#core/kernels.ts';
import { accessOf, SETTABLE_LABELS } from '#core/parameters.ts';
import { bootParameterGroup, bootParameterId, MODULE_PARAMETER_FILE, moduleParameterId, moduleParameterName, moduleParameterPath } from '#core/paths.ts';

export interface ParameterInputs {
  /** Every tunable the walks measured, by page id: the module parameters' files among them. */
  measured: ReadonlyMap<string, MeasuredTunable>;
  /** Each kernel's module parameters (content/modules). */
  modules: readonly KernelModules[];
  /** Each kernel's kernel-parameters.txt entries (content/docs). */
  docs: readonly { series: string; bootParameters: readonly BootParameterEntry[] }[];
  /** The kernels measured, by series: only these get facts. */
  kernels: ReadonlyMap<string, Pick<KernelFacts, 'release' | 'source'>>;
}

export interface Parameters {
  /** The boot and module parameters' pages, by page id. */
  tunables: Map<string, MeasuredTunable>;
  /** The sysfs page ids whose files are module parameters: their pages are the module parameters' now. */
  moved: Map<string, string>;
  /** `series: module (n)` of built-in modules whose name no walk confirmed, n their parameters. */
  unconfirmed: string[];
}

/** What one kernel says of one module parameter, gathered before its facts are written. */
interface Seen {
  measured?: KernelFacts;
  presence?: ParameterFacts['presence'];
  param?: ModuleParam;
  tags?: string[];
}

const modeBits = (mode: string) => Number.parseInt(mode, 8);

/** Built-in modules are named by their object file; the parameters' files say which names are real. */
function confirmedModules(measured: ReadonlyMap<string, MeasuredTunable>): Map<string, Set<string>> {
  const bySeries = new Map<string, Set<string>>();
  for (const tunable of measured.values()) {
    const match = tunable.kind === 'sysfs' && tunable.path ? MODULE_PARAMETER_FILE.exec(tunable.path) : null;
    if (!match) continue;
    for (const series of Object.keys(tunable.kernels)) bySeries.set(series, (bySeries.get(series) ?? new Set()).add(match[1]!));
  }
  return bySeries;
}

/**
 * Whether a kernel's walks read read-only module parameter files too (walks before that
 * read only writable ones): only then does a missing file mean the parameter has none.
 */
function readOnlyWalked(measured: ReadonlyMap<string, MeasuredTunable>): Set<string> {
  const series = new Set<string>();
  for (const tunable of measured.values()) {
    if (tunable.kind !== 'sysfs' || !tunable.path || !MODULE_PARAMETER_FILE.test(tunable.path)) continue;
    for (const [one, facts] of Object.entries(tunable.kernels)) if (facts.mode !== null && (modeBits(facts.mode) & 0o222) === 0) series.add(one);
  }
  return series;
}

/** When it can be set: from the file the walk read, else the mode `__param` records, else (a built-in one no walk showed) none where walks read every such file. */
function settableOf(seen: Seen, fileless: boolean): SettableAt | null {
  if (seen.measured?.mode) return accessOf(modeBits(seen.measured.mode));
  if (seen.param?.access) return seen.param.access;
  return seen.presence === 'built-in' && fileless ? 'load-time' : null;
}

function parameterKernelFacts(module: string, seen: Seen, kernel: Pick<KernelFacts, 'release' | 'source'>, fileless: boolean): KernelFacts {
  const settable = settableOf(seen, fileless);
  const parameter: ParameterFacts = {
    presence: seen.presence ?? 'documented',
    settable,
    type: seen.param?.type ?? null,
    description: seen.param?.description ?? null,
    tags: seen.tags ?? [],
  };
  const providedBy = parameter.presence === 'module' ? module : null;
  if (seen.measured) return { ...seen.measured, module: providedBy, parameter };
  const mode = seen.param?.mode && seen.param.mode !== '0000' ? seen.param.mode : null;
  return {
    release: kernel.release,
    source: kernel.source,
    mode,
    writable: settable === 'runtime',
    default: null,
    defaultKind: 'unmeasured',
    namespace: null,
    module: providedBy,
    parameter,
  };
}

/** What search results and index tables show until the docs give a sentence. */
function parameterSummary(kind: 'boot' | 'module', module: string | null, kernels: Record<string, KernelFacts>): string {
  const { facts } = newestFacts(kernels);
  const parameter = facts.parameter!;
  if (parameter.description) return parameter.description;
  if (kind === 'boot') return `Kernel command-line parameter, documented in kernel-parameters.txt of Linux ${facts.release}.`;
  const where = parameter.presence === 'built-in' ? `built into ${facts.release}` : parameter.presence === 'module' ? `of module ${module} on ${facts.release}` : `documented for ${facts.release}`;
  return `Module parameter ${where}${parameter.settable ? `; set ${SETTABLE_LABELS[parameter.settable]}` : ''}.`;
}

function sortedKernels(kernels: Map<string, KernelFacts>): Record<string, KernelFacts> {
  return Object.fromEntries([...kernels].sort(([a], [b]) => compareSeries(a, b)));
}

export function measureParameters({ measured, modules, docs, kernels }: ParameterInputs): Parameters {
  const confirmed = confirmedModules(measured);
  const fileless = readOnlyWalked(measured);
  const unconfirmed: string[] = [];
  /** module → parameter → series → what is known. */
  const known = new Map<string, Map<string, Map<string, Seen>>>();
  const seen = (module: string, name: string, series: string): Seen => {
    const params = known.get(module) ?? new Map<string, Map<string, Seen>>();
    known.set(module, params);
    const bySeries = params.get(name) ?? new Map<string, Seen>();
    params.set(name, bySeries);
    const one = bySeries.get(series) ?? {};
    bySeries.set(series, one);
    return one;
  };

  const moved = new Map<string, string>();
  for (const [id, tunable] of measured) {
    const match = tunable.kind === 'sysfs' && tunable.path ? MODULE_PARAMETER_FILE.exec(tunable.path) : null;
    if (!match) continue;
    const [, module, name] = match as unknown as [string, string, string];
    moved.set(id, moduleParameterId(module, name));
    for (const [series, facts] of Object.entries(tunable.kernels)) {
      const one = seen(module, name, series);
      one.measured = facts;
      // A module the boot loaded (the curated list) is credited in the walk; any other file is the image's.
      one.presence = facts.module ? 'module' : 'built-in';
    }
  }

  for (const { series, modules: list } of modules) {
    if (!kernels.has(series)) continue;
    for (const { module, builtIn, params } of list) {
      if (builtIn && !confirmed.get(series)?.has(module)) {
        unconfirmed.push(`${series}: ${module} (${params.length})`);
        continue;
      }
      for (const param of params) {
        const one = seen(module, param.name, series);
        one.param = param;
        one.presence = builtIn ? 'built-in' : 'module';
      }
    }
  }

  /** Boot parameter name → series → tags. */
  const boot = new Map<string, Map<string, string[]>>();
  for (const { series, bootParameters } of docs) {
    if (!kernels.has(series)) continue;
    for (const entry of bootParameters) {
      for (const name of entry.names) {
        const dot = name.indexOf('.');
        const module = dot > 0 ? name.slice(0, dot) : undefined;
        if (module && known.get(module)?.has(name.slice(dot + 1))) {
          seen(module, name.slice(dot + 1), series).tags = entry.tags;
        } else {
          const bySeries = boot.get(name) ?? new Map<string, string[]>();
          boot.set(name, bySeries.set(series, entry.tags));
        }
      }
    }
  }

  const tunables = new Map<string, MeasuredTunable>();
  for (const [module, params] of known) {
    for (const [name, bySeries] of params) {
      const facts = new Map<string, KernelFacts>();
      for (const [series, one] of bySeries) facts.set(series, parameterKernelFacts(module, one, kernels.get(series)!, fileless.has(series)));
      const ordered = sortedKernels(facts);
      const { facts: newest } = newestFacts(ordered);
      tunables.set(moduleParameterId(module, name), {
        title: moduleParameterName(module, name),
        kind: 'module',
        path: moduleParameterPath(module, name),
        subsystem: module,
        placeholders: [],
        summary: parameterSummary('module', module, ordered),
        writable: Object.values(ordered).some((k) => k.writable),
        status: 'present',
        namespace: null,
        module: newest.module,
        kernels: ordered,
      });
    }
  }
  for (const [name, bySeries] of boot) {
    const facts = new Map<string, KernelFacts>();
    for (const [series, tags] of bySeries) {
      const kernel = kernels.get(series)!;
      facts.set(series, {
        release: kernel.release,
        source: kernel.source,
        mode: null,
        writable: false,
        default: null,
        defaultKind: 'unmeasured',
        namespace: null,
        module: null,
        parameter: { presence: 'documented', settable: 'boot', type: null, description: null, tags },
      });
    }
    const ordered = sortedKernels(facts);
    tunables.set(bootParameterId(name), {
      title: name,
      kind: 'boot',
      path: null,
      subsystem: bootParameterGroup(name),
      placeholders: [],
      summary: parameterSummary('boot', null, ordered),
      writable: false,
      status: 'present',
      namespace: null,
      module: null,
      kernels: ordered,
    });
  }
  return { tunables: new Map([...tunables].sort(([a], [b]) => compareText(a, b))), moved, unconfirmed };
}
