import type { HandlerGroup, UwsgiOption } from '../../src/core/model.js';
import type { Entry, Scalar } from '../../src/formats/galaxy-yml/write.js';

/**
 * The `gravity:` section a uWSGI configuration becomes, built up by the option tables of the
 * uwsgi/* rules (each row adds what its option means) and written as text by
 * uwsgi/section-to-gravity. Insertion order is the order keys are written in.
 */
export interface MovedKey {
  readonly key: string;
  readonly value: Scalar;
  readonly from: UwsgiOption;
}

export class GravityDraft {
  /** Top-level `gravity:` keys (virtualenv, galaxy_root, umask, galaxy_user, log_dir …). */
  readonly top = new Map<string, Scalar>();
  readonly gunicorn = new Map<string, Scalar>();
  /** Two or more binds: `gunicorn` is written as a list of instances, one per bind (zerg mode → rolling restarts). */
  gunicornBinds: readonly string[] = [];
  /** gunicorn flags without a Gravity key, joined into `gunicorn.extra_args`. */
  readonly extraArgs: string[] = [];
  /** `env:` entries, written to every Galaxy service (uWSGI gave them to workers and mules alike). */
  readonly environment = new Map<string, string>();
  readonly handlers: HandlerGroup[] = [];
  readonly gxItProxy = new Map<string, Scalar>();
  /** Options that now belong in `galaxy:` (`galaxy_url_prefix`, `interactivetools_map`). */
  readonly galaxy: MovedKey[] = [];
  /** Whether to write the `celery:` block that makes Gravity's default Celery services visible. */
  celery = false;

  addExtraArg(arg: string): void {
    if (!this.extraArgs.includes(arg)) this.extraArgs.push(arg);
  }

  moveToGalaxy(key: string, value: Scalar, from: UwsgiOption): void {
    const i = this.galaxy.findIndex((m) => m.key === key);
    if (i >= 0) this.galaxy.splice(i, 1); // the last option wins, as uWSGI applies it
    this.galaxy.push({ key, value, from });
  }

  get isEmpty(): boolean {
    return this.top.size + this.gunicorn.size + this.gunicornBinds.length + this.extraArgs.length + this.environment.size + this.handlers.length + this.gxItProxy.size === 0 && !this.celery;
  }
}

export const CELERY_COMMENT = [
  'Gravity starts Celery workers and Celery beat unless told not to; uWSGI ran neither.',
  'Galaxy (22.05 and later) runs background tasks in them, so they stay on; set both',
  'to false to keep exactly the old set of processes.',
];

const TOP_ORDER = ['process_manager', 'galaxy_root', 'virtualenv', 'galaxy_user', 'galaxy_group', 'umask', 'memory_limit', 'log_dir'];
const GUNICORN_ORDER = ['bind', 'workers', 'timeout', 'preload', 'start_timeout', 'stop_timeout', 'memory_limit'];

/** Map entries in a fixed order (known keys first, in that order; others as they came). */
function ordered(m: ReadonlyMap<string, Scalar>, order: readonly string[]): Entry[] {
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...m].sort((a, b) => rank(a[0]) - rank(b[0])).map(([k, v]) => ({ key: k, value: v }));
}

/** The draft as the entries of the `gravity:` mapping, in Gravity's documented order. */
export function draftEntries(d: GravityDraft): Entry[] {
  const out: Entry[] = [];
  const env = (): Entry[] => (d.environment.size ? [{ key: 'environment', value: [...d.environment].map(([k, v]) => ({ key: k, value: v })) }] : []);
  out.push(...ordered(d.top, TOP_ORDER));
  const gun: Entry[] = ordered(d.gunicorn, GUNICORN_ORDER);
  if (d.extraArgs.length) gun.push({ key: 'extra_args', value: d.extraArgs.join(' ') });
  gun.push(...env());
  if (d.gunicornBinds.length > 1) {
    // Every instance gets the same settings and its own bind (Gravity docs/advanced_usage.rst).
    const shared = gun.filter((e) => e.key !== 'bind');
    out.push({ key: 'gunicorn', value: d.gunicornBinds.map((bind) => [{ key: 'bind', value: bind }, ...shared]) });
  } else if (gun.length) out.push({ key: 'gunicorn', value: gun });
  if (d.celery) {
    out.push({
      key: 'celery',
      comments: CELERY_COMMENT,
      value: [{ key: 'enable', value: true }, { key: 'enable_beat', value: true }, ...env()],
    });
  }
  if (d.gxItProxy.size) out.push({ key: 'gx_it_proxy', value: [...d.gxItProxy].map(([k, v]) => ({ key: k, value: v })) });
  if (d.handlers.length) {
    out.push({
      key: 'handlers',
      value: d.handlers.map((h) => ({
        key: h.name,
        value: [
          { key: 'processes', value: h.processes },
          { key: 'pools', value: [...h.pools] },
          ...(h.nameTemplate ? [{ key: 'name_template', value: h.nameTemplate }] : []),
          ...env(),
        ],
      })),
    });
  }
  return out;
}

