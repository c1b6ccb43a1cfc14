import type { HandlerGroup, UwsgiConfig, UwsgiOption } from '../core/model.js';
import { MAX_PROCESSES } from './limits.js';
import { all, clean, wholeNumber } from './uwsgi-options.js';

/**
 * Mules and farms → Gravity handler groups (docs/galaxy-target.md §2.4, §3.1, §3.4).
 *
 * uWSGI numbers mules from 1: first the programmed ones (`mule: <script>`, in option order), then
 * the generic ones that `mules: N` adds. `farm: name:1,2,3` puts mules (by id) into a farm, and
 * Galaxy uses farm names as handler pools. Galaxy names a farmed mule
 * `{server_name}.{farm}.{position in the farm, from 1}` with the *first* farm the mule is in, and a
 * mule in no farm `{server_name}.None.{mule id}` (GX-STACK-UW `server_name_template`, `facts`,
 * `_farm_server_names`; the server name is `main` under uWSGI).
 */
export interface Mule {
  readonly id: number;
  readonly option: UwsgiOption;
  /** The script a programmed mule runs; empty for a generic mule. */
  readonly script: string;
  /** True when the mule runs Galaxy's job handler (`lib/galaxy/main.py`, `galaxy-main`). */
  readonly galaxy: boolean;
}

export interface Farm {
  readonly name: string;
  readonly muleIds: readonly number[];
  readonly option: UwsgiOption;
  /** True when the value could not be read as `name:1,2,…`. */
  readonly malformed: boolean;
}

export interface HandlerPlan {
  readonly groups: readonly HandlerGroup[];
  readonly mules: readonly Mule[];
  readonly farms: readonly Farm[];
  /** Mules that do not run Galaxy, or that no farm holds while other mules are farmed: not migrated. */
  readonly leftOut: readonly { readonly mule: Mule; readonly reason: string }[];
  /** Farm entries that name a mule that does not exist. */
  readonly missing: readonly { readonly farm: Farm; readonly id: number }[];
  /** Which group each migrated mule (by id) went to, and the id Galaxy gave it. */
  readonly assignments: ReadonlyMap<number, { readonly group: string; readonly legacyId: string; readonly index: number }>;
}

const GALAXY_MULE = /(^|[/\\])(lib\/galaxy\/main\.py|galaxy\/main\.py|galaxy-main)$|^galaxy\.main$/;

export function mulesOf(config: UwsgiConfig): Mule[] {
  const programmed = all(config, 'mule').map((o) => clean(o.value).trim());
  const opts = all(config, 'mule');
  const out: Mule[] = [];
  programmed.forEach((script, i) => {
    const option = opts[i]!;
    // `mule: true` (or an empty value) is a generic mule in uWSGI's terms, but Galaxy's
    // `_uwsgi_configured_mules` treated `True` as its own programmed mule list entry.
    const isGeneric = script === '' || /^(true|1)$/i.test(script);
    out.push({ id: i + 1, option, script: isGeneric ? '' : script, galaxy: GALAXY_MULE.test(script) });
  });
  for (const o of all(config, 'mules')) {
    // Generic mules run no Galaxy code and are never migrated; past MAX_PROCESSES (a typo, or
    // hostile input) they are not listed one by one either.
    const n = Math.min(wholeNumber(o.value) ?? 0, MAX_PROCESSES);
    for (let k = 0; k < n; k++) out.push({ id: out.length + 1, option: o, script: '', galaxy: false });
  }
  return out;
}

export function farmsOf(config: UwsgiConfig): Farm[] {
  return all(config, 'farm').map((o) => {
    const v = clean(o.value).trim();
    const at = v.indexOf(':');
    if (at <= 0) return { name: v, muleIds: [], option: o, malformed: true };
    const ids = v
      .slice(at + 1)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const nums = ids.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
    return { name: v.slice(0, at), muleIds: nums.filter((n) => !Number.isNaN(n)), option: o, malformed: nums.some((n) => Number.isNaN(n)) };
  });
}

const SINGULAR = /^(job-handler|workflow-scheduler)(\..+)?$/;

/** `job-handler[.tag]`, `workflow-scheduler[.tag]`: the singular forms of Galaxy 22.01's scaling doc (a doc bug). */
export function isSingularPool(p: string): boolean {
  return SINGULAR.test(p);
}

/** `job-handler` → `job-handlers`; other names unchanged. */
export function pluralPool(p: string): string {
  const m = SINGULAR.exec(p);
  return m ? `${m[1]}s${m[2] ?? ''}` : p;
}

/** Is this a pool name Galaxy's job or workflow handling knows (GX-STACK-NEW `_init_job_handler_subpools`)? */
export function isGalaxyPool(name: string): boolean {
  return /^(job-handlers|workflow-schedulers)(\.[^.\s]+)?$/.test(name);
}

export function planHandlers(config: UwsgiConfig, serverName = 'main'): HandlerPlan {
  const mules = mulesOf(config);
  const farms = farmsOf(config);
  const byId = new Map(mules.map((m) => [m.id, m]));
  const missing: { farm: Farm; id: number }[] = [];
  for (const f of farms) for (const id of f.muleIds) if (!byId.has(id)) missing.push({ farm: f, id });

  const farmsOfMule = (id: number): Farm[] => farms.filter((f) => f.muleIds.includes(id));
  const anyFarm = farms.some((f) => f.muleIds.length > 0);
  // A farm named in the singular (`job-handler`) handled nothing under uWSGI; its pool is written in
  // the plural Galaxy knows, as jobs/gravity-pool-names would correct it the moment it is written.
  const poolOf = (f: Farm): string => pluralPool(f.name);
  const hasWorkflowFarm = farms.some((f) => /^workflow-schedulers(\.|$)/.test(poolOf(f)));
  const leftOut: { mule: Mule; reason: string }[] = [];

  interface Draft {
    pools: string[];
    ids: string[];
    mules: number[];
    firstMule: number;
  }
  const drafts = new Map<string, Draft>();
  for (const m of mules) {
    if (!m.galaxy) {
      leftOut.push({ mule: m, reason: m.script ? `runs \`${m.script}\`, not Galaxy's job handler` : 'a generic uWSGI mule runs no Galaxy code' });
      continue;
    }
    const fs = farmsOfMule(m.id);
    if (fs.length === 0 && anyFarm) {
      leftOut.push({ mule: m, reason: 'no farm holds it, so Galaxy never used it as a handler ("unfarmed mules are not supported")' });
      continue;
    }
    let pools: string[];
    let legacyId: string;
    if (fs.length === 0) {
      // Mules and no farm at all: the admin meant job handlers (GX-SCALE-UW recipe); make them one.
      pools = ['job-handlers', 'workflow-schedulers'];
      legacyId = `${serverName}.None.${m.id}`;
    } else {
      pools = fs.map(poolOf);
      // A job-handlers farm also scheduled workflows when no workflow-schedulers farm existed
      // (pools are hierarchical, §1.9); Gravity's recipe names both pools (§3.4 A).
      if (pools.includes('job-handlers') && !hasWorkflowFarm && !pools.includes('workflow-schedulers')) pools.push('workflow-schedulers');
      const first = fs[0]!;
      legacyId = `${serverName}.${first.name}.${first.muleIds.indexOf(m.id) + 1}`;
    }
    const key = pools.join('\n');
    const d = drafts.get(key) ?? { pools, ids: [], mules: [], firstMule: m.id };
    d.ids.push(legacyId);
    d.mules.push(m.id);
    drafts.set(key, d);
  }

  const used = new Set<string>();
  const assignments = new Map<number, { group: string; legacyId: string; index: number }>();
  const groups: HandlerGroup[] = [...drafts.values()]
    .sort((a, b) => a.firstMule - b.firstMule)
    .map((d) => {
      let name = groupName(d.pools);
      for (let k = 2; used.has(name); k++) name = `${groupName(d.pools)}${k}`;
      used.add(name);
      d.mules.forEach((id, i) => assignments.set(id, { group: name, legacyId: d.ids[i]!, index: i }));
      return { name, processes: d.ids.length, pools: d.pools, replaces: d.ids };
    });
  return { groups, mules, farms, leftOut, missing, assignments };
}

/**
 * The key under `gravity.handlers`: `handler` for the job-handlers pool (the name Galaxy's
 * Gunicorn-era docs use), the tag for a `job-handlers.<tag>` farm (§3.4 B), `workflow_scheduler`
 * for the workflow pool; names are kept to letters, digits and `_` so the process names Gravity
 * makes from them (`{name}_{process}`) stay plain.
 */
function groupName(pools: readonly string[]): string {
  const first = pools[0] ?? 'handler';
  if (first === 'job-handlers') return 'handler';
  const tagged = /^job-handlers\.(.+)$/.exec(first);
  if (tagged) return sanitize(tagged[1]!);
  if (first === 'workflow-schedulers') return 'workflow_scheduler';
  const wf = /^workflow-schedulers\.(.+)$/.exec(first);
  if (wf) return `workflow_scheduler_${sanitize(wf[1]!)}`;
  return sanitize(first);
}

function sanitize(s: string): string {
  const out = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return out === '' ? 'handler' : out;
}
