/**
 * The integration project's first step: when the machine lacks a program these tests run
 * (qemu, busybox-static, cpio, pandoc), stop once with the command that installs it rather
 * than fail test after test in their own words. `npm test` checks the same list first.
 */
import { missingMessage, missingPrerequisites } from '../../scripts/lib/prerequisites.ts';

export default function setup(): void {
  const missing = missingPrerequisites(undefined, ['integration']);
  if (missing.length > 0) throw new Error(missingMessage(missing));
}
