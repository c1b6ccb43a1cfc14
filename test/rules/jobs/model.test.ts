import { describe, expect, it } from 'vitest';
import { cutoverNotes, handlerRenames } from '../../../rules/jobs/cutover.js';
import { jobsContext } from '../../../rules/jobs/context.js';
import { afterText, deployment, findingsOf, group, runJobs } from './support.js';

const PG = '  database_connection: postgresql:///galaxy\n';
const MULES = [group('handler', 2, ['job-handlers', 'workflow-schedulers'], ['main.job-handlers.1', 'main.job-handlers.2'])];
const MULE_YML = 'uwsgi:\n  mule: lib/galaxy/main.py\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1,2\n';

describe('gravity.handlers already in galaxy.yml', () => {
  const galaxy = (handlers: string): string => `gravity:\n  handlers:\n${handlers}galaxy:\n${PG}`;
  const conf = 'handling:\n  assign: [db-skip-locked]\nrunners: {}\n';

  it('jobs/gravity-pool-names: singular pools → plural (fix), unknown pools → warning', () => {
    const g = galaxy('    handler:\n      processes: 2\n      pools:\n        - job-handler\n        - "workflow-scheduler"\n        - bigmem\n');
    const r = runJobs(deployment({ 'c/galaxy.yml': g, 'c/job_conf.yml': conf }));
    expect(findingsOf(r, 'jobs/gravity-pool-names').map((f) => [f.location.line, f.severity])).toEqual([
      [6, 'error'],
      [7, 'error'],
      [8, 'warning'],
    ]);
    expect(afterText(r, 'c/galaxy.yml')).toBe(g.replace('- job-handler\n', '- job-handlers\n').replace('"workflow-scheduler"', '"workflow-schedulers"'));
  });

  it('jobs/handlers-without-pools: an entry with no pools gets job-handlers and workflow-schedulers', () => {
    const g = galaxy('    handler:\n      processes: 3\n    other:\n');
    const r = runJobs(deployment({ 'c/galaxy.yml': g, 'c/job_conf.yml': conf }));
    expect(findingsOf(r, 'jobs/handlers-without-pools').map((f) => f.location.line)).toEqual([3, 5]);
    expect(afterText(r, 'c/galaxy.yml')).toBe(
      galaxy(
        '    handler:\n      pools:\n        - job-handlers\n        - workflow-schedulers\n      processes: 3\n    other:\n      pools:\n        - job-handlers\n        - workflow-schedulers\n',
      ),
    );
  });

  it('jobs/handlers-without-pools: not when the process is also a static handler of the job conf', () => {
    const g = galaxy('    handler0:\n      processes: 1\n');
    const r = runJobs(deployment({ 'c/galaxy.yml': g, 'c/job_conf.yml': 'handling:\n  assign: [db-skip-locked]\n  processes:\n    handler0:\nrunners: {}\n' }));
    expect(findingsOf(r, 'jobs/handlers-without-pools')).toEqual([]);
    // …but a name Gravity starts twice is a duplicate.
    expect(findingsOf(r, 'jobs/duplicate-handler').map((f) => [f.file, f.location.line])).toEqual([['c/job_conf.yml', 4]]);
  });

  it('jobs/workflow-scheduling: only tagged pools, no untagged static handler → no workflow scheduler', () => {
    const g = galaxy('    special:\n      pools:\n        - job-handlers.special\n');
    const r = runJobs(deployment({ 'c/galaxy.yml': g, 'c/job_conf.yml': 'handling:\n  assign: [db-skip-locked]\n  default: special\nrunners: {}\n' }));
    expect(findingsOf(r, 'jobs/workflow-scheduling').map((f) => f.location.line)).toEqual([3]);
    expect(afterText(r, 'c/galaxy.yml')).toBe(g.replace('        - job-handlers.special\n', '        - job-handlers.special\n        - workflow-schedulers\n'));
  });
});

describe('jobs/handler-consistency (pools ↔ tags, on the model after the migration)', () => {
  it('a tool mapped to a tag nothing serves; a tagged pool no tool uses', () => {
    const groups = [...MULES, group('bigmem', 1, ['job-handlers.bigmem'], ['main.job-handlers.bigmem.1'])];
    const xml = '<job_conf>\n<handlers assign_with="db-skip-locked"/>\n<tools>\n<tool id="bwa" handler="highmem"/>\n</tools>\n</job_conf>\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': `${MULE_YML}galaxy:\n${PG}`, 'c/job_conf.xml': xml }, { handlers: groups }));
    const f = findingsOf(r, 'jobs/handler-consistency');
    expect(f.map((x) => [x.file, x.location.line, x.severity])).toEqual([
      ['c/galaxy.yml', 1, 'info'],
      ['c/job_conf.xml', 4, 'warning'],
    ]);
    expect(f[1]!.message).toContain('`highmem`');
  });

  it('nothing takes unmapped jobs when every static handler is tagged and no pool is the default one', () => {
    const xml = '<job_conf>\n<handlers assign_with="db-skip-locked">\n<handler id="h0" tags="a"/>\n</handlers>\n</job_conf>\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': `uwsgi:\n  processes: 2\ngalaxy:\n${PG}`, 'c/job_conf.xml': xml }));
    expect(findingsOf(r, 'jobs/handler-consistency').map((f) => f.location.line)).toEqual([2]);
  });
});

describe('jobs/duplicate-handler', () => {
  it('the same id twice in a job conf', () => {
    const r = runJobs(deployment({ 'c/job_conf.xml': '<job_conf>\n<handlers>\n<handler id="h"/>\n<handler id="h"/>\n</handlers>\n</job_conf>\n' }));
    expect(findingsOf(r, 'jobs/duplicate-handler').map((f) => f.location.line)).toEqual([4]);
  });

  it('a handler in the inline job_config and in the job conf file Galaxy then ignores', () => {
    const g = `galaxy:\n${PG}  job_config_file: job_conf.yml\n  job_config:\n    handling:\n      processes:\n        handler0:\n    runners: {}\n`;
    const r = runJobs(deployment({ 'c/galaxy.yml': g, 'c/job_conf.yml': 'handling:\n  processes:\n    handler0:\nrunners: {}\n' }));
    const f = findingsOf(r, 'jobs/duplicate-handler');
    expect(f.map((x) => [x.file, x.location.line])).toEqual([['c/job_conf.yml', 3]]);
    expect(f[0]!.message).toContain('inline job_config of c/galaxy.yml');
  });
});

describe('jobs/missing-job-conf and jobs/job-config-file-missing', () => {
  it('before 23.0 the created file is job_conf.xml (Galaxy\'s default name then)', () => {
    const r = runJobs(deployment({ 'c/galaxy.yml': `${MULE_YML}galaxy:\n${PG}` }, { handlers: MULES }), { galaxy: '22.05' });
    const p = r.plan.files.find((x) => x.status === 'created')!;
    expect(p.file).toBe('c/job_conf.xml');
    expect(p.after).toContain('<handlers assign_with="db-skip-locked"/>');
  });

  it('job_config_file naming a missing relative file: created there when mules need it', () => {
    const r = runJobs(deployment({ 'c/galaxy.yml': `${MULE_YML}galaxy:\n${PG}  job_config_file: ../jobs/conf.yml\n` }, { handlers: MULES }));
    expect(r.plan.files.find((x) => x.status === 'created')?.file).toBe('jobs/conf.yml');
    expect(findingsOf(r, 'jobs/job-config-file-missing')).toEqual([]);
  });

  it('job_config_file naming a missing file, no mules: a warning at the option', () => {
    const r = runJobs(deployment({ 'c/galaxy.yml': `galaxy:\n${PG}  job_config_file: job_conf.xml\n` }));
    expect(findingsOf(r, 'jobs/job-config-file-missing').map((f) => [f.location.line, f.severity])).toEqual([[3, 'warning']]);
    expect(findingsOf(r, 'jobs/missing-job-conf')).toEqual([]);
  });

  it('an absolute or templated job_config_file is not created', () => {
    for (const v of ['/srv/galaxy/config/job_conf.xml', '"{{ galaxy_config_dir }}/job_conf.xml"']) {
      const r = runJobs(deployment({ 'c/galaxy.yml': `${MULE_YML}galaxy:\n${PG}  job_config_file: ${v}\n` }, { handlers: MULES }));
      expect(r.plan.files.filter((x) => x.status === 'created')).toEqual([]);
    }
  });
});

describe('jobs/track-jobs-in-database', () => {
  it('removes track_jobs_in_database: false', () => {
    const g = `galaxy:\n${PG}  track_jobs_in_database: False\n  brand: x\n`;
    const r = runJobs(deployment({ 'c/galaxy.yml': g }));
    expect(findingsOf(r, 'jobs/track-jobs-in-database').map((f) => f.location.line)).toEqual([3]);
    expect(afterText(r, 'c/galaxy.yml')).toBe(`galaxy:\n${PG}  brand: x\n`);
    expect(findingsOf(runJobs(deployment({ 'c/galaxy.yml': `galaxy:\n  track_jobs_in_database: true\n` })), 'jobs/track-jobs-in-database')).toEqual([]);
  });
});

describe('jobs/xml-entities', () => {
  it('reports a DOCTYPE with entities (external: error), and expands nothing', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE job_conf [<!ENTITY h "handler0"><!ENTITY x SYSTEM "file:///etc/passwd">]>\n<job_conf><handlers default="&h;"/></job_conf>\n';
    const r = runJobs(deployment({ 'c/job_conf.xml': xml }));
    const f = findingsOf(r, 'jobs/xml-entities');
    expect(f.map((x) => [x.location.line, x.severity])).toEqual([[2, 'error']]);
    expect(f[0]!.message).toContain('`h`');
    expect(r.plan.files).toEqual([]);
  });
});

describe('jobs/cutover', () => {
  it('lists old → new names by position, with SQL for jobs and workflow invocations', () => {
    const d = deployment({ 'c/galaxy.yml': `${MULE_YML}galaxy:\n${PG}` }, { handlers: MULES });
    const renames = handlerRenames(jobsContext(d));
    expect(renames).toEqual([
      { from: 'main.job-handlers.1', to: 'handler_0' },
      { from: 'main.job-handlers.2', to: 'handler_1' },
    ]);
    const notes = cutoverNotes(renames).join('\n');
    expect(notes).toContain(
      "SELECT id, tool_id, state, handler FROM job WHERE (handler IN ('main.job-handlers.1', 'main.job-handlers.2')) AND state NOT IN ('ok', 'error', 'deleted') ORDER BY handler, id;",
    );
    expect(notes).toContain("UPDATE workflow_invocation SET handler = 'handler_1' WHERE handler = 'main.job-handlers.2' AND state IN ('new', 'ready', 'cancelling');");
  });

  it('says nothing when no handler name changes (webless handlers kept)', () => {
    const xml = '<job_conf><handlers assign_with="db-skip-locked"><handler id="handler0"/></handlers></job_conf>';
    const r = runJobs(deployment({ 'c/galaxy.yml': `uwsgi:\n  processes: 2\ngalaxy:\n${PG}`, 'c/job_conf.xml': xml }));
    expect(findingsOf(r, 'jobs/cutover')).toEqual([]);
  });

  it('uWSGI web workers that handled jobs (no mules, no handlers): main.web.% goes to the first Gunicorn worker', () => {
    const d = deployment({ 'c/galaxy.yml': `uwsgi:\n  processes: 2\ngalaxy:\n${PG}` });
    // No uwsgi extractor in this hand-made deployment: give it the uWSGI block the way the model does.
    const withUwsgi = { ...d, uwsgi: [{ file: 'c/galaxy.yml', section: 'uwsgi', options: [] }] };
    expect(handlerRenames(jobsContext(withUwsgi))).toEqual([{ from: 'main.web.%', to: 'main.1', pattern: true }]);
  });
});
