/** Links into the kernel tree at the version a fact came from. */
import type { KernelLocation } from '../schemas/tunable.ts';

/**
 * Elixir serves every upstream stable tag and links to a line. Debian's tree is that tag
 * plus Debian's patches, so a line can sit a few lines off in a patched file.
 */
export function sourceUrl({ file, line, version }: Pick<KernelLocation, 'file' | 'line' | 'version'>): string {
  return `https://elixir.bootlin.com/linux/v${version}/source/${file}#L${line}`;
}
