/**
 * The committed summaries, as the site reads them (a writer's summary over the generated
 * one): each sysctl's says what it does. The patterns are the failures found in them
 * before (issue 14), written apart from the generator's so that they check its output.
 */
import { describe, expect, it } from 'vitest';
import { readTunables } from '../../src/data/tunables.ts';

/** "default 10", "Default: 1 (enabled)", "default 3 50", "Defaults to 100.", "Default: sha256": a default and nothing else. */
const ONLY_DEFAULT = /^defaults?(?: is| to)?\s*:?\s*\S+(?:\s+\d+)*(?:\s*\([^)]*\))?\.?$/i;
/** "default 0 Valid range: …", "default 552 - minimum Path MTU.": a default value before anything it says. */
const OPENS_WITH_DEFAULT = /^defaults?(?: is| to)?\s*:?\s*[-+]?\d/i;
/** "-8 (larger table) ..", "(e.g.": a sentence cut inside a range or after an abbreviation. "etc." ends sentences. */
const CUT = /(?:\.\.|\b(?:e\.g|i\.e|vs)\.)$/;
/** "Note, however, …", "NOTE:", "Obsolete since …": a caveat where the description should be. */
const CAVEAT = /^(?:note|obsolete)\b/i;

describe('summaries of the committed content', () => {
  it('say what each sysctl does: none only a default, cut mid-sentence or opening with a caveat', () => {
    const sysctls = readTunables('content').filter((page) => page.data.kind === 'sysctl');
    expect(sysctls.length).toBeGreaterThan(800);
    const failing = sysctls
      .filter(({ data: { summary } }) => ONLY_DEFAULT.test(summary) || OPENS_WITH_DEFAULT.test(summary) || CUT.test(summary) || CAVEAT.test(summary))
      .map(({ id, data }) => `${id}: ${data.summary}`);
    expect(failing).toEqual([]);
  }, 120_000);
});
