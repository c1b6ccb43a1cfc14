import { describe, expect, it } from 'vitest';
import { afterText, deployment, findingsOf, group, runJobs } from './support.js';

/**
 * An ansible deployment has no galaxy.yml in the tree (the role writes it on the server from
 * `galaxy_config`), so the assignment method is chosen from `galaxy_config.galaxy.database_connection`
 * in the variables files; one job conf template serves every host they describe.
 */
const MULES = [group('handler', 2, ['job-handlers', 'workflow-schedulers'], ['main.job-handlers.1', 'main.job-handlers.2'])];
const CONF = 'templates/galaxy/config/job_conf.xml.j2';
const XML = `<job_conf>
    <plugins>
        <plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/>
    </plugins>
    <handlers assign_with="uwsgi-mule-message" default="handlers">
        <handler id="main.job-handlers.1" tags="handlers"/>
    </handlers>
</job_conf>
`;
const vars = (variable: string, db: string): string =>
  `galaxy_root: /srv/galaxy\n${variable}:\n  galaxy:\n    database_connection: ${db}\n    admin_users: admin@example.org\n  uwsgi:\n    mule: lib/galaxy/main.py\n`;

function plan(files: Record<string, string>): { method: string | undefined; message: string } {
  const r = runJobs(deployment({ ...files, [CONF]: XML }, { handlers: MULES }));
  const method = /assign_with="([^"]*)"/.exec(afterText(r, CONF) ?? '')?.[1];
  return { method, message: findingsOf(r, 'jobs/uwsgi-mule-message')[0]?.message ?? '' };
}

describe('jobs: the database of an ansible deployment', () => {
  it('PostgreSQL in group_vars → db-skip-locked, naming the variable and the file, never the password', () => {
    const { method, message } = plan({ 'group_vars/galaxyservers.yml': vars('galaxy_config', '"postgresql://galaxy:s3cretPassw0rd@db/galaxy"') });
    expect(method).toBe('db-skip-locked');
    expect(message).toContain('galaxy_config.galaxy.database_connection in group_vars/galaxyservers.yml is PostgreSQL');
    expect(message).not.toContain('s3cretPassw0rd');
  });

  it('a password from the vault (Jinja2 inside the URL) still shows the scheme', () => {
    expect(plan({ 'group_vars/all.yml': vars('galaxy_config_hash', '"postgresql+psycopg2://galaxy:{{ vault_db_pw }}@db/galaxy"') }).method).toBe('db-skip-locked');
  });

  it.each([
    ['sqlite:///{{ galaxy_mutable_data_dir }}/universe.sqlite', 'db-transaction-isolation', 'is SQLite'],
    ['mysql://galaxy@db/galaxy', 'db-transaction-isolation', 'MySQL/MariaDB'],
    ['"{{ galaxy_db_url }}"', 'db-transaction-isolation', 'not readable here'],
  ])('%s → %s (%s)', (db, want, why) => {
    const { method, message } = plan({ 'group_vars/galaxyservers.yml': vars('galaxy_config', db) });
    expect(method).toBe(want);
    expect(message).toContain(why);
  });

  it.each([
    ['agree (PostgreSQL twice)', 'postgresql://galaxy@db2/galaxy', 'db-skip-locked', 'so is the other setting of the inventory'],
    ['disagree (PostgreSQL and SQLite)', 'sqlite:///universe.sqlite', 'db-transaction-isolation', 'postgresql and sqlite databases, and one job conf serves them all'],
  ])('group_vars and host_vars that %s → %s, and the reason says both were read', (_, hostDb, want, why) => {
    const { method, message } = plan({
      'group_vars/galaxyservers.yml': vars('galaxy_config', 'postgresql:///galaxy?host=/var/run/postgresql'),
      'host_vars/galaxy2.example.org.yml': vars('galaxy_config', hostDb),
    });
    expect(method).toBe(want);
    expect(message).toContain(why);
  });

  it('another app (reports_config, impersonate_config_hash) does not decide Galaxy’s database', () => {
    expect(plan({ 'group_vars/galaxyservers.yml': vars('reports_config', 'postgresql:///galaxy') }).message).toContain('no galaxy.yml was read');
    expect(plan({ 'group_vars/galaxyservers.yml': vars('impersonate_config_hash', 'postgresql:///galaxy') }).method).toBe('db-transaction-isolation');
  });

  it('a galaxy.yml in the tree wins over the ansible variables (it is the file Galaxy reads)', () => {
    const { method, message } = plan({
      'config/galaxy.yml': 'galaxy:\n  database_connection: sqlite:///universe.sqlite\n',
      'group_vars/galaxyservers.yml': vars('galaxy_config', 'postgresql:///galaxy'),
    });
    expect(method).toBe('db-transaction-isolation');
    expect(message).toContain('database_connection is SQLite');
  });
});
