import { galaxyYmlUwsgi } from '../formats/galaxy-yml/extract.js';
import { proxyIncludes } from '../formats/proxy-includes.js';
import type { UwsgiExtractor } from './build.js';
import { withAnsibleInventory } from './ansible-decide.js';
import { decideMigration as decideFromUwsgi } from './decide.js';
import { withProcessManagers } from './processes.js';
import { withZerg } from './zerg.js';
import { withGalaxyIni } from '../formats/galaxy-ini/decide.js';
import { galaxyIniUwsgi } from '../formats/galaxy-ini/extract.js';

/**
 * Which formats contribute uWSGI option lists to the model, and who makes the migration decisions
 * (bind, prefix, handler pools). Each format adds one line here.
 */
export const UWSGI_EXTRACTORS: UwsgiExtractor[] = [galaxyYmlUwsgi, proxyIncludes, galaxyIniUwsgi];

/**
 * The uWSGI configuration's decisions, with a galaxy.ini's Paste prefix/server, what
 * supervisord/systemd ran, and a zerg setup's gunicorn instances (which own the bind when present).
 * An ansible inventory's `galaxy_config.uwsgi` blocks count as the Galaxy app's configuration when
 * no other is read (src/model/ansible-decide.ts).
 */
export const decideMigration = withGalaxyIni(withZerg(withProcessManagers(withAnsibleInventory(decideFromUwsgi))));
