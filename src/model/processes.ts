import type { Document } from '../core/document.js';
import type { GravitySetting, HandlerGroup, ProcessManagerFacts, UwsgiConfig, UwsgiOption } from '../core/model.js';
import type { Range } from '../core/range.js';
import type { JobConfView } from '../formats/job-conf/view.js';
import type { DecisionMaker } from './build.js';
import { decideFor } from './decide.js';
import { allEntries, SUPERVISOR, valueOffsetToFile, type IniEntry, type IniSection } from '../formats/ini/lossless.js';
import { expandSupervisor, parseSupervisorEnvironment, programSetting, type SupervisorAst, type SupervisorProgram } from '../formats/supervisor/parse.js';
import { parseSize, parseSystemdEnvironment, unitSetting, unitSettings, type SystemdAst } from '../formats/systemd/parse.js';
import { jinjaLogicSpans } from '../formats/jinja.js';
import { isGalaxyPool } from './handlers.js';
import { MAX_PROCESSES, tooManyProcesses } from './limits.js';
import { classifyCommand, type Classified, type CommandRole } from './process-command.js';

/**
 * The legacy process manager's view of Galaxy (docs/galaxy-target.md §6): supervisord programs and
 * systemd units that run uWSGI (a web server, a zerg pool, zerglings), Galaxy's webless job
 * handlers or Paste web processes, and the Gravity settings that carry what they configured
 * (§6.3): `directory` → `galaxy_root`, `umask`, `user` → `galaxy_user` (systemd),
 * `VIRTUAL_ENV` → `virtualenv`, `startsecs`/`stopwaitsecs` → `start_timeout`/`stop_timeout`,
 * `MemoryLimit=` → `memory_limit`, handler `--server-name=handler%(process_num)s` + `numprocs` →
 * a handler group whose `name_template` keeps the names.
 */

export type ServiceRole = 'web' | 'zerg-pool' | 'zergling' | 'handler' | 'paste-web';

export interface ServiceSettings {
  readonly directory?: Setting;
  readonly umask?: Setting;
  readonly user?: Setting;
  readonly group?: Setting;
  readonly virtualenv?: Setting;
  readonly startTimeout?: Setting;
  readonly stopTimeout?: Setting;
  /** Gigabytes (a number), or the template text that gives them. */
  readonly memoryLimit?: Setting;
  readonly environment: readonly { readonly key: string; readonly value: string }[];
  /** Environment words a template fills in (`{{ galaxy_systemd.env }}`). */
  readonly templatedEnvironment: readonly string[];
}

export interface Setting {
  readonly value: string | number;
  readonly entry: IniEntry;
}

/** How the legacy handler processes were named, and the Gravity group that keeps the names. */
export interface HandlerNaming {
  /** Key under `gravity.handlers`. */
  readonly group: string;
  /** Number of processes (`numprocs`), when known. */
  readonly processes?: number;
  /** `numprocs` as written when it is not a number (`{{ galaxy_handler_count }}`). */
  readonly processesText?: string;
  /** Python format string for Gravity; undefined when Gravity's default (`{name}_{process}`) gives the names. */
  readonly nameTemplate?: string;
  /** The legacy names (expanded for numprocs / instances when known). */
  readonly names: readonly string[];
  /** `--attach-to-pool` values. */
  readonly pools: readonly string[];
  /** The name as the program or unit writes it (`handler%(process_num)s`, `handler_%I`). */
  readonly legacy: string;
  /** Why the names cannot be kept exactly (numprocs_start, zero padding). */
  readonly problems: readonly string[];
}

export interface LegacyService {
  readonly manager: 'supervisor' | 'systemd';
  readonly file: string;
  /** Program name (`handler`, `zergling{{ i }}`) or unit name (`galaxy-handler@.service`). */
  readonly name: string;
  readonly role: ServiceRole;
  readonly command: IniEntry;
  readonly classified: Classified;
  /** The supervisord program section (absent for a systemd unit: the unit is the whole file). */
  readonly section?: IniSection;
  readonly program?: SupervisorProgram;
  /** The section or unit holds Jinja (an ansible template). */
  readonly templated: boolean;
  readonly settings: ServiceSettings;
  readonly handler?: HandlerNaming;
  /** The configuration file the command names, as written. */
  readonly config?: string;
  /** Where findings point: the program header, or the unit's ExecStart. */
  readonly range: Range;
}

export interface ProcessAnalysis {
  readonly services: readonly LegacyService[];
  readonly facts?: ProcessManagerFacts;
}

const CACHE = new WeakMap<readonly Document[], ProcessAnalysis>();

/** The legacy Galaxy services of every supervisord and systemd document, and the Gravity facts. */
export function analyseProcesses(documents: readonly Document[]): ProcessAnalysis {
  const hit = CACHE.get(documents);
  if (hit) return hit;
  const services: LegacyService[] = [];
  for (const doc of documents) {
    if (doc.kind === 'supervisor' && doc.ast) services.push(...supervisorServices(doc as Document<SupervisorAst>));
    if (doc.kind === 'systemd' && doc.ast) services.push(...systemdServices(doc as Document<SystemdAst>));
  }
  const staticIds = staticHandlerIds(documents);
  const result: ProcessAnalysis = { services, ...(services.length ? { facts: factsOf(services, staticIds) } : {}) };
  CACHE.set(documents, result);
  return result;
}

/** The decision maker's part: only the facts. */
export function decideProcesses(documents: readonly Document[]): ProcessManagerFacts | undefined {
  return analyseProcesses(documents).facts;
}

const ROLE_OF: Partial<Record<CommandRole['role'], true>> = { uwsgi: true, handler: true, 'paste-web': true };

function roleOf(c: Classified): ServiceRole | undefined {
  const r = c.role;
  if (!ROLE_OF[r.role]) return undefined;
  if (r.role === 'uwsgi') {
    // The Reports / Tool Shed apps under uWSGI are not Galaxy's web server.
    if (r.config && /reports|tool_?shed/i.test(r.config.path.text)) return undefined;
    return r.mode;
  }
  return r.role as ServiceRole;
}

function hasJinja(text: string): boolean {
  return /\{\{|\{%|\{#/.test(text);
}

function supervisorServices(doc: Document<SupervisorAst>): LegacyService[] {
  const out: LegacyService[] = [];
  const text = doc.file.text;
  for (const program of doc.ast.programs) {
    if (program.kind !== 'program') continue;
    // Templates may hold two `command =` lines in {% if %} branches: any Galaxy one counts.
    const commands = allEntries(program.section, 'command', SUPERVISOR);
    let chosen: { entry: IniEntry; c: Classified; role: ServiceRole } | undefined;
    for (const entry of commands) {
      const c = classifyCommand(entry.value);
      const role = roleOf(c);
      if (role) {
        chosen = { entry, c, role };
        break;
      }
    }
    if (!chosen) continue;
    const sectionText = text.slice(program.section.extent.start, program.section.body.end);
    const settings = supervisorSettings(program, chosen.c);
    const config = 'config' in chosen.c.role ? chosen.c.role.config?.path.text : undefined;
    out.push({
      manager: 'supervisor',
      file: doc.file.path,
      name: program.name,
      role: chosen.role,
      command: chosen.entry,
      classified: chosen.c,
      section: program.section,
      program,
      templated: hasJinja(sectionText),
      settings,
      ...(chosen.role === 'handler' ? { handler: supervisorHandlerNaming(program, chosen.c) } : {}),
      ...(config ? { config } : {}),
      range: program.section.header,
    });
  }
  // Without `--zerg` on the command line, the zerglings are the uWSGI web programs beside a zerg pool.
  if (out.some((s) => s.role === 'zerg-pool')) {
    return out.map((s) => (s.role === 'web' ? { ...s, role: 'zergling' as const } : s));
  }
  return out;
}

function setting(entry: IniEntry | undefined, value?: string | number): Setting | undefined {
  if (!entry) return undefined;
  const v = value ?? entry.value.trim();
  if (v === '') return undefined;
  return { value: v, entry };
}

function supervisorSettings(program: SupervisorProgram, c: Classified): ServiceSettings {
  const get = (k: string): IniEntry | undefined => programSetting(program, k);
  const envEntry = get('environment');
  const env = envEntry ? parseSupervisorEnvironment(envEntry.value) : [];
  const venvFromEnv = env.find((e) => e.key === 'VIRTUAL_ENV') ?? env.find((e) => e.key === 'PYTHONHOME');
  const venv = venvFromEnv && envEntry ? setting(envEntry, trimSlash(venvFromEnv.value)) : virtualenvFromCommand(c, get('command'));
  const directory = get('directory');
  return {
    ...opt('directory', setting(directory, directory ? trimSlash(directory.value.trim()) : undefined)),
    ...opt('umask', setting(get('umask'))),
    ...opt('user', setting(get('user'))),
    ...opt('virtualenv', venv),
    ...opt('startTimeout', numberish(get('startsecs'))),
    ...opt('stopTimeout', numberish(get('stopwaitsecs'))),
    ...carriedEnvironment(env.map((e) => ({ ...e, setting: envEntry!.value }))),
  };
}

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

/**
 * The environment a service hands on to Gravity, and the variables a template decides: a name with
 * Jinja2 in it (`{{ name }}`, or a piece of a tag), or any variable of a setting that holds Jinja2
 * logic (`{% if %}…{% endif %}`, jinja.ts), which decides which variables exist. Written into
 * gravity:, their `{%` made galaxy.yml a template (fuzz seed 113: `environment = PATH="…",{% endif %}
 * VIRTUAL_ENV="…"` gave the names `{%`, `endif`, `%}VIRTUAL_ENV`). `setting` is the text of the line
 * each variable comes from.
 */
function carriedEnvironment(env: readonly { key: string; value: string; setting: string }[]): Pick<ServiceSettings, 'environment' | 'templatedEnvironment'> {
  const environment: { key: string; value: string }[] = [];
  const templatedEnvironment: string[] = [];
  for (const { key, value, setting } of env) {
    if (/\{\{|\}\}|\{%|%\}|\{#|#\}/.test(key) || jinjaLogicSpans(setting).length) templatedEnvironment.push(key);
    else if (!DROPPED_ENV.has(key)) environment.push({ key, value });
  }
  return { environment, templatedEnvironment };
}

/** Environment Gravity sets itself: `virtualenv` gives VIRTUAL_ENV and PATH; Gravity sets the config file. */
const DROPPED_ENV = new Set(['VIRTUAL_ENV', 'PATH', 'PYTHONHOME', 'HOME', 'GALAXY_CONFIG_FILE', 'GRAVITY_STATE_DIR']);

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function numberish(entry: IniEntry | undefined): Setting | undefined {
  if (!entry) return undefined;
  const v = entry.value.trim();
  if (/^\d+$/.test(v)) return { value: Number(v), entry };
  if (/^\{\{[^]*\}\}$/.test(v)) return { value: v, entry };
  // systemd time spans such as `30s`, `1min`, `infinity` are kept only when plain seconds.
  const s = /^(\d+)s$/.exec(v);
  return s ? { value: Number(s[1]), entry } : undefined;
}

/** `--virtualenv X` / `-H X` / `--home X` on a uWSGI command line, or `<venv>/bin/<exe>`. */
function virtualenvFromCommand(c: Classified, entry: IniEntry | undefined): Setting | undefined {
  if (!entry) return undefined;
  if (c.role.role === 'uwsgi') {
    const o = c.role.options.find((x) => x.key === 'virtualenv' || x.key === 'home' || x.key === 'venv' || x.key === 'pyhome');
    if (o && o.value !== 'true') return { value: trimSlash(o.value), entry };
  }
  const exe = c.argv.find((w) => /\/bin\/(uwsgi|python[0-9.]*|galaxy-main)$/.test(w.text));
  if (!exe) return undefined;
  const inVenv = /^\{\{/.test(exe.text) || (exe.text.startsWith('/') && !/^\/usr(\/local)?\/bin\//.test(exe.text));
  return inVenv ? { value: exe.text.replace(/\/bin\/[^/]+$/, ''), entry } : undefined;
}

const PROCESS_NUM = /%\(process_num\)(0?)(\d*)([sd])/g;

/**
 * The Gravity handler group that keeps a supervisord program's handler names: the server name's
 * `%(process_num)s` becomes `{process}` (both count from 0), and the text before it names the group.
 */
function supervisorHandlerNaming(program: SupervisorProgram, c: Classified): HandlerNaming {
  const role = c.role as Extract<CommandRole, { role: 'handler' }>;
  const processName = programSetting(program, 'process_name')?.value.trim();
  const template = role.serverName?.text ?? processName ?? program.name;
  const numprocs = programSetting(program, 'numprocs')?.value.trim();
  const start = programSetting(program, 'numprocs_start')?.value.trim();
  const problems: string[] = [];
  const counted = numprocs === undefined ? 1 : /^\d+$/.test(numprocs) ? Number(numprocs) : undefined;
  const n = counted !== undefined && tooManyProcesses(counted) ? undefined : counted;
  if (n !== counted) problems.push(`\`numprocs = ${numprocs}\` is more processes than galaxy-migrate expands (${MAX_PROCESSES}); check the value and write the handler group by hand`);
  const startN = start === undefined ? 0 : /^\d+$/.test(start) ? Number(start) : undefined;
  if (startN === undefined) problems.push(`\`numprocs_start = ${start}\` is set by a template; Gravity numbers processes from 0`);
  else if (startN > 0) problems.push(`\`numprocs_start = ${startN}\` numbers the processes from ${startN}; Gravity numbers them from 0, so the names shift by ${startN}`);
  for (const m of template.matchAll(PROCESS_NUM)) {
    if (m[2]) problems.push(`\`${m[0]}\` pads the number to ${m[2]} digits; Gravity's \`{process}\` is not padded`);
  }
  const names: string[] = [];
  if (n !== undefined && !hasJinja(template)) {
    for (let i = 0; i < n; i++) names.push(expandSupervisor(template, { process_num: i + (startN ?? 0), program_name: program.name, group_name: program.name }));
  }
  const asFormat = template
    .replace(/%\(program_name\)s/g, program.name)
    .replace(PROCESS_NUM, '{process}');
  return naming(asFormat, n, numprocs, names, role.pools, problems, program.name, template);
}

/** Builds the group name and name_template from a Python-format template with `{process}`. */
function naming(asFormat: string, n: number | undefined, nText: string | undefined, names: string[], pools: readonly string[], problems: string[], fallback: string, legacy: string): HandlerNaming {
  const prefix = /^[A-Za-z][A-Za-z0-9_]*?(?=[_-]?(\{process\}|\{\{|$))/.exec(asFormat)?.[0] ?? '';
  const group = sanitize(prefix || fallback.replace(/\{\{[^}]*\}\}/g, ''));
  for (const p of pools) {
    if (!isGalaxyPool(p) && !hasJinja(p)) problems.push(`\`--attach-to-pool=${p}\` is not a pool Galaxy knows (job-handlers, job-handlers.<tag>, workflow-schedulers, workflow-schedulers.<tag>)`);
  }
  let nameTemplate: string | undefined = asFormat.startsWith(group) ? `{name}${asFormat.slice(group.length)}` : asFormat;
  if (!asFormat.includes('{process}')) {
    // One process with a fixed name: Gravity uses a group name ending in a digit as is.
    if (n === 1 && /\d$/.test(asFormat) && sanitize(asFormat) === asFormat) {
      return { group: asFormat, processes: 1, names: [asFormat], pools, problems, legacy };
    }
    if (n !== 1) problems.push(`every process of the program has the same name \`${asFormat}\``);
  }
  if (nameTemplate === '{name}_{process}') nameTemplate = undefined;
  return {
    group,
    ...(n !== undefined ? { processes: n } : {}),
    ...(n === undefined && nText ? { processesText: nText } : {}),
    ...(nameTemplate ? { nameTemplate } : {}),
    names,
    pools,
    problems,
    legacy,
  };
}

function sanitize(s: string): string {
  const out = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return out === '' ? 'handler' : out;
}

function systemdServices(doc: Document<SystemdAst>): LegacyService[] {
  const ast = doc.ast;
  const exec = unitSetting(ast, 'Service', 'ExecStart');
  if (!exec) return [];
  const c = classifyCommand(exec.value.replace(/^[-@:+!]+/, ''));
  const role = roleOf(c);
  if (!role) return [];
  const get = (k: string): IniEntry | undefined => unitSetting(ast, 'Service', k);
  const env: { key: string; value: string; entry: IniEntry }[] = [];
  for (const e of unitSettings(ast, 'Service', 'Environment')) for (const kv of parseSystemdEnvironment(e.value)) env.push({ ...kv, entry: e });
  const venvEnv = env.find((e) => e.key === 'VIRTUAL_ENV');
  const mem = get('MemoryMax') ?? get('MemoryLimit');
  const directory = get('WorkingDirectory');
  const settings: ServiceSettings = {
    ...opt('directory', setting(directory, directory ? trimSlash(directory.value.trim().replace(/^-/, '')) : undefined)),
    ...opt('umask', setting(get('UMask'))),
    ...opt('user', setting(get('User'))),
    ...opt('group', setting(get('Group'))),
    ...opt('virtualenv', venvEnv ? setting(venvEnv.entry, trimSlash(venvEnv.value)) : virtualenvFromCommand(c, exec)),
    ...opt('startTimeout', numberish(get('TimeoutStartSec'))),
    ...opt('stopTimeout', numberish(get('TimeoutStopSec'))),
    ...opt('memoryLimit', memoryGb(mem)),
    ...carriedEnvironment(env.map((e) => ({ key: e.key, value: e.value, setting: e.entry.value }))),
  };
  const config = 'config' in c.role ? c.role.config?.path.text : undefined;
  return [
    {
      manager: 'systemd',
      file: doc.file.path,
      name: ast.unitName,
      role,
      command: exec,
      classified: c,
      templated: hasJinja(doc.file.text),
      settings,
      ...(role === 'handler' ? { handler: systemdHandlerNaming(ast, c) } : {}),
      ...(config ? { config } : {}),
      range: exec.range,
    },
  ];
}

function memoryGb(entry: IniEntry | undefined): Setting | undefined {
  if (!entry) return undefined;
  const v = entry.value.trim();
  const bytes = parseSize(v);
  if (bytes !== undefined) return { value: Math.round((bytes / 1024 ** 3) * 1000) / 1000, entry };
  const t = /^(\{\{[^]*\}\})\s*G$/i.exec(v);
  if (t) return { value: t[1]!, entry };
  return undefined;
}

/** A template unit (`galaxy-handler@.service`): `--server-name=handler_%I`, one process per instance. */
function systemdHandlerNaming(ast: SystemdAst, c: Classified): HandlerNaming {
  const role = c.role as Extract<CommandRole, { role: 'handler' }>;
  const base = ast.unitName.replace(/@?\.[a-z]+$/, '').replace(/^galaxy-/, '');
  const template = role.serverName?.text ?? base;
  const problems: string[] = [];
  if (ast.template && !/%[iI]/.test(template)) problems.push('the unit is a template but its server name does not use `%i`/`%I`: every instance has the same name');
  const asFormat = template.replace(/%[iI]/g, '{process}').replace(/%%/g, '%');
  const unit = ast.unitName.replace(/@\.service$/, '');
  if (ast.template) problems.push(`systemd starts as many instances as were enabled (\`${unit}@0 … ${unit}@N-1\`): set \`processes\` to that number; Gravity names them from 0`);
  return naming(asFormat, ast.template ? undefined : 1, ast.template ? '<number of enabled instances>' : undefined, [], role.pools, problems, base, template);
}

/** Handler ids the job confs list as static handlers (`<handler id=…>`, `handling.processes`). */
function staticHandlerIds(documents: readonly Document[]): Set<string> {
  const ids = new Set<string>();
  for (const d of documents) {
    if (d.kind !== 'job-conf-xml' && d.kind !== 'job-conf-yml') continue;
    const view = (d.ast as { view?: JobConfView } | undefined)?.view;
    for (const h of view?.handlers ?? []) if (!h.id.templated) ids.add(h.id.value);
  }
  return ids;
}

/** Folds the services into Gravity settings (the web service's settings first, then the handlers'). */
function factsOf(services: readonly LegacyService[], staticIds: ReadonlySet<string>): ProcessManagerFacts {
  const manager = services.some((s) => s.manager === 'systemd') ? 'systemd' : 'supervisor';
  const webOrder: ServiceRole[] = ['web', 'zergling', 'paste-web', 'zerg-pool', 'handler'];
  const ordered = [...services].sort((a, b) => webOrder.indexOf(a.role) - webOrder.indexOf(b.role));
  const web = ordered.find((s) => s.role === 'web' || s.role === 'zergling' || s.role === 'paste-web');
  const firstOf = (pick: (s: ServiceSettings) => Setting | undefined): { s: Setting; svc: LegacyService } | undefined => {
    for (const svc of ordered) {
      const v = pick(svc.settings);
      if (v) return { s: v, svc };
    }
    return undefined;
  };
  const top: GravitySetting[] = [];
  const put = (list: GravitySetting[], key: string, found: { s: Setting; svc: LegacyService } | undefined): void => {
    if (!found) return;
    list.push({ key, value: found.s.value, file: found.svc.file, range: found.s.entry.range });
  };
  top.push({ key: 'process_manager', value: manager });
  if (manager === 'systemd') {
    put(top, 'galaxy_user', firstOf((s) => s.user));
    put(top, 'galaxy_group', firstOf((s) => s.group));
  }
  put(top, 'umask', firstOf((s) => s.umask));
  // A single unit that ran everything (uWSGI with its mules) had one limit for the whole tree:
  // Gravity applies `memory_limit` to each service (§6.3).
  put(top, 'memory_limit', web ? (web.settings.memoryLimit ? { s: web.settings.memoryLimit, svc: web } : undefined) : firstOf((s) => s.memoryLimit));
  put(top, 'virtualenv', firstOf((s) => s.virtualenv));
  put(top, 'galaxy_root', firstOf((s) => s.directory));

  const gunicorn: GravitySetting[] = [];
  if (web) {
    put(gunicorn, 'start_timeout', web.settings.startTimeout ? { s: web.settings.startTimeout, svc: web } : undefined);
    put(gunicorn, 'stop_timeout', web.settings.stopTimeout ? { s: web.settings.stopTimeout, svc: web } : undefined);
    if (web.role === 'paste-web' && web.program) {
      const n = programSetting(web.program, 'numprocs')?.value.trim();
      if (n && /^\d+$/.test(n)) gunicorn.push({ key: 'workers', value: Number(n), file: web.file, range: programSetting(web.program, 'numprocs')!.range });
    }
  }
  const environment: GravitySetting[] = (web?.settings.environment ?? []).map((e) => ({ key: e.key, value: e.value, file: web!.file }));

  const handlers: HandlerGroup[] = [];
  const staticHandlers: string[] = [];
  const used = new Set<string>();
  for (const svc of services) {
    const h = svc.handler;
    if (!h) continue;
    if (h.names.length && h.pools.length === 0 && h.names.every((n) => staticIds.has(n))) {
      staticHandlers.push(...h.names);
      continue;
    }
    if (h.processes === undefined) continue;
    let name = h.group;
    for (let k = 2; used.has(name); k++) name = `${h.group}${k}`;
    used.add(name);
    // A renamed group keeps the names through a literal template.
    const tpl = name === h.group ? h.nameTemplate : (h.nameTemplate ?? '{name}_{process}').replace('{name}', h.group);
    handlers.push({
      name,
      processes: h.processes,
      pools: h.pools.length ? [...h.pools] : ['job-handlers', 'workflow-schedulers'],
      replaces: [...h.names],
      ...(tpl ? { nameTemplate: tpl } : {}),
    });
  }
  // The Galaxy config: a handler's `-c`, else what uWSGI loads unless it is a standalone uWSGI file.
  const cfg = services.find((s) => s.role === 'handler' && s.config)?.config ?? services.find((s) => s.config && !/uwsgi[^/]*$/i.test(s.config))?.config;
  const cli = web ? commandLineConfig(web) : undefined;
  return { manager, top, gunicorn, environment, handlers, staticHandlers, ...(cfg ? { galaxyConfigFile: cfg } : {}), ...(cli ? { commandLine: cli } : {}) };
}

/** Options that only say which file to load or are spent on the command line itself. */
const NOT_OPTIONS = new Set(['ini', 'ini-paste', 'ini-paste-logged', 'yaml', 'yml', 'json', 'js', 'xml', 'paste', 'plugin', 'plugins']);

/**
 * The uWSGI options a web program gives on its command line (`uwsgi --ini galaxy.ini --socket
 * 127.0.0.1:4001 --processes 2`), as an option list with ranges into the program's file, so the
 * same tables and decisions apply to them as to a configuration file's options.
 */
export function commandLineConfig(s: LegacyService): UwsgiConfig | undefined {
  const r = s.classified.role;
  if (r.role !== 'uwsgi') return undefined;
  const joiner = s.manager === 'systemd' ? ' ' : '\n';
  const at = (offset: number): number => valueOffsetToFile(s.command, joiner, offset);
  const options: UwsgiOption[] = [];
  for (const o of r.options) {
    if (NOT_OPTIONS.has(o.key) || /\{\{|\{%/.test(o.value)) continue;
    const range = { start: at(o.start), end: at(o.end) };
    const valueRange = o.valueWord ? { start: at(o.valueWord.start), end: at(o.valueWord.end) } : { start: range.end, end: range.end };
    options.push({ key: o.key, value: o.value, rawValue: o.value, file: s.file, range, keyRange: { start: range.start, end: o.valueWord ? at(o.valueWord.start) : range.end }, valueRange, included: false });
  }
  return options.length ? { file: s.file, section: `${s.manager === 'systemd' ? 'ExecStart' : `program:${s.name}`} command line`, options } : undefined;
}


/**
 * Adds the process-manager facts to the migration's decisions, and the handler groups that keep
 * the legacy handler names (a group the uWSGI configuration already decides wins its name).
 */
export function withProcessManagers(decide: DecisionMaker): DecisionMaker {
  return (parts) => {
    let d = decide(parts);
    const facts = decideProcesses(parts.documents);
    if (!facts) return d;
    // uWSGI options on the web program's command line are decided like a file's, where the file decides nothing.
    if (facts.commandLine) {
      const cli = decideFor(facts.commandLine);
      if (!d.gunicornBind && cli.gunicornBind) {
        d = { ...d, gunicornBind: cli.gunicornBind, forwardedAllowAll: cli.forwardedAllowAll, legacyListeners: [...d.legacyListeners, ...cli.legacyListeners], ...(cli.gunicornAddress ? { gunicornAddress: cli.gunicornAddress } : {}) };
      }
      if (d.webWorkers === undefined && cli.webWorkers !== undefined) d = { ...d, webWorkers: cli.webWorkers };
      if (!d.urlPrefix && cli.urlPrefix) d = { ...d, urlPrefix: cli.urlPrefix };
      if (!d.handlers.length && cli.handlers.length) d = { ...d, handlers: cli.handlers };
    }
    const taken = new Set(d.handlers.map((h) => h.name));
    return { ...d, processes: facts, handlers: [...d.handlers, ...facts.handlers.filter((h) => !taken.has(h.name))] };
  };
}
