import type { Document } from '../../core/document.js';
import type { GalaxyJobOptions } from '../job-conf/galaxy.js';
import type { ValueRef } from '../job-conf/view.js';
import type { IniEntry } from '../ini/lossless.js';
import { iniSection, sectionItems, type GalaxyIniAst } from './parse.js';

/**
 * The job-handling options of a galaxy.ini's `[app:main]`, in the shape the job-handler rules read
 * from galaxy.yml (src/formats/job-conf/galaxy.ts `GalaxyJobOptions`), so a Paste-era deployment is
 * judged the same before and after its galaxy.yml exists. Values are as Galaxy reads them:
 * interpolated, and a Paste-era `config/` prefix of `job_config_file` dropped
 * (`deprecated_dirs`), since Galaxy resolves it against the config directory.
 */
export function galaxyIniJobOptions(doc: Document): GalaxyJobOptions | undefined {
  if (doc.kind !== 'galaxy-ini') return undefined;
  const ast = doc.ast as GalaxyIniAst | undefined;
  if (!ast || ast.templated || !iniSection(ast, 'app:main')) return undefined;
  const path = doc.file.path;
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const here = ast.absPath ? ast.absPath.slice(0, ast.absPath.lastIndexOf('/')) || '/' : dir;
  const items = sectionItems(ast, 'app:main', { here, __file__: ast.absPath ?? path });
  const get = (key: string): { ref: ValueRef; entry: IniEntry } | undefined => {
    const it = items.find((i) => i.key === key);
    if (!it?.entry) return undefined;
    return { ref: { value: it.value.value.trim(), range: it.entry.valueRange, templated: false }, entry: it.entry };
  };
  const db = get('database_connection');
  const jcf = get('job_config_file');
  const track = get('track_jobs_in_database');
  const jobConfigFile = jcf ? { ...jcf.ref, value: jcf.ref.value.replace(/^config\//, '') } : undefined;
  return {
    file: path,
    dir,
    hasUwsgi: Boolean(ast.uwsgi),
    hasGravity: false,
    ...(db ? { databaseConnection: db.ref } : {}),
    ...(jobConfigFile && jobConfigFile.value ? { jobConfigFile } : {}),
    ...(track ? { trackJobsInDatabase: { value: track.ref, lines: track.entry.lines } } : {}),
    gravityHandlers: [],
  };
}
