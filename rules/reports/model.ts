import type { Document } from '../../src/core/document.js';
import type { Address, Deployment, LegacyListener, UwsgiConfig } from '../../src/core/model.js';
import type { Target } from '../../src/core/target.js';
import type { GalaxyYmlAst } from '../../src/formats/galaxy-yml/ast.js';
import type { Entry, Scalar } from '../../src/formats/galaxy-yml/write.js';
import type { AnsibleVarsAst } from '../../src/formats/ansible-vars/index.js';
import { chooseBind, listenersOf, primaryConfig, urlPrefixOf } from '../../src/model/decide.js';
import { appOf, formatAddress } from '../../src/model/uwsgi-options.js';
import { ALL_TABLES } from '../uwsgi/tables.js';
import { buildDraft, documentOf, isStandaloneUwsgi, targetGalaxyYml } from '../uwsgi/table.js';
import { hasGravity1 } from '../../src/core/target.js';
import { blocksOf, planBlock } from '../ansible/gravity-plan.js';
import { ansibleGravityBlock, reportsTemplateDest, type AnsibleGravityBlock } from './ansible.js';

/**
 * What the Reports app becomes, decided once for every reports/* rule (and for the gravity: writer
 * of uwsgi/section-to-gravity), so that the bind written into `gravity.reports` is the address the
 * rewritten proxy location points at (docs/galaxy-target.md §1.8).
 *
 * Reports ran under uWSGI from its own configuration (reports.yml with a `uwsgi:` section, the
 * role's galaxy-reports unit running `uwsgi --yaml reports.yml`). Since Gravity 1.0 it is a Gravity
 * service, `gravity.reports`, next to gunicorn in Galaxy's `gravity:` section.
 */
export interface ReportsApp {
  /** The Reports app's uWSGI option list. */
  readonly config: UwsgiConfig;
  /** The file that holds it (a reports.yml with an app section `reports:`, or an ini). */
  readonly doc: Document;
  /** The uWSGI listener the proxy connected to, and the address gunicorn binds instead. */
  readonly listener?: LegacyListener;
  readonly bind?: Address;
  /** `mount: /reports=…` → `/reports` (passed to Reports as SCRIPT_NAME by Gravity). */
  readonly urlPrefix?: string;
  /** The `gravity.reports` mapping to write, in Gravity's documented order. */
  readonly entries: readonly Entry[];
  /** Where that mapping goes. */
  readonly destination: Destination;
  /** Things the admin must know whatever the destination (unix socket trust, settings left behind). */
  readonly notes: readonly string[];
}

export type Destination =
  /** uwsgi/section-to-gravity writes Galaxy's `gravity:` into this galaxy.yml and carries `reports:` in it. */
  | { readonly kind: 'section-writer'; readonly file: string }
  /** A galaxy.yml that already runs under Gravity (or has no uWSGI): reports/uwsgi-to-gravity merges `reports:` itself. */
  | { readonly kind: 'galaxy-yml'; readonly doc: Document<GalaxyYmlAst> }
  /**
   * ansible/galaxy-config-uwsgi replaces `<variable>.uwsgi` of this vars file (the block whose key
   * starts at `blockStart`) with `gravity:` and carries `reports:` in it: one edit, no conflict.
   */
  | { readonly kind: 'ansible-writer'; readonly doc: Document<AnsibleVarsAst>; readonly variable: string; readonly blockStart: number }
  /** An ansible variables file whose `galaxy_config.gravity` block gets `reports:`. */
  | { readonly kind: 'ansible'; readonly doc: Document<AnsibleVarsAst>; readonly block: AnsibleGravityBlock }
  | { readonly kind: 'none'; readonly why: string };

const cache = new WeakMap<Deployment, Map<string, readonly ReportsApp[]>>();

/** Gravity's own defaults for `gravity.reports` (§1.8): written only where the old setting differs or says so. */
const REPORTS_KEYS = ['bind', 'workers', 'timeout'] as const;

export function reportsApps(d: Deployment, target: Target): readonly ReportsApp[] {
  let byTarget = cache.get(d);
  if (!byTarget) cache.set(d, (byTarget = new Map()));
  const hit = byTarget.get(target.galaxy);
  if (hit) return hit;
  const out: ReportsApp[] = [];
  for (const config of d.uwsgi) {
    if (appOf(config) !== 'reports') continue;
    const doc = documentOf(d, config.file);
    if (!doc) continue;
    out.push(plan(d, target, config, doc));
  }
  byTarget.set(target.galaxy, out);
  return out;
}

/** The Reports app whose uWSGI listener a proxy target reaches, if any. */
export function reportsListenerApp(d: Deployment, target: Target, reaches: (l: Address) => boolean): ReportsApp | undefined {
  return reportsApps(d, target).find((a) => a.listener && reaches(a.listener.address));
}

/**
 * The `reports:` entry uwsgi/section-to-gravity adds to the `gravity:` section it writes into
 * `galaxyYml`: one section, one edit, so the two never splice the same bytes.
 */
export function gravityReportsEntries(d: Deployment, target: Target, galaxyYml: string): Entry[] {
  const app = reportsApps(d, target).find((a) => a.destination.kind === 'section-writer' && a.destination.file === galaxyYml);
  return app && isMovable(app) ? [{ key: 'reports', value: app.entries }] : [];
}

/** Only a YAML configuration is moved: Gravity points Reports at it with `config_file`. */
export function isMovable(app: ReportsApp): boolean {
  return app.doc.kind === 'galaxy-yml' && !!(app.doc.ast as GalaxyYmlAst | undefined)?.uwsgi && !fatalOf(app.doc);
}

function plan(d: Deployment, target: Target, config: UwsgiConfig, doc: Document): ReportsApp {
  const notes: string[] = [];
  const listeners = listenersOf(config);
  const chosen = chooseBind(listeners);
  const bind = chosen ? reportsAddress(chosen.from.address, chosen.address) : undefined;
  const urlPrefix = urlPrefixOf(config);
  // The option tables give what they give gunicorn (workers from `processes`, timeout from
  // `harakiri`, extra_args, environment); the uwsgi/* findings already name them gravity.reports.*.
  const draft = buildDraft(config, d, target, ALL_TABLES);
  const destination = destinationOf(d, target, doc);
  const configFile = configFileFor(doc, destination, notes);

  const entries: Entry[] = [{ key: 'enable', value: true }];
  if (urlPrefix) entries.push({ key: 'url_prefix', value: urlPrefix });
  if (bind) entries.push({ key: 'bind', value: formatAddress(bind) });
  entries.push({ key: 'config_file', value: configFile });
  for (const k of REPORTS_KEYS) {
    const v = draft.gunicorn.get(k);
    if (k !== 'bind' && v !== undefined) entries.push({ key: k, value: v as Scalar });
  }
  const extra = draft.extraArgs.filter((a) => !a.startsWith('--forwarded-allow-ips'));
  // Behind a unix socket gunicorn sees no peer address: it must trust X-Forwarded-* from any (§4.5).
  if (bind?.kind === 'unix') extra.unshift('--forwarded-allow-ips="*"');
  if (extra.length) entries.push({ key: 'extra_args', value: extra.join(' ') });
  if (draft.environment.size) entries.push({ key: 'environment', value: [...draft.environment].map(([k, v]) => ({ key: k, value: v })) });
  if (!bind) notes.push('no uWSGI listener of Reports was read: Gravity binds Reports to its default `localhost:9001`');
  if (draft.top.size) {
    notes.push(
      `Galaxy-wide Gravity settings of the Reports uWSGI configuration are not carried (${[...draft.top.keys()].map((k) => `\`${k}\``).join(', ')}): Gravity runs Reports with Galaxy's own virtualenv and galaxy_root`,
    );
  }
  return { config, doc, ...(chosen ? { listener: chosen.from } : {}), ...(bind ? { bind } : {}), ...(urlPrefix ? { urlPrefix } : {}), entries, destination, notes };
}

/**
 * The address gunicorn binds for Reports: a TCP listener keeps its address (the proxy already
 * points there); a unix socket becomes `reports.sock` in the same directory, never the
 * `gunicorn.sock` Galaxy's own gunicorn takes there (§2.1, §1.8's `unix:/run/reports.sock`).
 */
function reportsAddress(old: Address, galaxyStyle: Address): Address {
  if (old.kind !== 'unix') return galaxyStyle;
  const slash = old.path.lastIndexOf('/');
  return { kind: 'unix', path: `${slash >= 0 ? old.path.slice(0, slash + 1) : ''}reports.sock` };
}

/**
 * Where `gravity.reports` is written. An ansible variables file that deploys this reports.yml (its
 * galaxy_config_templates/files entry names it) comes first: the role writes galaxy.yml from it. Then
 * the deployment's galaxy.yml: through the `gravity:` section uwsgi/section-to-gravity writes when
 * Galaxy's own uWSGI configuration is being moved, else merged into it here.
 */
function destinationOf(d: Deployment, target: Target, reports: Document): Destination {
  const vars = d.documents.filter((x): x is Document<AnsibleVarsAst> => x.kind === 'ansible-vars' && !!x.ast);
  const deploying = vars.filter((v) => reportsTemplateDest(v, reports.file.path) !== undefined);
  const candidates = deploying.length ? deploying : vars;
  const blocks = candidates.map((v) => ({ v, block: ansibleGravityBlock(v) })).filter((x) => x.block);
  if (blocks.length === 1) {
    const { v, block } = blocks[0]!;
    if (block!.uwsgiSibling && !block!.map) return ansibleWriter(d, target, v, block!.variable);
    if (!block!.map) return { kind: 'none', why: `\`${block!.variable}.gravity\` in ${v.file.path} is not a block mapping galaxy-migrate can add keys to` };
    return { kind: 'ansible', doc: v, block: block! };
  }
  if (blocks.length > 1) return { kind: 'none', why: `several ansible variable files hold a \`gravity:\` (${blocks.map((b) => b.v.file.path).join(', ')}); galaxy-migrate does not guess which one deploys Reports` };

  const galaxyYmls = d.documents.filter(
    (x): x is Document<GalaxyYmlAst> => x.kind === 'galaxy-yml' && x !== reports && (x.ast as GalaxyYmlAst | undefined)?.galaxy.name === 'galaxy' && !isStandaloneUwsgi(x),
  );
  const primary = primaryConfig(d.documents, d.uwsgi);
  if (primary) {
    const written = targetGalaxyYml(primary, d);
    const pdoc = documentOf(d, primary.file);
    if (written && pdoc && (pdoc.kind === 'galaxy-yml' || pdoc.kind === 'uwsgi-yaml' || pdoc.kind === 'uwsgi-ini') && !fatalOf(pdoc)) {
      return { kind: 'section-writer', file: written.file.path };
    }
  }
  if (galaxyYmls.length === 1) {
    const g = galaxyYmls[0]!;
    if (primary && documentOf(d, primary.file) === g) return { kind: 'none', why: `uWSGI could not read ${g.file.path}'s \`uwsgi:\` section, so no \`gravity:\` is written there yet` };
    return { kind: 'galaxy-yml', doc: g };
  }
  if (galaxyYmls.length > 1) return { kind: 'none', why: `several galaxy.yml files (${galaxyYmls.map((g) => g.file.path).join(', ')}); name the one Gravity reads` };
  return { kind: 'none', why: 'no galaxy.yml or ansible `galaxy_config` with a `gravity:` section was read with it; name the directory that holds Galaxy\'s configuration too' };
}

/**
 * The `gravity:` ansible/galaxy-config-uwsgi writes in place of `<variable>.uwsgi`, when it writes
 * one: `reports:` goes into it (§1.8, one section), or nowhere if that block cannot be rewritten.
 */
function ansibleWriter(d: Deployment, target: Target, v: Document<AnsibleVarsAst>, variable: string): Destination {
  const block = blocksOf(v).find((b) => b.variable === variable);
  const plan = block ? planBlock(d, target, v, block) : undefined;
  if (block && plan?.kind === 'write') return { kind: 'ansible-writer', doc: v, variable, blockStart: block.keyRange.start };
  const why = plan?.kind === 'blocked' ? plan.why : 'it could not be read';
  return { kind: 'none', why: `\`${variable}.uwsgi\` in ${v.file.path} is not rewritten as \`gravity:\` (${why}); add this \`reports:\` to the \`gravity:\` written by hand` };
}

/**
 * The `reports:` entry ansible/galaxy-config-uwsgi carries in the `gravity:` it writes in place of
 * the block of `file` whose key starts at `blockStart` (empty when no Reports app goes there).
 */
export function ansibleReportsEntries(d: Deployment, target: Target, file: string, blockStart: number): Entry[] {
  if (!hasGravity1(target)) return [];
  const app = reportsApps(d, target).find(
    (a) => a.destination.kind === 'ansible-writer' && a.destination.doc.file.path === file && a.destination.blockStart === blockStart,
  );
  return app && isMovable(app) ? [reportsEntry(app)] : [];
}

/** `reports:` as written into Galaxy's `gravity:` section, saying where it came from. */
export function reportsEntry(app: ReportsApp): Entry {
  return { key: 'reports', value: app.entries, comments: [`Reports, which ran under uWSGI (${baseName(app.doc.file.path)}'s uwsgi: section)`] };
}

/** uWSGI could not read the file's uWSGI configuration (a galaxy.yml's `uwsgi:` section, or a whole uWSGI file). */
function fatalOf(doc: Document): boolean {
  const ast = doc.ast as { uwsgi?: { read?: { fatal?: unknown } }; read?: { fatal?: unknown } } | undefined;
  return !!(doc.kind === 'galaxy-yml' ? ast?.uwsgi?.read?.fatal : ast?.read?.fatal);
}

/**
 * `gravity.reports.config_file`: Gravity resolves it against galaxy.yml's directory (§1.8). For
 * ansible, the path the role deploys this file to (the template entry's `dest`), as ansible
 * renders it; otherwise the path from the galaxy.yml's directory to the reports file.
 */
function configFileFor(reports: Document, dest: Destination, notes: string[]): string {
  if (dest.kind === 'ansible' || dest.kind === 'ansible-writer') {
    const deployed = reportsTemplateDest(dest.doc, reports.file.path);
    if (deployed) return deployed;
    notes.push(`no galaxy_config_templates/galaxy_config_files entry of ${dest.doc.file.path} deploys ${reports.file.path}: \`config_file\` assumes it lands beside galaxy.yml as \`reports.yml\``);
    return 'reports.yml';
  }
  const galaxyYml = dest.kind === 'galaxy-yml' ? dest.doc.file.path : dest.kind === 'section-writer' ? dest.file : undefined;
  if (!galaxyYml) return baseName(reports.file.path);
  return relativePath(dirName(galaxyYml), reports.file.path);
}

function baseName(p: string): string {
  return p.split('/').pop() ?? p;
}

function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(0, i) : '';
}

/** POSIX relative path from directory `from` to file `to` (both relative to the same place). */
export function relativePath(from: string, to: string): string {
  const a = from.split('/').filter((s) => s && s !== '.');
  const b = to.split('/').filter((s) => s && s !== '.');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
