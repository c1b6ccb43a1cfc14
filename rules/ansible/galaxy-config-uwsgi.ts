import type { Document } from '../../src/core/document.js';
import type { Range } from '../../src/core/range.js';
import type { UwsgiConfig, UwsgiOption } from '../../src/core/model.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { findUwsgiBlocks, type AnsibleVarsAst, type UwsgiBlock } from '../../src/formats/ansible-vars/index.js';
import { isEntries, renderEntries, type Entry, type Node, type Scalar } from '../../src/formats/galaxy-yml/write.js';
import { draftEntries, GravityDraft } from '../uwsgi/draft.js';
import { buildDraft, describe, envFor, rowFor, type Action } from '../uwsgi/table.js';
import { ALL_TABLES } from '../uwsgi/tables.js';

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
      if (doc.kind !== 'ansible-vars') continue;
      const ast = doc.ast as AnsibleVarsAst | undefined;
      if (!ast || ast.yamlErrors.length) continue;
      for (const block of findUwsgiBlocks(ast, doc.file.text)) checkBlock(ctx, doc as Document<AnsibleVarsAst>, block);
    }
  },
};

const JINJA = /\{\{[\s\S]*?\}\}/g;

/** Options whose whole value is a path, so a Jinja expression alone stands for one. */
const PATH_KEYS = new Set(['virtualenv', 'venv', 'home', 'pyhome', 'chdir', 'pythonpath', 'python-path', 'pp']);

function restoreEntries(entries: readonly Entry[], restore: (v: string) => string): Entry[] {
  const node = (v: Node): Node =>
    typeof v === 'string' ? restore(v) : isEntries(v) ? restoreEntries(v, restore) : Array.isArray(v) ? (v as readonly Scalar[]).map((x) => (typeof x === 'string' ? restore(x) : x)) : v;
  return entries.map((e) => ({ ...e, value: node(e.value) }));
}

function checkBlock(ctx: RuleContext, doc: Document<AnsibleVarsAst>, block: UwsgiBlock): void {
  const path = doc.file.path;
  const text = doc.file.text;
  const eol = doc.ast.eol;
  const where = `\`${block.variable}.uwsgi\``;
  const noFix = (why: string, notes: readonly string[] = []): void =>
    ctx.report({
      file: path,
      range: block.keyRange,
      message: `${where} is the uWSGI configuration the role writes into galaxy.yml, which Galaxy 22.05 and later no longer run under; galaxy-migrate cannot rewrite it as \`gravity:\` because ${why}: write \`${block.variable}.gravity\` by hand`,
      ...(notes.length ? { notes } : {}),
    });

  if (block.problems.length) return noFix(`it holds ${block.problems.join('; ')}`);
  if (!block.items.length) return noFix('it holds no options');

  // A Jinja expression that starts a path (`{{ galaxy_venv_dir }}`, `{{ galaxy_server_dir }}/lib`)
  // goes through the tables as a stand-in absolute path, and is put back where it comes out.
  const stand = new Map<string, string>();
  const standIn = (key: string, value: string): string =>
    value.replace(/^\{\{\s*([\s\S]*?)\s*\}\}(?=\/|$)/, (expr: string, inner: string) => {
      if (!(PATH_KEYS.has(key) || value.length > expr.length)) return expr;
      const token = `/jinja${stand.size}/${/^[A-Za-z_]\w*$/.test(inner) ? inner : 'expr'}`;
      stand.set(token, expr);
      return token;
    });
  const restore = (v: string): string => {
    let out = v;
    for (const [token, expr] of stand) out = out.split(token).join(expr);
    return out;
  };
  const options: UwsgiOption[] = block.items.map((it) => ({
    key: it.key,
    value: standIn(it.key, it.value),
    rawValue: it.value,
    file: path,
    range: it.range,
    keyRange: it.keyRange,
    valueRange: it.valueRange,
    included: false,
  }));
  const config: UwsgiConfig = { file: path, section: 'uwsgi', options };
  const env = envFor(config, ctx.deployment, ctx.target);

  // What becomes of each option, as the uwsgi/* rules say it for a galaxy.yml block.
  const notes: string[] = [];
  // Options whose value must reach gravity:/galaxy: (the others go to the proxy or are dropped).
  const carried = new Set<UwsgiOption>();
  const scratch = new GravityDraft();
  for (const opt of options) {
    let row;
    for (const t of ALL_TABLES) if ((row = rowFor(t, opt.key, ctx.target))) break;
    if (!row) {
      notes.push(`\`${opt.key}\` is not an option galaxy-migrate knows: it is dropped; check whether it mattered`);
      continue;
    }
    const outcome = row.apply?.(opt, scratch, env) ?? {};
    const action: Action = outcome.action ?? row.action;
    if (action === 'map' || action === 'review' || (action === 'move' && (row.to ?? '').startsWith('galaxy.'))) carried.add(opt);
    notes.push(restore(outcome.message ?? describe(opt, { ...row, action })));
  }

  const draft = buildDraft(config, ctx.deployment, ctx.target, ALL_TABLES);
  draft.celery = true;
  const step = block.childColumn !== undefined && block.childColumn > block.keyColumn ? block.childColumn - block.keyColumn : block.keyColumn > 0 ? block.keyColumn : 2;
  const gravity = `gravity:${eol}${renderEntries(restoreEntries(draftEntries(draft), restore), block.keyColumn + step, step, eol)}`;
  const galaxy = restoreEntries(
    draft.galaxy.map((m) => ({ key: m.key, value: m.value, comments: [`from uWSGI \`${m.from.key}\``] })),
    restore,
  );
  const galaxyText = galaxy.length ? `${' '.repeat(block.keyColumn)}galaxy:${eol}${renderEntries(galaxy, block.keyColumn + step, step, eol)}` : '';

  if (env.app !== 'galaxy') return noFix(`it runs the ${env.app === 'reports' ? 'Reports app (Gravity runs it from `gravity.reports`)' : 'Tool Shed, which Gravity does not run'}`, notes);
  if (block.siblings.includes('gravity')) return noFix(`\`${block.variable}\` already has a \`gravity:\` key to merge into`, [...notes, `the draft:${eol}${gravity}`]);
  if (galaxy.length && block.siblings.includes('galaxy')) {
    return noFix(`options move into the existing \`galaxy:\` key (${galaxy.map((g) => `\`${g.key}\``).join(', ')})`, notes);
  }

  // A Jinja expression is kept only when it reaches the draft verbatim; otherwise the value is
  // interpreted (a number, an address) and only ansible knows it.
  const written = gravity + galaxyText;
  const lost = options.filter((o) => carried.has(o) && (o.rawValue.match(JINJA) ?? []).some((j) => !written.includes(j)));
  if (lost.length) {
    return noFix(
      `${lost.map((o) => `\`${o.key}: ${o.rawValue}\``).join(', ')} ${lost.length === 1 ? 'has a value' : 'have values'} only ansible knows (Jinja2), which the Gravity setting needs as a literal`,
      notes,
    );
  }

  const end = lineEnd(text, block.range.end);
  const replacement = (gravity + galaxyText).replace(/\r?\n$/, '');
  const range: Range = { start: block.keyRange.start, end };
  const description = `replace ${where} with \`gravity:\``;
  ctx.report({
    file: path,
    range: block.keyRange,
    message: `${where} is the uWSGI configuration the role writes into galaxy.yml, which Galaxy 22.05 and later no longer run under: ${description} (the role writes it as galaxy.yml's \`gravity:\` section; set \`galaxy_systemd_mode: gravity\` too)`,
    notes,
    fix: { description, changes: [{ kind: 'edit', file: path, edits: [{ ...range, text: replacement }] }] },
  });
}

/** The end of the line `offset` is on (before its line break). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const e = nl < 0 ? text.length : nl;
  return text[e - 1] === '\r' ? e - 1 : e;
}
