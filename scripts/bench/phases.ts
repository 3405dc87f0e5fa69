/**
 * Where the time of one of our builds goes, read off its log: each phase ends at a line
 * Astro or our search-index stage prints when it is done, stamped with the millisecond
 * the line arrived (see measure.ts). After Astro, the search-index stage logs once as it
 * starts and once as each of its steps ends, so each step's time is the gap to the line
 * before.
 */
import type { LogLine } from './measure.ts';

export interface Phase {
  name: string;
  seconds: number;
}

/** Each phase ends at the first line (after the previous phase's end) matching its pattern. */
const PHASE_ENDS: [name: string, end: RegExp][] = [
  ['start-up (config)', /\[content\] Syncing content/],
  ['content sync (read pages and facts, render bodies)', /\[content\] Synced content/],
  ['types + bundling (Vite)', /generating static routes/],
  ['page generation', /✓ Completed in/],
  ['Astro exits, search-index starts', /\[search-index\] indexing/],
  ['Pagefind', /\[search-index\] pagefind:/],
  ['offline index', /\[search-index\] offline index:/],
];

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** The phases of a build that took `totalSeconds`; what follows the last marker is `finish`. */
export function buildPhases(lines: LogLine[], totalSeconds: number): Phase[] {
  const phases: Phase[] = [];
  let from = 0;
  let index = 0;
  for (const [name, end] of PHASE_ENDS) {
    const found = lines.findIndex((line, i) => i >= index && end.test(plain(line.text)));
    if (found < 0) throw new Error(`the build log has no line matching ${end} (${name}): did the build log change?`);
    phases.push({ name, seconds: (lines[found]!.at - from) / 1000 });
    from = lines[found]!.at;
    index = found + 1;
  }
  phases.push({ name: 'finish (write-out, exit)', seconds: totalSeconds - from / 1000 });
  return phases;
}
