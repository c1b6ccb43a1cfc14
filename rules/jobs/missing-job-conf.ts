import { detectEol } from '../../src/core/range.js';
import type { Rule } from '../../src/core/rule.js';
import { compareRelease } from '../../src/core/target.js';
import { jobsContext, processNames, resolvePath } from './context.js';
import { SRC } from './fix.js';
import { list } from './plan.js';

/**
 * Recipe A (§3.4): with mules and no job conf at all, Galaxy ran its built-in default (one local
 * runner, no handlers) and the mules took jobs by uWSGI message. Under Gunicorn the same "no job
 * conf" makes every web worker a handler (§3.2 `_get_is_handler`), next to Gravity's handlers. A
 * minimal job conf beside galaxy.yml keeps the default runner and sets the method explicitly.
 * The file name is what Galaxy looks for when `job_config_file` is unset: `job_conf.yml` from 23.0,
 * `job_conf.xml` before (GX-REL-2300), or the path `job_config_file` names.
 */
export const missingJobConfRule: Rule = {
  meta: {
    id: 'jobs/missing-job-conf',
    description: 'a deployment with mules and no job conf gets a minimal one beside galaxy.yml, so web workers stop handling jobs',
    rationale:
      'Without a job conf Galaxy uses its built-in one: a local runner and no handler definitions. Under uWSGI the mules took the jobs; ' +
      'under Gunicorn, "no handlers and no assignment method" makes each web worker a job handler too, so Gravity\'s handlers compete ' +
      'with the web workers. The created job conf keeps the same local runner (4 workers, as Galaxy\'s default) and sets the assignment ' +
      'method (db-skip-locked, or db-transaction-isolation when the database cannot SKIP LOCKED).',
    severity: 'warning',
    fixable: true,
    sources: [SRC.recipes, SRC.modern, SRC.releases, 'GX-JOBCONF-YML (job_conf.sample.yml)'],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    const g = jc.galaxy;
    const groups = jc.groups.filter((x) => x.source === 'migration' && x.pools.length > 0);
    if (!g || !groups.length || jc.allConfs.length > 0) return;
    // A job conf on the server (absolute path or template) that is not among the files read is not ours to create.
    const named = g.jobConfigFile;
    if (named && (named.templated || named.value.startsWith('/'))) return;
    const yml23 = compareRelease(ctx.target.galaxy, '23.0') >= 0;
    const path = named ? resolvePath(g.dir, named.value) : resolvePath(g.dir, yml23 ? 'job_conf.yml' : 'job_conf.xml');
    if (ctx.deployment.files.has(path)) return; // read but not recognised: jobs/job-config-file-missing says so
    const xml = /\.xml(\.j2)?$/i.test(path);
    const eol = detectEol(ctx.deployment.files.get(g.file)?.text ?? '\n');
    const m = jc.assign.method;
    const text = (xml ? xmlConf(m, groups.map((x) => x.name)) : ymlConf(m, groups.map((x) => x.name))).replace(/\n/g, eol);
    const opt = ctx.deployment.uwsgi.flatMap((c) => c.options).find((o) => o.key === 'farm' || o.key === 'mule');
    ctx.report({
      file: opt?.file ?? g.file,
      range: opt?.range ?? { start: 0, end: 0 },
      message:
        `the mules become Gravity handlers (${list(groups.flatMap(processNames))}) but there is no job conf, so the Gunicorn web workers would handle jobs too: ` +
        `${path} is created with Galaxy's default local runner and \`${m}\` (${jc.assign.why})` +
        (named ? '' : `; Galaxy finds it without \`job_config_file\` (its default name${yml23 ? ' since 23.0' : ' before 23.0'})`),
      fix: { description: `create ${path}`, changes: [{ kind: 'create', file: path, text }] },
    });
  },
};

function ymlConf(method: string, groups: readonly string[]): string {
  return [
    '# Created by galaxy-migrate. Under uWSGI, mules handled the jobs; under Gravity the webless handlers',
    `# in gravity.handlers (${groups.join(', ')}) do, and an explicit assignment method keeps the`,
    '# Gunicorn web workers from handling jobs too. The runner is Galaxy\'s built-in default.',
    'runners:',
    '  local:',
    '    load: galaxy.jobs.runners.local:LocalJobRunner',
    '    workers: 4',
    'execution:',
    '  default: local',
    '  environments:',
    '    local:',
    '      runner: local',
    'handling:',
    '  assign:',
    `    - ${method}`,
    '',
  ].join('\n');
}

function xmlConf(method: string, groups: readonly string[]): string {
  return [
    '<?xml version="1.0"?>',
    '<!-- Created by galaxy-migrate. Under uWSGI, mules handled the jobs; under Gravity the webless handlers',
    `     in gravity.handlers (${groups.join(', ')}) do, and an explicit assignment method keeps the`,
    '     Gunicorn web workers from handling jobs too. The runner is Galaxy\'s built-in default. -->',
    '<job_conf>',
    '    <plugins workers="4">',
    '        <plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/>',
    '    </plugins>',
    `    <handlers assign_with="${method}"/>`,
    '    <destinations default="local">',
    '        <destination id="local" runner="local"/>',
    '    </destinations>',
    '</job_conf>',
    '',
  ].join('\n');
}
