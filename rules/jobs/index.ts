import type { Rule } from '../../src/core/rule.js';
import { cutoverRule } from './cutover.js';
import { duplicateHandlerRule } from './duplicate-handler.js';
import { explicitAssignmentRule } from './explicit-assignment.js';
import { gravityPoolNamesRule, handlersWithoutPoolsRule, workflowSchedulingRule } from './gravity-pools.js';
import { handlerConsistencyRule } from './handler-consistency.js';
import { jobConfigFileMissingRule } from './job-config-file-missing.js';
import { legacyHandlerIdsRule } from './legacy-handler-ids.js';
import { missingJobConfRule } from './missing-job-conf.js';
import { staleDefaultRule } from './stale-default.js';
import { trackJobsInDatabaseRule } from './track-jobs-in-database.js';
import { uwsgiMuleMessageRule } from './uwsgi-mule-message.js';
import { xmlEntitiesRule } from './xml-entities.js';

/**
 * Job handlers (docs/galaxy-target.md §3): the job conf's rewrite first (its edits are disjoint by
 * construction, plan.ts), then the checks on galaxy.yml and on the whole model.
 */
export const JOBS_RULES: Rule[] = [
  explicitAssignmentRule,
  uwsgiMuleMessageRule,
  legacyHandlerIdsRule,
  staleDefaultRule,
  missingJobConfRule,
  trackJobsInDatabaseRule,
  gravityPoolNamesRule,
  handlersWithoutPoolsRule,
  workflowSchedulingRule,
  handlerConsistencyRule,
  duplicateHandlerRule,
  jobConfigFileMissingRule,
  xmlEntitiesRule,
  cutoverRule,
];
