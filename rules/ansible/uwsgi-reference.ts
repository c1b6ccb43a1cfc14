import type { Rule } from '../../src/core/rule.js';
import { ansibleGravityBindsOf, ansibleUwsgiConfigs } from '../../src/model/ansible-uwsgi.js';
import { LISTENER_OPTIONS } from '../../src/model/decide.js';

const ID = 'ansible/uwsgi-reference';

/**
 * A Jinja2 expression anywhere in the inventory's variables or templates that reads a value of
 * `galaxy_config.uwsgi` (`{{ galaxy_config.uwsgi.socket }}` in an nginx server kept as a vars text
 * block, a port in a firewall rule …). ansible/galaxy-config-uwsgi replaces that block with
 * `gravity:`, after which ansible stops with "'dict object' has no attribute 'uwsgi'" when it
 * renders the expression. nginx files are not searched: proxy/nginx-uwsgi-pass rewrites their
 * references. The finding names the Gravity variable that now holds the value, where there is one.
 */
const REFERENCE = /\{\{[^}]*?\b((?:host_|group_)?galaxy_config)(?:\.uwsgi|\[\s*['"]uwsgi['"]\s*\])(?:\.([A-Za-z][\w-]*)|\[\s*['"]([^'"]+)['"]\s*\])?[^}]*\}\}/g;

/** The Gravity variable that holds what a uWSGI option held, for the ones with one. */
function gravityOf(variable: string, option: string | undefined): string | undefined {
  if (option === undefined) return undefined;
  if (LISTENER_OPTIONS[option]) return `${variable}.gravity.gunicorn.bind`;
  if (option === 'processes' || option === 'workers') return `${variable}.gravity.gunicorn.workers`;
  if (option === 'virtualenv' || option === 'venv' || option === 'home') return `${variable}.gravity.virtualenv`;
  return undefined;
}

export const uwsgiReferenceRule: Rule = {
  meta: {
    id: ID,
    description: 'Jinja2 that reads `galaxy_config.uwsgi` values outside the block names the Gravity variable instead',
    rationale:
      'The role reads `galaxy_config.gravity` under Gravity, and the plan replaces `galaxy_config.uwsgi` with it. An expression elsewhere that ' +
      'still reads `galaxy_config.uwsgi.<option>` fails when ansible renders it (the key is gone), and the value it stood for now lives in ' +
      '`gravity:` (the socket in `gravity.gunicorn.bind`, which speaks HTTP, not uwsgi).',
    severity: 'error',
    fixable: false,
    sources: ['docs/galaxy-target.md §1.10, §2.1'],
    galaxy: { from: '22.05' },
  },
  check(ctx) {
    const docs = ctx.deployment.documents;
    const blocks = ansibleUwsgiConfigs(docs);
    const migrated = docs.some((d) => ansibleGravityBindsOf(d).length > 0);
    if (!blocks.length && !migrated) return;
    for (const doc of docs) {
      if (doc.kind === 'nginx') continue;
      const text = doc.file.text;
      const own = blocks.filter((b) => b.file === doc.file.path && b.sectionRange).map((b) => b.sectionRange!);
      for (const m of text.matchAll(REFERENCE)) {
        const start = m.index ?? 0;
        if (own.some((r) => start >= r.start && start < r.end)) continue;
        const variable = m[1]!;
        const option = m[2] ?? m[3];
        const now = gravityOf(variable, option);
        const listener = option !== undefined && LISTENER_OPTIONS[option] !== undefined;
        ctx.report({
          file: doc.file.path,
          range: { start, end: start + m[0].length },
          message:
            `"${m[0]}" reads \`${variable}.uwsgi${option ? `.${option}` : ''}\`, which the migration replaces with \`${variable}.gravity\`: ansible cannot render it once the \`uwsgi:\` block is gone; ` +
            (now ? `read \`${now}\` instead` : 'no Gravity variable holds this uWSGI value: write it as a literal or your own variable') +
            (listener ? ' (gunicorn speaks HTTP there: a `uwsgi_pass` to it becomes `proxy_pass http://…`, its `uwsgi_param`/`include uwsgi_params` become `proxy_set_header` lines)' : ''),
        });
      }
    }
  },
};
