import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { tunableFrontmatter } from '#core/schemas/tunable.ts';
import { contentDir } from './lib/content-dir.ts';

/** One MDX page per tunable, written by `npm run generate` and edited by doc writers. */
const tunables = defineCollection({
  loader: glob({
    pattern: '**/*.mdx',
    base: contentDir(),
    // Keep ids equal to file paths: sysfs names hold `:`, `.` and capitals that slugging would change.
    generateId: ({ entry }) => entry.replace(/\.mdx$/, ''),
  }),
  schema: tunableFrontmatter,
});

export const collections = { tunables };
