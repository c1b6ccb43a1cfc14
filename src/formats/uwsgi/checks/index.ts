import type { ParseIssue } from '../../../core/document.js';
import { booleanReadsOpposite } from './boolean-reads-opposite.js';
import { inlineCommentCutsValue } from './inline-comment.js';
import { quotedValue } from './quoted-value.js';
import { trailingCr } from './trailing-cr.js';
import type { LineCheck, LineCheckInput } from './types.js';

export type { LineCheckInput } from './types.js';

/**
 * The line checks, most specific first: one finding on each line whose value uWSGI reads
 * differently from what its author meant. The first check that fires speaks for the line (a
 * quoted `"false"` is reported as a flag turned on, not also as a quoted value); each message
 * shows the value exactly as uWSGI reads it, quotes and carriage return included.
 */
const CHECKS: readonly LineCheck[] = [booleanReadsOpposite, inlineCommentCutsValue, quotedValue, trailingCr];

export function checkLine(input: LineCheckInput): ParseIssue | undefined {
  for (const check of CHECKS) {
    const issue = check(input);
    if (issue) return issue;
  }
  return undefined;
}
