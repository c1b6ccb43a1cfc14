import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { maskJinja } from '../../../src/formats/jinja.js';
import { corpus, deployment, findingsOf, gravityProvides, HAVE_CORPUS, planJson, runJobs, skipNote, unresolved, viewOfText, type JsonPlan } from './support.js';

/**
 * The before/after pairs of ../shared/corpus/MANIFEST.md whose job conf changed with the move off
 * uWSGI (P14 usegalaxy.org.au, P12 GTN training) or around it (P03 usegalaxy.eu, P06 usegalaxy.org,
 * both XML → YAML). For each, the "before" deployment goes through `migrate plan`, and the plan is
 * compared with what the maintainers committed in the "after" files. Where the tool differs, the
 * test says where and why. The corpus is read at run time, never copied into the project.
 *
 * The pairs keep Galaxy's configuration in Ansible variables (`galaxy_config: {uwsgi: …, galaxy:
 * …}`), which the Galaxy role renders into galaxy.yml with its `to_uwsgi_yaml` filter (a YAML list
 * becomes a repeated key). The tests render the parts that matter the same way: the `uwsgi:`
 * block, and `database_connection` / `job_config_file` of `galaxy:`.
 */

skipNote('corpus pair tests (test/rules/jobs/corpus-pairs.test.ts)');
const d = HAVE_CORPUS ? describe : describe.skip;

const dirs: string[] = [];
afterAll(() => {
  for (const x of dirs) rmSync(x, { recursive: true, force: true });
});

/** The `galaxy_config`-style mapping of an Ansible vars file (Jinja masked; values read back from the source). */
function varsSection(text: string, key: string): YAMLMap {
  const { masked } = maskJinja(text, 'J');
  const doc = parseDocument(masked, { uniqueKeys: false });
  const m = isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
  if (!isMap(m)) throw new Error(`no ${key} in the vars file`);
  return m;
}

function source(text: string, n: unknown): string {
  const r = (n as { range?: [number, number] }).range!;
  return text.slice(r[0], r[1]);
}

/** galaxy.yml as ansible-galaxy renders it: repeated keys for lists, values as written. */
function renderGalaxyYml(text: string, config: YAMLMap): string {
  const lines: string[] = ['# rendered by the test from the Ansible vars of the corpus pair'];
  const uwsgi = config.get('uwsgi', true);
  if (isMap(uwsgi)) {
    lines.push('uwsgi:');
    for (const p of uwsgi.items as Pair[]) {
      const key = String(isScalar(p.key) ? p.key.value : p.key);
      const items = isSeq(p.value) ? p.value.items : [p.value];
      for (const it of items) lines.push(`  ${key}: ${source(text, it)}`);
    }
  }
  const galaxy = config.get('galaxy', true);
  lines.push('', 'galaxy:');
  if (isMap(galaxy)) {
    for (const k of ['database_connection', 'job_config_file']) {
      const v = galaxy.get(k, true);
      if (v) lines.push(`  ${k}: ${source(text, v)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function deploymentDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gm-pair-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const after = (p: JsonPlan, suffix: string): string | undefined => p.changes.find((c) => c.file.endsWith(suffix))?.after;
const jobs = (p: JsonPlan): string[] => p.findings.filter((f) => f.ruleId.startsWith('jobs/')).map((f) => f.ruleId);

d('P14 usegalaxy.org.au (aarnet): 5 mules → gravity handler ×5, job conf loses main.job-handler.N, gains assign db-skip-locked', () => {
  const varsBefore = 'usegalaxy-au__infrastructure/55a4c5faad/host_vars/aarnet.usegalaxy.org.au.yml';
  const confBefore = 'usegalaxy-au__infrastructure/55a4c5faad/templates/galaxy/config/aarnet_job_conf.yml.j2';
  const varsAfter = 'usegalaxy-au__infrastructure/c2a5795a4e/host_vars/aarnet.usegalaxy.org.au.yml';
  const confAfter = 'usegalaxy-au__infrastructure/c2a5795a4e/templates/galaxy/config/aarnet_job_conf.yml.j2';
  let plan: JsonPlan;
  let galaxyBefore: string;

  it('plans the same job conf as the maintainers, byte for byte, except one unrelated line pair', async () => {
    const vt = corpus(varsBefore);
    galaxyBefore = renderGalaxyYml(vt, varsSection(vt, 'host_galaxy_config'));
    const dir = deploymentDir({ 'config/galaxy.yml': galaxyBefore, 'config/aarnet_job_conf.yml.j2': corpus(confBefore) });
    plan = await planJson(join(dir, 'config'));
    const ours = after(plan, 'aarnet_job_conf.yml.j2')!;
    // Where we differ: the maintainers also dropped the unused `dynamic` runner in the same
    // commit. That has nothing to do with uWSGI, so the tool leaves it.
    const unrelated = '  dynamic:\n    rules_module: dynamic_rules\n';
    expect(corpus(confBefore)).toContain(unrelated);
    expect(ours.replace(unrelated, '')).toBe(corpus(confAfter));
  });

  it('reports each mule id, the explicit method (PostgreSQL: db-skip-locked) and the cutover SQL', () => {
    expect(jobs(plan).sort()).toEqual([
      'jobs/cutover',
      'jobs/explicit-assignment',
      ...Array.from({ length: 5 }, () => 'jobs/legacy-handler-ids'),
    ].sort());
    const m = plan.findings.find((f) => f.ruleId === 'jobs/explicit-assignment')!;
    expect(m.message).toContain('`db-skip-locked`');
    expect(m.message).toContain('PostgreSQL');
    const notes = plan.findings.find((f) => f.ruleId === 'jobs/cutover')!.notes!.join('\n');
    // AU wrote `main.job-handler.N`; the mules' real names were `main.job-handlers.N`: both are reassigned.
    expect(notes).toContain("UPDATE job SET handler = 'handler_4' WHERE handler = 'main.job-handlers.5'");
    expect(notes).toContain("UPDATE job SET handler = 'handler_4' WHERE handler = 'main.job-handler.5'");
  });

  it('agrees with the maintainers on gravity.handlers: one group `handler`, 5 processes, job-handlers + workflow-schedulers', () => {
    const ours = gravityProvides(after(plan, 'galaxy.yml')!);
    const vt = corpus(varsAfter);
    const theirs = varsSection(vt, 'host_galaxy_config').toJSON() as { gravity: { handlers: Record<string, { processes: number; pools: string[] }> } };
    expect(Object.keys(theirs.gravity.handlers)).toEqual(['handler']);
    expect([...ours.names]).toEqual(Array.from({ length: theirs.gravity.handlers.handler!.processes }, (_, i) => `handler_${i}`));
    expect(ours.defaultPool && ours.workflow).toBe(true);
    expect(theirs.gravity.handlers.handler!.pools).toEqual(['job-handlers', 'workflow-schedulers']);
    expect(unresolved('aarnet_job_conf.yml', after(plan, 'aarnet_job_conf.yml.j2')!, after(plan, 'galaxy.yml')!)).toEqual([]);
  });

  it('finds nothing to change in the maintainers\' after job conf', () => {
    const dep = deployment({
      'config/galaxy.yml': 'gravity:\n  handlers:\n    handler:\n      processes: 5\n      pools:\n        - job-handlers\n        - workflow-schedulers\ngalaxy:\n  database_connection: postgresql://db/galaxy\n',
      'config/aarnet_job_conf.yml.j2': corpus(confAfter),
    });
    const r = runJobs(dep);
    expect(r.findings.filter((f) => f.fix)).toEqual([]);
  });
});

d('P12 GTN admin training (git-gat): mules → Gravity; the maintainers left no assignment method and used singular pools', () => {
  const varsBefore = 'hexylena__git-gat/bfdb609cdd/group_vars/galaxyservers.yml';
  const confBefore = 'hexylena__git-gat/bfdb609cdd/templates/galaxy/config/job_conf.xml.j2';
  const varsAfter = 'hexylena__git-gat/bfaa0c974d/group_vars/galaxyservers.yml';
  const confAfter = 'hexylena__git-gat/bfaa0c974d/templates/galaxy/config/job_conf.yml.j2';
  let plan: JsonPlan;

  it('adds <handlers assign_with="db-skip-locked"/> after <plugins> and changes nothing else', async () => {
    const vt = corpus(varsBefore);
    const dir = deploymentDir({ 'config/galaxy.yml': renderGalaxyYml(vt, varsSection(vt, 'galaxy_config')), 'config/job_conf.xml.j2': corpus(confBefore) });
    plan = await planJson(join(dir, 'config'));
    const ours = after(plan, 'job_conf.xml.j2')!;
    expect(ours).toBe(corpus(confBefore).replace('    </plugins>\n', '    </plugins>\n    <handlers assign_with="db-skip-locked"/>\n'));
    expect(jobs(plan).sort()).toEqual(['jobs/cutover', 'jobs/explicit-assignment']);
    expect(unresolved('job_conf.xml', ours, after(plan, 'galaxy.yml')!)).toEqual([]);
  });

  it('where it differs from the maintainers, and why', () => {
    // 1. Format: the maintainers rewrote job_conf.xml as job_conf.yml in the same step. The tool
    //    keeps the file's format; both describe the same runners, destinations and tools.
    const theirs = viewOfText('job_conf.yml', corpus(confAfter))!;
    const before = viewOfText('job_conf.xml', corpus(confBefore))!;
    expect(theirs.refs).toEqual([]);
    expect(before.refs).toEqual([]);
    // 2. Assignment: their job_conf.yml has no `handling:` at all, so under Gunicorn the web workers
    //    keep handling jobs next to Gravity's handlers (galaxy-target.md §3.2); the tool sets the
    //    method explicitly (PostgreSQL → db-skip-locked).
    expect(theirs.assign).toBeUndefined();
    // 3. Pools: their gravity.handlers use `job-handler` / `workflow-scheduler` (Galaxy 22.01 doc bug,
    //    §7 item 5), which Galaxy does not know, so those 3 handlers take no jobs and schedule no
    //    workflows; the tool's gravity: section uses job-handlers / workflow-schedulers.
    const ours = gravityProvides(after(plan, 'galaxy.yml')!);
    expect(ours.defaultPool && ours.workflow).toBe(true);
    const gat = varsSection(corpus(varsAfter), 'galaxy_config').toJSON() as { gravity: { handlers: Record<string, { processes: number; pools: string[] }> } };
    expect(gat.gravity.handlers.handler!.pools).toEqual(['job-handler', 'workflow-scheduler']);
    // 4. Processes: they went from 2 mules to 3 handlers (a capacity choice); the tool keeps 2.
    expect(gat.gravity.handlers.handler!.processes).toBe(3);
    expect([...ours.names]).toEqual(['handler_0', 'handler_1']);
  });

  it('flags the maintainers\' after state: singular pools (so no job handler and no workflow scheduler), no assignment method', () => {
    const gat = varsSection(corpus(varsAfter), 'galaxy_config').toJSON() as { gravity: { handlers: Record<string, { processes: number; pools: string[] }> } };
    const h = gat.gravity.handlers.handler!;
    const galaxy = `gravity:\n  handlers:\n    handler:\n      processes: ${h.processes}\n      pools:\n${h.pools.map((p) => `        - ${p}\n`).join('')}galaxy:\n  database_connection: "postgresql:///galaxy?host=/var/run/postgresql"\n`;
    const r = runJobs(deployment({ 'config/galaxy.yml': galaxy, 'config/job_conf.yml.j2': corpus(confAfter) }));
    expect(findingsOf(r, 'jobs/gravity-pool-names').map((f) => f.location.line)).toEqual([6, 7]);
    expect(findingsOf(r, 'jobs/explicit-assignment')).toHaveLength(1);
    // Once the pool names are fixed, job-handlers and workflow-schedulers are served: the
    // workflow-scheduling rule counts the fixed names and does not report twice.
    expect(findingsOf(r, 'jobs/workflow-scheduling')).toHaveLength(0);
    const fixed = r.plan.files.find((p) => p.file === 'config/galaxy.yml')!.after;
    expect(fixed).toContain('        - job-handlers\n        - workflow-schedulers\n');
  });
});

d('P03 usegalaxy.eu job_conf XML → YAML (webless handlers, no uWSGI change)', () => {
  const confBefore = 'usegalaxy-eu__infrastructure-playbook/98de69d35c/templates/galaxy/config/job_conf.xml.j2';
  const confAfter = 'usegalaxy-eu__infrastructure-playbook/abd54ce8b0/templates/galaxy/config/job_conf.yml.j2';

  it('proposes nothing for the templated webless handlers before, as the maintainers changed none', () => {
    const r = runJobs(deployment({ 'templates/job_conf.xml.j2': corpus(confBefore) }));
    expect(r.plan.files).toEqual([]);
    const v = viewOfText('job_conf.xml', corpus(confBefore))!;
    expect(v.handlersOpaque).toBe(true); // handler_{{ codename }}_{{ n }} from a loop
  });

  it('differs on the after file: its `assign_with:` YAML key is not read by Galaxy, and the tool says so', () => {
    // The maintainers carried the XML attribute name over to YAML; Galaxy's YAML reader takes
    // `handling.assign`, so their converted file sets no method at all.
    const r = runJobs(deployment({ 'templates/job_conf.yml.j2': corpus(confAfter) }));
    const f = findingsOf(r, 'jobs/explicit-assignment');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/assign_with.*ignored/);
    expect(r.plan.files[0]!.after).toBe(corpus(confAfter).replace('  assign_with:\n', '  assign:\n'));
  });
});

d('P06 usegalaxy.org job_conf XML → YAML (macro-built webless handlers)', () => {
  const confBefore = 'galaxyproject__usegalaxy-playbook/0fc0b39f35/env/main/templates/galaxy/config/job_conf.xml.j2';
  const confAfter = 'galaxyproject__usegalaxy-playbook/8c5ac96002/env/common/templates/galaxy/config/job_conf.yml.j2';

  it('leaves the before file alone: db-skip-locked is set and handlers come from <expand macro>', () => {
    const r = runJobs(deployment({ 'templates/job_conf.xml.j2': corpus(confBefore) }));
    expect(r.plan.files).toEqual([]);
    expect(r.findings.filter((f) => f.ruleId.startsWith('jobs/'))).toEqual([]);
  });

  it('cannot read the after template before rendering (Jinja macros inside YAML lists), and says so instead of guessing', () => {
    const r = runJobs(deployment({ 'templates/job_conf.yml.j2': corpus(confAfter) }));
    const parse = r.findings.filter((f) => f.ruleId === 'parse-error');
    expect(parse).toHaveLength(1);
    expect(parse[0]!.severity).toBe('warning');
    expect(r.plan.files).toEqual([]);
  });
});
