import { galaxyYmlUwsgi } from '../formats/galaxy-yml/extract.js';
import { proxyIncludes } from '../formats/proxy-includes.js';
import type { UwsgiExtractor } from './build.js';
export { decideMigration } from './decide.js';

/**
 * Which formats contribute uWSGI option lists to the model, and who makes the migration decisions
 * (bind, prefix, handler pools). Each format adds one line here.
 */
export const UWSGI_EXTRACTORS: UwsgiExtractor[] = [galaxyYmlUwsgi, proxyIncludes];

