/**
 * The static busybox each arch's VM runs as its whole userland. amd64 runs the host's own
 * (`busybox-static`, a prerequisite). Another arch runs the same Debian package built for
 * it, from the host's own suite and at the host's version when apt still has it, so the
 * walker behaves the same on every arch: fetched with the refresh's private apt and kept
 * in the cache (a warm cache downloads nothing).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { archCacheDir, fetchPackages, openApt, type CacheDirs } from '../lib/apt.ts';
import { runText } from '../lib/run.ts';
import type { Arch } from './arch.ts';
import { BUSYBOX } from './tools.ts';

/** `VERSION_CODENAME=bookworm` of /etc/os-release. */
export function hostSuite(osRelease: string): string {
  const codename = /^VERSION_CODENAME=("?)([a-z]+)\1$/m.exec(osRelease)?.[2];
  if (!codename) throw new Error('/etc/os-release names no VERSION_CODENAME: cannot tell which Debian suite to take busybox from');
  return codename;
}

/** The path of a static busybox for `arch`, fetched and unpacked for an arch other than the host's. */
export async function busyboxFor(arch: Arch, dirs: CacheDirs, say: (message: string) => void = () => {}): Promise<string> {
  if (arch === 'amd64') return BUSYBOX;
  const suite = hostSuite(await readFile('/etc/os-release', 'utf8'));
  const dir = archCacheDir(dirs.kernels, 'busybox', arch);
  const { apt } = await openApt(suite, dirs.apt, { arch });
  const hostVersion = (await runText('dpkg-query', ['-W', '-f', '${Version}', 'busybox-static'])).trim();
  const versions = await apt.cache('madison', 'busybox-static');
  const version = versions.split('\n').some((line) => line.split('|')[1]?.trim() === hostVersion) ? hostVersion : await apt.candidate('busybox-static');
  if (!version) throw new Error(`apt finds no busybox-static for ${arch} in ${suite}`);
  const [busybox] = await fetchPackages(suite, [{ name: 'busybox-static', version, members: ['./bin/busybox'] }], dirs.apt, dir, { arch }, say);
  const binary = join(busybox!.root, 'bin', 'busybox');
  if (!existsSync(binary)) throw new Error(`busybox-static ${version} for ${arch} has no bin/busybox`);
  return binary;
}
