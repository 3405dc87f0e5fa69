/**
 * Checks boot and module parameter settings (modprobe.d `options`, the kernel command line)
 * against one reference kernel: a name no kernel has (with the closest ones), one this
 * kernel lacks, a value its type refuses, modprobe options for a module built into the
 * image (they never apply), options of a blacklisted module, a setting that changes
 * nothing, and one that could be changed at runtime instead. Pure and browser-safe.
 */
import type { CheckData, Finding } from '../schemas/check.ts';
import { inSourceOrder, nearestNames } from './lint.ts';
import type { ModprobeCommand, ParameterSetting, ParsedParameters } from './parameters-parse.ts';

type ExportedTunable = CheckData['tunables'][number];
type KernelFacts = ExportedTunable['kernels'][string];

export interface ParameterCatalog {
  kernels: string[];
  /** Boot and module parameters by name (`isolcpus`, `nvme_core.io_timeout`). */
  byName: Map<string, ExportedTunable>;
  /** Module parameters' names, for suggestions on modprobe lines. */
  moduleNames: string[];
  /** Every name, for suggestions on the command line. */
  allNames: string[];
}

/**
 * A parameter's kernels with the ids of equal facts joined under one key (`"5.10 6.1 6.1-arm64"`):
 * most parameters read alike on every kernel, and check/parameters.js carries thousands.
 */
export function packKernels(kernels: ExportedTunable['kernels']): ExportedTunable['kernels'] {
  const packed = new Map<string, { ids: string[]; facts: KernelFacts }>();
  for (const [id, facts] of Object.entries(kernels)) {
    const key = JSON.stringify(facts);
    const same = packed.get(key);
    if (same) same.ids.push(id);
    else packed.set(key, { ids: [id], facts });
  }
  return Object.fromEntries([...packed.values()].map(({ ids, facts }) => [ids.join(' '), facts]));
}

export function unpackKernels(kernels: ExportedTunable['kernels']): ExportedTunable['kernels'] {
  return Object.fromEntries(Object.entries(kernels).flatMap(([ids, facts]) => ids.split(' ').map((one) => [one, facts])));
}

export function parameterCatalog(data: CheckData): ParameterCatalog {
  const parameters = data.tunables.filter((tunable) => tunable.kind === 'boot' || tunable.kind === 'module');
  return {
    kernels: data.kernels.map(({ id }) => id),
    byName: new Map(parameters.map((tunable) => [tunable.name, tunable])),
    moduleNames: parameters.filter((tunable) => tunable.kind === 'module').map((tunable) => tunable.name),
    allNames: parameters.map((tunable) => tunable.name),
  };
}

/** kstrtobool: y, Y, 1, n, N, 0, on, off (the first characters decide). */
function asBoolean(value: string): boolean | undefined {
  if (/^[yY1]/.test(value) || /^[oO][nN]/.test(value)) return true;
  if (/^[nN0]/.test(value) || /^[oO][fF]/.test(value)) return false;
  return undefined;
}

/** The bounds of modinfo's integer types on a 64-bit kernel (include/linux/moduleparam.h). */
const INTEGER_BOUNDS: Readonly<Record<string, [bigint, bigint]>> = {
  byte: [0n, 255n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  ushort: [0n, 2n ** 16n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  uint: [0n, 2n ** 32n - 1n],
  hexint: [0n, 2n ** 32n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  ulong: [0n, 2n ** 64n - 1n],
  ullong: [0n, 2n ** 64n - 1n],
};

/** kstrto*(…, 0, …): decimal, `0x` hexadecimal, `0` octal, an optional sign (and a trailing newline). */
function asInteger(token: string): bigint | undefined {
  const match = /^([-+]?)(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)\n?$/i.exec(token);
  if (!match) return undefined;
  const [, sign, digits] = match as unknown as [string, string, string];
  const magnitude = digits.toLowerCase().startsWith('0x') ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return sign === '-' ? -magnitude : magnitude;
}

/** Why the kernel refuses `value` for a parameter of modinfo type `type`, or undefined (also for types it does not check). */
export function typeProblem(value: string | undefined, type: string | null): string | undefined {
  if (!type) return undefined;
  const array = /^array of (.+)$/.exec(type);
  const element = array ? array[1]! : type;
  if (value === undefined) return element === 'bool' || element === 'invbool' ? undefined : `no value, where the kernel reads ${type}`;
  for (const token of array ? value.split(',') : [value]) {
    if (element === 'bool' || element === 'invbool') {
      if (asBoolean(token) === undefined) return `"${token}" is not a boolean (y, n, 1, 0, on, off) for ${type}`;
      continue;
    }
    const bounds = INTEGER_BOUNDS[element];
    if (!bounds) continue;
    const number = asInteger(token);
    if (number === undefined) return `"${token}" is not a number, where the kernel reads ${type}`;
    if (number < bounds[0] || number > bounds[1]) return `${token} is outside ${type}'s range ${bounds[0]} – ${bounds[1]}`;
  }
  return undefined;
}

/** A value as the kernel reads it back, so `1` and `Y` of a bool compare equal. */
function canonical(value: string | undefined, type: string | null): string {
  if (type === 'bool' || type === 'invbool') return asBoolean(value ?? 'y') ? 'Y' : 'N';
  return (value ?? '').trim();
}

function link(tunable: ExportedTunable | undefined): Finding['tunables'] {
  return tunable ? [{ name: tunable.name, url: tunable.url }] : [];
}

/** The name a setting is looked up by: `module.param`, or the command line's word as written. */
function lookup(setting: ParameterSetting, catalog: ParameterCatalog): { key: string; tunable: ExportedTunable | undefined } {
  const key = setting.module ? `${setting.module}.${setting.name}` : setting.name;
  const tunable = catalog.byName.get(key);
  // A dotted boot parameter that is no module's (`arm64.nobti`, `clocksource-wdtest.holdoff`) is found as written.
  if (!tunable && setting.from === 'cmdline') {
    const written = setting.written.split('=')[0]!;
    const asWritten = catalog.byName.get(written);
    if (asWritten) return { key: written, tunable: asWritten };
  }
  return { key, tunable };
}

function checkSetting(setting: ParameterSetting, tunable: ExportedTunable, facts: KernelFacts, series: string, blacklisted: Map<string, ModprobeCommand>): Omit<Finding, 'file' | 'line' | 'key'>[] {
  const found: Omit<Finding, 'file' | 'line' | 'key'>[] = [];
  const tunables = link(tunable);
  const parameter = facts.parameter;
  if (setting.from === 'modprobe' && parameter?.presence === 'built-in') {
    const value = setting.value === undefined ? '' : `=${setting.value}`;
    found.push({ kind: 'built-in', message: `${setting.module} is built into ${series}: modprobe.d options never reach it; put ${tunable.name}${value} on the kernel command line`, tunables });
  }
  const blacklist = setting.module ? blacklisted.get(setting.module) : undefined;
  if (blacklist) {
    found.push({ kind: 'blacklisted', message: `${setting.module} is blacklisted at ${blacklist.file}:${blacklist.line}: this applies only when something loads it by name`, tunables });
  }
  const problem = typeProblem(setting.value, parameter?.type ?? null);
  if (problem) {
    found.push({ kind: 'out-of-range', message: `${problem} (${tunable.name})`, tunables });
    return found;
  }
  if (facts.defaultKind === 'constant' && facts.default !== null && setting.value !== undefined) {
    const type = parameter?.type ?? null;
    if (canonical(setting.value, type) === canonical(facts.default, type)) found.push({ kind: 'same-as-default', message: `${setting.value} is already the default on ${series}: this changes nothing`, tunables });
    else found.push({ kind: 'differs-from-default', message: `${setting.value} instead of the default ${facts.default} on ${series}`, tunables });
  }
  if (parameter?.settable === 'runtime' && tunable.path && setting.value !== undefined) {
    found.push({ kind: 'runtime-settable', message: `it can also be changed while running, without a reboot or reload: echo ${setting.value} > ${tunable.path}`, tunables });
  }
  return found;
}

/** Findings for every parameter setting of the sources on kernel `series`, in source and line order. */
export function lintParameters(sources: readonly ParsedParameters[], catalog: ParameterCatalog, series: string): Finding[] {
  if (!catalog.kernels.includes(series)) throw new Error(`no reference kernel "${series}" (known: ${catalog.kernels.join(', ')})`);
  const findings: Finding[] = sources.flatMap(({ problems }) => problems.map(({ file, line, message }) => ({ file, line, key: '', kind: 'syntax' as const, message, tunables: [] })));
  // A blacklist anywhere covers every file (modprobe reads them all before it loads anything).
  const blacklisted = new Map(sources.flatMap(({ commands }) => commands.filter((c) => c.command === 'blacklist').map((c) => [c.module, c] as const)));
  for (const setting of sources.flatMap(({ settings }) => settings)) {
    const base = { file: setting.file, line: setting.line, key: setting.written };
    const { key, tunable } = lookup(setting, catalog);
    if (!tunable || (setting.from === 'modprobe' && tunable.kind !== 'module')) {
      const suggestions = nearestNames(key, setting.from === 'modprobe' ? catalog.moduleNames : catalog.allNames);
      const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : '';
      const suggested = suggestions.flatMap((name) => link(catalog.byName.get(name)));
      // The kernel hands a command-line word it does not know to init (`splash` is plymouth's): only a near miss is an error.
      if (setting.from === 'cmdline' && !setting.module && suggestions.length === 0) {
        findings.push({ ...base, kind: 'for-init', message: `${key} is no kernel parameter of any reference kernel: the kernel hands it to init`, tunables: [] });
      } else {
        findings.push({ ...base, kind: 'unknown-key', message: `no ${setting.from === 'modprobe' ? 'module' : 'boot or module'} parameter is named ${key} on any reference kernel${hint}`, tunables: suggested });
      }
      continue;
    }
    const facts = tunable.kernels[series];
    if (!facts) {
      findings.push({ ...base, kind: 'not-on-kernel', message: `${tunable.name} is not on ${series}; it is on ${Object.keys(tunable.kernels).join(', ')}`, tunables: link(tunable) });
      continue;
    }
    for (const finding of checkSetting(setting, tunable, facts, series, blacklisted)) findings.push({ ...base, ...finding });
  }
  return inSourceOrder(findings, sources.map(({ file }) => file));
}
