import type { Document } from '../../src/core/document.js';
import type { Severity } from '../../src/core/finding.js';
import type { Deployment, MigrationDecisions, UwsgiConfig, UwsgiOption } from '../../src/core/model.js';
import type { RuleContext } from '../../src/core/rule.js';
import { inRange, type ReleaseRange, type Target } from '../../src/core/target.js';
import { decideFor, primaryConfig, urlPrefixOf } from '../../src/model/decide.js';
import { planHandlers, type HandlerPlan } from '../../src/model/handlers.js';
import { appOf, clean, last, type UwsgiApp } from '../../src/model/uwsgi-options.js';
import type { GalaxyYmlAst } from '../../src/formats/galaxy-yml/ast.js';
import { GravityDraft } from './draft.js';

/**
 * The option tables of the uwsgi/* rules. Every uWSGI option a Galaxy deployment may hold ends up
 * in exactly one of four ways, and is reported either way, so none is lost silently:
 *   map    – it becomes a Gravity key or a gunicorn flag (the finding says which);
 *   move   – it belongs in another section or file (the finding points there);
 *   drop   – it has no meaning under Gunicorn/Gravity (the finding says why);
 *   review – no safe automatic equivalent: the admin decides (a warning).
 * Each row names its source: a key of docs/galaxy-target.md §0 (and its section).
 */
export type Action = 'map' | 'move' | 'drop' | 'review';

export interface OptionRow {
  /** Option names, or a pattern for a family (`route-*`, `log-*`). */
  readonly match: readonly string[] | RegExp;
  readonly action: Action;
  /** Where the option goes (`gravity.gunicorn.workers`, `galaxy.galaxy_url_prefix`, `proxy`). */
  readonly to?: string;
  /** Why, in one sentence; the end of the finding's message. */
  readonly why: string;
  /** docs/galaxy-target.md key and section. */
  readonly source: string;
  /** Galaxy releases the row applies to (a Gravity-1-only key has a `from: '23.0'` row and a fallback). */
  readonly galaxy?: ReleaseRange;
  /** Put the value in the message (never for options that may carry secrets: `env`, `set`). */
  readonly showValue?: boolean;
  /** Adds the option's effect to the draft; may override what the finding says. */
  readonly apply?: (opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv) => Outcome | void;
}

export interface Outcome {
  readonly action?: Action;
  readonly message?: string;
  readonly severity?: Severity;
  readonly notes?: readonly string[];
}

/** Everything a row may need to know about the configuration its option sits in. */
export interface ApplyEnv {
  readonly config: UwsgiConfig;
  readonly deployment: Deployment;
  readonly target: Target;
  /** The decisions for this configuration: the deployment's for the Galaxy app's config. */
  readonly decisions: MigrationDecisions;
  readonly handlers: HandlerPlan;
  /** True for the Galaxy app's configuration (the one whose decisions the deployment holds). */
  readonly primary: boolean;
  readonly app: UwsgiApp;
  /** The last `chdir` (Gravity's galaxy_root), to resolve relative paths against. */
  readonly chdir?: string;
}

export function rowFor(table: readonly OptionRow[], key: string, target: Target): OptionRow | undefined {
  return table.find((r) => (Array.isArray(r.match) ? r.match.includes(key) : (r.match as RegExp).test(key)) && inRange(target, r.galaxy));
}

/** Does any row of the table claim this key, for any release? */
export function claims(table: readonly OptionRow[], key: string): boolean {
  return table.some((r) => (Array.isArray(r.match) ? r.match.includes(key) : (r.match as RegExp).test(key)));
}

const ENV_CACHE = new WeakMap<UwsgiConfig, Map<string, ApplyEnv>>();

export function envFor(config: UwsgiConfig, deployment: Deployment, target: Target): ApplyEnv {
  let byTarget = ENV_CACHE.get(config);
  if (!byTarget) ENV_CACHE.set(config, (byTarget = new Map()));
  const hit = byTarget.get(target.galaxy);
  if (hit) return hit;
  const primary = primaryConfig(deployment.documents, deployment.uwsgi) === config;
  const chdir = last(config, 'chdir');
  const env: ApplyEnv = {
    config,
    deployment,
    target,
    decisions: primary ? deployment.decisions : decideFor(config),
    handlers: planHandlers(config),
    primary,
    app: appOf(config),
    ...(chdir ? { chdir: clean(chdir.value).trim() } : {}),
  };
  byTarget.set(target.galaxy, env);
  return env;
}

export function optionText(opt: UwsgiOption, showValue: boolean | undefined): string {
  const v = clean(opt.value).trim();
  return showValue && v !== '' && v.length <= 200 ? `\`${opt.key}: ${v}\`` : `\`${opt.key}\``;
}

const VERB: Record<Action, string> = { map: '→', move: 'moves to', drop: 'dropped:', review: 'needs review:' };

/** The finding's message for a row: what becomes of the option, and why. */
export function describe(opt: UwsgiOption, row: OptionRow): string {
  const what = optionText(opt, row.showValue);
  if (row.action === 'drop' || row.action === 'review') return `${what} ${VERB[row.action]} ${row.why}`;
  return `${what} ${VERB[row.action]} \`${row.to ?? '?'}\`: ${row.why}`;
}

const SEVERITY: Record<Action, Severity> = { map: 'info', move: 'info', drop: 'info', review: 'warning' };

/**
 * Reports every option of every uWSGI configuration that one of `table`'s rows claims. The draft
 * each row writes into here is thrown away: uwsgi/section-to-gravity builds the real one from
 * every table at once.
 */
export function reportTable(ctx: RuleContext, table: readonly OptionRow[]): void {
  for (const config of ctx.deployment.uwsgi) {
    const env = envFor(config, ctx.deployment, ctx.target);
    const scratch = new GravityDraft();
    for (const opt of config.options) {
      const row = rowFor(table, opt.key, ctx.target);
      if (!row) continue;
      const outcome = row.apply?.(opt, scratch, env) ?? {};
      const action = outcome.action ?? row.action;
      ctx.report({
        file: opt.file,
        range: opt.range,
        severity: outcome.severity ?? SEVERITY[action],
        message: (env.app === 'reports' ? reportsPrefixMessage(opt, env, action) : undefined) ?? forApp(outcome.message ?? describe(opt, { ...row, action }), env),
        ...(outcome.notes ? { notes: outcome.notes } : {}),
      });
    }
  }
}

/**
 * The Reports app runs under Gravity as `gravity.reports` (bind, workers, timeout, extra_args,
 * environment: §1.8), so its options are described with that key; the Tool Shed is not a Gravity
 * service at all.
 */
function forApp(message: string, env: ApplyEnv): string {
  if (env.app === 'reports') return message.replace(/gravity\.gunicorn\./g, 'gravity.reports.');
  if (env.app === 'tool_shed') return `${message} (this is the Tool Shed's configuration, which Gravity does not run)`;
  return message;
}

/**
 * The Reports app's `mount` and `manage-script-name`: its prefix is `gravity.reports.url_prefix`
 * (reports/model.ts writes it), which Gravity passes to Reports as SCRIPT_NAME, and the proxy
 * strips it (`location /reports/ { proxy_pass http://<bind>/; }`, §1.8), unlike Galaxy's
 * `galaxy_url_prefix`, which Galaxy strips itself from the full path.
 */
function reportsPrefixMessage(opt: UwsgiOption, env: ApplyEnv, action: Action): string | undefined {
  const v = clean(opt.value).trim();
  const prefix = urlPrefixOf(env.config);
  if (opt.key === 'mount' && action === 'move' && prefix && urlPrefixOf({ ...env.config, options: [opt] }) === prefix) {
    return `\`mount: ${v}\` moves to \`gravity.reports.url_prefix: ${prefix}\`: Gravity passes the prefix to Reports as SCRIPT_NAME, and the proxy strips it (\`location ${prefix}/ { proxy_pass http://<bind>/; }\`)`;
  }
  if (opt.key === 'manage-script-name' && action === 'drop') {
    return `${optionText(opt, true)} dropped: Gravity passes \`gravity.reports.url_prefix\` to Reports as SCRIPT_NAME itself`;
  }
  return undefined;
}

/** Builds the whole draft of a configuration from every table (first claiming row wins). */
export function buildDraft(config: UwsgiConfig, deployment: Deployment, target: Target, tables: readonly (readonly OptionRow[])[]): GravityDraft {
  const env = envFor(config, deployment, target);
  const draft = new GravityDraft();
  for (const opt of config.options) {
    for (const t of tables) {
      const row = rowFor(t, opt.key, target);
      if (!row) continue;
      row.apply?.(opt, draft, env);
      break;
    }
  }
  return draft;
}

/** Resolves a path the way Gravity needs it: absolute, relative ones against `chdir` (uWSGI's working directory). */
export function absolutePath(path: string, env: ApplyEnv): string | undefined {
  if (path.startsWith('/')) return path;
  if (!env.chdir || !env.chdir.startsWith('/')) return undefined;
  const parts = env.chdir.split('/');
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/').replace(/\/+$/, '') || '/';
}

export function documentOf(deployment: Deployment, file: string): Document | undefined {
  return deployment.documents.find((d) => d.file.path === file);
}

/**
 * The galaxy.yml a configuration's `gravity:` section goes into: its own file for a `uwsgi:` block;
 * for a standalone uWSGI file, the galaxy.yml it names (`set: galaxy_config_file=…`, `yaml:`), or
 * the only galaxy.yml of the deployment. Undefined when there is none (or no way to choose).
 */
export function targetGalaxyYml(config: UwsgiConfig, deployment: Deployment): Document<GalaxyYmlAst> | undefined {
  const own = documentOf(deployment, config.file);
  if (own?.kind === 'galaxy-yml' && !isStandaloneUwsgi(own)) return own as Document<GalaxyYmlAst>;
  const candidates = deployment.documents.filter(
    (d): d is Document<GalaxyYmlAst> =>
      d.kind === 'galaxy-yml' && d.file.path !== config.file && (d.ast as GalaxyYmlAst | undefined)?.galaxy.name === 'galaxy' && !isStandaloneUwsgi(d),
  );
  const named = config.options
    .filter(
      (o) =>
        o.key === 'yaml' ||
        o.key === 'yml' ||
        o.key === 'galaxy_config_file' ||
        (o.key === 'set' && /^galaxy_config_file\s*=/.test(o.value)) ||
        (o.key === 'env' && /^GALAXY_CONFIG_FILE=/.test(o.value)),
    )
    .map((o) => clean(o.value).replace(/^(galaxy_config_file\s*|GALAXY_CONFIG_FILE)=\s*/, '').replace(/:[^/]*$/, '').trim());
  for (const n of named) {
    const base = n.split('/').pop() ?? n;
    const hit = candidates.filter((d) => n.endsWith(d.file.path) || d.file.path.endsWith(n) || d.file.path.split('/').pop() === base);
    if (hit.length === 1) return hit[0];
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * A uWSGI-only file: a uwsgi.ini / uwsgi.yml, or a YAML file that detection took for a galaxy.yml
 * because it starts with `uwsgi:` but holds neither `galaxy:` nor `gravity:` and is not named
 * galaxy*.yml (e.g. `uwsgi.yml`). Gravity never reads such a file, so its section goes elsewhere.
 */
export function isStandaloneUwsgi(doc: Document): boolean {
  if (doc.kind === 'uwsgi-yaml' || doc.kind === 'uwsgi-ini') return true;
  if (doc.kind !== 'galaxy-yml') return false;
  const ast = doc.ast as GalaxyYmlAst | undefined;
  if (!ast || ast.galaxy.exists || ast.gravity) return false;
  const base = (doc.file.path.split('/').pop() ?? '').toLowerCase();
  return !base.startsWith('galaxy');
}
