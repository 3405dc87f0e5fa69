/**
 * Finds, downloads and unpacks the current amd64 kernel of a Debian suite, without
 * installing anything and without hard-coded revisions: apt reads a private sources list
 * and state folder per suite (`.cache/apt/<suite>/`), so suites other than the host's own
 * can be resolved side by side; packages land in `.cache/kernels/<suite>/`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { runText } from './run.ts';

export const SUITES = ['bullseye', 'bookworm', 'trixie', 'sid'] as const;

const MIRROR = 'http://deb.debian.org/debian';
const SECURITY_MIRROR = 'http://deb.debian.org/debian-security';

/** The released suites get kernel updates through `<suite>-security`; sid has no such suite. */
export function sourcesList(suite: string): string {
  const lines = [`deb [arch=amd64] ${MIRROR} ${suite} main`];
  if (suite !== 'sid' && suite !== 'unstable') lines.push(`deb [arch=amd64] ${SECURITY_MIRROR} ${suite}-security main`);
  return `${lines.join('\n')}\n`;
}

/** One deb822 control stanza (`apt-cache show` output) as field → value; continuation lines are joined. */
export function parseStanza(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '') {
      if (fields.size > 0) break;
    } else if (/^\s/.test(line) && last) {
      fields.set(last, `${fields.get(last)}\n${line.trim()}`);
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) {
        last = line.slice(0, colon);
        fields.set(last, line.slice(colon + 1).trim());
      }
    }
  }
  return fields;
}

/** Every package name a Depends field mentions, alternatives included, without versions or arch qualifiers. */
export function dependencyNames(depends: string | undefined): string[] {
  if (!depends) return [];
  return depends
    .split(/[,|]/)
    .map((part) => part.trim().split(/[\s(:]/)[0]!)
    .filter(Boolean);
}

/** `Candidate: 6.1.192-2` from `apt-cache policy`; undefined when apt knows no installable version. */
export function candidateVersion(policy: string): string | undefined {
  const match = /^\s*Candidate:\s*(\S+)/m.exec(policy);
  return match && match[1] !== '(none)' ? match[1] : undefined;
}

/** The versioned image package the `linux-image-amd64` metapackage depends on, e.g. `linux-image-6.1.0-56-amd64`. */
export function imageOfMeta(metaDepends: string | undefined): string {
  const image = dependencyNames(metaDepends).find((name) => /^linux-image-\d/.test(name));
  if (!image) throw new Error(`linux-image-amd64 depends on no versioned image package (Depends: ${metaDepends ?? 'none'})`);
  return image;
}

/**
 * The packages holding the kernel and its modules. Until 6.12 the image package holds
 * both; from 7.x on it is a small signed meta package that depends on `linux-binary-<abi>`
 * (the kernel), `linux-modules-<abi>` and `linux-base-<abi>` (config and
 * `modules.builtin.modinfo`, the built-in modules' parameters) of the same ABI name.
 */
export function kernelPackageNames(image: string, imageDepends: string | undefined): string[] {
  const abi = image.slice('linux-image-'.length);
  const deps = new Set(dependencyNames(imageDepends));
  return [image, ...[`linux-binary-${abi}`, `linux-modules-${abi}`, `linux-base-${abi}`].filter((name) => deps.has(name))];
}

export interface DebPackage {
  name: string;
  version: string;
  /** The file name `apt-get download` writes (the pool file's name). */
  file: string;
  size: number;
}

export interface ResolvedKernel {
  suite: string;
  /** The metapackage's version, e.g. `6.1.192-2`. */
  version: string;
  packages: DebPackage[];
}

export interface PreparedKernel extends ResolvedKernel {
  /** `uname -r` of the kernel, from its modules folder name. */
  release: string;
  vmlinuz: string;
  /** `…/lib/modules/<release>` inside the unpacked packages. */
  modulesDir: string;
  /** Package files fetched by this call (empty with a warm cache). */
  downloaded: string[];
}

export interface CacheDirs {
  /** Private apt state per suite: `<apt>/<suite>/{sources.list,lists,cache}`. */
  apt: string;
  /** Downloaded and unpacked packages per suite: `<kernels>/<suite>/`. */
  kernels: string;
}

/** apt resolves relative Dir:: paths against its own folders, so `dir` must be absolute. */
function aptOptions(dir: string): string[] {
  return [
    `Dir::Etc::sourcelist=${join(dir, 'sources.list')}`,
    // Empty folders of our own: the host's extra sources and pins must not leak in.
    `Dir::Etc::sourceparts=${join(dir, 'empty')}`,
    'Dir::Etc::preferences=/dev/null',
    `Dir::Etc::preferencesparts=${join(dir, 'empty')}`,
    `Dir::State::Lists=${join(dir, 'lists')}`,
    'Dir::State::status=/dev/null',
    `Dir::Cache=${join(dir, 'cache')}`,
    'APT::Architecture=amd64',
    'APT::Architectures=amd64',
    // Downloads land in our cache folder, which the unprivileged _apt user may not reach.
    'APT::Sandbox::User=root',
  ].flatMap((option) => ['-o', option]);
}

/** apt-cache and apt-get on one suite's private sources list and state. */
export class Apt {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }
  cache(...args: string[]): Promise<string> {
    return runText('apt-cache', [...aptOptions(this.dir), ...args], { label: `apt-cache ${args.join(' ')}` });
  }
  get(args: string[], cwd?: string): Promise<string> {
    return runText('apt-get', ['-q', ...aptOptions(this.dir), ...args], { cwd, label: `apt-get ${args.join(' ')}` });
  }
  async show(name: string, version: string): Promise<Map<string, string>> {
    return parseStanza(await this.cache('show', `${name}=${version}`));
  }
  async candidate(name: string): Promise<string | undefined> {
    return candidateVersion(await this.cache('policy', name));
  }
}

async function hasLists(dir: string): Promise<boolean> {
  const names = await readdir(join(dir, 'lists')).catch(() => []);
  // apt keeps the lists compressed (`…_Packages.lz4`) when the host's apt is configured so.
  return names.some((name) => /_Packages(\.\w+)?$/.test(name));
}

/**
 * The private apt of a suite, its state folder set up; `apt-get update` runs only when
 * asked or when the lists are missing. `updated` tells whether it ran.
 */
export async function openApt(suite: string, aptRoot: string, options: { update?: boolean } = {}): Promise<{ apt: Apt; updated: boolean }> {
  const dir = resolve(aptRoot, suite);
  await mkdir(join(dir, 'empty'), { recursive: true });
  await mkdir(join(dir, 'lists', 'partial'), { recursive: true });
  await mkdir(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
  await writeFile(join(dir, 'sources.list'), sourcesList(suite));
  const apt = new Apt(dir);
  const updated = Boolean(options.update) || !(await hasLists(dir));
  if (updated) await apt.get(['update']);
  return { apt, updated };
}

/** Resolves the suite's current kernel packages; `apt-get update` runs only when asked or when the lists are missing. */
export async function resolveKernel(suite: string, dirs: CacheDirs, options: { update?: boolean } = {}): Promise<ResolvedKernel> {
  const { apt, updated } = await openApt(suite, dirs.apt, options);
  let version = await apt.candidate('linux-image-amd64');
  if (!version && !updated) {
    await apt.get(['update']);
    version = await apt.candidate('linux-image-amd64');
  }
  if (!version) throw new Error(`${suite}: apt finds no linux-image-amd64 (check ${join(apt.dir, 'sources.list')})`);
  const image = imageOfMeta((await apt.show('linux-image-amd64', version)).get('Depends'));
  const imageVersion = await apt.candidate(image);
  if (!imageVersion) throw new Error(`${suite}: apt finds no candidate for ${image}`);
  const names = kernelPackageNames(image, (await apt.show(image, imageVersion)).get('Depends'));
  const packages = await Promise.all(
    names.map(async (name): Promise<DebPackage> => {
      const candidate = await apt.candidate(name);
      if (!candidate) throw new Error(`${suite}: apt finds no candidate for ${name}`);
      const fields = await apt.show(name, candidate);
      return { name, version: candidate, file: basename(fields.get('Filename') ?? ''), size: Number(fields.get('Size')) };
    }),
  );
  return { suite, version, packages };
}

async function sizeOf(file: string): Promise<number | undefined> {
  return stat(file).then(
    (s) => s.size,
    () => undefined,
  );
}

/** The kernel and modules folder inside unpacked packages: `boot/vmlinuz-<release>` or `usr/lib/modules/<release>/vmlinuz`. */
async function locateKernel(root: string): Promise<{ release: string; vmlinuz: string; modulesDir: string }> {
  for (const modules of ['usr/lib/modules', 'lib/modules']) {
    for (const release of await readdir(join(root, modules)).catch(() => [])) {
      const candidates = [join(root, modules, release, 'vmlinuz'), join(root, 'boot', `vmlinuz-${release}`)];
      const vmlinuz = candidates.find((file) => existsSync(file));
      if (vmlinuz) return { release, vmlinuz, modulesDir: join(root, modules, release) };
    }
  }
  throw new Error(`no vmlinuz found under ${root} (looked in boot/ and {usr/,}lib/modules/*/)`);
}

/**
 * Downloads the resolved packages unless the same files are already there, removes other
 * versions' files, and unpacks them (again only when the set of packages changed).
 */
export async function prepareKernel(resolved: ResolvedKernel, dirs: CacheDirs, onStage: (stage: string) => void = () => {}): Promise<PreparedKernel> {
  const dir = join(dirs.kernels, resolved.suite);
  await mkdir(dir, { recursive: true });
  const apt = new Apt(resolve(dirs.apt, resolved.suite));
  const wanted = new Set(resolved.packages.map((p) => p.file));
  for (const name of await readdir(dir)) {
    if (name.endsWith('.deb') && !wanted.has(name)) await rm(join(dir, name));
  }
  const missing: DebPackage[] = [];
  for (const deb of resolved.packages) {
    if ((await sizeOf(join(dir, deb.file))) !== deb.size) missing.push(deb);
  }
  if (missing.length > 0) {
    onStage(`download ${missing.map((p) => `${p.name}=${p.version}`).join(' ')}`);
    await apt.get(['download', ...missing.map((p) => `${p.name}=${p.version}`)], dir);
    for (const deb of missing) {
      const size = await sizeOf(join(dir, deb.file));
      if (size !== deb.size) throw new Error(`${resolved.suite}: ${deb.file} is ${size ?? 'missing'} bytes after download, expected ${deb.size}`);
    }
  }
  // The stamp lists what root/ was unpacked from, so a warm cache skips the unpacking too.
  const root = join(dir, 'root');
  const stampFile = join(dir, 'root.stamp');
  const stamp = `${[...wanted].sort().join('\n')}\n`;
  if ((await readFile(stampFile, 'utf8').catch(() => '')) !== stamp) {
    onStage('unpack');
    await rm(stampFile, { force: true });
    await rm(root, { recursive: true, force: true });
    await mkdir(root);
    for (const deb of resolved.packages) await runText('dpkg-deb', ['-x', join(dir, deb.file), root]);
    await writeFile(stampFile, stamp);
  }
  return { ...resolved, ...(await locateKernel(root)), downloaded: missing.map((p) => p.file) };
}
