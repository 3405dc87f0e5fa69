/** One temp parent for every test file's scratch trees, removed when the run ends. */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const parent = mkdtempSync(join(tmpdir(), 'lkt-test-'));
  // Scrapes run as `nobody` when the tests run as root: let them in.
  chmodSync(parent, 0o755);
  process.env.LKT_TEST_TMP = parent;
  return () => rmSync(parent, { recursive: true, force: true });
}
