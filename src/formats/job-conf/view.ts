import type { Edit } from '../../core/finding.js';
import type { Range } from '../../core/range.js';

/**
 * What the job-handler rules need to know of a job conf, the same for job_conf.xml, job_conf.yml
 * and the inline `job_config` of galaxy.yml (docs/galaxy-target.md §3.3): the assignment methods,
 * the default handler, the static handlers and every place that names a handler. Each format's
 * reader builds this view over its own tree, and an editor that turns intentions ("remove this
 * handler", "set the methods") into splices of the original text.
 */

/** One scalar as written in the file. */
export interface ValueRef {
  /** The value as Galaxy reads it (XML entities decoded, YAML scalar); for templates, the source. */
  readonly value: string;
  /** The value's own text (inside the quotes of an XML attribute; the YAML scalar node). */
  readonly range: Range;
  /** The value holds Jinja and is only known after rendering. */
  readonly templated: boolean;
}

/** A static handler: `<handler id=… tags=…/>` or a `handling.processes` entry. */
export interface HandlerDef {
  readonly id: ValueRef;
  readonly tags: readonly string[];
  /** The tags as written (XML attribute value, YAML `tags:` value node). */
  readonly tagsRef?: ValueRef;
  /** The whole definition, for reports. */
  readonly range: Range;
  /** `<plugin>` children / `plugins:` (a handler that loads only some runner plugins). */
  readonly plugins: readonly string[];
}

export type HandlerRefKind = 'tool' | 'resubmit';

/** A place that sends jobs to a handler id or tag: `<tool handler=…>`, `<resubmit handler=…>`. */
export interface HandlerRef {
  readonly kind: HandlerRefKind;
  /** The tool id (or class) the mapping is for, when there is one. */
  readonly owner?: string;
  readonly value: ValueRef;
  /** The whole element / list entry, for reports. */
  readonly range: Range;
}

export interface AssignSetting {
  /** The methods in order (XML: comma list; YAML: list or scalar). */
  readonly methods: readonly ValueRef[];
  /** The key as written: `assign_with` (XML attribute, or a YAML key Galaxy does not read) or `assign`. */
  readonly key: string;
  readonly keyRange: Range;
  /** The whole value (XML attribute value; YAML value node). */
  readonly range: Range;
  readonly templated: boolean;
}

export interface JobConfView {
  /** The file the text is in (galaxy.yml for an inline `job_config`). */
  readonly file: string;
  readonly format: 'xml' | 'yml';
  /** The `job_config` mapping of galaxy.yml rather than a file of its own. */
  readonly inline: boolean;
  /** The file is a Jinja template. */
  readonly templated: boolean;
  /** The file could not be read whole (a syntax error, or a template that does not read as XML/YAML): rules only report, never rewrite, and never claim that something is missing. */
  readonly incomplete: boolean;
  /** `<handlers>` element / `handling:` pair, when present. */
  readonly handling?: Range;
  /** Where a finding about the whole job conf points: the `<job_conf>` tag, the first key. */
  readonly anchor: Range;
  readonly assign?: AssignSetting;
  readonly default?: ValueRef;
  /** `default_from_environ` / `default_from_config`: the default is decided at runtime. */
  readonly defaultIndirect: boolean;
  readonly handlers: readonly HandlerDef[];
  /** Some handler definitions cannot be read (XML `<expand macro>`, a templated id or loop). */
  readonly handlersOpaque: boolean;
  readonly refs: readonly HandlerRef[];
  readonly edit: JobConfEditor;
}

/** A static handler to add. */
export interface NewHandler {
  readonly id: string;
  readonly tags: readonly string[];
}

/**
 * Builds splices of the original text. Every method returns edits that touch only the text it
 * names, so that edits of different rules do not overlap; `avoid` lists ranges other edits remove,
 * so that an insertion never lands at the start of (or inside) removed text.
 */
export interface JobConfEditor {
  /** Replace a scalar (handler id, tag, default, tool handler) with a new value. */
  replaceValue(ref: ValueRef, value: string): Edit;
  /** Replace the tags of a handler (adds the tags attribute / key when there is none). */
  setTags(h: HandlerDef, tags: readonly string[]): Edit;
  /** Remove a static handler definition (whole lines when it is alone on them). */
  removeHandler(h: HandlerDef): Edit;
  /** Remove the whole list of static handlers (YAML `processes:`; XML: every `<handler>`). */
  removeAllHandlers(): Edit[];
  /** Remove `default` (every one: a YAML key written twice is read last-wins, so the first would take over). */
  removeDefault(): Edit[];
  /** Remove the handler attribute / key of a tool or resubmit mapping. */
  removeRef(ref: HandlerRef): Edit;
  /** Replace the assignment methods (value only; the key stays as written). */
  replaceAssign(methods: readonly string[]): Edit | undefined;
  /** Rename the assignment key (YAML `assign_with:` → `assign:`). */
  renameAssignKey(key: string): Edit | undefined;
  /**
   * Insert what is missing from the handler section: an assignment method (when `assign` is
   * given and none is set) and static handlers. Creates the section when there is none.
   */
  insert(opts: { assign?: readonly string[]; handlers?: readonly NewHandler[]; avoid: readonly Range[] }): Edit[];
}

/** Legacy uWSGI server names: `main.job-handlers.2`, `main.job-handler.2`, `main.web.3`, `main.mule1`. */
export const LEGACY_HANDLER_ID =
  /^(?<server>[^.\s]+)\.(?:(?<pool>(?:job-handlers?|workflow-schedulers?|web|None)(?:\.[\w-]+)*)\.(?<n>\d+)|mule(?<mule>\d+))$/;

export interface LegacyId {
  readonly id: string;
  readonly server: string;
  /** `job-handlers`, `job-handlers.special`, `web`, `mule` … as written. */
  readonly pool: string;
  readonly index: number;
  /** The documented spelling (`main.job-handlers.N` for AU's `main.job-handler.N`). */
  readonly canonical: string;
  readonly web: boolean;
}

export function parseLegacyId(id: string): LegacyId | undefined {
  const m = LEGACY_HANDLER_ID.exec(id.trim());
  if (!m?.groups) return undefined;
  const g = m.groups;
  const server = g.server!;
  if (g.mule !== undefined) {
    return { id, server, pool: 'mule', index: Number(g.mule), canonical: `${server}.mule${g.mule}`, web: false };
  }
  const pool = g.pool!;
  const canonicalPool = pool.replace(/^job-handler(?=$|\.)/, 'job-handlers').replace(/^workflow-scheduler(?=$|\.)/, 'workflow-schedulers');
  return { id, server, pool, index: Number(g.n), canonical: `${server}.${canonicalPool}.${g.n}`, web: pool === 'web' };
}

/** `job-handlers.special` → `special`; `job-handlers` → undefined (the default pool). */
export function poolTag(pool: string): string | undefined {
  const m = /^(?:job-handlers|workflow-schedulers)\.(.+)$/.exec(pool);
  return m?.[1];
}
