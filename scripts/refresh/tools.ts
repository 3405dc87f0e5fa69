/** The host tools the refresh runs, all from Debian packages. */
import { installCommand, isPresent, PREREQUISITES, systemProbe } from '../lib/prerequisites.ts';

/** Debian's busybox-static: the VM's whole userland, and the host's unxz for modules. */
export const BUSYBOX = '/bin/busybox';

/** What a refresh boots with, as the one list of prerequisites names it (scripts/lib/prerequisites.ts). */
const REFRESH_PACKAGES = new Set(['qemu-system-x86', 'busybox-static', 'cpio']);

/** Fails with the install command when the host lacks a tool the refresh needs. */
export function checkTools(): void {
  const probe = systemProbe();
  const missing = PREREQUISITES.filter((p) => p.packages.some((pkg) => REFRESH_PACKAGES.has(pkg)) && !isPresent(p, probe));
  if (missing.length > 0) throw new Error(`missing tools: ${installCommand(missing)}`);
}
