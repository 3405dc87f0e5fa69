/**
 * Links inside the site, written as site paths; after the build
 * src/integrations/portable-dist.ts makes them relative, so the built site works under any
 * base path and from disk (Astro's `base` stays unset: a prefix here would be rewritten
 * wrongly). Every internal href goes through here.
 */

/** `href('/sysctl/vm/')` → `/sysctl/vm/`; anything not a site path is a bug in the caller. */
export function href(path: string): string {
  if (!path.startsWith('/')) throw new Error(`site path "${path}" must start with /`);
  return path;
}
