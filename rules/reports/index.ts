import type { Rule } from '../../src/core/rule.js';
import { ansibleSystemdUnitRule } from './ansible-systemd-unit.js';
import { nginxReportsPass } from './nginx-uwsgi-pass.js';
import { uwsgiToGravityRule } from './uwsgi-to-gravity.js';

/**
 * The reports/* rules: the Reports app moves from its own uWSGI configuration into Gravity
 * (`gravity.reports`, docs/galaxy-target.md §1.8). They share one decision per deployment
 * (model.ts): the bind written is the address the proxy location is pointed at.
 */
export const REPORTS_RULES: Rule[] = [uwsgiToGravityRule, nginxReportsPass, ansibleSystemdUnitRule];
