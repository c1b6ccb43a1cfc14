import { describe, expect, it } from 'vitest';
import { chooseAssign } from '../../../rules/jobs/context.js';
import { afterText, deployment, findingsOf, group, runJobs } from './support.js';

const MULES = [group('handler', 2, ['job-handlers', 'workflow-schedulers'], ['main.job-handlers.1', 'main.job-handlers.2'])];
const galaxy = (db: string | undefined, extra = ''): string =>
  `uwsgi:\n  mule: lib/galaxy/main.py\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1,2\ngalaxy:\n${db ? `  database_connection: ${db}\n` : ''}${extra}`;

const XML_NO_HANDLERS = `<job_conf>
    <plugins>
        <plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/>
    </plugins>
    <destinations default="local">
        <destination id="local" runner="local"/>
    </destinations>
</job_conf>
`;

describe('jobs/explicit-assignment', () => {
  it('recipe A: mules, no <handlers> → <handlers assign_with="db-skip-locked"/> after <plugins> (PostgreSQL)', () => {
    const r = runJobs(deployment({ 'c/galaxy.yml': galaxy('postgresql://u@h/g'), 'c/job_conf.xml': XML_NO_HANDLERS }, { handlers: MULES }));
    const f = findingsOf(r, 'jobs/explicit-assignment');
    expect(f.map((x) => [x.severity, x.location.line])).toEqual([['warning', 1]]);
    expect(f[0]!.message).toContain('PostgreSQL');
    expect(afterText(r, 'c/job_conf.xml')).toBe(XML_NO_HANDLERS.replace('    </plugins>\n', '    </plugins>\n    <handlers assign_with="db-skip-locked"/>\n'));
  });

  it.each([
    ['sqlite:///universe.sqlite', 'db-transaction-isolation', 'is SQLite'],
    [undefined, 'db-transaction-isolation', 'default SQLite'],
    ['mysql://u@h/g', 'db-transaction-isolation', 'MySQL/MariaDB'],
    ['"postgresql+psycopg2://u:{{ vault_pw }}@h/g"', 'db-skip-locked', 'PostgreSQL'],
    ['"{{ galaxy_db_url }}"', 'db-transaction-isolation', 'unknown'],
  ])('database_connection %s → %s (the finding says why: %s)', (db, method, why) => {
    const d = deployment({ 'c/galaxy.yml': galaxy(db), 'c/job_conf.xml': XML_NO_HANDLERS }, { handlers: MULES });
    const r = runJobs(d);
    expect(afterText(r, 'c/job_conf.xml')).toContain(`<handlers assign_with="${method}"/>`);
    const message = findingsOf(r, 'jobs/explicit-assignment')[0]!.message;
    expect(message).toContain(method);
    expect(message).toContain(why);
  });

  it('without any galaxy.yml the database is unknown: db-transaction-isolation, which works everywhere', () => {
    expect(chooseAssign(undefined)).toMatchObject({ method: 'db-transaction-isolation', database: 'unknown' });
  });

  it('YAML without handling: gets handling.assign after runners', () => {
    const yml = 'runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\nexecution:\n  default: local\n  environments:\n    local:\n      runner: local\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': galaxy('postgresql:///g'), 'c/job_conf.yml': yml }, { handlers: MULES }));
    expect(afterText(r, 'c/job_conf.yml')).toBe(
      'runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\nhandling:\n  assign:\n    - db-skip-locked\nexecution:\n  default: local\n  environments:\n    local:\n      runner: local\n',
    );
  });

  it('a method that dynamic handlers cannot use (db-preassign) becomes the DB method', () => {
    const xml = '<job_conf>\n  <handlers assign_with="db-preassign"/>\n</job_conf>\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': galaxy('postgresql:///g'), 'c/job_conf.xml': xml }, { handlers: MULES }));
    expect(findingsOf(r, 'jobs/explicit-assignment').map((f) => f.location.line)).toEqual([2]);
    expect(afterText(r, 'c/job_conf.xml')).toBe('<job_conf>\n  <handlers assign_with="db-skip-locked"/>\n</job_conf>\n');
  });

  it('an unknown method is an error; db-skip-locked on SQLite becomes db-transaction-isolation', () => {
    const bad = runJobs(deployment({ 'c/galaxy.yml': galaxy('postgresql:///g'), 'c/job_conf.xml': '<job_conf><handlers assign_with="db-magic"/></job_conf>' }, { handlers: MULES }));
    expect(findingsOf(bad, 'jobs/explicit-assignment').map((f) => f.severity)).toEqual(['error']);
    const lite = runJobs(deployment({ 'c/galaxy.yml': galaxy('sqlite:///x.sqlite'), 'c/job_conf.yml': 'handling:\n  assign: [db-skip-locked]\nrunners: {}\n' }, { handlers: MULES }));
    expect(afterText(lite, 'c/job_conf.yml')).toBe('handling:\n  assign: [db-transaction-isolation]\nrunners: {}\n');
  });

  it('a YAML `assign_with:` key is renamed, even when nothing is being migrated', () => {
    const r = runJobs(deployment({ 'c/job_conf.yml': 'handling:\n  assign_with:\n    - db-skip-locked\nrunners: {}\n' }));
    expect(findingsOf(r, 'jobs/explicit-assignment').map((f) => f.location.line)).toEqual([2]);
    expect(afterText(r, 'c/job_conf.yml')).toBe('handling:\n  assign:\n    - db-skip-locked\nrunners: {}\n');
  });

  it('a templated method is reported for review, not rewritten', () => {
    const xml = '<job_conf><handlers assign_with="{{ method }}"/></job_conf>';
    const r = runJobs(deployment({ 'c/galaxy.yml': galaxy('postgresql:///g'), 'c/job_conf.xml.j2': xml }, { handlers: MULES }));
    const f = findingsOf(r, 'jobs/explicit-assignment');
    expect(f.map((x) => [x.severity, x.fix])).toEqual([['info', undefined]]);
  });

  it('all-in-one (no mules, no handlers): no method is forced, the Gunicorn workers keep handling jobs', () => {
    const r = runJobs(deployment({ 'c/galaxy.yml': 'uwsgi:\n  processes: 4\ngalaxy:\n  database_connection: postgresql:///g\n', 'c/job_conf.xml': XML_NO_HANDLERS }));
    expect(findingsOf(r, 'jobs/explicit-assignment')).toEqual([]);
    expect(r.plan.files).toEqual([]);
  });

  it('an explicit DB method already set: nothing to say', () => {
    const xml = '<job_conf><handlers assign_with="db-skip-locked"/></job_conf>';
    const r = runJobs(deployment({ 'c/galaxy.yml': galaxy('postgresql:///g'), 'c/job_conf.xml': xml }, { handlers: MULES }));
    expect(findingsOf(r, 'jobs/explicit-assignment')).toEqual([]);
  });
});

describe('jobs/uwsgi-mule-message', () => {
  it('removes the value; a following db-* method stays when no dynamic handler needs more', () => {
    const xml = '<job_conf>\n  <handlers assign_with="uwsgi-mule-message,db-preassign">\n    <handler id="handler0"/>\n  </handlers>\n</job_conf>\n';
    const r = runJobs(deployment({ 'c/job_conf.xml': xml }));
    expect(findingsOf(r, 'jobs/uwsgi-mule-message').map((f) => [f.severity, f.location.line, f.location.column])).toEqual([['error', 2, 26]]);
    expect(afterText(r, 'c/job_conf.xml')).toBe(xml.replace('uwsgi-mule-message,db-preassign', 'db-preassign'));
  });

  it('with Gravity handlers, the list becomes the DB method the database allows', () => {
    const yml = 'handling:\n  assign:\n    - uwsgi-mule-message\n    - db-preassign\nrunners: {}\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': galaxy('postgresql:///g'), 'c/job_conf.yml': yml }, { handlers: MULES }));
    expect(findingsOf(r, 'jobs/uwsgi-mule-message').map((f) => f.location.line)).toEqual([3]);
    expect(afterText(r, 'c/job_conf.yml')).toBe('handling:\n  assign:\n    - db-skip-locked\nrunners: {}\n');
  });
});
