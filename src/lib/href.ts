/**
 * Links inside the site. Every internal href goes through here so the site can move under
 * a base path (`base` in astro.config.mjs) without touching pages.
 */
const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

/** `href('/sysctl/vm/')` → `/sysctl/vm/`, or `/docs/sysctl/vm/` under base `/docs`. */
export function href(path: string): string {
  if (!path.startsWith('/')) throw new Error(`site path "${path}" must start with /`);
  return `${BASE}${path}`;
}
