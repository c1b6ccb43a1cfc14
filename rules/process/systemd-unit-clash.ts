import type { Document } from '../../src/core/document.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { classifyCommand } from '../../src/model/process-command.js';
import { unitSetting, type SystemdAst } from '../../src/formats/systemd/parse.js';
import { processesOf } from './shared.js';

const ID = 'process/systemd-unit-clash';

/**
 * GRAV docs/basic_usage.rst: "Gravity considers all unit files in the unit dir (/etc/systemd/system)
 * that are named like galaxy-* to be controlled by Gravity. If you have existing unit files that are
 * named as such, Gravity will overwrite or remove them." `galaxy.target` is Gravity's too. Units the
 * migration deletes (process/systemd-units) are not reported again.
 */
function check(ctx: RuleContext): void {
  const deleted = new Set(processesOf(ctx.deployment).services.filter((s) => s.manager === 'systemd').map((s) => s.file));
  for (const doc of ctx.deployment.documents) {
    if (doc.kind !== 'systemd' || !doc.ast || deleted.has(doc.file.path)) continue;
    const ast = (doc as Document<SystemdAst>).ast;
    const name = ast.unitName;
    if (!/^galaxy-.+\.(service|socket|timer|path)$/.test(name) && name !== 'galaxy.target') continue;
    const exec = unitSetting(ast, 'Service', 'ExecStart');
    const runs = exec ? classifyCommand(exec.value).role.role : 'other';
    const what =
      runs === 'gunicorn' || runs === 'unicornherder'
        ? '; it runs gunicorn itself, which Gravity runs too (galaxy-gunicorn.service)'
        : runs === 'celery'
          ? '; it runs Celery, which Gravity runs too'
          : runs === 'gravity'
            ? ''
            : '';
    ctx.report({
      file: doc.file.path,
      range: exec?.range ?? ast.sections[0]?.header ?? { start: 0, end: 0 },
      message: `\`${name}\` has a name Gravity's systemd process manager claims: \`galaxyctl update\` overwrites or removes every \`galaxy-*\` unit (and \`galaxy.target\`) in the unit directory${what}; rename it or let Gravity run what it runs`,
    });
  }
}

export const systemdUnitClashRule: Rule = {
  meta: {
    id: ID,
    description: 'a galaxy-* unit (or galaxy.target) that Gravity would overwrite or remove',
    rationale: 'Gravity owns every galaxy-* unit in /etc/systemd/system when it manages systemd; a hand-written unit with such a name is silently replaced.',
    severity: 'warning',
    fixable: false,
    sources: ['docs/galaxy-target.md §6.2 A', 'GRAV docs/basic_usage.rst, process_manager/systemd.py'],
    galaxy: { from: '23.0' },
  },
  check,
};
