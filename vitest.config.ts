import { defineConfig } from 'vitest/config';

/**
 * Two projects (see tests/README.md): `unit` is pure logic and needs nothing beyond
 * `npm install`; `integration` spawns the stages' CLIs, pandoc, Pagefind, qemu and a real
 * Astro build, and first checks that the machine has those programs.
 * `npx vitest run --project unit` runs one of them.
 */
const TEMP_DIR = 'tests/helpers/global-setup.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          globalSetup: [TEMP_DIR],
          // Vitest's 5 s default is 4x the slowest unit test beside a CPU hog (1.2 s): too
          // close for a limit that tests nothing here.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/helpers/integration-setup.ts', TEMP_DIR],
          // Hang guards, not speed tests: each test spawns processes (CLIs, pandoc, an Astro
          // build, qemu). Beside a CPU hog a generate test took 48 s (2 s alone).
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
