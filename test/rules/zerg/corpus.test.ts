import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../rules/index.js';
import { HAVE_SHARED, SHARED_DIR, warnNoShared } from '../../helpers/shared.js';
import { SUPERVISORD, supervisordAccepts } from '../../helpers/supervisord.js';
import { deploymentFrom, run } from '../process/helpers.js';

/**
 * The real zerg setups of ../shared/corpus, planned with every rule: no crash, and the decision a
 * maintainer would expect. Literal pool addresses (usegalaxy.eu, usegalaxy.org, the 2017 admin
 * training) become two gunicorn instances; the ansible role's units, whose pool address is a
 * variable, and a uWSGI template whose pool is in another repository stay a review with the reason.
 */

warnNoShared('zerg corpus plans');

const corpus = (p: string): string => readFileSync(join(SHARED_DIR, 'corpus', p), 'utf8');
const plan = (paths: readonly string[]) => {
  const d = deploymentFrom(Object.fromEntries(paths.map((p) => [p, corpus(p)])));
  return { d, o: run(d, ALL_RULES) };
};

const GAT = 'galaxyproject__admin-training/e928f37ee4/sessions/10-uwsgi/supervisor_galaxy.conf';
const EU_SUP = 'usegalaxy-eu__infrastructure-playbook/e67b7b1a64/files/galaxy/config/supervisord.conf';
const EU_INI = 'usegalaxy-eu__infrastructure-playbook/e67b7b1a64/templates/galaxy/config/uwsgi.ini.j2';
const EU_J2 = 'usegalaxy-eu__infrastructure-playbook/1fdbd3ea7f/templates/supervisor/galaxy.j2';
const ORG_SUP = 'galaxyproject__usegalaxy-playbook/463617550f/env/common/templates/supervisor/galaxy.j2';
const ORG_HANDLERS = 'galaxyproject__usegalaxy-playbook/463617550f/env/common/templates/supervisor/galaxy_handler.j2';
const ORG_INI = 'galaxyproject__usegalaxy-playbook/74f97c6ac5/templates/galaxy/usegalaxy.org/config/uwsgi.ini.j2';
const ROLE_POOL = 'galaxyproject__ansible-galaxy/445ab9ed65/templates/systemd/galaxy-zergpool.service.j2';
const ROLE_LING = 'galaxyproject__ansible-galaxy/445ab9ed65/templates/systemd/galaxy-zergling@.service.j2';
const EU_FINAL_INI = 'usegalaxy-eu__infrastructure-playbook/e229c35299/templates/galaxy/config/uwsgi.ini.j2';
const EU_FINAL_NGINX = 'usegalaxy-eu__infrastructure-playbook/e229c35299/templates/nginx/galaxy-main.j2';

describe.skipIf(!HAVE_SHARED)('zerg setups of the corpus', () => {
  it.each([
    { name: 'admin training 2017 (supervisord, literal pool)', paths: [GAT], binds: ['127.0.0.1:4001', '127.0.0.1:4002'], at: [GAT, 1] as const },
    { name: 'usegalaxy.eu 2018 (supervisord + uwsgi.ini template)', paths: [EU_SUP, EU_INI], binds: ['127.0.0.1:4002', '127.0.0.1:4003'], at: [EU_INI, 40] as const },
    { name: 'usegalaxy.eu supervisor template (pool socket templated, address literal)', paths: [EU_J2], binds: ['127.0.0.1:4001', '127.0.0.1:4002'], at: [EU_J2, 5] as const },
    { name: 'usegalaxy.org (supervisor templates + uwsgi.ini template)', paths: [ORG_SUP, ORG_HANDLERS, ORG_INI], binds: ['127.0.0.1:4001', '127.0.0.1:4002'], at: [ORG_INI, 39] as const },
  ])('$name: two gunicorn instances from the pool address', ({ paths, binds, at }) => {
    const { d, o } = plan(paths);
    expect(d.decisions.zerg?.understood).toBe(true);
    expect(d.decisions.gunicornInstances?.map((i) => i.bind)).toEqual(binds);
    const f = o.findings.find((x) => x.ruleId === 'uwsgi/zerg')!;
    expect([f.file, f.location.line]).toEqual([...at]);
    expect(f.severity).toBe('info');
    expect(f.message).toContain(`a \`gravity.gunicorn\` list of 2 instances (${binds.map((b) => `\`${b}\``).join(', ')})`);
    // The handler programs are there, so the instances do not handle jobs: no caution.
    expect(f.notes!.some((n) => n.startsWith('caution'))).toBe(false);
    // Every supervisord zerg program is removed; the report names galaxyctl graceful.
    const sup = o.findings.filter((x) => x.ruleId === 'process/supervisor-programs');
    expect(sup.flatMap((x) => x.notes ?? []).some((n) => /galaxyctl .*graceful +# from now on, restarts the 2 gunicorn instances one at a time/.test(n))).toBe(true);
    for (const p of paths) if (/supervisor/.test(p)) expect(o.after[p] ?? '').not.toMatch(/--zerg-pool|bin\/uwsgi/);
  });

  it('usegalaxy.org without its handler programs: the instances would handle jobs, so a warning says to configure handlers', () => {
    const { o } = plan([ORG_SUP, ORG_INI]);
    const f = o.findings.find((x) => x.ruleId === 'uwsgi/zerg')!;
    expect(f.severity).toBe('warning');
    expect(f.notes).toContain(
      'caution (Gravity docs): every gunicorn instance has the same server name and handles jobs unless separate job handlers are configured; configure `gravity.handlers` (webless handlers) and an explicit assignment method before starting',
    );
  });

  it.skipIf(!SUPERVISORD)('the real supervisord accepts the rewritten admin-training file', async () => {
    const { o } = plan([GAT]);
    const v = await supervisordAccepts(o.after[GAT]!);
    expect(v.ok, v.output).toBe(true);
  });

  it('the ansible role units: the pool address is a variable, so a review that says so', () => {
    const { d, o } = plan([ROLE_POOL, ROLE_LING]);
    expect(d.decisions.zerg).toEqual({
      understood: false,
      why: `the zerg pool's address is set by a template (\`{{ galaxy_zergpool_listen_addr }}\` in ${ROLE_POOL}), so the binds of the gunicorn instances cannot be derived from it`,
    });
    const f = o.findings.find((x) => x.ruleId === 'uwsgi/zerg')!;
    expect([f.file, f.location.line, f.severity]).toEqual([ROLE_POOL, 13, 'warning']);
    expect(d.decisions.gunicornInstances).toBeUndefined();
  });

  it('usegalaxy.eu before its switch: zerglings without their pool among the files → review; nginx still rewritten to one address', () => {
    const { d, o } = plan([EU_FINAL_INI, EU_FINAL_NGINX]);
    expect(d.decisions.zerg?.understood).toBe(false);
    const f = o.findings.find((x) => x.ruleId === 'uwsgi/zerg')!;
    expect([f.file, f.location.line, f.severity]).toEqual([EU_FINAL_INI, 12, 'warning']);
    expect(f.message).toContain('no zerg pool (`zerg-pool`) or zerg server');
    expect(o.after[EU_FINAL_NGINX]).not.toContain('upstream galaxy');
  });
});
