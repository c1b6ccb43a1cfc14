import type { Document } from '../../src/core/document.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import type { AnsibleVarsAst, UwsgiBlock } from '../../src/formats/ansible-vars/index.js';
import { ansibleReportsEntries } from '../reports/model.js';
import { blocksOf, planBlock } from './gravity-plan.js';
import { sourceName } from './role-environment.js';
import { MODE_VARIABLE, type ModePlan } from './systemd-mode-scope.js';

const ID = 'ansible/galaxy-config-uwsgi';

/**
 * `galaxy_config: uwsgi:` (and `galaxy_config_hash`-style variables) in ansible variables: the
 * ansible-galaxy role wrote it into galaxy.yml as the `uwsgi:` section, either from a map (a
 * repeated option as a YAML list) or from a list of one-key maps (`to_uwsgi_yaml`, docs/
 * galaxy-target.md §2.2, §1.10). The options go through the same tables as a galaxy.yml `uwsgi:`
 * block or a galaxy.ini `[uwsgi]` section, and the `uwsgi:` key is replaced under the same parent
 * by `gravity:` holding the draft, which the role (galaxy_manage_gravity) writes into galaxy.yml.
 * Only the block's text is replaced; comments elsewhere and Jinja2 expressions stay as written.
 */
export const galaxyConfigUwsgiRule: Rule = {
  meta: {
    id: ID,
    description: 'ansible `galaxy_config: uwsgi:` → `gravity:` under the same variable, through the uWSGI option tables',
    rationale:
      'Galaxy 22.05 and later run under Gunicorn managed by Gravity; the ansible-galaxy role writes the `gravity:` section of galaxy.yml from `galaxy_config.gravity`. ' +
      'The uWSGI options of `galaxy_config.uwsgi` are translated as the galaxy.yml `uwsgi:` section is (listeners → gunicorn bind, mules/farms → handlers, virtualenv, umask …).',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §1.10, §2.2', 'ANS templates/galaxy.yml.j2, defaults/main.yml'],
    galaxy: { from: '22.05' },
  },
  check(ctx) {
    for (const doc of ctx.deployment.documents) {
      for (const block of blocksOf(doc)) checkBlock(ctx, doc as Document<AnsibleVarsAst>, block);
    }
  },
};

/**
 * Reports the block's rewrite (ansible/gravity-plan.ts), carrying the `reports:` entry of a Reports
 * app whose uWSGI configuration reports/uwsgi-to-gravity moves into this very `gravity:` section.
 */
function checkBlock(ctx: RuleContext, doc: Document<AnsibleVarsAst>, block: UwsgiBlock): void {
  const path = doc.file.path;
  const where = `\`${block.variable}.uwsgi\``;
  const reports = ansibleReportsEntries(ctx.deployment, ctx.target, path, block.keyRange.start);
  const plan = planBlock(ctx.deployment, ctx.target, doc, block, reports);
  if (plan.kind === 'blocked') {
    ctx.report({
      file: path,
      range: block.keyRange,
      message: `${where} is the uWSGI configuration the role writes into galaxy.yml, which Galaxy 22.05 and later no longer run under; galaxy-migrate cannot rewrite it as \`gravity:\` because ${plan.why}: write \`${block.variable}.gravity\` by hand`,
      ...(plan.notes.length ? { notes: [...plan.notes] } : {}),
    });
    return;
  }
  const notes = [...plan.notes];
  if (reports.length) notes.push(`\`reports:\` is written into this \`gravity:\` section for the Reports app (reports/uwsgi-to-gravity)`);
  const description = `replace ${where} with \`gravity:\``;
  ctx.report({
    file: path,
    range: block.keyRange,
    message: `${where} is the uWSGI configuration the role writes into galaxy.yml, which Galaxy 22.05 and later no longer run under: ${description} (the role writes it as galaxy.yml's \`gravity:\` section; ${modeSentence(plan.mode, doc)})`,
    notes,
    fix: { description, changes: [{ kind: 'edit', file: path, edits: [...plan.edits] }] },
  });
}

/** What the finding says about galaxy_systemd_mode, which must be gravity for the role to run galaxyctl. */
function modeSentence(mode: ModePlan, doc: Document): string {
  switch (mode.kind) {
    case 'write-here': {
      const from = mode.settings.map((s) => `\`${MODE_VARIABLE}: ${s.scalar}\` from ${sourceName(s, doc)}`).join(' and ');
      return `this host inherits ${from}, which the plan leaves for the hosts still on uWSGI, so \`${MODE_VARIABLE}: gravity\` is set in this file`;
    }
    case 'group-switched':
      return `\`${MODE_VARIABLE}: ${mode.setting.scalar}\` comes from ${sourceName(mode.setting, doc)}, which the same plan switches to gravity (process/ansible-systemd-mode)`;
    case 'none':
      return mode.why === 'own'
        ? `this file's own \`${MODE_VARIABLE}\` decides the mode (process/ansible-systemd-mode switches a uWSGI one)`
        : mode.why === 'gravity'
          ? `\`${MODE_VARIABLE}\` is already gravity`
          : `set \`${MODE_VARIABLE}: gravity\` too`;
  }
}
