import type { Document, SourceFile } from './document.js';
import type { Range } from './range.js';

/**
 * The deployment is one model: what the rewrite decides once (the gunicorn bind, the URL prefix,
 * the handler pools) is read by every rule, so that the bind written into `gravity:` is the
 * address the rewritten proxy points at and the pools are the ones job_conf maps tools to.
 */

/** One option as uWSGI reads it, in uWSGI's order, repeated keys kept. */
export interface UwsgiOption {
  readonly key: string;
  /** The value after the `$()`, `@()` and `%()` passes (what uWSGI applies). */
  readonly value: string;
  /** The value as written in the file (after magic variables, before the passes). */
  readonly rawValue: string;
  /** The file the option was read from (an included file is its own). */
  readonly file: string;
  /** The whole option: from the key to the end of the value (not the line break). */
  readonly range: Range;
  readonly keyRange: Range;
  readonly valueRange: Range;
  /** True for options that came from `include`/`ini`/`yaml`/`inherit` of another file. */
  readonly included: boolean;
}

/** A uWSGI option list found in the deployment: a `uwsgi:` block, an `[uwsgi]` section, a file. */
export interface UwsgiConfig {
  /** The document the section sits in. */
  readonly file: string;
  readonly section: string;
  readonly options: readonly UwsgiOption[];
  /** Where the section's text is in `file`, header included (for removing it whole). */
  readonly sectionRange?: Range;
}

/** An address a server listens on or a proxy connects to. */
export type Address =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export interface LegacyListener {
  /** The uWSGI option (`socket`, `uwsgi-socket`, `http`, `http-socket`, `https`, `shared-socket`). */
  readonly option: string;
  readonly protocol: 'uwsgi' | 'http' | 'https';
  readonly address: Address;
  readonly file: string;
  readonly range: Range;
}

export interface HandlerGroup {
  /** Key under `gravity.handlers`. */
  readonly name: string;
  readonly processes: number;
  readonly pools: readonly string[];
  /** Legacy ids these processes replace (`main.job-handlers.1`, `main.mule1`), in order. */
  readonly replaces: readonly string[];
  readonly nameTemplate?: string;
}

/** What the migration decided, once, for all rules. */
export interface MigrationDecisions {
  /** The gunicorn bind written into `gravity.gunicorn.bind` (`unix:/path` or `host:port`). */
  readonly gunicornBind?: string;
  readonly gunicornAddress?: Address;
  /** True when the bind is a unix socket and gunicorn needs `--forwarded-allow-ips="*"`. */
  readonly forwardedAllowAll: boolean;
  /** `galaxy_url_prefix` (from `mount` + `manage-script-name` or a paste prefix filter). */
  readonly urlPrefix?: string;
  /** The legacy uWSGI listeners the proxy may point at. */
  readonly legacyListeners: readonly LegacyListener[];
  /** Webless handler groups replacing mules and farms. */
  readonly handlers: readonly HandlerGroup[];
  /** Number of gunicorn workers (uWSGI `processes`). */
  readonly webWorkers?: number;
  /**
   * Several gunicorn instances, each with its own bind, that `galaxyctl graceful` restarts one at a
   * time (a zerg setup, docs/galaxy-target.md §2.3); `gunicornBind` is the first. Absent for one.
   */
  readonly gunicornInstances?: readonly GunicornInstance[];
  /** The legacy zerg setup and whether it could be carried over (src/model/zerg.ts). */
  readonly zerg?: ZergDecision;
  /** What the legacy supervisord programs / systemd units ran, as Gravity settings (rules/process). */
  readonly processes?: ProcessManagerFacts;
}

export interface GunicornInstance {
  /** As written into `gravity.gunicorn[i].bind` (`unix:/path` or `host:port`). */
  readonly bind: string;
  readonly address: Address;
}

/**
 * A uWSGI zerg setup (a zerg pool or zerg server owning the listening socket, zerglings attached to
 * it): understood when the address the pool served and the zerglings are known, so it becomes a
 * list of gunicorn instances; otherwise the reason it is left to the admin.
 */
export type ZergDecision =
  | {
      readonly understood: true;
      /** The address the zerg pool (or zerg server) listened on: where the proxy pointed. */
      readonly pool: Address;
      /** Where that address was read (`file:line` and the option). */
      readonly poolFrom: string;
      /** How many zerglings the old setup ran, when the files say so. */
      readonly zerglings?: number;
      /** Lines for the report: how the number and the binds were chosen. */
      readonly notes: readonly string[];
    }
  | { readonly understood: false; readonly why: string };

/** A `gravity:` key and the value to write (scalars as YAML will read them; Jinja kept as text). */
export interface GravitySetting {
  readonly key: string;
  readonly value: string | number | boolean;
  /** Where the value was read (a program's `umask =`, a unit's `MemoryLimit=`). */
  readonly file?: string;
  readonly range?: Range;
}

/**
 * The legacy process manager's facts (docs/galaxy-target.md §6.3): which one ran Galaxy, and the
 * Gravity keys that carry its programs' or units' settings, so that the `gravity:` section written
 * from the uWSGI options can carry them too.
 */
export interface ProcessManagerFacts {
  readonly manager: 'supervisor' | 'systemd';
  /** Top-level keys: `process_manager`, `galaxy_user`, `galaxy_group`, `umask`, `memory_limit`, `virtualenv`, `galaxy_root`. */
  readonly top: readonly GravitySetting[];
  /** `gravity.gunicorn` keys: `start_timeout`, `stop_timeout`, `memory_limit`, `workers`. */
  readonly gunicorn: readonly GravitySetting[];
  /** Environment the web programs set, beyond what `virtualenv` covers. */
  readonly environment: readonly GravitySetting[];
  /** Handler groups for the legacy handler programs; `nameTemplate` keeps their process names. */
  readonly handlers: readonly HandlerGroup[];
  /** Legacy handler names that the job conf lists as static handlers: Gravity starts those by itself. */
  readonly staticHandlers: readonly string[];
  /** The Galaxy configuration file the legacy programs start Galaxy with, as written there. */
  readonly galaxyConfigFile?: string;
  /** uWSGI options given on the web program's command line (`--socket`, `--processes`, `--mule`…). */
  readonly commandLine?: UwsgiConfig;
}

export interface Deployment {
  readonly documents: readonly Document[];
  /** Every text read (documents and the files they include), by path. */
  readonly files: ReadonlyMap<string, SourceFile>;
  readonly uwsgi: readonly UwsgiConfig[];
  readonly decisions: MigrationDecisions;
  /** Values that must never be printed (passwords, secrets, keys), gathered from every file. */
  readonly secrets: readonly string[];
}

export function documentsOfKind<K extends Document['kind']>(d: Deployment, ...kinds: K[]): Document[] {
  return d.documents.filter((doc) => (kinds as string[]).includes(doc.kind));
}
