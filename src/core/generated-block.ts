/**
 * The markers around the generated block of a tunable page: the generator writes and finds
 * them (scripts/generate/page.ts), the body renderer tells a writer's words from the block
 * by them (src/lib/render-body.ts), and the writer's guide shows them. One definition.
 */

/** The start marker's comment, inside its braces; it carries the hash of the block's text. */
export const GENERATED_START = /^\/\*\s*generated start ([0-9a-f]{12})\b[^]*\*\/$/;
/** The end marker's comment, inside its braces. */
export const GENERATED_END = /^\/\*\s*generated end\s*\*\/$/;

export function startMarker(hash: string): string {
  return `{/* generated start ${hash}: npm run generate rewrites this block; write outside it */}`;
}

export const END_MARKER = '{/* generated end */}';
