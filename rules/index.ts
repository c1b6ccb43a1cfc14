import type { Rule } from '../src/core/rule.js';

/**
 * The rule registry, in the order fixes are applied (an earlier rule wins an overlap).
 * Adding a rule is adding a file under rules/<family>/ and a line here.
 */
export const ALL_RULES: Rule[] = [];
