import { EMPTY_DECISIONS, type DecisionMaker, type UwsgiExtractor } from './build.js';

/**
 * Which formats contribute uWSGI option lists to the model, and who makes the migration decisions
 * (bind, prefix, handler pools). Each format adds one line here.
 */
export const UWSGI_EXTRACTORS: UwsgiExtractor[] = [];

export const decideMigration: DecisionMaker = () => EMPTY_DECISIONS;
