/**
 * Finds, downloads and unpacks the current kernel of a Debian suite for one architecture
 * (amd64 unless told), without installing anything and without hard-coded revisions: apt
 * reads a private sources list and state folder per suite and arch (`.cache/apt/<suite>/`,
 * `.cache/apt/<suite>-arm64/`), so suites and arches other than the host's own can be
 * resolved side by side; packages land in `.cache/kernels/<suite>[-<arch>]/`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PRIMARY_ARCH } from '#core/kernels.ts';
import { runText } from './run.ts';

export const SUITES = ['bullseye', 'bookworm', 'trixie', 'sid'] as const;

const MIRROR = 'http://deb.debian.org/debian';
const SECURITY_MIRROR = 'http://deb.debian.org/debian-security';

/** The cache folder of one suite of one arch (the primary arch's keeps the suite's bare name, as before arm64): `<root>/bookworm` for amd64, `<root>/bookworm-arm64` for another. */
export const archCacheDir = (root: string, suite: string, arch: string = PRIMARY_ARCH) => join(root, arch === PRIMARY_ARCH ? suite : `${suite}-${arch}`);

/** The released suites get kernel updates through `<suite>-security`; sid has no such suite. */
export function sourcesList(suite: string, arch: string = PRIMARY_ARCH): string {
  const lines = [`deb [arch=${arch}] ${MIRROR} ${suite} main`];
  if (suite !== 'sid' && suite !== 'unstable') lines.push(`deb [arch=${arch}] ${SECURITY_MIRROR} ${suite}-security main`);
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

/** The clause of a Depends field that names `name`: `linux-image-5.10.0-32-arm64 (= 5.10.223-1)`. */
export function dependencyClause(depends: string | undefined, name: string): string | undefined {
  return depends?.split(',').map((clause) => clause.trim()).find((clause) => clause.split(/[\s(:]/)[0] === name);
}

/** `Candidate: 6.1.192-2` from `apt-cache policy`; undefined when apt knows no installable version. */
export function candidateVersion(policy: string): string | undefined {
  const match = /^\s*Candidate:\s*(\S+)/m.exec(policy);
  return match && match[1] !== '(none)' ? match[1] : undefined;
}

/** The versioned image package the `linux-image-<arch>` metapackage depends on, e.g. `linux-image-6.1.0-56-amd64`. */
export function imageOfMeta(metaDepends: string | undefined, arch: string = PRIMARY_ARCH): string {
  const image = dependencyNames(metaDepends).find((name) => /^linux-image-\d/.test(name));
  if (!image) throw new Error(`linux-image-${arch} depends on no versioned image package (Depends: ${metaDepends ?? 'none'})`);
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
  /** Debian's architecture name: `amd64`, `arm64`. */
  arch: string;
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
  /** Private apt state per suite and arch: `<apt>/<suite>[-<arch>]/{sources.list,lists,cache}`. */
  apt: string;
  /** Downloaded and unpacked packages per suite and arch: `<kernels>/<suite>[-<arch>]/`. */
  kernels: string;
}

/** apt resolves relative Dir:: paths against its own folders, so `dir` must be absolute. */
function aptOptions(dir: string, arch: string): string[] {
  return [
    `Dir::Etc::sourcelist=${join(dir, 'sources.list')}`,
    // Empty folders of our own: the host's extra sources and pins must not leak in.
    `Dir::Etc::sourceparts=${join(dir, 'empty')}`,
    'Dir::Etc::preferences=/dev/null',
    `Dir::Etc::preferencesparts=${join(dir, 'empty')}`,
    `Dir::State::Lists=${join(dir, 'lists')}`,
    'Dir::State::status=/dev/null',
    `Dir::Cache=${join(dir, 'cache')}`,
    `APT::Architecture=${arch}`,
    `APT::Architectures=${arch}`,
    // Downloads land in our cache folder, which the unprivileged _apt user may not reach.
    'APT::Sandbox::User=root',
  ].flatMap((option) => ['-o', option]);
}

/** apt-cache and apt-get on one suite's private sources list and state. */
export class Apt {
  readonly dir: string;
  readonly arch: string;
  constructor(dir: string, arch: string = PRIMARY_ARCH) {
    this.dir = dir;
    this.arch = arch;
  }
  cache(...args: string[]): Promise<string> {
    return runText('apt-cache', [...aptOptions(this.dir, this.arch), ...args], { label: `apt-cache ${args.join(' ')}` });
  }
  get(args: string[], cwd?: string): Promise<string> {
    return runText('apt-get', ['-q', ...aptOptions(this.dir, this.arch), ...args], { cwd, label: `apt-get ${args.join(' ')}` });
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
export async function openApt(suite: string, aptRoot: string, options: { update?: boolean; arch?: string } = {}): Promise<{ apt: Apt; updated: boolean }> {
  const arch = options.arch ?? PRIMARY_ARCH;
  const dir = resolve(archCacheDir(aptRoot, suite, arch));
  await mkdir(join(dir, 'empty'), { recursive: true });
  await mkdir(join(dir, 'lists', 'partial'), { recursive: true });
  await mkdir(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
  await writeFile(join(dir, 'sources.list'), sourcesList(suite, arch));
  const apt = new Apt(dir, arch);
  const updated = Boolean(options.update) || !(await hasLists(dir));
  if (updated) await apt.get(['update']);
  return { apt, updated };
}

/** The versions `apt-cache madison` lists, in its order (newest first). */
export function madisonVersions(madison: string): string[] {
  return madison
    .split('\n')
    .map((line) => line.split('|')[1]?.trim())
    .filter((version): version is string => Boolean(version))
    .filter((version, i, all) => all.indexOf(version) === i);
}

export interface ResolveOptions {
  update?: boolean;
  arch?: string;
  /** Skip this many newer versions of the metapackage than the candidate (see `fetchKernel`). */
  older?: number;
}

/** Resolves the suite's current kernel packages of an arch; `apt-get update` runs only when asked or when the lists are missing. */
export async function resolveKernel(suite: string, dirs: CacheDirs, options: ResolveOptions = {}): Promise<ResolvedKernel> {
  const arch = options.arch ?? PRIMARY_ARCH;
  const { apt, updated } = await openApt(suite, dirs.apt, { ...options, arch });
  const meta = `linux-image-${arch}`;
  let version = await apt.candidate(meta);
  if (!version && !updated) {
    await apt.get(['update']);
    version = await apt.candidate(meta);
  }
  if (!version) throw new Error(`${suite}: apt finds no ${meta} (check ${join(apt.dir, 'sources.list')})`);
  if (options.older) {
    const versions = madisonVersions(await apt.cache('madison', meta));
    const older = versions.slice(versions.indexOf(version) + 1);
    version = older[options.older - 1];
    if (!version) throw new Error(`${suite}: apt knows no ${meta} older than ${versions.slice(0, options.older).join(', ')}`);
  }
  const image = imageOfMeta((await apt.show(meta, version)).get('Depends'), arch);
  // The metapackage pins its image's version: an older metapackage takes its own image.
  const imageVersion = /\(= ([^)]+)\)/.exec(dependencyClause((await apt.show(meta, version)).get('Depends'), image) ?? '')?.[1] ?? (await apt.candidate(image));
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
  return { suite, arch, version, packages };
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
 * Downloads the resolved packages unless the same files are already there, then removes
 * other versions' files, and unpacks them (again only when the set of packages changed).
 */
export async function prepareKernel(resolved: ResolvedKernel, dirs: CacheDirs, onStage: (stage: string) => void = () => {}): Promise<PreparedKernel> {
  const dir = archCacheDir(dirs.kernels, resolved.suite, resolved.arch);
  await mkdir(dir, { recursive: true });
  const apt = new Apt(resolve(archCacheDir(dirs.apt, resolved.suite, resolved.arch)), resolved.arch);
  const wanted = new Set(resolved.packages.map((p) => p.file));
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
  // Other versions' files go only now: a download the archive refuses (fetchKernel then
  // takes an older version) must not cost the older version's cached files.
  for (const name of await readdir(dir)) {
    if (name.endsWith('.deb') && !wanted.has(name)) await rm(join(dir, name));
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

/** A download the archive answered with 404: its index lists files its pool does not hold. */
const MISSING_FROM_ARCHIVE = / 404 +Not Found/;

/**
 * Resolves and prepares the suite's current kernel of an arch. When the archive reached
 * here lacks the current version's files (its security index may list a build whose pool
 * file it does not hold), the next older version of the metapackage is taken instead,
 * and `onStage` says so: a kernel of the same series measured beats none.
 */
export async function fetchKernel(suite: string, dirs: CacheDirs, options: Omit<ResolveOptions, 'older'> = {}, onStage: (stage: string) => void = () => {}): Promise<PreparedKernel> {
  for (let older = 0; ; older++) {
    const resolved = await resolveKernel(suite, dirs, { ...options, update: options.update && older === 0, older });
    try {
      return await prepareKernel(resolved, dirs, onStage);
    } catch (error) {
      if (!MISSING_FROM_ARCHIVE.test((error as Error).message) || older >= 3) throw error;
      onStage(`the archive lacks the files of ${resolved.packages.map((p) => `${p.name}=${p.version}`).join(' ')} (404): taking the next older version`);
    }
  }
}

export interface FetchedPackage {
  name: string;
  version: string;
  /** Where it is unpacked (`dpkg-deb -x`). */
  root: string;
}

/**
 * The suite's current version of each named package (or the version given), for the arch
 * given (default the host's; `all` packages too), downloaded
 * and unpacked under `dir/<name>_<version>/root`: all of it, or only the `members` (tar
 * wildcards, `./usr/lib/tuned/*`: ssg-nondebian unpacks to 1.9 GB, its XCCDF files to
 * 285 MB). A warm cache downloads and unpacks nothing.
 */
export async function fetchPackages(
  suite: string,
  packages: readonly { name: string; members?: readonly string[]; version?: string }[],
  aptRoot: string,
  dir: string,
  options: { update?: boolean; arch?: string } = {},
  onStage: (stage: string) => void = () => {},
): Promise<FetchedPackage[]> {
  const { apt } = await openApt(suite, aptRoot, options);
  const fetched: FetchedPackage[] = [];
  for (const { name, members, version: wanted } of packages) {
    const version = wanted ?? (await apt.candidate(name));
    if (!version) throw new Error(`apt finds no ${name} in ${suite}`);
    const folder = join(dir, `${name}_${version.replaceAll(':', '%3a')}`);
    const root = join(folder, 'root');
    const stampFile = join(folder, 'unpacked');
    const stamp = `${version}\n${(members ?? ['(all)']).join('\n')}\n`;
    if ((await readFile(stampFile, 'utf8').catch(() => '')) !== stamp) {
      onStage(`download ${name}=${version}`);
      await rm(folder, { recursive: true, force: true });
      await mkdir(root, { recursive: true });
      await apt.get(['download', `${name}=${version}`], folder);
      const deb = (await readdir(folder)).find((file) => file.endsWith('.deb'));
      if (!deb) throw new Error(`apt-get download ${name}=${version} wrote no .deb in ${folder}`);
      onStage(`unpack ${deb}${members ? ` (${members.join(' ')})` : ''}`);
      // tar fails on a member the package lacks, and on no archive when dpkg-deb failed.
      const extract = 'deb=$1; root=$2; shift 2; dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" --wildcards "$@"';
      if (members) await runText('sh', ['-c', extract, 'sh', join(folder, deb), root, ...members]);
      else await runText('dpkg-deb', ['-x', join(folder, deb), root]);
      await rm(join(folder, deb));
      await writeFile(stampFile, stamp);
      // Older versions go once the new one is unpacked.
      for (const entry of await readdir(dir)) if (entry.startsWith(`${name}_`) && entry !== basename(folder)) await rm(join(dir, entry), { recursive: true, force: true });
    }
    fetched.push({ name, version, root });
  }
  return fetched;
}
