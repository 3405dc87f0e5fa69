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
          // Each test spawns processes (a whole Astro build, two qemu boots in a beforeAll):
          // the limits are for a machine whose 2 cores are busy with other work too.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
