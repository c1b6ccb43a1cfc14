import type { Rule } from '../../src/core/rule.js';
import { appLoadingRule } from './app-loading.js';
import { configLogicRule } from './config-logic.js';
import { environmentRule } from './environment.js';
import { handlersRule } from './handlers.js';
import { identityRule } from './identity.js';
import { interactiveToolsRule } from './interactive-tools.js';
import { listenersRule } from './listeners.js';
import { loggingRule } from './logging.js';
import { pidFilesRule } from './pid-files.js';
import { processModelRule } from './process-model.js';
import { readErrorRule } from './read-error.js';
import { sectionToGravityRule } from './section-to-gravity.js';
import { staticMapRule } from './static-map.js';
import { statsRule } from './stats.js';
import { unknownOptionRule } from './unknown-option.js';
import { zergRule } from './zerg.js';

/**
 * The uwsgi/* rules: the writer first (its fix replaces the `uwsgi:` block), then one rule per
 * concept reporting what becomes of each option, then the catch-all for options no table knows.
 */
export const UWSGI_RULES: Rule[] = [
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
  readErrorRule,
];
