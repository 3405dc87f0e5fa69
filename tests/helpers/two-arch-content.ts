/**
 * A small content folder with kernels of two architectures, for the operator tools' tests
 * (LKT_CONTENT_DIR): amd64 6.1 and 6.12, and arm64 6.1 (kernel id `6.1-arm64`). The amd64
 * facts are the committed ones; the arm64 kernel's are theirs with what arm64 measured on
 * Debian's 6.1 under qemu where it differs: vm.mmap_min_addr 4096 (amd64: 65536),
 * kernel.arch aarch64, abi.swp on arm64 only, abi.vsyscall32 on amd64 only; kernel.nmi_watchdog
 * has the committed arm64 6.1 facts whole (read-only there: mode 0444, amd64's 6.1 has 0644).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FactsFile, KernelFacts, TunableFrontmatter } from '#core/schemas/tunable.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const AMD64 = ['6.1', '6.12'];
export const ARM64 = '6.1-arm64';
export const ARM64_RELEASE = '6.1.0-57-arm64';

const committed = (subsystem: string, id: string): TunableFrontmatter => {
  const facts = JSON.parse(readFileSync(join(REPO, 'content/facts/sysctl', `${subsystem}.json`), 'utf8')) as FactsFile;
  const page = facts.tunables[id];
  if (!page) throw new Error(`the committed content has no ${id}`);
  return page;
};

/** The committed page on the amd64 kernels of the fixture, plus arm64 6.1 with `arm64` (or none). */
function twoArch(page: TunableFrontmatter, arm64?: Partial<KernelFacts>): TunableFrontmatter {
  const kernels: Record<string, KernelFacts> = Object.fromEntries(AMD64.map((id) => [id, page.kernels[id]!]));
  if (arm64) kernels[ARM64] = { ...page.kernels['6.1']!, release: ARM64_RELEASE, ...arm64 };
  return { ...page, kernels };
}

/** abi.swp, which only arm64 has: SWP{B} emulation (arch/arm64/kernel/armv8_deprecated.c), off by default. */
function swp(): TunableFrontmatter {
  const like = committed('abi', 'sysctl/abi/vsyscall32');
  const { upstream: _amd64Source, accepted: _amd64Accepted, ...facts } = like.kernels['6.1']!;
  return {
    ...like,
    title: 'abi.swp',
    path: '/proc/sys/abi/swp',
    summary: 'How the kernel treats the deprecated SWP and SWPB instructions of 32-bit programs.',
    kernels: { [ARM64]: { ...facts, release: ARM64_RELEASE, default: '0' } },
    upstream: { type: null, range: null, definedIn: null, docSource: null, documentedDefault: null, abi: null },
  };
}

function write(root: string, subsystem: string, pages: Record<string, TunableFrontmatter>): void {
  const file = join(root, 'facts/sysctl', `${subsystem}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ schemaVersion: 1, kind: 'sysctl', subsystem, tunables: pages } satisfies FactsFile));
  for (const [id, { title }] of Object.entries(pages)) {
    const page = join(root, 'tunables', `${id}.mdx`);
    mkdirSync(dirname(page), { recursive: true });
    writeFileSync(page, `---\ntitle: ${title}\n---\n`);
  }
}

/** Writes the content folder under `root` (facts/ and tunables/) and returns `root`. */
export function writeTwoArchContent(root: string): string {
  const arch = committed('kernel', 'sysctl/kernel/arch');
  write(root, 'vm', {
    'sysctl/vm/mmap_min_addr': twoArch(committed('vm', 'sysctl/vm/mmap_min_addr'), { default: '4096' }),
    'sysctl/vm/swappiness': twoArch(committed('vm', 'sysctl/vm/swappiness'), {}),
  });
  const nmiWatchdog = committed('kernel', 'sysctl/kernel/nmi_watchdog');
  write(root, 'kernel', { 'sysctl/kernel/arch': twoArch(arch, { default: 'aarch64' }), 'sysctl/kernel/nmi_watchdog': twoArch(nmiWatchdog, nmiWatchdog.kernels[ARM64]) });
  write(root, 'abi', { 'sysctl/abi/vsyscall32': twoArch(committed('abi', 'sysctl/abi/vsyscall32')), 'sysctl/abi/swp': swp() });
  return root;
}
