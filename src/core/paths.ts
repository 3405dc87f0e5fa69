/**
 * Naming of tunables: from a file path pattern to its display name, page id and URL.
 * Pure functions shared by the generator, the site and the export.
 */
import type { MeasuredKind, TunableKind } from './schemas/snapshot.ts';
import { parseKernelId, PRIMARY_ARCH } from './kernels.ts';

const ROOTS: Record<MeasuredKind, string> = { sysctl: '/proc/sys/', sysfs: '/sys/' };

const WHERE: Record<TunableKind, string> = {
  sysctl: '/proc/sys',
  sysfs: '/sys',
  boot: 'the kernel command line',
  module: 'modprobe options, the command line, /sys/module',
};

/** Where a kind is set, as the index and kernel pages name it: `/proc/sys`, `the kernel command line`. */
export function kindPlace(kind: TunableKind): string {
  return WHERE[kind];
}

/** The path below /proc/sys or /sys, e.g. `vm/swappiness`. */
export function relativePath(kind: MeasuredKind, path: string): string {
  const root = ROOTS[kind];
  if (!path.startsWith(root)) throw new Error(`${kind} path ${path} is not under ${root}`);
  return path.slice(root.length);
}

/**
 * `/sys/module/<module>/parameters/<name>`: a module parameter's sysfs file. Walked even
 * when read-only (its value is the parameter's effective setting), and its page is the
 * module parameter's.
 */
export const MODULE_PARAMETER_FILE = /^\/sys\/module\/([^/]+)\/parameters\/([^/]+)$/;

export function kindOfPath(path: string): MeasuredKind {
  if (path.startsWith(ROOTS.sysctl)) return 'sysctl';
  if (path.startsWith(ROOTS.sysfs)) return 'sysfs';
  throw new Error(`${path} is neither under /proc/sys nor under /sys`);
}

/** `vm.swappiness` for sysctls (the name `sysctl` takes); the full path for sysfs. */
export function tunableName(kind: MeasuredKind, path: string): string {
  return kind === 'sysctl' ? relativePath(kind, path).replaceAll('/', '.') : path;
}

export function subsystemOf(kind: MeasuredKind, path: string): string {
  return relativePath(kind, path).split('/')[0]!;
}

/** Placeholder names in a pattern, e.g. `['interface']` for `net/ipv4/conf/<interface>/…`. */
export function placeholdersOf(path: string): string[] {
  return [...path.matchAll(/<([a-z0-9-]+)>/g)].map((m) => m[1]!);
}

/**
 * Page id (also the content file path without `.mdx`): `sysctl/vm/swappiness`,
 * `sysctl/net/ipv4/conf/_interface_/rp_filter`. Placeholders become `_name_` because
 * `<` and `>` are not safe in file names or URLs.
 */
export function pageId(kind: MeasuredKind, path: string): string {
  return `${kind}/${relativePath(kind, path).replace(/<([a-z0-9-]+)>/g, '_$1_')}`;
}

/** A module's name in underscore form (`nvme-core` → `nvme_core`): the kernel and modprobe treat `-` and `_` in it alike. */
export function canonicalModuleName(name: string): string {
  return name.replaceAll('-', '_');
}

/** `nvme_core.io_timeout`: the name a module parameter has on the command line. */
export function moduleParameterName(module: string, name: string): string {
  return `${module}.${name}`;
}

/** The file under /sys/module a module parameter has while its module is loaded (if it has one at all). */
export function moduleParameterPath(module: string, name: string): string {
  return `/sys/module/${module}/parameters/${name}`;
}

/**
 * Where the kernel files parameters without a module prefix (kernel/params.c: `panic`,
 * `initcall_debug`, `consoleblank`): /sys/module/kernel/parameters/. They are boot
 * parameters, named on the command line without `kernel.`; that file is their sysfs face.
 */
export const UNPREFIXED_MODULE = 'kernel';

/** The page id of the parameter a file under /sys/module/<module>/parameters/ belongs to. */
export function parameterIdOfFile(module: string, name: string): string {
  return module === UNPREFIXED_MODULE ? bootParameterId(name) : moduleParameterId(module, name);
}

/** `module/nvme_core/io_timeout`: a module parameter's page, its module the subsystem. */
export function moduleParameterId(module: string, name: string): string {
  return `module/${module}/${name}`;
}

/**
 * Boot parameters are grouped by their first letter, as kernel-parameters.txt orders them:
 * the kernel has no other grouping that every parameter has (tags are missing on some and
 * change between kernels, and a page's address must not).
 */
export function bootParameterGroup(name: string): string {
  return name.charAt(0).toLowerCase();
}

/** `boot/i/isolcpus`. */
export function bootParameterId(name: string): string {
  return `boot/${bootParameterGroup(name)}/${name}`;
}

/** The page id of any tunable, from the facts that name it. */
export function pageIdOf(data: { kind: TunableKind; path: string | null; title: string; subsystem: string }): string {
  if (data.kind === 'boot') return bootParameterId(data.title);
  if (data.kind === 'module') return moduleParameterId(data.subsystem, data.title.slice(data.subsystem.length + 1));
  if (data.path === null) throw new Error(`${data.kind} tunable ${data.title} has no path`);
  return pageId(data.kind, data.path);
}

/** Site-relative URL of a page id, with the trailing slash Astro's static output uses. */
export function pageUrl(id: string): string {
  return `/${id}/`;
}

/** Every subsystem of one kind: `/module/`. */
export function kindUrl(kind: TunableKind): string {
  return `/${kind}/`;
}

export function subsystemUrl(kind: TunableKind, subsystem: string): string {
  return `/${kind}/${subsystem}/`;
}

/** Every kind and its subsystems: the top of the tree kind → subsystem → tunable. */
export const BROWSE_URL = '/browse/';

export const KERNELS_URL = '/kernels/';

/** What others recommend: every profile of every source. */
export const PROFILES_URL = '/profiles/';

/** A profile's page: `/profiles/tuned/throughput-performance/`, `/profiles/ssg/debian13/cis_level1_server/`. */
export function profileUrl(source: string, profile: string): string {
  return `${PROFILES_URL}${source}/${profile.replaceAll(':', '/')}/`;
}

/** Every difference between the architectures, per series. */
export const ARCHES_URL = `${KERNELS_URL}arches/`;

export function kernelUrl(series: string): string {
  return `${KERNELS_URL}${series}/`;
}

/**
 * Names the changes page of two kernels of one architecture: `6.1-6.12` for amd64's, whose
 * addresses predate another architecture, `arm64/6.1-6.12` for another's.
 */
export function changesSlug(from: string, to: string): string {
  const [a, b] = [parseKernelId(from), parseKernelId(to)];
  if (a.arch !== b.arch) throw new Error(`a changes page compares two kernels of one architecture, not ${from} and ${to}`);
  const pair = `${a.series}-${b.series}`;
  return a.arch === PRIMARY_ARCH ? pair : `${a.arch}/${pair}`;
}

export function changesUrl(from: string, to: string): string {
  return `/changes/${changesSlug(from, to)}/`;
}

/** `6.1.0-27-amd64` → `6.1`. */
export function seriesOf(release: string): string {
  const match = /^(\d+)\.(\d+)/.exec(release);
  if (!match) throw new Error(`cannot read a kernel series from release "${release}"`);
  return `${match[1]}.${match[2]}`;
}
