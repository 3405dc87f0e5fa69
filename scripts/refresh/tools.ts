/** The host tools the refresh runs, all from Debian packages. */
import { installCommand, isPresent, PREREQUISITES, systemProbe } from '../lib/prerequisites.ts';
import { ARCH_PROFILES, type Arch } from './arch.ts';

/** Debian's busybox-static: the VM's whole userland, and the host's unxz for modules. */
export const BUSYBOX = '/bin/busybox';

/** What a refresh boots with besides each arch's qemu, as the one list of prerequisites names it (scripts/lib/prerequisites.ts). */
const REFRESH_PACKAGES = ['busybox-static', 'cpio'];

/** Fails with the install command when the host lacks a tool the refresh of these arches needs. */
export function checkTools(arches: readonly Arch[]): void {
  const probe = systemProbe();
  const qemus = new Set(arches.map((arch) => ARCH_PROFILES[arch].qemu));
  const missing = PREREQUISITES.filter((p) => (REFRESH_PACKAGES.some((pkg) => p.packages.includes(pkg)) || qemus.has(p.command ?? '')) && !isPresent(p, probe));
  if (missing.length > 0) throw new Error(`missing tools: ${installCommand(missing)}`);
}
