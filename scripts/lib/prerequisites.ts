/**
 * What the tests need from the machine beyond `npm install`, in one place: `npm test`
 * (scripts/test.ts) checks all of it before anything runs, the integration project's
 * global setup checks its share, and .ci/run installs what is missing from this list:
 *
 *   node scripts/lib/prerequisites.ts --missing-packages   # Debian packages to install, one a line
 *   node scripts/lib/prerequisites.ts                      # exits 1 with the install command when any is missing
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Suite = 'integration' | 'e2e';

export interface Prerequisite {
  /** What is missing, as a person would look for it. */
  name: string;
  /** Present when this command is on PATH … */
  command?: string;
  /** … or when each of these files exists. */
  files?: string[];
  /** The Debian packages that install it. */
  packages: string[];
  /** The tests that need it. */
  suite: Suite;
  why: string;
}

export const PREREQUISITES: readonly Prerequisite[] = [
  {
    name: 'chromium',
    files: ['/usr/bin/chromium'],
    // Without a font with Latin glyphs the pages render as boxes in screenshots and axe checks.
    packages: ['chromium', 'fonts-dejavu-core'],
    suite: 'e2e',
    why: "the browser tests drive Debian's Chromium (Playwright cannot download its own here)",
  },
  {
    name: 'qemu-system-x86_64',
    command: 'qemu-system-x86_64',
    packages: ['qemu-system-x86'],
    suite: 'integration',
    why: 'tests/integration/refresh-boot.test.ts boots a real Debian kernel',
  },
  {
    name: 'qemu-system-aarch64',
    command: 'qemu-system-aarch64',
    packages: ['qemu-system-arm'],
    suite: 'integration',
    why: 'tests/integration/refresh-boot.test.ts boots a real Debian arm64 kernel too',
  },
  {
    name: 'busybox-static (/bin/busybox)',
    // The dynamic `busybox` package installs /bin/busybox too, but it cannot run in the VM,
    // which has no libc: dpkg's file list tells the static one.
    files: ['/bin/busybox', '/var/lib/dpkg/info/busybox-static.list'],
    packages: ['busybox-static'],
    suite: 'integration',
    why: "the booted kernel's whole userland",
  },
  {
    name: 'cpio',
    command: 'cpio',
    packages: ['cpio'],
    suite: 'integration',
    why: 'packs the initramfs the kernel boots',
  },
  {
    name: 'pandoc',
    command: 'pandoc',
    packages: ['pandoc'],
    suite: 'integration',
    why: "converts the kernel's RST and man pages (docs tests, hostile-build)",
  },
];

/** How to look: a PATH and a test for a file's existence (both replaceable in tests). */
export interface Probe {
  path: string;
  exists: (file: string) => boolean;
}

export const systemProbe = (): Probe => ({ path: process.env.PATH ?? '', exists: existsSync });

export function isPresent(prerequisite: Prerequisite, probe: Probe): boolean {
  if (prerequisite.command) {
    const dirs = probe.path.split(delimiter).filter((dir) => dir !== '');
    if (!dirs.some((dir) => probe.exists(join(dir, prerequisite.command!)))) return false;
  }
  return (prerequisite.files ?? []).every((file) => probe.exists(file));
}

/** The prerequisites of `suites` (all by default) that the machine lacks. */
export function missingPrerequisites(probe: Probe = systemProbe(), suites: readonly Suite[] = ['integration', 'e2e']): Prerequisite[] {
  return PREREQUISITES.filter((p) => suites.includes(p.suite) && !isPresent(p, probe));
}

/** The one command that installs everything in `missing`. */
export function installCommand(missing: readonly Prerequisite[]): string {
  return `apt-get install ${[...new Set(missing.flatMap((p) => p.packages))].join(' ')}`;
}

/** What to tell a person when `missing` is not empty. */
export function missingMessage(missing: readonly Prerequisite[]): string {
  return [
    `The tests need ${missing.length === 1 ? 'a program' : 'programs'} this machine lacks:`,
    ...missing.map((p) => `  ${p.name}: ${p.why}`),
    `Install ${missing.length === 1 ? 'it' : 'them'} with:`,
    `  ${installCommand(missing)}`,
  ].join('\n');
}

if (import.meta.main) {
  const missing = missingPrerequisites();
  if (process.argv.includes('--missing-packages')) {
    for (const pkg of new Set(missing.flatMap((p) => p.packages))) console.log(pkg);
  } else if (missing.length > 0) {
    console.error(missingMessage(missing));
    process.exitCode = 1;
  } else {
    console.log('all test prerequisites are installed');
  }
}
