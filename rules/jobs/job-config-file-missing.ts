import type { Rule } from '../../src/core/rule.js';
import { jobsContext, resolvePath } from './context.js';
import { SRC } from './fix.js';

/**
 * `job_config_file` is relative to galaxy.yml's directory (Galaxy's config_dir). When it names a
 * file the deployment does not have, the job conf the rules rewrite is not the one Galaxy reads.
 * (jobs/missing-job-conf creates the file when mules need one; this rule covers the rest.)
 */
export const jobConfigFileMissingRule: Rule = {
  meta: {
    id: 'jobs/job-config-file-missing',
    description: 'job_config_file names a file that exists beside the deployment',
    rationale:
      'Galaxy resolves job_config_file against its config directory (the directory of galaxy.yml). If that file is not in the deployment, ' +
      'the handler rewrite cannot reach the job configuration Galaxy will actually read, and cross-file checks (pools ↔ tags) are blind.',
    severity: 'warning',
    fixable: false,
    sources: [SRC.syntax, SRC.releases],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    const g = jc.galaxy;
    const p = g?.jobConfigFile;
    if (!g || !p || p.templated || g.inlineJobConfig) return;
    if (p.value.startsWith('/')) return; // a path on the server: nothing to compare with here
    const path = resolvePath(g.dir, p.value);
    if (ctx.deployment.files.has(path) || ctx.deployment.files.has(`${path}.j2`)) {
      if (!jc.confs.some((c) => c.file === path || c.file === `${path}.j2`)) {
        ctx.report({ file: g.file, range: p.range, message: `job_config_file names ${path}, which was read but is not a job conf galaxy-migrate recognises` });
      }
      return;
    }
    // Mules and no job conf at all: jobs/missing-job-conf creates it.
    if (jc.allConfs.length === 0 && jc.groups.some((x) => x.source === 'migration' && x.pools.length)) return;
    ctx.report({
      file: g.file,
      range: p.range,
      message: `job_config_file names ${path} (relative to ${g.dir || 'the directory of galaxy.yml'}), which is not among the files read: Galaxy would read a job conf the migration cannot check or rewrite`,
    });
  },
};
