import { describe, expect, it } from 'vitest';
import { afterText, deployment, findingsOf, group, runJobs } from './support.js';

const PG = 'galaxy:\n  database_connection: postgresql:///galaxy\n';
const UNTAGGED = group('handler', 2, ['job-handlers', 'workflow-schedulers'], ['main.job-handlers.1', 'main.job-handlers.2']);
const TAGGED = group('special', 1, ['job-handlers.special'], ['main.job-handlers.special.1']);

describe('jobs/legacy-handler-ids', () => {
  it('recipe B: a tagged farm\'s mule → the tag its Gravity pool serves; its <handler> goes', () => {
    const xml = `<job_conf>
    <handlers assign_with="db-skip-locked">
        <handler id="main.job-handlers.special.1"/>
    </handlers>
    <tools>
        <tool id="bwa" handler="main.job-handlers.special.1"/>
    </tools>
</job_conf>
`;
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.xml': xml }, { handlers: [UNTAGGED, TAGGED] }));
    expect(findingsOf(r, 'jobs/legacy-handler-ids').map((f) => f.location.line)).toEqual([3]);
    expect(afterText(r, 'c/job_conf.xml')).toBe(
      '<job_conf>\n    <handlers assign_with="db-skip-locked">\n    </handlers>\n    <tools>\n        <tool id="bwa" handler="special"/>\n    </tools>\n</job_conf>\n',
    );
  });

  it('recipe C: a tool pinned to one mule of the untagged pool, no <handlers> → a tagged static handler, added with the method', () => {
    const xml = `<job_conf>
    <plugins>
        <plugin id="local" type="runner" load="x"/>
    </plugins>
    <tools>
        <tool id="upload1" handler="main.job-handlers.2"/>
    </tools>
</job_conf>
`;
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.xml': xml }, { handlers: [UNTAGGED] }));
    expect(findingsOf(r, 'jobs/legacy-handler-ids').map((f) => f.location.line)).toEqual([6]);
    expect(r.plan.conflicts).toEqual([]);
    expect(afterText(r, 'c/job_conf.xml')).toBe(
      xml
        .replace('    </plugins>\n', '    </plugins>\n    <handlers assign_with="db-skip-locked">\n        <handler id="job_handlers_2" tags="pinned"/>\n    </handlers>\n')
        .replace('handler="main.job-handlers.2"', 'handler="job_handlers_2"'),
    );
  });

  it('recipe F (hybrid): static webless handlers stay, a web worker id becomes a static handler keeping its tags, resubmit follows', () => {
    const xml = `<job_conf>
    <handlers assign_with="db-skip-locked" default="main.web.1">
        <handler id="handler0"/>
        <handler id="main.web.1" tags="web"/>
    </handlers>
    <destinations>
        <destination id="d" runner="local">
            <resubmit condition="walltime_reached" handler="main.web.1"/>
        </destination>
    </destinations>
</job_conf>
`;
    const r = runJobs(deployment({ 'c/galaxy.yml': `uwsgi:\n  processes: 2\n${PG}`, 'c/job_conf.xml': xml }));
    expect(findingsOf(r, 'jobs/legacy-handler-ids').map((f) => f.location.line)).toEqual([4]);
    expect(findingsOf(r, 'jobs/stale-default').map((f) => f.location.line)).toEqual([2]);
    expect(afterText(r, 'c/job_conf.xml')).toBe(xml.replace(/main\.web\.1/g, 'web_1'));
  });

  it('YAML: processes of mule ids all go (the processes: key too), tools keep reaching the pool', () => {
    const yml = 'handling:\n  processes:\n    main.job-handler.1:\n    main.job-handler.2:\n  max_grab: 4\nrunners: {}\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.yml': yml }, { handlers: [UNTAGGED] }));
    expect(findingsOf(r, 'jobs/legacy-handler-ids').map((f) => f.location.line)).toEqual([3, 4]);
    expect(afterText(r, 'c/job_conf.yml')).toBe('handling:\n  assign:\n    - db-skip-locked\n  max_grab: 4\nrunners: {}\n');
  });

  it('a tag only mules carried: tool mappings to it go (the default pool serves those jobs), the default goes', () => {
    const xml = `<job_conf>
    <handlers assign_with="db-skip-locked" default="mules">
        <handler id="main.job-handlers.1" tags="mules"/>
        <handler id="main.job-handlers.2" tags="mules"/>
    </handlers>
    <tools>
        <tool id="cat1" handler="mules"/>
    </tools>
</job_conf>
`;
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.xml': xml }, { handlers: [UNTAGGED] }));
    expect(findingsOf(r, 'jobs/legacy-handler-ids').map((f) => f.location.line)).toEqual([3, 4, 7]);
    expect(findingsOf(r, 'jobs/stale-default').map((f) => f.location.line)).toEqual([2]);
    expect(afterText(r, 'c/job_conf.xml')).toBe(
      '<job_conf>\n    <handlers assign_with="db-skip-locked">\n    </handlers>\n    <tools>\n        <tool id="cat1"/>\n    </tools>\n</job_conf>\n',
    );
  });

  it('leaves webless handler ids alone, and never rewrites a templated id', () => {
    const xml = '<job_conf><handlers assign_with="db-skip-locked"><handler id="handler0"/><handler id="main.job-handler.{{ n }}"/></handlers></job_conf>';
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.xml.j2': xml }, { handlers: [UNTAGGED] }));
    expect(findingsOf(r, 'jobs/legacy-handler-ids').map((f) => [f.severity, f.fix])).toEqual([['warning', undefined]]);
    expect(r.plan.files.filter((p) => p.file.endsWith('.j2'))).toEqual([]);
  });
});

describe('jobs/stale-default', () => {
  it('a default nothing provides is removed', () => {
    const xml = '<job_conf>\n  <handlers assign_with="db-skip-locked" default="gone">\n    <handler id="h0"/>\n  </handlers>\n</job_conf>\n';
    const r = runJobs(deployment({ 'c/job_conf.xml': xml }));
    expect(findingsOf(r, 'jobs/stale-default').map((f) => [f.location.line, f.severity])).toEqual([[2, 'warning']]);
    expect(afterText(r, 'c/job_conf.xml')).toBe(xml.replace(' default="gone"', ''));
  });

  it('a default naming a tagged farm\'s mule becomes the tag', () => {
    const yml = 'handling:\n  assign: [db-skip-locked]\n  default: main.job-handlers.special.1\nrunners: {}\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.yml': yml }, { handlers: [TAGGED] }));
    expect(afterText(r, 'c/job_conf.yml')).toBe(yml.replace('main.job-handlers.special.1', 'special'));
  });

  it('is not decided when handlers come from macros or the default from the environment', () => {
    const macro = '<job_conf><handlers assign_with="db-skip-locked" default="x"><expand macro="h"/></handlers></job_conf>';
    expect(findingsOf(runJobs(deployment({ 'c/job_conf.xml': macro })), 'jobs/stale-default')).toEqual([]);
  });
});

describe('templated and inline job confs', () => {
  it('a template that renders mule ids is reported without a fix (AU wrote main.job-handler.{{ n + 1 }})', () => {
    const xml = '<job_conf>\n<handlers>\n{% for n in range(count) %}\n<handler id="main.job-handler.{{ n + 1 }}"/>\n{% endfor %}\n</handlers>\n</job_conf>\n';
    const r = runJobs(deployment({ 'c/job_conf.xml.j2': xml }, { handlers: [UNTAGGED] }));
    const f = findingsOf(r, 'jobs/legacy-handler-ids');
    expect(f.map((x) => [x.location.line, x.severity, x.fix])).toEqual([[4, 'warning', undefined]]);
  });

  it('the inline job_config of galaxy.yml is rewritten in galaxy.yml', () => {
    const g = `uwsgi:\n  mule: lib/galaxy/main.py\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1,2\ngalaxy:\n  database_connection: postgresql:///g\n  job_config:\n    handling:\n      assign: [uwsgi-mule-message]\n      processes:\n        main.job-handlers.1:\n        main.job-handlers.2:\n    runners:\n      local: {load: galaxy.jobs.runners.local:LocalJobRunner}\n`;
    const r = runJobs(deployment({ 'c/galaxy.yml': g }, { handlers: [UNTAGGED] }));
    expect(findingsOf(r, 'jobs/legacy-handler-ids').map((f) => [f.file, f.location.line])).toEqual([
      ['c/galaxy.yml', 11],
      ['c/galaxy.yml', 12],
    ]);
    expect(findingsOf(r, 'jobs/missing-job-conf')).toEqual([]);
    expect(afterText(r, 'c/galaxy.yml')).toBe(
      g.replace('assign: [uwsgi-mule-message]', 'assign: [db-skip-locked]').replace('      processes:\n        main.job-handlers.1:\n        main.job-handlers.2:\n', ''),
    );
  });
});

describe('jobs/legacy-handler-ids on a legacy id defined twice (FUZZ_RUNS=20000 FUZZ_SEED=2)', () => {
  it('a mule the Gravity group replaces: both definitions go in the one plan, so a second plan has nothing to rename', () => {
    const xml = `<job_conf>
    <handlers assign_with="db-skip-locked">
        <handler id="main.job-handlers.1" tags="handlers"/>
        <handler id="main.job-handlers.1" tags="handlers"/>
        <handler id="main.job-handlers.2" tags="handlers"/>
    </handlers>
</job_conf>
`;
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.xml': xml }, { handlers: [UNTAGGED] }));
    const found = findingsOf(r, 'jobs/legacy-handler-ids');
    expect(found.map((f) => f.location.line)).toEqual([3, 5]);
    expect(found[0]?.message).toContain('(defined as a handler 2 times)');
    expect(found[0]?.message).toMatch(/; the definitions go$/);
    expect(afterText(r, 'c/job_conf.xml')).toBe('<job_conf>\n    <handlers assign_with="db-skip-locked">\n    </handlers>\n</job_conf>\n');
  });

  it('a pinned mule: both definitions are renamed to its static handler (jobs/duplicate-handler still reports the pair)', () => {
    const xml = `<job_conf>
    <handlers assign_with="db-skip-locked" default="handlers">
        <handler id="main.job-handlers.2" tags="handlers"/>
        <handler id="main.job-handlers.2" tags="handlers"/>
    </handlers>
    <tools>
        <tool id="upload1" handler="main.job-handlers.2"/>
    </tools>
</job_conf>
`;
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.xml': xml }, { handlers: [UNTAGGED] }));
    const renamed = findingsOf(r, 'jobs/legacy-handler-ids').filter((f) => f.message.startsWith('`main.job-handlers.2`'));
    expect(renamed.map((f) => f.location.line)).toEqual([3]);
    expect(renamed[0]?.message).toContain('the definitions are renamed to `job_handlers_2`');
    const after = afterText(r, 'c/job_conf.xml') ?? '';
    expect(after.match(/<handler id="job_handlers_2" tags="pinned"\/>/g)).toHaveLength(2);
    expect(after).not.toContain('main.job-handlers');
  });
});

describe('jobs/stale-default on a `default:` written twice (FUZZ_RUNS=20000 FUZZ_SEED=4|6)', () => {
  it('removes both, since PyYAML keeps the last and the first would take over after one is gone', () => {
    const yml = 'runners:\n  local:\n    load: x\nhandling:\n  assign:\n    - db-skip-locked\n  default: handlers\n  default: handlers\n  processes:\n    handler0:\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.yml': yml }));
    expect(findingsOf(r, 'jobs/stale-default').map((f) => f.location.line)).toEqual([8]);
    expect(afterText(r, 'c/job_conf.yml')).toBe('runners:\n  local:\n    load: x\nhandling:\n  assign:\n    - db-skip-locked\n  processes:\n    handler0:\n');
  });
});

describe('a job_conf.yml whose `runners:` ends the file without a line break (FUZZ_RUNS=20000 FUZZ_SEED=12)', () => {
  it('gets its new handling: section on a line of its own', () => {
    const yml = 'runners:\n  local:\n    load: x';
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.yml': yml }, { handlers: [UNTAGGED] }));
    expect(afterText(r, 'c/job_conf.yml')).toBe('runners:\n  local:\n    load: x\nhandling:\n  assign:\n    - db-skip-locked\n');
  });
});

describe('an assign list whose item is only a comment (`- #uwsgi-mule-message`, FUZZ_RUNS=20000 FUZZ_SEED=7, round 6)', () => {
  it('gets its method with a blank before the comment, so the comment stays a comment', () => {
    const yml = 'runners:\n  local:\n    load: x\nhandling:\n  assign:\n    - #uwsgi-mule-message\n  processes:\n    handler0:\n';
    const r = runJobs(deployment({ 'c/galaxy.yml': PG, 'c/job_conf.yml': yml }, { handlers: [UNTAGGED] }));
    expect(afterText(r, 'c/job_conf.yml')).toBe('runners:\n  local:\n    load: x\nhandling:\n  assign:\n    - db-skip-locked #uwsgi-mule-message\n  processes:\n    handler0:\n');
  });
});
