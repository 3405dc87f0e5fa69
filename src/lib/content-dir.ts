/**
 * Where the tunable pages live. `LKT_CONTENT_DIR` points a build at another tree
 * (the tests build a site from a scrape of a fixture tree this way).
 */
export function contentDir(): string {
  return process.env.LKT_CONTENT_DIR ?? './content/tunables';
}
