import { isMap, isScalar } from 'yaml';
import type { Document } from '../../src/core/document.js';
import type { Edit } from '../../src/core/finding.js';
import type { Rule } from '../../src/core/rule.js';
import { hasGravity1 } from '../../src/core/target.js';
import type { AnsibleVarsAst } from '../../src/formats/ansible-vars/index.js';
import { isMovable, reportsApps } from './model.js';

/**
 * ansible-galaxy's `galaxy_manage_systemd_reports` deploys and starts its own galaxy-reports.service,
 * whose ExecStart is `uwsgi --yaml {{ galaxy_reports_path }}` [ANS templates/systemd/galaxy-reports.service.j2];
 * usegalaxy.org.au and usegalaxy.no switch theirs with `galaxy_systemd_reports`. Once Gravity runs
 * Reports, that unit would start a second Reports (on uWSGI, which Galaxy 22.05+ cannot run) and
 * Gravity's systemd unit of the same name (`galaxy-reports.service`) would clash with it.
 */
const SWITCHES = ['galaxy_manage_systemd_reports', 'galaxy_systemd_reports'];
const TRUE = /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const REASON = 'Gravity runs Reports now (gravity.reports); the role\'s unit ran it under uWSGI';

export const ansibleSystemdUnitRule: Rule = {
  meta: {
    id: 'reports/ansible-systemd-unit',
    description: "ansible `galaxy_manage_systemd_reports` / `galaxy_systemd_reports` switched off once Gravity runs Reports",
    rationale:
      "The ansible-galaxy role's galaxy-reports.service runs `uwsgi --yaml` on reports.yml. With Reports in `gravity.reports`, Gravity starts " +
      'it (and, with the systemd process manager, writes its own galaxy-reports.service): the role\'s unit must go, or two Reports compete for ' +
      'one address. The switch is set to false with a comment that says why; the unit already on the host must still be stopped and disabled.',
    severity: 'warning',
    fixable: true,
    sources: ['ANS tasks/main.yml, tasks/systemd-reports.yml, templates/systemd/galaxy-reports.service.j2', 'docs/galaxy-target.md §1.8, §6.2'],
    galaxy: { from: '22.01' },
  },
  check(ctx) {
    const apps = reportsApps(ctx.deployment, ctx.target);
    const moving = hasGravity1(ctx.target) && apps.some((a) => isMovable(a) && a.destination.kind !== 'none');
    for (const doc of ctx.deployment.documents) {
      if (doc.kind !== 'ansible-vars' || !doc.ast) continue;
      const vars = doc as Document<AnsibleVarsAst>;
      const top = vars.ast.yaml.contents;
      if (!isMap(top)) continue;
      for (const p of top.items) {
        if (!isScalar(p.key) || !SWITCHES.includes(String(p.key.value)) || !isScalar(p.value) || !p.value.range || !p.key.range) continue;
        const raw = doc.file.text.slice(p.value.range[0], p.value.range[1]);
        if (p.value.value !== true && !TRUE.test(raw)) continue;
        const name = String(p.key.value);
        const range = { start: p.key.range[0], end: p.value.range[1] };
        if (!moving) {
          ctx.report({
            file: doc.file.path,
            range,
            message: `\`${name}: ${raw}\` keeps the role's galaxy-reports.service, which runs Reports under uWSGI (Galaxy 22.05 and later cannot); ` +
              (apps.length ? 'switch it off once Reports is in `gravity.reports` (see reports/uwsgi-to-gravity)' : 'move Reports into `gravity.reports` (plan the reports.yml it runs together with this file) and switch it off'),
          });
          continue;
        }
        const edits: Edit[] = [{ start: p.value.range[0], end: p.value.range[1], text: 'false' }];
        const lineEnd = lineEndOf(doc.file.text, p.value.range[1]);
        if (!/#/.test(doc.file.text.slice(p.value.range[1], lineEnd))) edits.push({ start: lineEnd, end: lineEnd, text: `  # ${REASON}` });
        ctx.report({
          file: doc.file.path,
          range,
          message: `\`${name}: ${raw}\` → \`false\`: ${REASON}, and two would compete for one address`,
          notes: [
            'the role does not remove the unit it installed: on the host, `systemctl disable --now galaxy-reports.service` before `galaxyctl update`; with `process_manager: systemd` Gravity then writes its own galaxy-reports.service',
          ],
          fix: { description: `set ${name}: false`, changes: [{ kind: 'edit', file: doc.file.path, edits }] },
        });
      }
    }
  },
};

/** The end of the line `at` is on, before its line break (a trailing CR stays with the break). */
function lineEndOf(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
