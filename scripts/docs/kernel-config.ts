/**
 * The configuration a reference kernel was built with (`CONFIG_HZ=250`, …), read from the
 * `config` file of Debian's kernel image package: `npm run refresh` fetches and unpacks
 * those packages into the kernel cache (`kernels/<suite>` of the cache folder), and the docs stage reuses them,
 * fetching the suite's current kernel the same way when they are not there. Bounds in the
 * C source that depend on the configuration (HZ, `IS_ENABLED(CONFIG_…)`, numeric options)
 * can then be worked out for that kernel.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIMARY_ARCH } from '#core/kernels.ts';
import { archCacheDir, prepareKernel, resolveKernel, type CacheDirs } from '../lib/apt.ts';

export interface KernelConfigFile {
  file: string;
  /** The release its header names: `# Linux/x86 6.12.118 Kernel Configuration` → `6.12.118`. */
  version: string | null;
  /** `CONFIG_X` → its value as written (`y`, `m`, `250`, `"string"`); options not set are absent. */
  options: Map<string, string>;
}

/** A `.config` text: `CONFIG_X=value` lines; `# CONFIG_X is not set` leaves X absent, as autoconf.h does. */
export function parseKernelConfig(text: string): Pick<KernelConfigFile, 'version' | 'options'> {
  const options = new Map<string, string>();
  for (const m of text.matchAll(/^(CONFIG_\w+)=(.*)$/gm)) options.set(m[1] ?? '', (m[2] ?? '').trim());
  const version = /^#\s*Linux\/\S+\s+(\S+)\s+Kernel Configuration/m.exec(text)?.[1] ?? null;
  return { version, options };
}

/** `6.12.118` → `6.12`. */
const seriesOf = (version: string) => /^\d+\.\d+/.exec(version)?.[0] ?? version;

/** The config files of unpacked kernel packages: `boot/config-<release>` or `{usr/,}lib/modules/<release>/config`. */
async function configFiles(root: string): Promise<string[]> {
  const inBoot = (await readdir(join(root, 'boot')).catch(() => [])).filter((n) => n.startsWith('config-')).map((n) => join(root, 'boot', n));
  const inModules = await Promise.all(['usr/lib/modules', 'lib/modules'].map(async (dir) => (await readdir(join(root, dir)).catch(() => [])).map((release) => join(root, dir, release, 'config'))));
  return [...inBoot, ...inModules.flat()];
}

/** The configuration of a kernel of `series` among unpacked packages under `root`, or null. */
export async function findKernelConfig(root: string, series: string): Promise<KernelConfigFile | null> {
  for (const file of await configFiles(root)) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    const parsed = parseKernelConfig(text);
    if (parsed.version !== null && seriesOf(parsed.version) === series) return { file, ...parsed };
  }
  return null;
}

/**
 * The configuration of `suite`'s kernel of `series` for one architecture (default the
 * primary): from the refresh's unpacked packages, else fetched as the refresh fetches them.
 * Null when the suite's kernel is of another series.
 */
export async function kernelConfig(suite: string, series: string, dirs: CacheDirs, options: { update?: boolean; arch?: string } = {}, say: (what: string) => void = () => {}): Promise<KernelConfigFile | null> {
  const root = join(archCacheDir(dirs.kernels, suite, options.arch), 'root');
  const cached = await findKernelConfig(root, series);
  if (cached !== null) return cached;
  say(`no ${series} kernel configuration in ${root}: fetching ${suite}'s ${options.arch ?? PRIMARY_ARCH} kernel`);
  await prepareKernel(await resolveKernel(suite, dirs, options), dirs, say);
  return findKernelConfig(root, series);
}
