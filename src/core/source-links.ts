/** Links to where a fact came from: the kernel tree at its version, or a man page. */
import type { DocLocation, KernelLocation } from './schemas/tunable.ts';

/**
 * Elixir serves every upstream stable tag and links to a line. Debian's tree is that tag
 * plus Debian's patches, so a line can sit a few lines off in a patched file.
 */
export function sourceUrl({ file, line, version }: Pick<KernelLocation, 'file' | 'line' | 'version'>): string {
  return `https://elixir.bootlin.com/linux/v${version}/source/${file}#L${line}`;
}

/** `man5/proc_sys_kernel.5` → `proc_sys_kernel(5)`, as man pages are cited. */
export function manPageName(file: string): string {
  const match = /(?:^|\/)([^/]+)\.(\d\w*)$/.exec(file);
  return match ? `${match[1]}(${match[2]})` : file;
}

/**
 * The documentation's own page. man7.org is the man-pages project's online edition; it
 * serves the current release, with no per-release URL or line anchors.
 */
export function docUrl(location: DocLocation): string {
  if (location.origin === 'kernel') return sourceUrl(location);
  // `file` is the page's place in the man tree, `man5/proc_sys_kernel.5`, as man7.org lays it out.
  return `https://man7.org/linux/man-pages/${location.file}.html`;
}
