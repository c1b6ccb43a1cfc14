import type { Edit } from '../../src/core/finding.js';
import type { Range } from '../../src/core/range.js';
import {
  parseLegacyId,
  type HandlerDef,
  type HandlerRef,
  type JobConfView,
  type LegacyId,
  type NewHandler,
  type ValueRef,
} from '../../src/formats/job-conf/view.js';
import { DB_METHODS, groupTags, processNames, type GravityGroup, type JobsContext } from './context.js';

/**
 * The handler rewrite of one job conf, decided once and shared by the jobs/* rules so that their
 * fixes agree and never overlap (each edit belongs to exactly one rule). Recipes C, D, F of
 * docs/galaxy-target.md §3.4:
 *
 * - a legacy id (`main.job-handlers.N`, `main.job-handler.N`, `main.web.N`) whose mule a Gravity
 *   group replaces: its `<handler>` goes (Gravity starts the group); references to it go to the
 *   group's tag when the group serves a `job-handlers.<tag>` pool; a tool pinned to one mule of an
 *   untagged group gets a static handler of its own, tagged so that it takes no other jobs
 *   (GX-SCALE-GU: "a handler must be tagged to prevent it from handling jobs created for tools
 *   that are not explicitly mapped to handlers"), which Gravity starts by itself
 *   (GRAV `create_static_handler_services`);
 * - a legacy id nothing replaces (a web worker, a mule the migration does not carry over): the
 *   process disappears with uWSGI, so it becomes a static handler with a plain name and keeps its
 *   tags and references;
 * - a tag whose every handler went to a Gravity group is served by that group's tag, or by the
 *   default pool (references to it are dropped, so those tools use the default);
 * - `default` naming what no longer exists is rewritten the same way, or removed (unset, it means
 *   "untagged handlers plus the job-handlers pool", GX-JOBCONF-YML).
 */

export type LegacyOutcome =
  | { readonly kind: 'pool-tag'; readonly tag: string }
  | { readonly kind: 'pool' }
  | { readonly kind: 'static'; readonly id: string; readonly tags: readonly string[]; readonly created: boolean; readonly retagged: boolean };

export interface LegacyAction {
  /** The id as written in the job conf. */
  readonly id: string;
  readonly legacy: LegacyId;
  readonly group?: GravityGroup;
  readonly def?: HandlerDef;
  /** Further definitions of the same id (jobs/duplicate-handler reports them): they go the same way as `def`. */
  readonly dupes: readonly HandlerDef[];
  readonly refs: readonly HandlerRef[];
  readonly isDefault: boolean;
  readonly outcome: LegacyOutcome;
  /** Edits of jobs/legacy-handler-ids (the definition and the references; not `default`). */
  readonly edits: readonly Edit[];
  /** Where the finding goes. */
  readonly at: Range;
}

export interface StaleTagAction {
  readonly tag: string;
  readonly refs: readonly HandlerRef[];
  readonly carriers: readonly HandlerDef[];
  readonly outcome: { readonly kind: 'pool-tag'; readonly tag: string } | { readonly kind: 'pool' };
  readonly edits: readonly Edit[];
  readonly at: Range;
}

export interface DefaultAction {
  readonly ref: ValueRef;
  readonly reason: 'legacy' | 'stale-tag' | 'dangling';
  readonly outcome: { readonly kind: 'replace'; readonly value: string } | { readonly kind: 'remove' };
  readonly edits: readonly Edit[];
}

/** Who serves jobs after the migration (static handlers of the job conf + Gravity groups). */
export interface AfterState {
  readonly staticIds: ReadonlySet<string>;
  readonly staticTags: ReadonlySet<string>;
  readonly untaggedStatic: boolean;
  readonly poolTags: ReadonlySet<string>;
  /** Some Gravity group serves the untagged `job-handlers` pool. */
  readonly defaultPool: boolean;
  readonly processNames: ReadonlySet<string>;
  /** Any process handles jobs at all. */
  readonly anyHandler: boolean;
  /** The `default` after the plan (undefined: unset). */
  readonly default?: string;
}

export interface HandlerPlan {
  readonly conf: JobConfView;
  readonly legacy: readonly LegacyAction[];
  readonly staleTags: readonly StaleTagAction[];
  readonly default?: DefaultAction;
  /** Static handlers to add to the job conf. */
  readonly newHandlers: readonly NewHandler[];
  /** Which rule inserts `newHandlers`: jobs/explicit-assignment (with the method) or jobs/legacy-handler-ids. */
  readonly insertOwner?: 'assignment' | 'legacy';
  /** Every range some edit of the plan removes (insertions avoid them). */
  readonly removed: readonly Range[];
  readonly after: AfterState;
  /** The conf was read whole: edits may be proposed. */
  readonly editable: boolean;
  /** jobs/explicit-assignment inserts an assignment method (none is set at all). */
  readonly assignInsert: boolean;
}

/** The tag given to static handlers that stand for one pinned mule or web worker. */
export const PINNED_TAG = 'pinned';

const plans = new WeakMap<JobConfView, HandlerPlan>();

export function handlerPlan(ctx: JobsContext, conf: JobConfView): HandlerPlan {
  let p = plans.get(conf);
  if (!p) plans.set(conf, (p = build(ctx, conf)));
  return p;
}

/**
 * The methods Galaxy actually reads: XML `assign_with`, YAML `assign` (a YAML `assign_with:` key,
 * as usegalaxy.eu wrote it, is not read at all).
 */
export function effectiveMethods(conf: JobConfView): readonly ValueRef[] | undefined {
  if (!conf.assign) return undefined;
  if (conf.format === 'yml' && conf.assign.key !== 'assign') return undefined;
  return conf.assign.methods;
}

export function hasDbMethod(conf: JobConfView): boolean {
  return Boolean(effectiveMethods(conf)?.some((m) => DB_METHODS.includes(m.value)));
}

function build(ctx: JobsContext, conf: JobConfView): HandlerPlan {
  const groups = ctx.groups;
  const groupOf = (l: LegacyId): GravityGroup | undefined => groups.find((g) => g.replaces.includes(l.canonical));
  const legacyIds = new Map<string, LegacyId>();
  const note = (v: ValueRef | undefined): void => {
    if (!v || v.templated) return;
    const l = parseLegacyId(v.value);
    if (l) legacyIds.set(v.value, l);
  };
  for (const h of conf.handlers) note(h.id);
  for (const r of conf.refs) note(r.value);
  note(conf.default);

  const takenIds = new Set<string>([...conf.handlers.map((h) => h.id.value), ...groups.flatMap(processNames)]);
  const staticName = (l: LegacyId): string => {
    const base = `${l.pool.replace(/[^A-Za-z0-9]+/g, '_').replace(/^job_handler(?=$|_)/, 'job_handlers')}_${l.index}`;
    let name = base;
    for (let k = 2; takenIds.has(name); k++) name = `${base}_${k}`;
    takenIds.add(name);
    return name;
  };

  // Outcomes first (they decide which tags survive), edits after.
  interface Draft {
    id: string;
    legacy: LegacyId;
    group?: GravityGroup;
    def?: HandlerDef;
    dupes: HandlerDef[];
    refs: HandlerRef[];
    isDefault: boolean;
    outcome: LegacyOutcome;
  }
  // Handlers and references by the value they name, each list in file order, made once: a search
  // of every handler and reference per id or tag was quadratic in a job conf with thousands of them.
  const defsById = new Map<string, HandlerDef[]>();
  for (const h of conf.handlers) if (!h.id.templated) listIn(defsById, h.id.value).push(h);
  const refsByValue = new Map<string, HandlerRef[]>();
  for (const r of conf.refs) if (!r.value.templated) listIn(refsByValue, r.value.value).push(r);
  const drafts: Draft[] = [];
  const D0 = conf.default;
  for (const [id, legacy] of legacyIds) {
    const group = groupOf(legacy);
    const [def, ...dupes] = defsById.get(id) ?? [];
    const refs = [...(refsByValue.get(id) ?? [])];
    const isDefault = conf.default?.value === id && !conf.default.templated;
    let outcome: LegacyOutcome;
    const tag = group ? groupTags(group)[0] : undefined;
    if (group && tag) outcome = { kind: 'pool-tag', tag };
    else if (group && refs.length === 0) outcome = { kind: 'pool' };
    else if (group) outcome = { kind: 'static', id: staticName(legacy), tags: [PINNED_TAG], created: !def, retagged: true };
    else outcome = { kind: 'static', id: staticName(legacy), tags: def ? def.tags : refs.length ? [PINNED_TAG] : [], created: !def, retagged: false };
    drafts.push({ id, legacy, ...(group ? { group } : {}), ...(def ? { def } : {}), dupes, refs, isDefault, outcome });
  }

  // A handler of its own for pinned jobs is tagged so that it takes nothing else, but only when
  // something else takes the jobs no tool is mapped to: defining any handler stops the Gunicorn
  // web workers from handling jobs (§3.2), so without a job-handlers pool or an untagged handler
  // the pinned handler must be the default one too.
  // The draft a definition belongs to (drafts are per id, so at most one): an index, not a search per handler.
  const draftOf = new Map<HandlerDef, Draft>();
  for (const d of drafts) for (const h of d.def ? [d.def, ...d.dupes] : d.dupes) if (!draftOf.has(h)) draftOf.set(h, d);
  const owned = (h: HandlerDef): boolean => draftOf.has(h);
  const isPinned = (d: Draft): boolean => d.outcome.kind === 'static' && d.outcome.tags.length === 1 && d.outcome.tags[0] === PINNED_TAG && (d.outcome.retagged || d.outcome.created);
  const othersTakeDefault =
    groups.some((g) => g.pools.includes('job-handlers')) ||
    conf.handlers.some((h) => !owned(h) && h.tags.length === 0) ||
    drafts.some((d) => d.outcome.kind === 'static' && !isPinned(d) && d.outcome.tags.length === 0) ||
    Boolean(D0 && !D0.templated && !legacyIds.has(D0.value) && conf.handlers.some((h) => !owned(h) && (h.id.value === D0.value || h.tags.includes(D0.value)))) ||
    conf.handlersOpaque ||
    conf.defaultIndirect;
  if (!othersTakeDefault) {
    for (const d of drafts) {
      if (isPinned(d) && d.outcome.kind === 'static') d.outcome = { ...d.outcome, tags: [], retagged: Boolean(d.def && d.def.tags.length) };
    }
  }

  // Static handlers after the plan.
  const removedDefs = new Set<HandlerDef>();
  const afterDefs: { id: string; tags: readonly string[] }[] = [];
  for (const h of conf.handlers) {
    const d = draftOf.get(h);
    if (!d) afterDefs.push({ id: h.id.value, tags: h.tags });
    else if (d.outcome.kind === 'static') afterDefs.push({ id: d.outcome.id, tags: d.outcome.retagged ? d.outcome.tags : h.tags });
    else removedDefs.add(h);
  }
  const newHandlers: NewHandler[] = drafts
    .filter((d) => d.outcome.kind === 'static' && d.outcome.created)
    .map((d) => {
      const o = d.outcome as Extract<LegacyOutcome, { kind: 'static' }>;
      return { id: o.id, tags: o.tags };
    });
  afterDefs.push(...newHandlers);

  const poolTags = new Set(groups.flatMap(groupTags));
  const names = new Set(groups.flatMap(processNames));
  const staticIds = new Set(afterDefs.map((h) => h.id));
  const staticTags = new Set(afterDefs.flatMap((h) => h.tags));
  const resolvesAfter = (v: string): boolean => staticIds.has(v) || staticTags.has(v) || poolTags.has(v) || names.has(v);

  // Tags whose every carrier went to a Gravity group.
  const staleDrafts: { tag: string; refs: HandlerRef[]; carriers: HandlerDef[]; outcome: StaleTagAction['outcome'] }[] = [];
  const usedTags = new Set<string>();
  for (const r of conf.refs) if (!r.value.templated && !legacyIds.has(r.value.value)) usedTags.add(r.value.value);
  if (conf.default && !conf.default.templated && !legacyIds.has(conf.default.value)) usedTags.add(conf.default.value);
  // The handlers carrying each tag or id, in file order (each handler once per name).
  const carriersOf = new Map<string, HandlerDef[]>();
  for (const h of conf.handlers) for (const name of new Set([...h.tags, h.id.value])) listIn(carriersOf, name).push(h);
  for (const tag of usedTags) {
    if (resolvesAfter(tag)) continue;
    const carriers = [...(carriersOf.get(tag) ?? [])];
    // Every carrier was a legacy id that a Gravity group (or a pinned handler) replaces.
    if (!carriers.length || !carriers.every((c) => draftOf.get(c)?.group)) continue;
    const gs = [...new Set(carriers.map((c) => draftOf.get(c)?.group).filter((g): g is GravityGroup => g !== undefined))];
    const t = gs.length === 1 ? groupTags(gs[0]!)[0] : undefined;
    staleDrafts.push({
      tag,
      refs: [...(refsByValue.get(tag) ?? [])],
      carriers,
      outcome: t ? { kind: 'pool-tag', tag: t } : { kind: 'pool' },
    });
  }

  // The default.
  let dflt: Omit<DefaultAction, 'edits'> | undefined;
  const D = conf.default;
  if (D && !D.templated && !conf.defaultIndirect) {
    const ld = drafts.find((d) => d.id === D.value);
    const sd = staleDrafts.find((s) => s.tag === D.value);
    if (ld) {
      const o = ld.outcome;
      dflt = { ref: D, reason: 'legacy', outcome: o.kind === 'pool' ? { kind: 'remove' } : { kind: 'replace', value: o.kind === 'pool-tag' ? o.tag : o.id } };
    } else if (sd) {
      dflt = { ref: D, reason: 'stale-tag', outcome: sd.outcome.kind === 'pool-tag' ? { kind: 'replace', value: sd.outcome.tag } : { kind: 'remove' } };
    } else if (!resolvesAfter(D.value) && !conf.handlersOpaque) {
      dflt = { ref: D, reason: 'dangling', outcome: { kind: 'remove' } };
    }
  }

  const editable = !conf.incomplete;
  const e = conf.edit;

  // YAML: a `processes:` left empty must go whole (Galaxy iterates it).
  const removeAll = conf.format === 'yml' && conf.handlers.length > 0 && conf.handlers.every((h) => removedDefs.has(h)) && newHandlers.length === 0;

  const legacy: LegacyAction[] = [];
  let removeAllGiven = false;
  for (const d of drafts) {
    const edits: Edit[] = [];
    const o = d.outcome;
    for (const def of d.def ? [d.def, ...d.dupes] : []) {
      if (o.kind === 'static') {
        edits.push(e.replaceValue(def.id, o.id));
        if (o.retagged) edits.push(e.setTags(def, o.tags));
      } else if (removeAll) {
        if (!removeAllGiven) edits.push(...e.removeAllHandlers());
        removeAllGiven = true;
      } else edits.push(e.removeHandler(def));
    }
    for (const r of d.refs) {
      if (o.kind === 'pool-tag') edits.push(e.replaceValue(r.value, o.tag));
      else if (o.kind === 'static') edits.push(e.replaceValue(r.value, o.id));
    }
    const at = d.def?.id.range ?? d.refs[0]?.value.range ?? (d.isDefault ? D!.range : { start: 0, end: 0 });
    legacy.push({ ...d, edits: editable ? edits : [], at });
  }

  const staleTags: StaleTagAction[] = staleDrafts.map((s) => {
    const edits = s.refs.map((r) => (s.outcome.kind === 'pool-tag' ? e.replaceValue(r.value, s.outcome.tag) : e.removeRef(r)));
    const at = s.refs[0]?.value.range ?? (D && D.value === s.tag ? D.range : s.carriers[0]!.id.range);
    return { ...s, edits: editable ? edits : [], at };
  });

  let defaultAction: DefaultAction | undefined;
  if (dflt) {
    const edits = dflt.outcome.kind === 'remove' ? e.removeDefault() : [e.replaceValue(dflt.ref, dflt.outcome.value)];
    defaultAction = { ...dflt, edits: editable ? edits : [] };
  }

  const removed: Range[] = [];
  for (const a of legacy) for (const x of a.edits) if (x.text === '' && x.end > x.start) removed.push({ start: x.start, end: x.end });
  for (const s of staleTags) for (const x of s.edits) if (x.text === '' && x.end > x.start) removed.push({ start: x.start, end: x.end });
  for (const x of defaultAction?.edits ?? []) if (x.text === '') removed.push({ start: x.start, end: x.end });

  const anyHandler = afterDefs.length > 0 || groups.some((g) => g.pools.length > 0);
  const assignInsert = editable && (ctx.migrating || groups.length > 0) && anyHandler && conf.assign === undefined && !conf.handlersOpaque;
  const insertOwner = newHandlers.length === 0 ? undefined : assignInsert ? 'assignment' : 'legacy';
  if (insertOwner === 'legacy' && editable) {
    const first = legacy.find((a) => a.outcome.kind === 'static' && a.outcome.created);
    if (first) (first.edits as Edit[]).push(...e.insert({ handlers: newHandlers, avoid: removed }));
  }

  const afterDefault = defaultAction ? (defaultAction.outcome.kind === 'replace' ? defaultAction.outcome.value : undefined) : D?.value;
  return {
    conf,
    legacy,
    staleTags,
    ...(defaultAction ? { default: defaultAction } : {}),
    newHandlers,
    ...(insertOwner ? { insertOwner } : {}),
    removed,
    after: {
      staticIds,
      staticTags,
      untaggedStatic: afterDefs.some((h) => h.tags.length === 0),
      poolTags,
      defaultPool: groups.some((g) => g.pools.includes('job-handlers')),
      processNames: names,
      anyHandler,
      ...(afterDefault !== undefined ? { default: afterDefault } : {}),
    },
    editable,
    assignInsert,
  };
}

/** True when `name` (an id or a tag) is served after the migration. */
export function resolvesAfter(after: AfterState, name: string): boolean {
  return after.staticIds.has(name) || after.staticTags.has(name) || after.poolTags.has(name) || after.processNames.has(name);
}

/** `a, b and c` with backticks. */
export function list(items: readonly string[]): string {
  const q = items.map((s) => `\`${s}\``);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

function listIn<K, V>(m: Map<K, V[]>, k: K): V[] {
  let list = m.get(k);
  if (!list) m.set(k, (list = []));
  return list;
}
