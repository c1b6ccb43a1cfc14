import type { Document } from '../../core/document.js';
import type { UwsgiConfig } from '../../core/model.js';
import type { UwsgiExtractor } from '../../model/build.js';
import type { GalaxyIniAst } from './parse.js';

/** The `[uwsgi]` section of a galaxy.ini, as uWSGI reads it, for the deployment model. */
export const galaxyIniUwsgi: UwsgiExtractor = (doc: Document) => {
  if (doc.kind !== 'galaxy-ini') return undefined;
  const read = (doc.ast as GalaxyIniAst | undefined)?.uwsgi;
  if (!read) return undefined;
  const config: UwsgiConfig = { file: doc.file.path, section: 'uwsgi', options: read.options, ...(read.sectionRange ? { sectionRange: read.sectionRange } : {}) };
  return { configs: [config], files: read.files };
};
