/** The host tools the refresh runs, all from Debian packages. */
import { run } from '../lib/run.ts';

/** Debian's busybox-static: the VM's whole userland, and the host's unxz for modules. */
export const BUSYBOX = '/bin/busybox';

/** Fails with the install command when the host lacks a tool the refresh needs. */
export async function checkTools(): Promise<void> {
  const missing: string[] = [];
  // The dynamic `busybox` package installs /bin/busybox too, but it cannot run without a libc in the VM.
  const status = await run('dpkg-query', ['-W', '-f=${Status}', 'busybox-static']).then(String, () => '');
  if (!status.includes('install ok installed')) missing.push('busybox-static');
  for (const [tool, pkg] of [
    ['cpio', 'cpio'],
    ['qemu-system-x86_64', 'qemu-system-x86'],
  ] as const) {
    if (!(await run('sh', ['-c', `command -v ${tool}`]).then(() => true, () => false))) missing.push(pkg);
  }
  if (missing.length > 0) throw new Error(`missing tools: apt-get install ${missing.join(' ')}`);
}
