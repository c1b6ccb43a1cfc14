import type { Rule, RuleContext } from '../../src/core/rule.js';
import { factEntries, gravityConfigPath, gravityNotes, nextSteps, processesOf, serviceWhat } from './shared.js';

const ID = 'process/systemd-units';

/**
 * systemd units that run uWSGI (`ExecStart=…/uwsgi --yaml|--ini …`, zerg pool, zergling template
 * units) or webless handlers (`galaxy-handler@.service`) are deleted: Gravity's systemd process
 * manager (`process_manager: systemd`, docs/galaxy-target.md §6.2 A) writes `galaxy-*.service` units
 * and `galaxy.target` itself with `galaxyctl update`, and considers every `galaxy-*` unit its own.
 * The legacy `galaxy.service` must go too, or uWSGI and Gravity both start at boot.
 */
function check(ctx: RuleContext): void {
  const { services, facts } = processesOf(ctx.deployment);
  const units = services.filter((s) => s.manager === 'systemd');
  if (!units.length || !facts) return;
  const steps = nextSteps('systemd', units, gravityConfigPath(facts));
  units.forEach((s, i) => {
    const r = s.classified.role;
    const detail = r.role === 'uwsgi' && r.config ? ` (\`uwsgi ${r.config.templated ? '<flag chosen by the template>' : `--${r.config.flag}`} ${r.config.path.text}\`)` : '';
    const gravityName = /^galaxy-/.test(s.name) ? '; its name is one Gravity writes itself (it treats every `galaxy-*` unit as its own)' : '';
    ctx.report({
      file: s.file,
      range: s.range,
      message: `\`${s.name}\` runs ${serviceWhat(s)}${detail}: deleted, because Gravity's systemd process manager writes and runs its own units (galaxy-gunicorn, galaxy-handler…, galaxy.target)${gravityName}`,
      notes: [
        ...(s.templated ? ['this unit is a template: also remove the task that installs it (and its handler/`systemctl enable` steps) from the playbook'] : []),
        ...(i === 0 ? [...steps, '', 'Gravity settings that carry these units (process/gravity-settings):', ...gravityNotes(factEntries(facts))] : []),
      ],
      fix: { description: `delete ${s.file}: Gravity writes its own units`, changes: [{ kind: 'delete', file: s.file }] },
    });
  });
}

export const systemdUnitsRule: Rule = {
  meta: {
    id: ID,
    description: 'systemd units running uWSGI, zerg pools/zerglings or galaxy-main handlers → deleted; Gravity writes galaxy-*.service units',
    rationale:
      'Galaxy 22.05 and later cannot run under uWSGI. With `process_manager: systemd` Gravity writes one unit per service and a galaxy.target with `galaxyctl update`; ' +
      'a legacy unit left enabled would start uWSGI (or a second set of handlers) beside them, and a legacy `galaxy-*` unit would be overwritten or removed by Gravity anyway.',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §6.1–§6.3', 'GRAV process_manager/systemd.py, docs/basic_usage.rst', 'ANS templates/systemd/galaxy.service.j2'],
    galaxy: { from: '22.05' },
  },
  check,
};
