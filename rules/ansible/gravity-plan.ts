import type { Document } from '../../src/core/document.js';
import type { Edit } from '../../src/core/finding.js';
import type { Deployment, UwsgiConfig, UwsgiOption } from '../../src/core/model.js';
import type { Range } from '../../src/core/range.js';
import type { Target } from '../../src/core/target.js';
import { commentsIn, findUwsgiBlocks, type AnsibleVarsAst, type UwsgiBlock } from '../../src/formats/ansible-vars/index.js';
import { isEntries, renderEntries, type Entry, type Node, type Scalar } from '../../src/formats/galaxy-yml/write.js';
import { decisionsForBlock } from '../../src/model/ansible-decide.js';
import { ansibleConfigFor } from '../../src/model/ansible-uwsgi.js';
import { LISTENER_OPTIONS } from '../../src/model/decide.js';
import { draftEntries, GravityDraft } from '../uwsgi/draft.js';
import { buildDraft, describe, envFor, rowFor, type Action } from '../uwsgi/table.js';
import { ALL_TABLES } from '../uwsgi/tables.js';
import { intoExistingGalaxy, lineEnd } from './existing-galaxy.js';
import { roleEnvironment, sourceName, SYSTEMD_ENV, ZERGLING_ENV } from './role-environment.js';
import { aboveVariable, roleVarsText } from './role-vars-insert.js';
import { withServiceEnvironment } from './service-environment.js';
import { holdsUwsgiBlock, modePlanFor, type ModePlan } from './systemd-mode-scope.js';

/**
 * What ansible/galaxy-config-uwsgi makes of one `<variable>.uwsgi` block: the edits that replace it
 * with `gravity:` (and the role variables that go with it), or why it cannot. Kept apart from the
 * rule so that reports/* can ask, before either rule reports, whether this block's `gravity:` will
 * be written (and so carry `gravity.reports` in it) without a second edit of the same bytes.
 */
export type BlockPlan =
  | { readonly kind: 'blocked'; readonly why: string; readonly notes: readonly string[] }
  | { readonly kind: 'write'; readonly edits: readonly Edit[]; readonly notes: readonly string[]; readonly mode: ModePlan };

const JINJA = /\{\{[\s\S]*?\}\}/g;

/** Options whose whole value is a path, so a Jinja expression alone stands for one. */
const PATH_KEYS = new Set(['virtualenv', 'venv', 'home', 'pyhome', 'chdir', 'pythonpath', 'python-path', 'pp']);

function restoreEntries(entries: readonly Entry[], restore: (v: string) => string): Entry[] {
  const node = (v: Node): Node =>
    typeof v === 'string' ? restore(v) : isEntries(v) ? restoreEntries(v, restore) : Array.isArray(v) ? (v as readonly Scalar[]).map((x) => (typeof x === 'string' ? restore(x) : x)) : v;
  return entries.map((e) => ({ ...e, value: node(e.value) }));
}

/** The `uwsgi:` blocks of an ansible vars file that ansible could load. */
export function blocksOf(doc: Document): UwsgiBlock[] {
  if (doc.kind !== 'ansible-vars') return [];
  const ast = doc.ast as AnsibleVarsAst | undefined;
  if (!ast?.yaml || ast.yamlErrors.length) return [];
  return findUwsgiBlocks(ast, doc.file.text);
}

/**
 * Plans the rewrite of `block`. `extra` are entries another rule hands to this `gravity:` section
 * (Reports' `reports:`), appended after the draft's; they never decide whether it can be written.
 */
export function planBlock(deployment: Deployment, target: Target, doc: Document<AnsibleVarsAst>, block: UwsgiBlock, extra: readonly Entry[] = []): BlockPlan {
  const path = doc.file.path;
  const text = doc.file.text;
  const eol = doc.ast.eol;
  const blocked = (why: string, notes: readonly string[] = []): BlockPlan => ({ kind: 'blocked', why, notes });

  if (block.problems.length) return blocked(`it holds ${block.problems.join('; ')}`);
  if (!block.items.length) return blocked('it holds no options');

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
  // A listener whose port is a Jinja expression on a literal host (`127.0.0.1:{{ galaxy_uwsgi_port }}`)
  // is a TCP address whatever ansible makes of it, and gunicorn keeps a TCP socket's address
  // (§2.1): it goes through the tables with a stand-in port, and `gravity.gunicorn.bind` gets the
  // same text back, which ansible renders as it rendered the socket. Jinja on both sides, a whole
  // value in Jinja (which may be a unix socket) or a unix path in Jinja stays a value only ansible knows.
  const blockText = text.slice(block.range.start, block.range.end);
  const standInPort = (key: string, value: string): string => {
    const m = LISTENER_OPTIONS[key] ? /^([A-Za-z0-9.-]*|\[[0-9A-Fa-f:.]*\]):(\{\{[^{}]*\}\})$/.exec(value.trim()) : null;
    // `unix:{{ path }}` has the same shape and is a socket path, not a port.
    if (!m || /^unix$/i.test(m[1]!)) return value;
    let port = 65535 - stand.size;
    while (blockText.includes(String(port))) port--;
    stand.set(`:${port}`, `:${m[2]}`);
    return `${m[1]}:${port}`;
  };
  const restore = (v: string): string => {
    let out = v;
    for (const [token, expr] of stand) out = out.split(token).join(expr);
    return out;
  };
  const options: UwsgiOption[] = block.items.map((it) => ({
    key: it.key,
    value: standInPort(it.key, standIn(it.key, it.value)),
    rawValue: it.value,
    file: path,
    range: it.range,
    keyRange: it.keyRange,
    valueRange: it.valueRange,
    included: false,
  }));
  const config: UwsgiConfig = { file: path, section: 'uwsgi', options };
  const env = envFor(config, deployment, target);

  // What becomes of each option, as the uwsgi/* rules say it for a galaxy.yml block.
  const notes: string[] = [];
  // Options whose value must reach gravity:/galaxy: (the others go to the proxy or are dropped).
  const carried = new Set<UwsgiOption>();
  const scratch = new GravityDraft();
  for (const opt of options) {
    let row;
    for (const t of ALL_TABLES) if ((row = rowFor(t, opt.key, target))) break;
    if (!row) {
      notes.push(`\`${opt.key}\` is not an option galaxy-migrate knows: it is dropped; check whether it mattered`);
      continue;
    }
    const outcome = row.apply?.(opt, scratch, env) ?? {};
    const action: Action = outcome.action ?? row.action;
    if (action === 'map' || action === 'review' || (action === 'move' && (row.to ?? '').startsWith('galaxy.'))) carried.add(opt);
    notes.push(restore(outcome.message ?? describe(opt, { ...row, action })));
  }

  const draft = buildDraft(config, deployment, target, ALL_TABLES);
  draft.celery = true;
  // The bind is the model's (src/model/ansible-decide.ts): the address the rewritten proxy templates point at.
  const modelConfig = ansibleConfigFor(doc, block);
  const decided = modelConfig ? decisionsForBlock(deployment, modelConfig).gunicornBind : undefined;
  if (decided && draft.gunicorn.has('bind') && restore(String(draft.gunicorn.get('bind'))) !== decided) draft.gunicorn.set('bind', decided);
  const step = block.childColumn !== undefined && block.childColumn > block.keyColumn ? block.childColumn - block.keyColumn : block.keyColumn > 0 ? block.keyColumn : 2;
  const render = (entries: readonly Entry[]): string => `gravity:${eol}${renderEntries(entries, block.keyColumn + step, step, eol)}`;
  const entries = restoreEntries(draftEntries(draft), restore);
  const galaxy = restoreEntries(
    draft.galaxy.map((m) => ({ key: m.key, value: m.value, comments: [`from uWSGI \`${m.from.key}\``] })),
    restore,
  );

  if (env.app !== 'galaxy') return blocked(`it runs the ${env.app === 'reports' ? 'Reports app (Gravity runs it from `gravity.reports`)' : 'Tool Shed, which Gravity does not run'}`, notes);
  if (block.siblings.includes('gravity')) return blocked(`\`${block.variable}\` already has a \`gravity:\` key to merge into`, [...notes, `the draft:${eol}${render(entries)}`]);

  // Galaxy options out of the block go into the `galaxy:` key the variable already has, if any.
  const edits: Edit[] = [];
  let galaxyText = '';
  if (galaxy.length && block.siblings.includes('galaxy')) {
    const into = intoExistingGalaxy(doc, block.variable, galaxy, eol);
    if (into.kind === 'blocked') return blocked(into.why, notes);
    if (into.text) edits.push({ start: into.at, end: into.at, text: into.text });
    for (const k of into.present) notes.push(`\`${block.variable}.galaxy.${k}\` already has the value the uWSGI block gives it`);
    if (into.text) notes.push(`${galaxy.filter((g) => !into.present.includes(g.key)).map((g) => `\`${g.key}\``).join(', ')} added to the existing \`${block.variable}.galaxy\``);
  } else if (galaxy.length) {
    galaxyText = `${' '.repeat(block.keyColumn)}galaxy:${eol}${renderEntries(galaxy, block.keyColumn + step, step, eol)}`;
  }

  // A Jinja expression is kept only when it reaches the draft verbatim; otherwise the value is
  // interpreted (a number, an address) and only ansible knows it.
  const written = render(entries) + galaxyText + edits.map((e) => e.text).join('');
  const lost = options.filter((o) => carried.has(o) && (o.rawValue.match(JINJA) ?? []).some((j) => !written.includes(j)));
  if (lost.length) {
    return blocked(
      `${lost.map((o) => `\`${o.key}: ${o.rawValue}\``).join(', ')} ${lost.length === 1 ? 'has a value' : 'have values'} only ansible knows (Jinja2), which the Gravity setting needs as a literal`,
      notes,
    );
  }

  // The environment the role's uWSGI units had, wherever in the inventory it is set.
  const roleEnv = roleEnvironment(deployment.documents, doc);
  const carriedEnv = roleEnv.kind === 'carry' ? roleEnv.env : undefined;
  if (roleEnv.kind === 'unreadable') notes.push(roleEnv.note);
  let gravity = render([...entries, ...extra]);
  if (carriedEnv) {
    gravity = render([...withServiceEnvironment(entries, carriedEnv.assignments), ...extra]);
    notes.push(
      `${carriedEnv.assignments.map((a) => `\`${a.key}\``).join(', ')} from \`${ZERGLING_ENV}\` (${sourceName(carriedEnv.source, doc)}), the environment the role's uWSGI units ran with, ` +
        'is given to gunicorn and the handlers through their Gravity `environment`',
    );
  }

  // galaxy_systemd_mode: where the host's mode comes from decides where it is switched.
  const mode = modePlanFor(deployment.documents, doc);
  const writeMode = mode.kind === 'write-here';
  // galaxy_systemd_env goes where the host or group lacks it; a group file that sets the zergling
  // environment and holds its own uwsgi: block gets it from its own rewrite, which its hosts inherit.
  const sourceRewritten = carriedEnv !== undefined && carriedEnv.source.doc !== doc && holdsUwsgiBlock(carriedEnv.source.doc);
  const writeEnv = carriedEnv && !carriedEnv.systemdEnvSet && !sourceRewritten ? carriedEnv.assignments : undefined;
  if (carriedEnv && sourceRewritten && !carriedEnv.systemdEnvSet) {
    notes.push(`\`${SYSTEMD_ENV}\` is set by the rewrite of ${carriedEnv.source.doc.file.path}, which this host inherits`);
  }
  if (writeMode || writeEnv) {
    const above = aboveVariable(doc, block.variable);
    if (!above) return blocked(`\`${block.variable}\` is not a top-level key the role variables can be written above`, notes);
    edits.push({ start: above.at, end: above.at, text: roleVarsText(writeMode, writeEnv, above.column, eol) });
    if (writeEnv) notes.push(`\`${SYSTEMD_ENV}\` is set in this file to the same words, so the role's galaxy.service (which runs galaxyctl) keeps the environment it had`);
  }

  // Comments inside the replaced text go after the new section, each saying where it stood.
  const end = lineEnd(text, block.range.end);
  const anchors = block.items.map((it) => ({ key: it.key, range: it.range, keyStart: it.keyRange.start }));
  const scalars = block.items.flatMap((it) => [it.keyRange, it.valueRange]);
  const pad = ' '.repeat(block.keyColumn);
  const commentText = commentsIn(text, { start: block.keyRange.start, end }, anchors, scalars)
    .filter((c) => c.text !== '')
    .map((c) => `${pad}# ${c.option === undefined ? `from \`${block.variable}.uwsgi\`` : `from uWSGI \`${c.option}\``}: ${c.text}${eol}`)
    .join('');

  const replacement = (gravity + galaxyText + commentText).replace(/\r?\n$/, '');
  const range: Range = { start: block.keyRange.start, end };
  edits.push({ ...range, text: replacement });
  edits.sort((a, b) => a.start - b.start);
  return { kind: 'write', edits, notes, mode };
}
