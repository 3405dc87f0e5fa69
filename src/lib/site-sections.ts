/**
 * The sections of the site the header links to, and which of them a page belongs to (its
 * link is marked `aria-current`): a tunable, subsystem or kind page is in Browse, a kernel
 * or changes page in Kernels, the writer's guide and the needs-writing list in About.
 */
import { tunableKind } from '#core/schemas/snapshot.ts';
import { BROWSE_URL, KERNELS_URL, kindUrl } from '#core/paths.ts';

export interface SiteSection {
  name: string;
  /** The section's own page. */
  path: string;
  /** Site paths whose pages belong to it. */
  under: string[];
}

export const SITE_SECTIONS: readonly SiteSection[] = [
  { name: 'Browse', path: BROWSE_URL, under: [BROWSE_URL, ...tunableKind.options.map(kindUrl)] },
  { name: 'Kernels', path: KERNELS_URL, under: [KERNELS_URL, '/changes/'] },
  { name: 'Check my system', path: '/check/', under: ['/check/'] },
  { name: 'About', path: '/about/', under: ['/about/', '/writing/', '/needs-writing/', '/profiles/'] },
];

/**
 * The `aria-current` of a section's header link on the page at `pathname`: `page` on the
 * section's own page, `true` on another page of it, none elsewhere.
 */
export function currentness(section: SiteSection, pathname: string): 'page' | 'true' | undefined {
  if (pathname === section.path) return 'page';
  return section.under.some((path) => pathname.startsWith(path)) ? 'true' : undefined;
}
