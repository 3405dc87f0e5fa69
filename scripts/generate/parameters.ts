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
 *   its object file (`tree` for kernel/rcu/tree.o) where its parameters may have a prefix
 *   of their own (`rcutree.`): `builtInName` takes the name the walks or the docs show.
 * - kernel-parameters.txt (content/docs): a documented `module.param` joins that module
 *   parameter's page; every other documented name is a boot parameter.
 * - The C source (content/docs `moduleParamDefaults`): where no boot read a module
 *   parameter, the initialiser of its variable, exact or not at all, is its default —
 *   of kind `source`, never passed off as measured.
 */
import type { KernelModules, ModuleParam } from '#core/schemas/modules.ts';
import type { BootParameterEntry, ModuleParamDefault } from '#core/schemas/docs.ts';
import type { KernelFacts, KernelLocation, MeasuredTunable, ParameterFacts, SettableAt } from '#core/schemas/tunable.ts';
import { compareKernelIds, compareText, kernelIdOfFile, newestFacts, parseKernelId } from '#core/kernels.ts';
import { accessOf, bootEntryOnArch, SETTABLE_LABELS } from '#core/parameters.ts';
import { bootParameterGroup, bootParameterId, MODULE_PARAMETER_FILE, moduleParameterId, moduleParameterName, moduleParameterPath, parameterIdOfFile, UNPREFIXED_MODULE } from '#core/paths.ts';

export interface ParameterInputs {
  /** Every tunable the walks measured, by page id: the module parameters' files among them. */
  measured: ReadonlyMap<string, MeasuredTunable>;
  /** Each kernel's module parameters (content/modules). */
  modules: readonly KernelModules[];
  /** Each kernel's kernel-parameters.txt entries and module parameters' defaults from C (content/docs). */
  docs: readonly { series: string; upstreamVersion: string; bootParameters: readonly BootParameterEntry[]; moduleParamDefaults: readonly ModuleParamDefault[] }[];
  /** The kernels measured, by kernel id (`6.1`, `6.1-arm64`): only these get facts. */
  kernels: ReadonlyMap<string, Pick<KernelFacts, 'release' | 'source'>>;
}

export interface Parameters {
  /** The boot and module parameters' pages, by page id. */
  tunables: Map<string, MeasuredTunable>;
  /** The sysfs page ids whose files are module parameters: their pages are the module parameters' now. */
  moved: Map<string, string>;
  /** `kernel id: module (n)` of built-in modules whose name neither a walk nor the docs show, n their parameters. */
  unconfirmed: string[];
  /** Module files of another kernel than the walks of their kernel id (`6.1: 6.1.0-57-amd64, walked 6.1.0-58-amd64`): left out. */
  mismatched: string[];
  /**
   * Per kernel: module parameters no boot read that got their C initialiser as default,
   * and those left without one because the source gives their module two different ones.
   */
  fromSource: { kernel: string; joined: number; ambiguous: number }[];
}

/** What one kernel says of one module parameter, gathered before its facts are written. */
interface Seen {
  measured?: KernelFacts;
  presence?: ParameterFacts['presence'];
  param?: ModuleParam;
  tags?: string[];
  /** Its variable's initialiser, read from this kernel's C source. */
  source?: SourceDefault;
}

/** A default read from the C source, and where. */
interface SourceDefault {
  value: string;
  at: KernelLocation;
}

const modeBits = (mode: string) => Number.parseInt(mode, 8);

/**
 * Series → `module.param` → its default from the C source, by the module name modinfo
 * gives (a built-in module's object name). Null where two files of one module give
 * different values (one source file built into several modules, defined per architecture):
 * which one the kernel has is not known.
 */
function sourceDefaults(docs: ParameterInputs['docs']): Map<string, Map<string, SourceDefault | null>> {
  const bySeries = new Map<string, Map<string, SourceDefault | null>>();
  for (const { series, upstreamVersion, moduleParamDefaults } of docs) {
    const defaults = entryOf(bySeries, series, () => new Map<string, SourceDefault | null>());
    for (const { modules, name, value, file, line } of moduleParamDefaults) {
      for (const module of modules) {
        const key = `${module}.${name}`;
        const before = defaults.get(key);
        defaults.set(key, before === undefined ? { value, at: { file, line, kernel: series, version: upstreamVersion } } : before?.value === value ? before : null);
      }
    }
  }
  return bySeries;
}

/** The value under `key`, made and stored first when there is none. */
function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** A module parameter's file a walk read (a sysfs tunable before the join), by its sysfs page id. */
interface ModuleFile {
  id: string;
  module: string;
  name: string;
  tunable: MeasuredTunable;
}

/** The walked tunables that are module parameters' files, read out of their paths once. */
function moduleFiles(measured: ReadonlyMap<string, MeasuredTunable>): ModuleFile[] {
  return [...measured].flatMap(([id, tunable]) => {
    const match = tunable.kind === 'sysfs' && tunable.path ? MODULE_PARAMETER_FILE.exec(tunable.path) : null;
    return match ? [{ id, module: match[1]!, name: match[2]!, tunable }] : [];
  });
}


/** Kernel id → module name → the parameter names a walk found under /sys/module/<name>/parameters. */
function walkedParameters(files: readonly ModuleFile[]): Map<string, Map<string, Set<string>>> {
  const byKernel = new Map<string, Map<string, Set<string>>>();
  for (const { module, name, tunable } of files) {
    for (const kernel of Object.keys(tunable.kernels)) entryOf(entryOf(byKernel, kernel, () => new Map()), module, () => new Set<string>()).add(name);
  }
  return byKernel;
}

/** Module name → the parameter names kernel-parameters.txt documents as `module.param`, on any kernel. */
function documentedParameters(docs: ParameterInputs['docs']): Map<string, Set<string>> {
  const modules = new Map<string, Set<string>>();
  for (const { bootParameters } of docs) {
    for (const name of bootParameters.flatMap((entry) => entry.names)) {
      const dot = name.indexOf('.');
      if (dot > 0) entryOf(modules, name.slice(0, dot), () => new Set<string>()).add(name.slice(dot + 1));
    }
  }
  return modules;
}

/**
 * The name a built-in module's parameters have on the command line and under /sys/module.
 * `modules.builtin.modinfo` names a built-in module by its object file, which is that name
 * unless the code sets a prefix of its own (kernel/rcu/tree.o's parameters are `rcutree.*`).
 * The name is taken where a walk or kernel-parameters.txt shows it: the object's own name
 * when either has it with one of its parameters, else the one other name under which they
 * show at least two of its parameters (or its only one); of several, the one that holds the
 * object's name (`damon_reclaim` for `reclaim`). Undefined where nothing shows it: such a
 * module is left out, never guessed.
 */
export function builtInName(module: string, params: readonly string[], known: readonly ReadonlyMap<string, ReadonlySet<string>>[]): string | undefined {
  // What all sources show together: a walk may show one of a module's parameters and the docs another.
  const shown = new Map<string, Set<string>>();
  for (const names of known) for (const [name, found] of names) shown.set(name, new Set([...(shown.get(name) ?? []), ...found]));
  const overlap = (name: string) => params.filter((param) => shown.get(name)?.has(param)).length;
  if (overlap(module) > 0) return module;
  const needed = Math.min(2, params.length);
  const candidates = [...shown.keys()].filter((name) => overlap(name) >= needed);
  // Modules with parameters of the same names (damon_reclaim, damon_lru_sort): the one that holds the object's name.
  const named = candidates.length > 1 ? candidates.filter((name) => name.includes(module)) : candidates;
  return named.length === 1 ? named[0] : undefined;
}

/**
 * Whether a kernel's walks read read-only module parameter files too (walks before that
 * read only writable ones): only then does a missing file mean the parameter has none.
 */
function readOnlyWalked(files: readonly ModuleFile[]): Set<string> {
  const kernels = new Set<string>();
  for (const { tunable } of files) {
    for (const [one, facts] of Object.entries(tunable.kernels)) if (facts.mode !== null && (modeBits(facts.mode) & 0o222) === 0) kernels.add(one);
  }
  return kernels;
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
  const fromSource = seen.source ? { default: seen.source.value, defaultKind: 'source' as const, defaultSource: seen.source.at } : { default: null, defaultKind: 'unmeasured' as const };
  const mode = seen.param?.mode && seen.param.mode !== '0000' ? seen.param.mode : null;
  return {
    release: kernel.release,
    source: kernel.source,
    mode,
    writable: settable === 'runtime',
    ...fromSource,
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
  if (kind === 'boot') {
    return parameter.presence === 'documented'
      ? `Kernel command-line parameter, documented in kernel-parameters.txt of Linux ${facts.release}.`
      : `Kernel command-line parameter with a file under /sys/module/${UNPREFIXED_MODULE}/parameters on ${facts.release}${parameter.settable ? `; set ${SETTABLE_LABELS[parameter.settable]}` : ''}.`;
  }
  const where = parameter.presence === 'built-in' ? `built into ${facts.release}` : parameter.presence === 'module' ? `of module ${module} on ${facts.release}` : `documented for ${facts.release}`;
  return `Module parameter ${where}${parameter.settable ? `; set ${SETTABLE_LABELS[parameter.settable]}` : ''}.`;
}

function sortedKernels(kernels: Map<string, KernelFacts>): Record<string, KernelFacts> {
  return Object.fromEntries([...kernels].sort(([a], [b]) => compareKernelIds(a, b)));
}

export function measureParameters({ measured, modules, docs, kernels }: ParameterInputs): Parameters {
  const files = moduleFiles(measured);
  const walked = walkedParameters(files);
  const documented = documentedParameters(docs);
  const fileless = readOnlyWalked(files);
  const unconfirmed: string[] = [];
  /** module → parameter → kernel id → what is known. */
  const known = new Map<string, Map<string, Map<string, Seen>>>();
  const seen = (module: string, name: string, kernel: string): Seen =>
    entryOf(entryOf(entryOf(known, module, () => new Map<string, Map<string, Seen>>()), name, () => new Map<string, Seen>()), kernel, () => ({}));

  /** Boot parameter name → kernel id → its tags, and what a walk read of its file under /sys/module/kernel. */
  const boot = new Map<string, Map<string, { tags?: string[]; measured?: KernelFacts }>>();
  const bootSeen = (name: string, kernel: string) => entryOf(entryOf(boot, name, () => new Map()), kernel, () => ({}));

  const moved = new Map<string, string>();
  for (const { id, module, name, tunable } of files) {
    moved.set(id, parameterIdOfFile(module, name));
    if (module === UNPREFIXED_MODULE) {
      for (const [kernel, facts] of Object.entries(tunable.kernels)) bootSeen(name, kernel).measured = facts;
      continue;
    }
    for (const [kernel, facts] of Object.entries(tunable.kernels)) {
      const one = seen(module, name, kernel);
      one.measured = facts;
      // A module the boot loaded (the curated list) is credited in the walk; any other file is the image's.
      one.presence = facts.module ? 'module' : 'built-in';
    }
  }

  const mismatched: string[] = [];
  const fromC = sourceDefaults(docs);
  const fromSource: Parameters['fromSource'] = [];
  for (const file of modules) {
    const { series, release, modules: list } = file;
    const id = kernelIdOfFile(file);
    const kernel = kernels.get(id);
    if (!kernel) continue;
    // One kernel per id: another kernel's module files would mix two kernels' facts.
    if (kernel.release !== release) {
      mismatched.push(`${id}: ${release}, walked ${kernel.release}`);
      continue;
    }
    const counts = { kernel: id, joined: 0, ambiguous: 0 };
    for (const { module: object, builtIn, params } of list) {
      const module = builtIn ? builtInName(object, params.map((p) => p.name), [walked.get(id) ?? new Map(), documented]) : object;
      if (module === undefined) {
        unconfirmed.push(`${id}: ${object} (${params.length})`);
        continue;
      }
      for (const param of params) {
        const one = seen(module, param.name, id);
        one.param = param;
        one.presence = builtIn ? 'built-in' : 'module';
        // The source names a module as modinfo does: a built-in one by its object. Its series' source: every architecture's kernel reads one tree.
        const source = fromC.get(series)?.get(`${object}.${param.name}`);
        if (source) one.source = source;
        if (!one.measured && source !== undefined) counts[source ? 'joined' : 'ambiguous']++;
      }
    }
    fromSource.push(counts);
  }

  // kernel-parameters.txt is one file per series, for every architecture (content/docs reads
  // the arch-neutral tree): each kernel takes its series' entries that its architecture has.
  const docsOf = new Map(docs.map((one) => [one.series, one]));
  for (const kernel of kernels.keys()) {
    const { series, arch } = parseKernelId(kernel);
    for (const entry of docsOf.get(series)?.bootParameters ?? []) {
      if (!bootEntryOnArch(entry.tags, arch)) continue;
      for (const name of entry.names) {
        const dot = name.indexOf('.');
        const module = dot > 0 ? name.slice(0, dot) : undefined;
        if (module && known.get(module)?.has(name.slice(dot + 1))) {
          seen(module, name.slice(dot + 1), kernel).tags = entry.tags;
        } else {
          bootSeen(name, kernel).tags = entry.tags;
        }
      }
    }
  }

  const tunables = new Map<string, MeasuredTunable>();
  for (const [module, params] of known) {
    for (const [name, byKernel] of params) {
      const facts = new Map<string, KernelFacts>();
      for (const [kernel, one] of byKernel) facts.set(kernel, parameterKernelFacts(module, one, kernels.get(kernel)!, fileless.has(kernel)));
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
  for (const [name, byKernel] of boot) {
    const facts = new Map<string, KernelFacts>();
    for (const [id, { tags = [], measured: read }] of byKernel) {
      const kernel = kernels.get(id)!;
      if (read) {
        facts.set(id, { ...read, module: null, parameter: { presence: 'built-in', settable: read.mode ? accessOf(modeBits(read.mode)) : null, type: null, description: null, tags } });
        continue;
      }
      facts.set(id, {
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
    const hasFile = [...byKernel.values()].some((one) => one.measured);
    tunables.set(bootParameterId(name), {
      title: name,
      kind: 'boot',
      path: hasFile ? moduleParameterPath(UNPREFIXED_MODULE, name) : null,
      subsystem: bootParameterGroup(name),
      placeholders: [],
      summary: parameterSummary('boot', null, ordered),
      writable: Object.values(ordered).some((k) => k.writable),
      status: 'present',
      namespace: null,
      module: null,
      kernels: ordered,
    });
  }
  return { tunables: new Map([...tunables].sort(([a], [b]) => compareText(a, b))), moved, unconfirmed, mismatched, fromSource };
}
