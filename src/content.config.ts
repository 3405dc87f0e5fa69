import { defineCollection } from 'astro:content';
import { tunablesLoader } from './loaders/tunables.ts';

/** One MDX page per tunable (content/tunables) joined with its facts (content/facts). */
const tunables = defineCollection({ loader: tunablesLoader() });

export const collections = { tunables };
