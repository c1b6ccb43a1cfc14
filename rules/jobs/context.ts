import { posix } from 'node:path';
import type { Document } from '../../src/core/document.js';
import type { Deployment, HandlerGroup } from '../../src/core/model.js';
import { ansibleGalaxyOptions, type AnsibleGalaxyOption } from '../../src/formats/ansible-vars/galaxy-options.js';
import { galaxyJobOptions, type GalaxyJobOptions, type GravityHandlerEntry } from '../../src/formats/job-conf/galaxy.js';
import { parseLegacyId, poolTag, type JobConfView } from '../../src/formats/job-conf/view.js';
import { MAX_PROCESSES } from '../../src/model/limits.js';
import { appOf } from '../../src/model/uwsgi-options.js';

/**
 * What every jobs/* rule reads, computed once per deployment: the galaxy.yml options that decide
 * job handling, the job confs Galaxy will read, the handler groups Gravity will run after the
 * migration (the model's decisions, plus `gravity.handlers` already written), and the assignment
 * method the database allows. One model: the pools here are the pools the gravity: section gets.
 */
export interface GravityGroup {
  readonly name: string;
  readonly processes: number;
  readonly pools: readonly string[];
  /** Legacy ids (documented spelling, `main.job-handlers.2`) the processes replace, in process order. */
  readonly replaces: readonly string[];
  readonly nameTemplate?: string;
  /** `migration`: decided from uWSGI mules/farms; `galaxy.yml`: already in `gravity.handlers`. */
  readonly source: 'migration' | 'galaxy.yml';
  readonly entry?: GravityHandlerEntry;
}

export type AssignMethod = 'db-skip-locked' | 'db-transaction-isolation';

export interface AssignChoice {
  readonly method: AssignMethod;
  /** One sentence: which database and why this method. */
  readonly why: string;
  readonly database: 'postgresql' | 'sqlite' | 'mysql' | 'other' | 'unknown';
}

export interface JobsContext {
  readonly deployment: Deployment;
  /** The Galaxy app's galaxy.yml, when one was read. */
  readonly galaxy?: GalaxyJobOptions;
  /** Job confs Galaxy reads (inline `job_config` wins over files). */
  readonly confs: readonly JobConfView[];
  /** Every job conf read, whether Galaxy reads it or not. */
  readonly allConfs: readonly JobConfView[];
  readonly groups: readonly GravityGroup[];
  /** The deployment is moving off uWSGI (a uwsgi section, mules, or legacy ids in a job conf). */
  readonly migrating: boolean;
  readonly assign: AssignChoice;
}

const contexts = new WeakMap<Deployment, JobsContext>();

export function jobsContext(d: Deployment): JobsContext {
  let c = contexts.get(d);
  if (!c) contexts.set(d, (c = build(d)));
  return c;
}

/** Gravity's process names for a group (GRAV `config_manager.expand_handlers`, §1.9). */
export function processNames(g: Pick<GravityGroup, 'name' | 'processes' | 'nameTemplate'>): string[] {
  if (!g.nameTemplate && g.processes === 1 && /\d$/.test(g.name)) return [g.name];
  const tpl = g.nameTemplate ?? '{name}_{process}';
  // A count past MAX_PROCESSES (an existing `processes: 100000000`) lists only that many names.
  return Array.from({ length: Math.min(Math.max(1, g.processes), MAX_PROCESSES) }, (_, i) =>
    tpl.replace(/\{name\}/g, g.name).replace(/\{process\}/g, String(i)).replace(/\{instance_name\}/g, '_default_'),
  );
}

/** The job-handler tags a group serves (`job-handlers.special` → `special`). */
export function groupTags(g: GravityGroup): string[] {
  return g.pools.filter((p) => p.startsWith('job-handlers.')).map((p) => poolTag(p)!);
}

export function viewOf(doc: Document): JobConfView | undefined {
  if (doc.kind !== 'job-conf-xml' && doc.kind !== 'job-conf-yml') return undefined;
  return (doc.ast as { view?: JobConfView } | undefined)?.view;
}

function build(d: Deployment): JobsContext {
  const galaxies = d.documents.map(galaxyJobOptions).filter((g): g is GalaxyJobOptions => g !== undefined);
  // The Galaxy app's file, ranked: a file named galaxy.yml (what Galaxy looks for first, before
  // galaxy.ini), then one naming job options (database, job conf), then YAML over INI, then one
  // with a uwsgi block or a gravity: section. The order must not turn on what the apply changes: it
  // removes the uwsgi block and writes a gravity: section with handlers in its place (or a new
  // galaxy.yml beside a galaxy.ini), and if that moved the choice, the next plan would read another
  // file (a galaxy.ini left beside it, a uwsgi.yml) and undo its own work.
  const namesJobOptions = (g: GalaxyJobOptions): boolean => Boolean(g.jobConfigFile || g.inlineJobConfig || g.databaseConnection);
  const named = (g: GalaxyJobOptions): boolean => /(^|\/)galaxy\.ya?ml(\.sample|\.j2)?$/i.test(g.file);
  const rank = (g: GalaxyJobOptions): number =>
    (named(g) ? 16 : 0) + (namesJobOptions(g) ? 8 : 0) + (/\.ini(\.sample)?$/i.test(g.file) ? 0 : 4) + (g.hasUwsgi || g.hasGravity ? 1 : 0);
  const galaxy = galaxies.reduce<GalaxyJobOptions | undefined>((best, g) => (!best || rank(g) > rank(best) ? g : best), undefined);

  const fileConfs = d.documents.map(viewOf).filter((v): v is JobConfView => v !== undefined);
  const allConfs = [...(galaxy?.inlineJobConfig ? [galaxy.inlineJobConfig] : []), ...fileConfs];
  let confs: JobConfView[];
  if (galaxy?.inlineJobConfig) confs = [galaxy.inlineJobConfig];
  else {
    const named = galaxy ? resolveJobConfigFile(galaxy, fileConfs) : undefined;
    confs = named ? [named] : fileConfs;
  }

  const groups: GravityGroup[] = d.decisions.handlers.map((h: HandlerGroup) => ({
    name: h.name,
    processes: h.processes,
    pools: h.pools,
    replaces: h.replaces.map((r) => parseLegacyId(r)?.canonical ?? r),
    ...(h.nameTemplate ? { nameTemplate: h.nameTemplate } : {}),
    source: 'migration' as const,
  }));
  for (const e of galaxy?.gravityHandlers ?? []) {
    const same = groups.find((g) => g.name === e.name);
    if (same) {
      // The decision replaces the written entry (the gravity: writer follows the decision), but
      // keep where it is written for rules that point at it.
      groups[groups.indexOf(same)] = { ...same, entry: e };
      continue;
    }
    groups.push({
      name: e.name,
      processes: e.processes,
      pools: e.pools?.values.map((v) => v.value) ?? [],
      replaces: [],
      ...(e.nameTemplate ? { nameTemplate: e.nameTemplate } : {}),
      source: 'galaxy.yml',
      entry: e,
    });
  }

  const legacyInConfs = allConfs.some(
    (v) =>
      v.handlers.some((h) => parseLegacyId(h.id.value)) ||
      v.refs.some((r) => parseLegacyId(r.value.value)) ||
      (v.default && parseLegacyId(v.default.value)) ||
      v.assign?.methods.some((m) => m.value === 'uwsgi-mule-message'),
  );
  const migrating = d.uwsgi.some((c) => appOf(c) === 'galaxy') || Boolean(galaxy?.hasUwsgi) || d.decisions.handlers.length > 0 || Boolean(legacyInConfs);

  return { deployment: d, ...(galaxy ? { galaxy } : {}), confs, allConfs, groups, migrating, assign: chooseAssign(galaxy, galaxy ? [] : ansibleGalaxyOptions(d.documents, 'database_connection')) };
}

/** `job_config_file` relative to galaxy.yml's directory (Galaxy's config_dir), matched to a read job conf. */
export function resolveJobConfigFile(galaxy: GalaxyJobOptions, confs: readonly JobConfView[]): JobConfView | undefined {
  const p = galaxy.jobConfigFile;
  if (!p || p.templated) return undefined;
  const target = resolvePath(galaxy.dir, p.value);
  const exact = confs.find((c) => c.file === target || c.file === `${target}.j2`);
  if (exact) return exact;
  if (p.value.startsWith('/')) {
    // An absolute path on the server: the read file with the same name stands for it.
    const base = p.value.slice(p.value.lastIndexOf('/') + 1);
    const same = confs.filter((c) => c.file.split('/').pop() === base || c.file.split('/').pop() === `${base}.j2`);
    if (same.length === 1) return same[0];
  }
  return undefined;
}

/** Joins and normalises POSIX paths (`config` + `../job_conf.xml`); an absolute `p` stands alone. */
export function resolvePath(dir: string, p: string): string {
  return p.startsWith('/') ? posix.normalize(p) : posix.join(dir, p);
}

/**
 * §3.2: db-skip-locked needs `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL 9.5+, MySQL 8.0+,
 * MariaDB 10.3+, the last two "untested"); db-transaction-isolation works on any database.
 * Galaxy's own default without `database_connection` is a SQLite file.
 *
 * Without a galaxy.yml (an ansible deployment: the role writes galaxy.yml on the server from
 * `galaxy_config`), the database is read from `galaxy_config.galaxy.database_connection` in the
 * variables files. One job conf serves every host they describe, so the method must suit them all:
 * every value must name the same kind of database, or it stays unknown.
 */
export function chooseAssign(galaxy: GalaxyJobOptions | undefined, ansible: readonly AnsibleGalaxyOption[] = []): AssignChoice {
  if (!galaxy) return ansible.length ? chooseFromAnsible(ansible) : UNKNOWN_WITHOUT_GALAXY;
  const db = galaxy.databaseConnection;
  if (!db || db.value.trim() === '') {
    return {
      method: 'db-transaction-isolation',
      database: 'sqlite',
      why: 'galaxy.yml sets no database_connection, so Galaxy uses its default SQLite database, which has no SELECT … FOR UPDATE SKIP LOCKED',
    };
  }
  return assignFor(db.value, 'database_connection');
}

const UNKNOWN_WITHOUT_GALAXY: AssignChoice = {
  method: 'db-transaction-isolation',
  database: 'unknown',
  why: 'no galaxy.yml was read, so the database is unknown; db-transaction-isolation works on every database (use db-skip-locked on PostgreSQL 9.5 or newer)',
};

function chooseFromAnsible(settings: readonly AnsibleGalaxyOption[]): AssignChoice {
  const where = (s: AnsibleGalaxyOption): string => `${s.variable}.galaxy.database_connection in ${s.file}`;
  const choices = settings.map((s) => assignFor(s.value, where(s)));
  const kinds = new Set(choices.map((c) => c.database));
  if (kinds.size === 1) {
    const first = choices[0]!;
    const others = settings.length - 1;
    return others ? { ...first, why: `${first.why}; ${others === 1 ? 'so is the other setting' : `so are the ${others} other settings`} of the inventory` } : first;
  }
  const named = [...kinds].filter((k) => k !== 'unknown');
  return {
    method: 'db-transaction-isolation',
    database: 'unknown',
    why:
      named.length > 1
        ? `the ansible variables set database_connection for ${named.join(' and ')} databases, and one job conf serves them all; db-transaction-isolation works on every database`
        : `${where(settings[choices.findIndex((c) => c.database === 'unknown')]!)} is not readable here (a template?), so the database is unknown; db-transaction-isolation works on every database (use db-skip-locked on PostgreSQL 9.5 or newer)`,
  };
}

/** The method for one database_connection value, named `where` in the reason (never its text: it may hold a password). */
function assignFor(value: string, where: string): AssignChoice {
  const scheme = /^\s*["']?([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  if (!scheme) {
    return {
      method: 'db-transaction-isolation',
      database: 'unknown',
      why: `${where} is not readable here (a template?), so the database is unknown; db-transaction-isolation works on every database (use db-skip-locked on PostgreSQL 9.5 or newer)`,
    };
  }
  if (/^postgres(ql)?(\+|$)/.test(scheme)) {
    return { method: 'db-skip-locked', database: 'postgresql', why: `${where} is PostgreSQL, which has SELECT … FOR UPDATE SKIP LOCKED (9.5 and newer)` };
  }
  if (/^sqlite/.test(scheme)) {
    return { method: 'db-transaction-isolation', database: 'sqlite', why: `${where} is SQLite, which has no SELECT … FOR UPDATE SKIP LOCKED` };
  }
  if (/^(mysql|mariadb)/.test(scheme)) {
    return {
      method: 'db-transaction-isolation',
      database: 'mysql',
      why: `${where} is MySQL/MariaDB: SKIP LOCKED needs MySQL 8.0 or MariaDB 10.3 and is untested with Galaxy, and the server version is not known here`,
    };
  }
  return { method: 'db-transaction-isolation', database: 'other', why: `${where} is ${scheme}, not known to support SELECT … FOR UPDATE SKIP LOCKED` };
}

export const DB_METHODS: readonly string[] = ['db-skip-locked', 'db-transaction-isolation'];
/** GX-HANDLERS-NEW: the methods Galaxy accepts after uWSGI. */
export const KNOWN_METHODS: readonly string[] = ['mem-self', 'db-self', 'db-preassign', 'db-transaction-isolation', 'db-skip-locked'];
