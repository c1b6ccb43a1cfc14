import type { Document } from '../../src/core/document.js';
import type { Deployment, ProcessManagerFacts, UwsgiConfig } from '../../src/core/model.js';
import type { Target } from '../../src/core/target.js';
import { renderEntries, type Entry, type Scalar } from '../../src/formats/galaxy-yml/write.js';
import { isGalaxyApp } from '../../src/formats/galaxy-ini/decide.js';
import { pasteFacts, type PasteFacts } from '../../src/formats/galaxy-ini/paste.js';
import { sectionItems, type GalaxyIniAst, type Interpolated } from '../../src/formats/galaxy-ini/parse.js';
import type { IniEntry } from '../../src/formats/ini/lossless.js';
import { primaryConfig } from '../../src/model/decide.js';
import { formatAddress } from '../../src/model/uwsgi-options.js';
import { draftEntries, GravityDraft } from '../uwsgi/draft.js';
import { addProcessFacts } from '../uwsgi/process-facts.js';
import { buildDraft } from '../uwsgi/table.js';
import { ALL_TABLES } from '../uwsgi/tables.js';
import { scheduleWorkflows } from '../jobs/gravity-pools.js';
import { FORWARDED } from '../uwsgi/listeners.js';
import { LINT_DEPRECATED, REMOVED, RENAMED } from './option-changes.js';
import { convertBool, KNOWN_STRINGS, OPTION_TYPES, stringAsBool, stripDeprecatedDir, type OptionType } from './option-types.js';

/**
 * galaxy.ini → galaxy.yml, computed once per document and target for every paste/* rule: what
 * Galaxy's `config_manage.py convert` did (`[app:main]` → `galaxy:`, typed by the option schema)
 * and what it lost or got wrong, done right: the `[uwsgi]` section (through the uwsgi/* option
 * tables, the same translation a galaxy.yml `uwsgi:` block gets), `[server:main]` (the gunicorn
 * bind), the prefix filter (`galaxy_url_prefix`), `yes`/`on`/`1` booleans (true, as Galaxy read them
 * under Paste), and the process manager's settings (process_manager, umask, handler names).
 */
export type Problem = 'bool-meaning' | 'not-a-number' | 'unknown' | 'removed' | 'renamed' | 'interpolation' | 'deprecated' | 'legacy-path';

export interface OptionRecord {
  readonly key: string;
  readonly entry?: IniEntry;
  readonly raw: string;
  readonly interpolated: Interpolated;
  readonly type: OptionType | 'str' | 'unknown';
  /** The key written to `galaxy:` (a renamed option's new name); absent when the option is dropped. */
  readonly writtenKey?: string;
  readonly written?: Scalar;
  /** What `config_manage.py convert` would have written for it. */
  readonly convertWould?: Scalar;
  readonly problems: readonly Problem[];
  readonly fromDefault: boolean;
}

export interface Conversion {
  readonly doc: Document<GalaxyIniAst>;
  readonly facts: PasteFacts;
  /** The galaxy.yml path written (beside the ini). */
  readonly target: string;
  /** Why no galaxy.yml is written (a template, not Galaxy's app, a galaxy.yml already there). */
  readonly blocked?: string;
  /** What `%(here)s` was resolved to, and from where. */
  readonly here: { readonly dir: string; readonly from: 'process manager' | 'this machine' | 'relative' };
  readonly records: readonly OptionRecord[];
  readonly uwsgi?: UwsgiConfig;
  /** The other Galaxy ini whose galaxy.yml gets the `gravity:` section, when this one's does not. */
  readonly gravityIn?: string;
  readonly draft: GravityDraft;
  readonly galaxy: readonly Entry[];
  readonly gravity: readonly Entry[];
  /** What the process manager's settings added to `gravity:`, as lines for the report. */
  readonly fromProcesses: readonly string[];
  readonly text: string;
}

const SKIPPED = new Set(['paste.app_factory', 'filter-with', 'here', '__file__', 'use']);

const CACHE = new WeakMap<Document, Map<string, Conversion>>();

export function galaxyIniDocs(d: Deployment): Document<GalaxyIniAst>[] {
  return d.documents.filter((x): x is Document<GalaxyIniAst> => x.kind === 'galaxy-ini' && Boolean(x.ast));
}

/**
 * Of several Galaxy ini files, the one whose galaxy.yml gets the `gravity:` section: the one holding
 * the uWSGI configuration the model decided from, else one with its own `[uwsgi]`, else the first.
 * Undefined for one file (it always does). Two gravity: sections would be two servers to Gravity,
 * and which file the job rules take for Galaxy's would turn on the handlers each apply writes.
 */
function gravityHolder(d: Deployment, primary: UwsgiConfig | undefined): Document<GalaxyIniAst> | undefined {
  const apps = galaxyIniDocs(d).filter((x) => pasteFacts(x).app && isGalaxyApp(x));
  if (apps.length < 2) return undefined;
  return apps.find((x) => x.file.path === primary?.file) ?? apps.find((x) => d.uwsgi.some((c) => c.file === x.file.path)) ?? apps[0];
}

/** `config/galaxy.ini` → `config/galaxy.yml`; `universe_wsgi.ini` → `galaxy.yml` beside it. */
export function ymlPathFor(iniPath: string): string {
  const slash = iniPath.lastIndexOf('/');
  const dir = slash >= 0 ? iniPath.slice(0, slash + 1) : '';
  const base = iniPath.slice(slash + 1);
  if (/^universe_wsgi\.ini$/i.test(base)) return `${dir}galaxy.yml`;
  return `${dir}${base.replace(/\.ini$/i, '')}.yml`;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i > 0 ? p.slice(0, i) : i === 0 ? '/' : '.';
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The process-manager facts when the programs start Galaxy with this ini (or name no config). */
export function processFactsFor(d: Deployment, iniPath: string): ProcessManagerFacts | undefined {
  const f = d.decisions.processes;
  if (!f) return undefined;
  const cfg = f.galaxyConfigFile;
  if (cfg && !/\{\{/.test(cfg) && basename(cfg) !== basename(iniPath)) return undefined;
  return f;
}

export function conversionOf(d: Deployment, doc: Document<GalaxyIniAst>, target: Target): Conversion {
  let byTarget = CACHE.get(doc);
  if (!byTarget) CACHE.set(doc, (byTarget = new Map()));
  const hit = byTarget.get(target.galaxy);
  if (hit) return hit;
  const c = convert(d, doc, target);
  byTarget.set(target.galaxy, c);
  return c;
}

function convert(d: Deployment, doc: Document<GalaxyIniAst>, target: Target): Conversion {
  const ast = doc.ast;
  const facts = pasteFacts(doc);
  const targetPath = ymlPathFor(doc.file.path);
  const processes = processFactsFor(d, doc.file.path);

  // %(here)s is the ini's directory on the server: the path the process manager gives it when
  // it names this file by an absolute path, else where the file is on this machine.
  const serverPath = processes?.galaxyConfigFile;
  const here: Conversion['here'] =
    serverPath && serverPath.startsWith('/') && basename(serverPath) === basename(doc.file.path)
      ? { dir: dirname(serverPath), from: 'process manager' }
      : ast.absPath
        ? { dir: dirname(ast.absPath), from: 'this machine' }
        : { dir: dirname(doc.file.path), from: 'relative' };
  const file = `${here.dir}/${basename(doc.file.path)}`;

  let blocked: string | undefined;
  if (ast.templated) blocked = 'the file is a Jinja template (its options are only known after ansible renders it): convert the variables that fill it instead';
  else if (!facts.app) blocked = 'it has no [app:main] section';
  else if (!isGalaxyApp(doc)) blocked = `its [app:main] loads \`${facts.appFactory?.value.trim()}\`, not Galaxy`;
  else if (d.files.has(targetPath)) blocked = `\`${targetPath}\` already exists (Galaxy's convert refuses to overwrite it too): merge the options by hand`;

  const records: OptionRecord[] = [];
  const items = facts.app ? sectionItems(ast, 'app:main', { here: here.dir, __file__: file }) : [];
  const setKeys = new Set(items.map((i) => i.key));
  for (const it of items) {
    if (SKIPPED.has(it.key)) continue;
    records.push(record(it, setKeys));
  }

  // One Galaxy runs one Gravity: of several Galaxy ini files, one gets the `gravity:` section.
  const primary = primaryConfig(d.documents, d.uwsgi);
  const holder = gravityHolder(d, primary);
  const writesGravity = !holder || holder === doc;
  const { uwsgi, draft, fromProcesses } = writesGravity
    ? gravityOf(d, doc, facts, processes, primary, target)
    : { uwsgi: undefined, draft: new GravityDraft(), fromProcesses: [] };

  // galaxy: the [app:main] options, then what moved from elsewhere.
  const galaxy: Entry[] = [];
  const written = new Set<string>();
  for (const r of records) {
    if (r.writtenKey === undefined || r.written === undefined || written.has(r.writtenKey)) continue;
    written.add(r.writtenKey);
    const comments = r.entry && !r.fromDefault ? commentsAbove(doc, r.entry) : [];
    galaxy.push({ key: r.writtenKey, value: r.written, ...(comments.length ? { comments } : {}) });
  }
  if (facts.prefix && !written.has('galaxy_url_prefix')) {
    galaxy.push({ key: 'galaxy_url_prefix', value: facts.prefix.value, comments: [`from [filter:${facts.filter?.name}] (filter-with), which Galaxy's convert drops`] });
    written.add('galaxy_url_prefix');
  }
  for (const m of draft.galaxy) {
    if (written.has(m.key)) continue;
    galaxy.push({ key: m.key, value: m.value, comments: [`from [uwsgi] \`${m.from.key}\``] });
    written.add(m.key);
  }

  const gravity = writesGravity ? draftEntries(draft) : [];
  const eol = ast.eol;
  const header = [
    `# Written by galaxy-migrate from ${basename(doc.file.path)}: [app:main] → galaxy: (typed as Galaxy's option schema says),`,
    writesGravity
      ? '# [uwsgi], [server:main] and the supervisord/systemd settings → gravity:. The report lists every change.'
      : `# no gravity: section here: it is written from ${basename(holder!.file.path)}, the Galaxy configuration Gravity runs. The report lists every change.`,
  ];
  const text =
    header.join(eol) +
    eol +
    (writesGravity ? `gravity:${eol}${renderEntries(gravity, 2, 2, eol)}` : '') +
    (galaxy.length ? `galaxy:${eol}${renderEntries(galaxy, 2, 2, eol)}` : `galaxy: {}${eol}`);

  return {
    doc,
    facts,
    target: targetPath,
    ...(blocked ? { blocked } : {}),
    here,
    records,
    ...(uwsgi ? { uwsgi } : {}),
    ...(writesGravity ? {} : { gravityIn: holder!.file.path }),
    draft,
    galaxy,
    gravity,
    fromProcesses,
    text,
  };
}

/**
 * The `gravity:` section of the converted file: the [uwsgi] section through the uwsgi/* tables, then
 * Paste's server, then the process manager's settings for what neither gives. uWSGI read `[uwsgi]`
 * and then the options on its command line (`uwsgi --ini-paste galaxy.ini --socket …`): both are
 * translated by the same tables. When the deployment's Galaxy uWSGI configuration is another file
 * (a uwsgi.yml ranked before the [uwsgi] section), the model's decisions come from it, so the
 * section written here does too.
 */
function gravityOf(
  d: Deployment,
  doc: Document<GalaxyIniAst>,
  facts: PasteFacts,
  processes: ProcessManagerFacts | undefined,
  primary: UwsgiConfig | undefined,
  target: Target,
): { uwsgi: UwsgiConfig | undefined; draft: GravityDraft; fromProcesses: string[] } {
  const uwsgiSource = primary ?? d.uwsgi.find((c) => c.file === doc.file.path);
  const cli = processes?.commandLine;
  const uwsgi: UwsgiConfig | undefined =
    uwsgiSource && cli ? { ...uwsgiSource, options: [...uwsgiSource.options, ...cli.options] } : (uwsgiSource ?? cli);
  const draft = uwsgi ? buildDraft(uwsgi, d, target, ALL_TABLES) : new GravityDraft();
  draft.celery = true;
  // The bind the model decided (the proxy rules point at it) when no uWSGI configuration here gives
  // one (ansible variables beside the file, say), else Paste's own server.
  if (!draft.gunicorn.has('bind') && d.decisions.gunicornBind) {
    prepend(draft.gunicorn, 'bind', d.decisions.gunicornBind);
    if (d.decisions.forwardedAllowAll && d.decisions.gunicornBind.startsWith('unix:')) draft.addExtraArg(FORWARDED);
  } else if (!draft.gunicorn.has('bind') && facts.server) prepend(draft.gunicorn, 'bind', formatAddress(facts.server.address));
  // The deployment's handler groups (the mules', and the legacy handler programs' with their
  // names) and the process manager's settings, as uwsgi/section-to-gravity adds them.
  draft.handlers.splice(0, draft.handlers.length, ...d.decisions.handlers);
  scheduleWorkflows(draft.handlers, d);
  const fromProcesses = processes ? addProcessFacts(draft, { ...d.decisions, processes }, target) : [];
  return { uwsgi, draft, fromProcesses };
}

function prepend<V>(m: Map<string, V>, key: string, value: V): void {
  const rest = [...m];
  m.clear();
  m.set(key, value);
  for (const [k, v] of rest) m.set(k, v);
}

function record(
  it: { key: string; entry?: IniEntry; raw: string; value: Interpolated; fromDefault: boolean },
  setKeys: ReadonlySet<string>,
): OptionRecord {
  const problems: Problem[] = [];
  if (it.value.error) problems.push('interpolation');
  const base = { key: it.key, ...(it.entry ? { entry: it.entry } : {}), raw: it.raw, interpolated: it.value, fromDefault: it.fromDefault, problems };
  const value = it.value.value;
  if (REMOVED.has(it.key)) {
    problems.push('removed');
    return { ...base, type: 'unknown' };
  }
  const renamed = RENAMED.get(it.key);
  if (renamed) problems.push('renamed');
  // A renamed option whose new name is also set: the new one wins, the old one is not written.
  if (renamed && setKeys.has(renamed.to)) return { ...base, type: 'unknown' };
  const key = renamed ? renamed.to : it.key;
  if (LINT_DEPRECATED.has(key)) problems.push('deprecated');
  const type = OPTION_TYPES.get(key) ?? (KNOWN_STRINGS.has(key) ? 'str' : 'unknown');
  const t = value.trim();
  if (type === 'bool') {
    if (!['true', 'false'].includes(t.toLowerCase())) problems.push('bool-meaning');
    return { ...base, type, writtenKey: key, written: stringAsBool(value), convertWould: convertBool(value) };
  }
  if (type === 'int') {
    if (/^[-+]?\d+$/.test(t)) return { ...base, type, writtenKey: key, written: Number(t), convertWould: Number(t) };
    problems.push('not-a-number');
    return { ...base, type, writtenKey: key, written: value };
  }
  if (type === 'float') {
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return { ...base, type, writtenKey: key, written: Number(t), convertWould: value };
    problems.push('not-a-number');
    return { ...base, type, writtenKey: key, written: value };
  }
  if (type === 'unknown') problems.push('unknown');
  // `config/job_conf.xml` (relative to Galaxy's root in the Paste era) is what Galaxy itself turns
  // into `job_conf.xml` in the config directory today; written the way Galaxy reads it.
  const stripped = stripDeprecatedDir(key, value);
  if (stripped !== undefined) {
    problems.push('legacy-path');
    return { ...base, type, writtenKey: key, written: stripped, convertWould: value };
  }
  return { ...base, type, writtenKey: key, written: value, convertWould: value };
}

/** The comment lines right above an option (no blank line between), without their `#`/`;`. */
function commentsAbove(doc: Document<GalaxyIniAst>, entry: IniEntry): string[] {
  const lines = doc.ast.ini.lines;
  let i = lines.findIndex((l) => l.full.start === entry.lines.start) - 1;
  const out: string[] = [];
  while (i >= 0 && lines[i]!.kind === 'comment') {
    const t = doc.file.text.slice(lines[i]!.range.start, lines[i]!.range.end).trim();
    // A commented-out option (`#key = value`) is not a description.
    if (/^[#;]\s*[A-Za-z_][\w.-]*\s*=/.test(t)) break;
    out.unshift(t.replace(/^[#;]+ ?/, ''));
    i--;
  }
  return out;
}
