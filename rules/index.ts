import type { Rule } from '../src/core/rule.js';
import { JOBS_RULES } from './jobs/index.js';
import { PROXY_RULES } from './proxy/index.js';
import { appLoadingRule } from './uwsgi/app-loading.js';
import { configLogicRule } from './uwsgi/config-logic.js';
import { environmentRule } from './uwsgi/environment.js';
import { handlersRule } from './uwsgi/handlers.js';
import { identityRule } from './uwsgi/identity.js';
import { interactiveToolsRule } from './uwsgi/interactive-tools.js';
import { listenersRule } from './uwsgi/listeners.js';
import { loggingRule } from './uwsgi/logging.js';
import { pidFilesRule } from './uwsgi/pid-files.js';
import { processModelRule } from './uwsgi/process-model.js';
import { sectionToGravityRule } from './uwsgi/section-to-gravity.js';
import { staticMapRule } from './uwsgi/static-map.js';
import { statsRule } from './uwsgi/stats.js';
import { unknownOptionRule } from './uwsgi/unknown-option.js';
import { zergRule } from './uwsgi/zerg.js';

/**
 * The rule registry, in the order fixes are applied (an earlier rule wins an overlap).
 * Adding a rule is adding a file under rules/<family>/ and a line here.
 */
export const ALL_RULES: Rule[] = [
  sectionToGravityRule,
  listenersRule,
  appLoadingRule,
  environmentRule,
  processModelRule,
  handlersRule,
  staticMapRule,
  identityRule,
  loggingRule,
  pidFilesRule,
  statsRule,
  zergRule,
  interactiveToolsRule,
  configLogicRule,
  unknownOptionRule,
  ...PROXY_RULES,
  ...JOBS_RULES,
];
