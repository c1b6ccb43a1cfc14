import type { Document } from '../../core/document.js';
import type { UwsgiConfig } from '../../core/model.js';
import type { UwsgiExtractor } from '../../model/build.js';
import type { UwsgiFileAst } from '../uwsgi-file/parse.js';
import type { GalaxyYmlAst } from './ast.js';

/**
 * The uWSGI option lists of galaxy.yml `uwsgi:` blocks and standalone uWSGI files, for the
 * deployment model. The section range of a galaxy.yml block is the whole YAML block (header to its
 * last indented line, comments included), which is what the rewrite replaces.
 */
export const galaxyYmlUwsgi: UwsgiExtractor = (doc: Document) => {
  if (doc.kind === 'galaxy-yml') {
    const ast = doc.ast as GalaxyYmlAst | undefined;
    if (!ast?.uwsgi) return undefined;
    const config: UwsgiConfig = { file: doc.file.path, section: 'uwsgi', options: ast.uwsgi.read.options, sectionRange: ast.uwsgi.section.range };
    return { configs: [config], files: ast.uwsgi.read.files };
  }
  if (doc.kind === 'uwsgi-yaml' || doc.kind === 'uwsgi-ini') {
    const ast = doc.ast as UwsgiFileAst | undefined;
    if (!ast) return undefined;
    const config: UwsgiConfig = {
      file: doc.file.path,
      section: 'uwsgi',
      options: ast.read.options,
      ...(ast.read.sectionRange ? { sectionRange: ast.read.sectionRange } : {}),
    };
    return { configs: [config], files: ast.read.files };
  }
  return undefined;
};
