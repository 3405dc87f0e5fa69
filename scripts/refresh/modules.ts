/**
 * The modules the VM loads, from the kernel's own package: which exist as modules in this
 * kernel (others are built in or gone), in which order to load them with their
 * dependencies, and the decompressed files for the initramfs (busybox insmod takes plain
 * .ko files; decompressing on the host keeps the VM's work small).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../lib/run.ts';
import { BUSYBOX } from './tools.ts';
import { canonicalModuleName } from '#core/paths.ts';

/**
 * Widely used modules whose tunables operators look up. Order matters: a tunable that
 * appears while a module loads is credited to it, dependencies included (bridge comes
 * before br_netfilter so the bridge's own tunables are credited to bridge).
 */
export const CURATED_MODULES = [
  'ipv6', // built in on Debian, modular elsewhere
  'nf_conntrack', // net.netfilter.nf_conntrack_*
  'nf_log_syslog', // net.netfilter.nf_log.*
  'bridge',
  'br_netfilter', // net.bridge.bridge-nf-call-*
  'sctp', // net.sctp.*
  'tcp_bbr',
  'ip_vs', // net.ipv4.vs.*
  'vrf',
  'tipc', // net.tipc.*
  'nfs', // fs.nfs.*, sunrpc.* (via sunrpc)
  'nfsd',
  'fuse', // built in from 6.12
  'overlay',
  'loop',
  'zram',
  'kvm',
] as const;

/** `nf_conntrack.ko.xz` → `nf_conntrack`; dashes and underscores are one in module names. */
export function moduleName(file: string): string | undefined {
  const match = /^(.+)\.ko(\.xz|\.zst|\.gz)?$/.exec(file);
  return match ? canonicalModuleName(match[1]!) : undefined;
}

/** Every value of `key` in a module's .modinfo section (NUL-separated `key=value` strings). */
export function modinfo(ko: Buffer, key: string): string[] {
  const needle = Buffer.from(`\0${key}=`);
  const values: string[] = [];
  for (let at = ko.indexOf(needle); at >= 0; at = ko.indexOf(needle, at + 1)) {
    values.push(ko.subarray(at + needle.length, ko.indexOf(0, at + needle.length)).toString('latin1'));
  }
  return values;
}

/** Modules this one cannot load without (`depends=`). */
export function hardDependencies(ko: Buffer): string[] {
  return (modinfo(ko, 'depends')[0] ?? '').split(',').filter(Boolean).map((name) => name.replaceAll('-', '_'));
}

/**
 * What `softdep=pre: a b post: c` asks to load first (a module name or an alias). These
 * matter: libcrc32c asks for crc32c, which it looks up when it loads and which the VM
 * cannot fetch on demand (there is no modprobe with a module tree in it).
 */
export function softDependencies(ko: Buffer): string[] {
  const names: string[] = [];
  for (const value of modinfo(ko, 'softdep')) {
    let pre = true;
    for (const word of value.split(/\s+/).filter(Boolean)) {
      if (word === 'pre:' || word === 'post:') pre = word === 'pre:';
      else if (pre) names.push(word);
    }
  }
  return names;
}

export interface ModuleStep {
  /** The curated module the tunables that appear are credited to. */
  module: string;
  /** Modules to insmod, dependencies first, none loaded by an earlier step. */
  load: string[];
}

/** Load steps for the wanted modules that exist in this kernel; `depends` gives a module's direct dependencies. */
export function loadPlan(wanted: readonly string[], available: ReadonlySet<string>, depends: (name: string) => readonly string[]): ModuleStep[] {
  const loaded = new Set<string>();
  const steps: ModuleStep[] = [];
  for (const module of wanted.filter((name) => available.has(name))) {
    const load: string[] = [];
    const visit = (name: string, path: readonly string[]) => {
      if (loaded.has(name)) return;
      if (path.includes(name)) throw new Error(`module dependency cycle: ${[...path, name].join(' → ')}`);
      if (!available.has(name)) throw new Error(`${path.at(-1) ?? name} depends on ${name}, which is not in the package`);
      for (const dep of depends(name)) visit(dep, [...path, name]);
      loaded.add(name);
      load.push(name);
    };
    visit(module, []);
    steps.push({ module, load });
  }
  return steps;
}

async function listModules(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(join(dir, 'kernel'), { recursive: true, withFileTypes: true })) {
    const name = entry.isFile() ? moduleName(entry.name) : undefined;
    if (name) files.set(name, join(entry.parentPath, entry.name));
  }
  return files;
}

/** A module file's ELF bytes, decompressed as its suffix says. */
export async function decompressed(file: string): Promise<Buffer> {
  if (file.endsWith('.xz')) return run(BUSYBOX, ['unxz', '-c', file]);
  if (file.endsWith('.gz')) return run(BUSYBOX, ['gunzip', '-c', file]);
  // busybox has no zstd: Debian has used xz so far, a switch would need the zstd tool.
  if (file.endsWith('.zst')) return run('zstd', ['-dc', file]);
  return readFile(file);
}

/** Soft dependencies are crypto and library helpers: only those folders are searched for aliases. */
const ALIAS_DIRS = ['/kernel/crypto/', '/kernel/arch/', '/kernel/lib/'];

/**
 * Writes `<name>.ko` for every module the plan loads into `outDir` and returns the plan,
 * plus the curated modules this kernel does not have as modules.
 */
export async function stageModules(modulesDir: string, outDir: string, wanted: readonly string[] = CURATED_MODULES): Promise<{ steps: ModuleStep[]; absent: string[] }> {
  const files = await listModules(modulesDir);
  const contents = new Map<string, Buffer>();
  const read = async (name: string) => {
    if (!contents.has(name)) contents.set(name, await decompressed(files.get(name)!));
    return contents.get(name)!;
  };
  let aliases: Map<string, string> | undefined;
  /** A soft dependency's module: by name, else by alias; several modules may offer one, the generic one runs on any CPU. */
  const resolveSoft = async (wantedName: string): Promise<string | undefined> => {
    const name = wantedName.replaceAll('-', '_');
    if (files.has(name)) return name;
    if (!aliases) {
      aliases = new Map();
      const helpers = [...files].filter(([, file]) => ALIAS_DIRS.some((dir) => file.includes(dir))).sort(([a], [b]) => (a.includes('generic') ? -1 : b.includes('generic') ? 1 : a < b ? -1 : 1));
      for (const [module] of helpers) for (const alias of modinfo(await read(module), 'alias')) if (!aliases.has(alias)) aliases.set(alias, module);
    }
    return aliases.get(wantedName);
  };
  // loadPlan is synchronous: find every module it may visit first (the wanted ones and their dependency closure).
  const deps = new Map<string, string[]>();
  const pending = wanted.filter((name) => files.has(name));
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (deps.has(name) || !files.has(name)) continue;
    const ko = await read(name);
    const soft = (await Promise.all(softDependencies(ko).map(resolveSoft))).filter((module): module is string => module !== undefined);
    deps.set(name, [...soft, ...hardDependencies(ko)]);
    pending.push(...deps.get(name)!);
  }
  const steps = loadPlan(wanted, new Set(files.keys()), (name) => deps.get(name) ?? []);
  for (const name of steps.flatMap((step) => step.load)) await writeFile(join(outDir, `${name}.ko`), contents.get(name)!);
  return { steps, absent: wanted.filter((name) => !files.has(name)) };
}
