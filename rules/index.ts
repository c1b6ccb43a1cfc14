import type { Rule } from '../src/core/rule.js';
import { ANSIBLE_RULES } from './ansible/index.js';
import { JOBS_RULES } from './jobs/index.js';
import { PASTE_RULES } from './paste/index.js';
import { PROCESS_RULES } from './process/index.js';
import { PROXY_RULES } from './proxy/index.js';
import { REPORTS_RULES } from './reports/index.js';
import { UWSGI_RULES } from './uwsgi/index.js';

/**
 * The rule registry, in the order fixes are applied (an earlier rule wins an overlap).
 * Adding a rule is adding a file under rules/<family>/ and a line here.
 */
export const ALL_RULES: Rule[] = [
  ...UWSGI_RULES,
  ...PROXY_RULES,
  ...JOBS_RULES,
  ...PROCESS_RULES,
  ...PASTE_RULES,
  ...ANSIBLE_RULES,
  ...REPORTS_RULES,
];
