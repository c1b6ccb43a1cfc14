import { galaxyYmlUwsgi } from '../formats/galaxy-yml/extract.js';
import { proxyIncludes } from '../formats/proxy-includes.js';
import type { UwsgiExtractor } from './build.js';
import { decideMigration as decideFromUwsgi } from './decide.js';
import { withProcessManagers } from './processes.js';

/**
 * Which formats contribute uWSGI option lists to the model, and who makes the migration decisions
 * (bind, prefix, handler pools). Each format adds one line here.
 */
export const UWSGI_EXTRACTORS: UwsgiExtractor[] = [galaxyYmlUwsgi, proxyIncludes];

/** The uWSGI configuration's decisions, with what supervisord/systemd ran (rules/process). */
export const decideMigration = withProcessManagers(decideFromUwsgi);
