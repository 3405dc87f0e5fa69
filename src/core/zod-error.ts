/** Placeholder; replaced by the shared formatter. */
import type { z } from 'zod';
export function issueText(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
