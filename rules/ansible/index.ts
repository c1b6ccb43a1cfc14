import type { Rule } from '../../src/core/rule.js';
import { galaxyConfigUwsgiRule } from './galaxy-config-uwsgi.js';
import { uwsgiReferenceRule } from './uwsgi-reference.js';

/** Ansible variables that generate the configuration (docs/galaxy-target.md §1.10). */
export const ANSIBLE_RULES: Rule[] = [galaxyConfigUwsgiRule, uwsgiReferenceRule];
