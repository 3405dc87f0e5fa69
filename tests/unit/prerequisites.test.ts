/** The programs `npm test` needs: found on a PATH or as files, and one install command for what is missing. */
import { describe, expect, it } from 'vitest';
import { installCommand, missingMessage, missingPrerequisites, PREREQUISITES, type Probe } from '../../scripts/lib/prerequisites.ts';

/** A machine that has exactly `files`. */
const machine = (path: string, files: string[]): Probe => ({ path, exists: (file) => files.includes(file) });

const EVERYTHING = machine('/usr/local/bin:/usr/bin', [
  '/usr/bin/chromium',
  '/usr/bin/qemu-system-x86_64',
  '/usr/bin/qemu-system-aarch64',
  '/bin/busybox',
  '/var/lib/dpkg/info/busybox-static.list',
  '/usr/bin/cpio',
  '/usr/local/bin/pandoc',
]);

describe('test prerequisites', () => {
  it('finds nothing missing on a machine with everything, wherever on PATH a command lives', () => {
    expect(missingPrerequisites(EVERYTHING)).toEqual([]);
  });

  it('names exactly the packages that install what is missing, in one apt-get command', () => {
    const bare = machine('/usr/bin', ['/usr/bin/cpio']);
    const missing = missingPrerequisites(bare);
    expect(missing.map((p) => p.name)).toEqual(['chromium', 'qemu-system-x86_64', 'qemu-system-aarch64', 'busybox-static (/bin/busybox)', 'pandoc']);
    expect(installCommand(missing)).toBe('apt-get install chromium fonts-dejavu-core qemu-system-x86 qemu-system-arm busybox-static pandoc');
    const message = missingMessage(missing);
    expect(message).toContain('\n  apt-get install chromium fonts-dejavu-core qemu-system-x86 qemu-system-arm busybox-static pandoc');
    expect(message.split('\n').filter((line) => line.includes('apt-get install'))).toHaveLength(1);
  });

  it('gives the command for everything on an empty machine: the one in the README', () => {
    const missing = missingPrerequisites(machine('', []));
    expect(missing).toHaveLength(PREREQUISITES.length);
    expect(installCommand(missing)).toBe('apt-get install chromium fonts-dejavu-core qemu-system-x86 qemu-system-arm busybox-static cpio pandoc');
  });

  it('does not look for a command in the current directory when PATH has an empty entry', () => {
    const missing = missingPrerequisites(machine(':/usr/bin', ['pandoc', '/usr/bin/cpio', '/usr/bin/qemu-system-x86_64', '/usr/bin/qemu-system-aarch64']), ['integration']);
    expect(missing.map((p) => p.name)).toEqual(['busybox-static (/bin/busybox)', 'pandoc']);
  });

  it('takes the dynamic busybox for what it is: not the static one the booted kernel needs', () => {
    const dynamicBusybox = machine('/usr/bin', ['/bin/busybox', '/usr/bin/qemu-system-x86_64', '/usr/bin/qemu-system-aarch64', '/usr/bin/cpio', '/usr/bin/pandoc']);
    expect(installCommand(missingPrerequisites(dynamicBusybox, ['integration']))).toBe('apt-get install busybox-static');
  });

  it('asks the integration tests only for what they run, and the browser tests for Chromium', () => {
    const noBrowser = machine('/usr/bin', ['/usr/bin/qemu-system-x86_64', '/usr/bin/qemu-system-aarch64', '/bin/busybox', '/var/lib/dpkg/info/busybox-static.list', '/usr/bin/cpio', '/usr/bin/pandoc']);
    expect(missingPrerequisites(noBrowser, ['integration'])).toEqual([]);
    expect(installCommand(missingPrerequisites(noBrowser))).toBe('apt-get install chromium fonts-dejavu-core');
  });
});
