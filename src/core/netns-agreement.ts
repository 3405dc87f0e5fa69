/**
 * Two independent readings of which sysctls every network namespace has its own copy of:
 * the VM's (a child network namespace shows the file: `namespace: 'net'`) and the kernel
 * source's (`upstream.registered` holds `per-net`: a registration in the namespace each
 * per-namespace init sets up). Per kernel, over the sysctls under `net.` that carry both,
 * how often they agree, and where not, both sides: what `npm run coverage` prints and the
 * "About the data" page shows.
 */
import type { RegistrationKind } from './schemas/docs.ts';
import type { NamespaceKind } from './schemas/snapshot.ts';
import type { KernelFacts, TunableFrontmatter } from './schemas/tunable.ts';
import { compareKernelIds, compareText } from './kernels.ts';

/** One sysctl, or one instance of a pattern, on one kernel, whose two readings differ. */
export interface NetnsDisagreement {
  /** The page's title: `net.ipv4.neigh.<interface>.gc_stale_time`. */
  name: string;
  /** For a pattern, the instance measured: `default`. */
  instance?: string;
  /** How the source registers it. */
  registered: readonly RegistrationKind[];
  /** What the VM measured: `net` where a child network namespace shows it, null where not. */
  measured: NamespaceKind | null;
}

export interface NetnsAgreement {
  /** Kernel id: `6.1`, `6.1-arm64`. */
  kernel: string;
  /** Sysctls, a pattern's instances each counted, with both readings on this kernel. */
  compared: number;
  agreeing: number;
  disagreements: NetnsDisagreement[];
}

type Page = Pick<TunableFrontmatter, 'kind' | 'title' | 'status' | 'kernels'>;

/** The measured scope of each concrete sysctl a page stands for: its instances', each with its own where it differs. */
function measuredScopes(facts: KernelFacts): { instance?: string; measured: NamespaceKind | null }[] {
  if (!facts.instances || facts.instances.length === 0) return [{ measured: facts.namespace }];
  const differing = facts.instanceNamespaces ?? {};
  return facts.instances.map(({ instance }) => ({ instance, measured: Object.hasOwn(differing, instance) ? (differing[instance] ?? null) : facts.namespace }));
}

/**
 * Per kernel, oldest first: the sysctls under `net.` (present pages) that kernel's boots
 * measured in the VM — only its walk tests namespaces — and whose source registration is
 * known under the page's own name. They agree when the source registers a copy per network
 * namespace exactly where a child namespace shows one. A pattern counts each instance
 * measured, held against that instance's registration where the source names it
 * (`neigh.default` lives in the initial namespace only, `neigh.lo` in each).
 */
export function netnsAgreement(pages: readonly Page[]): NetnsAgreement[] {
  const byKernel = new Map<string, NetnsAgreement>();
  for (const page of pages) {
    if (page.kind !== 'sysctl' || page.status !== 'present' || !page.title.startsWith('net.')) continue;
    for (const [kernel, facts] of Object.entries(page.kernels)) {
      const registered = facts.upstream?.registered;
      if (facts.source !== 'qemu' || !registered) continue;
      const row = byKernel.get(kernel) ?? { kernel, compared: 0, agreeing: 0, disagreements: [] };
      for (const { instance, measured } of measuredScopes(facts)) {
        const instanceRegistered = (instance === undefined ? undefined : facts.upstream?.instancesRegistered?.[instance]) ?? registered;
        row.compared++;
        if (instanceRegistered.includes('per-net') === (measured === 'net')) row.agreeing++;
        else row.disagreements.push({ name: page.title, ...(instance !== undefined && { instance }), registered: instanceRegistered, measured });
      }
      byKernel.set(kernel, row);
    }
  }
  const byName = (a: NetnsDisagreement, b: NetnsDisagreement) => compareText(a.name, b.name) || compareText(a.instance ?? '', b.instance ?? '');
  return [...byKernel.values()].map((row) => ({ ...row, disagreements: row.disagreements.sort(byName) })).sort((a, b) => compareKernelIds(a.kernel, b.kernel));
}
