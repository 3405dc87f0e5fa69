/**
 * The kernel source tree of each reference series, from Debian's `linux-source-<series>`
 * package: resolved and fetched with the private apt of `npm run refresh` (no host
 * sources, no installing), unpacked to `.cache/linux-source/<series>/linux-source-<series>/`
 * with only what the docs need (TREE_MEMBERS), and its Makefiles beside it
 * (`<series>-kbuild/`, KBUILD_MEMBERS).
 */
import { readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { dependencyNames, openApt, SUITES, type Apt } from '../lib/apt.ts';
import { runText } from '../lib/run.ts';

export interface KernelSource {
  series: string;
  suite: string;
  /** The Debian version of the package, e.g. `6.1.192-2`. */
  sourceVersion: string;
  /** The upstream release it packages, e.g. `6.1.192`. */
  upstreamVersion: string;
  /** The tree: `<root>/<series>/linux-source-<series>`. */
  tree: string;
  /** The same tree's Makefiles and Kbuild files: `<root>/<series>-kbuild/linux-source-<series>`. */
  kbuild: string;
  downloaded: boolean;
  extracted: boolean;
}

/** `6.1.192-2` → `6.1.192`; `6.13~rc7-1~exp1` → `6.13-rc7` (Debian spells release candidates with `~`). */
export function upstreamOf(debianVersion: string): string {
  const withoutEpoch = debianVersion.replace(/^\d+:/, '');
  const dash = withoutEpoch.lastIndexOf('-');
  return (dash > 0 ? withoutEpoch.slice(0, dash) : withoutEpoch).replace('~', '-');
}

/** `linux-source-6.1` from the Depends of the `linux-source` metapackage; undefined when it names none. */
export function sourcePackageOfMeta(metaDepends: string | undefined): string | undefined {
  return dependencyNames(metaDepends).find((name) => /^linux-source-\d+\.\d+$/.test(name));
}

export interface SourceCandidate {
  series: string;
  suite: string;
  apt: Apt;
  name: string;
  version: string;
}

/**
 * For each series, the suite whose `linux-source` metapackage points at it (the first in
 * SUITES' order) and the package's candidate version. Series no suite has are missing
 * from the map; `seen` says what each suite has instead.
 */
export async function resolveSources(series: readonly string[], aptRoot: string, options: { update?: boolean } = {}): Promise<{ found: Map<string, SourceCandidate>; seen: string[] }> {
  const found = new Map<string, SourceCandidate>();
  const seen: string[] = [];
  for (const suite of SUITES) {
    const { apt } = await openApt(suite, aptRoot, options);
    const metaVersion = await apt.candidate('linux-source');
    const name = metaVersion ? sourcePackageOfMeta((await apt.show('linux-source', metaVersion)).get('Depends')) : undefined;
    seen.push(`${suite}: ${name ?? 'no linux-source'}`);
    const which = name?.slice('linux-source-'.length);
    if (!name || !which || !series.includes(which) || found.has(which)) continue;
    const version = await apt.candidate(name);
    if (version) found.set(which, { series: which, suite, apt, name, version });
  }
  return { found, seen };
}

async function sizeOf(file: string): Promise<number | undefined> {
  return stat(file).then(
    (s) => s.size,
    () => undefined,
  );
}

/** Fetches the package unless the same file is there; other versions of it go. */
async function download(candidate: Pick<SourceCandidate, 'apt' | 'name' | 'version'>, debs: string): Promise<{ file: string; downloaded: boolean }> {
  const fields = await candidate.apt.show(candidate.name, candidate.version);
  const file = join(debs, (fields.get('Filename') ?? '').split('/').pop()!);
  const size = Number(fields.get('Size'));
  await mkdir(debs, { recursive: true });
  for (const name of await readdir(debs)) {
    if (name.startsWith(`${candidate.name}_`) && join(debs, name) !== file) await rm(join(debs, name));
  }
  if ((await sizeOf(file)) === size) return { file, downloaded: false };
  await candidate.apt.get(['download', `${candidate.name}=${candidate.version}`], debs);
  const got = await sizeOf(file);
  if (got !== size) throw new Error(`${file} is ${got ?? 'missing'} bytes after download, expected ${size}`);
  return { file, downloaded: true };
}

/**
 * Unpacks a package into `dir` unless the marker says this very package was unpacked
 * completely: the marker is written last, so an interrupted run unpacks again.
 */
async function unpackOnce(stamp: string, dir: string, unpack: () => Promise<unknown>): Promise<boolean> {
  const marker = join(dir, '.extracted');
  if ((await readFile(marker, 'utf8').catch(() => '')) === `${stamp}\n`) return false;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await unpack();
  await writeFile(marker, `${stamp}\n`);
  return true;
}

/**
 * What the docs read of a tree: its Documentation, C sources and headers (definitions,
 * their comments, struct fields) and Kconfig help texts.
 */
const TREE_MEMBERS = ['Documentation', '*.c', '*.h', '*Kconfig*'];

/**
 * Which module each C file is built into. Unpacked into a folder of their own: adding them
 * to TREE_MEMBERS would unpack every tree again.
 */
const KBUILD_MEMBERS = ['*Makefile*', '*Kbuild*'];

/** Only those members: the package holds one tarball of the whole tree, and tar picks them out of the stream. */
function extract(deb: string, series: string, dir: string, wanted: readonly string[]): Promise<boolean> {
  const top = `linux-source-${series}`;
  const script = 'deb=$1 top=$2 dir=$3; shift 3; dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$top.tar.xz" | tar -xJ -C "$dir" --wildcards "$@"';
  const members = wanted.map((member) => `${top}/${member}`);
  // The stamp names the members too: a run that reads more of the tree unpacks again.
  return unpackOnce(`${basename(deb)} ${wanted.join(' ')}`, dir, () => runText('bash', ['-o', 'pipefail', '-c', script, 'extract', deb, top, dir, ...members], { label: `unpack ${deb}` }));
}

/** Fetches (unless cached) and unpacks (unless complete) one resolved series. */
export async function prepareSource(candidate: SourceCandidate, root: string, onStage: (stage: string) => void = () => {}): Promise<KernelSource> {
  const { series } = candidate;
  onStage(`${candidate.name}=${candidate.version} (${candidate.suite})`);
  const { file, downloaded } = await download(candidate, resolve(root, 'debs'));
  if (downloaded) onStage(`downloaded ${file}`);
  const seriesDir = resolve(root, series);
  const kbuildDir = resolve(root, `${series}-kbuild`);
  const extracted = await extract(file, series, seriesDir, TREE_MEMBERS);
  const kbuildExtracted = await extract(file, series, kbuildDir, KBUILD_MEMBERS);
  if (extracted) onStage(`unpacked into ${seriesDir}`);
  if (kbuildExtracted) onStage(`unpacked Makefiles into ${kbuildDir}`);
  return {
    series,
    suite: candidate.suite,
    sourceVersion: candidate.version,
    upstreamVersion: upstreamOf(candidate.version),
    tree: join(seriesDir, `linux-source-${series}`),
    kbuild: join(kbuildDir, `linux-source-${series}`),
    downloaded,
    extracted,
  };
}

export interface ManPagesSource {
  /** The Debian version of `manpages`, e.g. `6.20-2`. */
  sourceVersion: string;
  /** The man-pages release, e.g. `6.20`. */
  upstreamVersion: string;
  /** The man tree: `<root>/man-pages/usr/share/man`. */
  manRoot: string;
}

/**
 * Debian's `manpages` package of the newest suite (the newest man-pages release), fetched
 * unless cached and unpacked unless complete, with the same private apt as the kernels.
 */
export async function prepareManPages(aptRoot: string, root: string, options: { update?: boolean } = {}, onStage: (stage: string) => void = () => {}): Promise<ManPagesSource> {
  const suite = SUITES.at(-1)!;
  const { apt } = await openApt(suite, aptRoot, options);
  const name = 'manpages';
  const version = await apt.candidate(name);
  if (!version) throw new Error(`${suite}: apt finds no ${name} (check ${join(apt.dir, 'sources.list')})`);
  onStage(`${name}=${version} (${suite})`);
  const { file, downloaded } = await download({ apt, name, version }, resolve(root, 'debs'));
  if (downloaded) onStage(`downloaded ${file}`);
  const dir = resolve(root, 'man-pages');
  if (await unpackOnce(basename(file), dir, () => runText('dpkg-deb', ['-x', file, dir], { label: `unpack ${file}` }))) onStage(`unpacked into ${dir}`);
  return { sourceVersion: version, upstreamVersion: upstreamOf(version), manRoot: join(dir, 'usr', 'share', 'man') };
}
