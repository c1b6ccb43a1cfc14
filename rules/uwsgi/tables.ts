import { APP_LOADING_TABLE } from './app-loading.js';
import { CONFIG_LOGIC_TABLE } from './config-logic.js';
import { ENVIRONMENT_TABLE } from './environment.js';
import { HANDLERS_TABLE } from './handlers.js';
import { IDENTITY_TABLE } from './identity.js';
import { INTERACTIVE_TOOLS_TABLE } from './interactive-tools.js';
import { LISTENER_TABLE } from './listeners.js';
import { LOGGING_TABLE } from './logging.js';
import { PID_TABLE } from './pid-files.js';
import { PROCESS_MODEL_TABLE } from './process-model.js';
import { STATIC_TABLE } from './static-map.js';
import { STATS_TABLE } from './stats.js';
import { ZERG_TABLE } from './zerg.js';
import type { OptionRow } from './table.js';

/** Every option table of the uwsgi/* rules, by rule id; each uWSGI option belongs to exactly one. */
export const OPTION_TABLES: readonly (readonly [string, readonly OptionRow[]])[] = [
  ['uwsgi/listeners', LISTENER_TABLE],
  ['uwsgi/app-loading', APP_LOADING_TABLE],
  ['uwsgi/environment', ENVIRONMENT_TABLE],
  ['uwsgi/process-model', PROCESS_MODEL_TABLE],
  ['uwsgi/handlers', HANDLERS_TABLE],
  ['uwsgi/static-map', STATIC_TABLE],
  ['uwsgi/identity', IDENTITY_TABLE],
  ['uwsgi/logging', LOGGING_TABLE],
  ['uwsgi/pid-files', PID_TABLE],
  ['uwsgi/stats', STATS_TABLE],
  ['uwsgi/zerg', ZERG_TABLE],
  ['uwsgi/interactive-tools', INTERACTIVE_TOOLS_TABLE],
  ['uwsgi/config-logic', CONFIG_LOGIC_TABLE],
];

export const ALL_TABLES: readonly (readonly OptionRow[])[] = OPTION_TABLES.map(([, t]) => t);
