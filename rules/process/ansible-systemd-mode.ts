import type { Document } from '../../src/core/document.js';
import type { Rule } from '../../src/core/rule.js';
import type { AnsibleVarsAst } from '../../src/formats/ansible-vars/index.js';
import { holdsUwsgiBlock, migratingAlone } from '../ansible/systemd-mode-scope.js';

const ID = 'process/ansible-systemd-mode';

/**
 * ansible-galaxy's `galaxy_systemd_mode` chooses what its `galaxy.service` starts: `mule` runs
 * uWSGI with the galaxy config, `gravity` runs `galaxyctl start --foreground --quiet` (docs/
 * galaxy-target.md §1.10, §6.2 C; ANS defaults/main.yml). A playbook that still sets `mule` starts
 * uWSGI against a galaxy.yml that no longer has a `uwsgi:` section. The zerg/zergling and handler
 * unit variables of the older systemd roles stop meaning anything once Gravity runs the services.
 */
const MODE = /^galaxy_systemd_mode:[ \t]*(["']?)(mule|zergling|zergpool)\1[ \t]*(#.*)?$/gm;
const UNUSED = /^(galaxy_zergpool|galaxy_zergpool_listen_\w+|galaxy_systemd_zerglings|galaxy_systemd_zergling_\w+|galaxy_systemd_handlers|galaxy_systemd_handler_\w+|galaxy_systemd_workflow_schedulers)[ \t]*:/gm;
const MANAGE = /^galaxy_manage_gravity:[ \t]*(["']?)(false|no|off|False|No)\1[ \t]*(#.*)?$/gm;

export const ansibleSystemdModeRule: Rule = {
  meta: {
    id: ID,
    description: 'ansible `galaxy_systemd_mode: mule` → `gravity` (galaxy.service then runs galaxyctl); zergling/handler unit variables become unused',
    rationale:
      'With `galaxy_systemd_mode: gravity` the ansible-galaxy role writes a galaxy.service that runs `galaxyctl start --foreground --quiet` and Gravity starts gunicorn, ' +
      'the handlers and Celery; `mule` keeps starting uWSGI, which Galaxy 22.05+ cannot run under. `galaxy_manage_gravity` must stay on for the role to write the Gravity config.',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §1.10, §6.2 C', 'ANS defaults/main.yml, templates/systemd/galaxy.service.j2'],
    galaxy: { from: '22.05' },
  },
  check(ctx) {
    for (const doc of ctx.deployment.documents) {
      if (doc.kind !== 'ansible-vars') continue;
      const text = doc.file.text;
      // A role's own defaults are the role's business; a playbook overrides them in its vars.
      const roleDefaults = /(^|\/)defaults\/[^/]+$/.test(doc.file.path);
      const unused = [...text.matchAll(UNUSED)].map((m) => m[1]!);
      // Hosts with their own uwsgi: block migrate one by one (each gets gravity in its host_vars,
      // ansible/galaxy-config-uwsgi); this group's uWSGI mode still runs the hosts that have not.
      const ansible = (doc.ast as AnsibleVarsAst | undefined)?.yaml ? (doc as Document<AnsibleVarsAst>) : undefined;
      const alone = ansible && !roleDefaults && !holdsUwsgiBlock(ansible) ? migratingAlone(ctx.deployment.documents, ansible) : [];
      for (const m of text.matchAll(MODE)) {
        const quote = m[1]!;
        const valueStart = m.index! + m[0].indexOf(`${quote}${m[2]}`);
        const range = { start: valueStart, end: valueStart + quote.length * 2 + m[2]!.length };
        if (alone.length) {
          ctx.report({
            file: doc.file.path,
            range,
            severity: 'info',
            message:
              `\`galaxy_systemd_mode: ${m[2]}\` stays for the hosts still on uWSGI: ${alone.map((d) => d.file.path).join(', ')} ` +
              `${alone.length === 1 ? 'holds its' : 'hold their'} own \`uwsgi:\` block and ${alone.length === 1 ? 'gets' : 'get'} \`galaxy_systemd_mode: gravity\` there (ansible/galaxy-config-uwsgi); switch this one when no host runs uWSGI`,
          });
          continue;
        }
        ctx.report({
          file: doc.file.path,
          range,
          ...(roleDefaults ? { severity: 'info' as const } : {}),
          message: roleDefaults
            ? `the role's default \`galaxy_systemd_mode: ${m[2]}\` starts uWSGI: set \`galaxy_systemd_mode: gravity\` in the playbook's variables`
            : `\`galaxy_systemd_mode: ${m[2]}\` makes the role's galaxy.service start uWSGI; \`gravity\` makes it run \`galaxyctl start --foreground --quiet\`, and Gravity runs gunicorn, the handlers and Celery`,
          notes: [
            ...(unused.length ? [`no longer used once Gravity runs the services: ${[...new Set(unused)].join(', ')}`] : []),
            'the role writes the gravity: section from `galaxy_config.gravity` (galaxy_manage_gravity, default on for Galaxy 22.05+); run the playbook, then `systemctl restart galaxy`',
          ],
          ...(roleDefaults ? {} : { fix: { description: 'set galaxy_systemd_mode: gravity', changes: [{ kind: 'edit' as const, file: doc.file.path, edits: [{ ...range, text: `${quote}gravity${quote}` }] }] } }),
        });
      }
      for (const m of text.matchAll(MANAGE)) {
        ctx.report({
          file: doc.file.path,
          range: { start: m.index!, end: m.index! + m[0].length },
          message: '`galaxy_manage_gravity` is off: the role will not write the Gravity configuration or install Gravity; turn it on (the default for Galaxy 22.05+) or manage Gravity yourself',
        });
      }
    }
  },
};
