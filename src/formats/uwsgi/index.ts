export { readUwsgiConfig, formatOf, ENVIRONMENT_FILE } from './load.js';
export type { UwsgiReadResult, UwsgiReadOptions, UwsgiFatal, UwsgiFormat } from './load.js';
export { formatShowConfig, escapeShowConfig } from './show-config.js';
export { parseConfigArg } from './config-arg.js';
