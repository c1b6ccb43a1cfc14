import { isDocument, isMap, isScalar, isSeq, parseDocument, YAMLMap, type Document as YamlDocument, type Node as YamlNode, type Pair } from 'yaml';
import type { Document } from '../../core/document.js';
import type { Range } from '../../core/range.js';
import { galaxyIniJobOptions } from '../galaxy-ini/job-options.js';
import { jobConfViewFromYaml, YAML_OPTIONS } from '../job-conf-yml/index.js';
import { maskJinja, touchesJinja } from '../jinja.js';
import { lastPair } from '../yaml-pair.js';
import { lineEndOf, lineStartOf } from './text.js';
import type { JobConfView, ValueRef } from './view.js';

/**
 * What the job-handler rules read from galaxy.yml: the `galaxy:` options that decide how jobs
 * are handled (database_connection, job_config_file, inline job_config, track_jobs_in_database)
 * and the `gravity.handlers` already written there.
 *
 * The galaxy.yml reader (src/formats/galaxy-yml/) owns the file; its document's AST exposes the
 * `yaml` Document of the file, which is used when present. Until then (or if its AST has another
 * shape) the text is parsed here with the same options, read-only: nothing here writes galaxy.yml
 * except through splices at these ranges.
 */
export interface GalaxyJobOptions {
  /** The galaxy.yml path, as shown. */
  readonly file: string;
  /** The directory relative `*_config_file` paths resolve against (config_dir: the file's directory). */
  readonly dir: string;
  readonly hasUwsgi: boolean;
  /** A `gravity:` section: what the apply writes in the uwsgi block's place. */
  readonly hasGravity: boolean;
  readonly databaseConnection?: ValueRef;
  readonly jobConfigFile?: ValueRef;
  readonly trackJobsInDatabase?: { readonly value: ValueRef; readonly lines: Range };
  readonly inlineJobConfig?: JobConfView;
  /** The `job_config` key, when present (even if it is not a mapping). */
  readonly inlineJobConfigRange?: Range;
  /** `gravity.handlers` as written in this file (before the migration adds its own). */
  readonly gravityHandlers: readonly GravityHandlerEntry[];
}

export interface GravityHandlerEntry {
  readonly name: string;
  readonly keyRange: Range;
  readonly range: Range;
  readonly processes: number;
  readonly pools?: { readonly values: readonly ValueRef[]; readonly range: Range };
  readonly nameTemplate?: string;
  /** Where a `pools:` line would go (start of the entry's first child line), with its indentation. */
  readonly childInsert?: { readonly at: number; readonly indent: string };
}

const cache = new WeakMap<Document, GalaxyJobOptions | null>();

export function galaxyJobOptions(doc: Document): GalaxyJobOptions | undefined {
  // A Paste-era deployment is judged the same before and after its galaxy.yml exists.
  if (doc.kind === 'galaxy-ini') return galaxyIniJobOptions(doc);
  if (doc.kind !== 'galaxy-yml') return undefined;
  // reports.yml and tool_shed.yml are read by the same reader; their database and uWSGI block are not Galaxy's.
  const app = (doc.ast as { galaxy?: { name?: string } } | undefined)?.galaxy?.name;
  if (app !== undefined && app !== 'galaxy') return undefined;
  const hit = cache.get(doc);
  if (hit !== undefined) return hit ?? undefined;
  let out: GalaxyJobOptions | undefined;
  try {
    out = read(doc);
  } catch {
    out = undefined;
  }
  cache.set(doc, out ?? null);
  return out;
}

/** The galaxy.yml reader's `yaml` Document, found by shape, or a read-only parse of our own. */
function yamlOf(doc: Document): { yaml: YamlDocument; jinja: readonly Range[] } {
  const ast = doc.ast as Record<string, unknown> | undefined;
  const { masked, spans } = maskJinja(doc.file.text, 'J');
  if (ast && typeof ast === 'object') {
    if (isDocument(ast)) return { yaml: ast as YamlDocument, jinja: spans };
    for (const v of Object.values(ast)) if (isDocument(v)) return { yaml: v as YamlDocument, jinja: spans };
  }
  return { yaml: parseDocument(masked, YAML_OPTIONS), jinja: spans };
}

function read(doc: Document): GalaxyJobOptions | undefined {
  const text = doc.file.text;
  const { yaml, jinja } = yamlOf(doc);
  // A galaxy.yml holding only a `uwsgi:` block (blanked for YAML) reads as empty: it is still Galaxy's
  // file, and the job rules must judge it the same before and after its gravity: section is written.
  const root = yaml.contents === null ? new YAMLMap() : yaml.contents;
  if (!isMap(root)) return undefined;
  const path = doc.file.path;
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const ref = (n: YamlNode | null | undefined): ValueRef | undefined => {
    if (!n || !isScalar(n) || !n.range) return undefined;
    const range = { start: n.range[0], end: n.range[1] };
    const templated = touchesJinja(jinja, range);
    return { value: templated ? text.slice(range.start, range.end) : n.value == null ? '' : String(n.value), range, templated };
  };
  const galaxy = lastPair(root, 'galaxy')?.value;
  const g = isMap(galaxy) ? galaxy : undefined;
  const track = g ? lastPair(g, 'track_jobs_in_database') : undefined;
  const trackRef = ref(track?.value);
  const inlinePair = g ? lastPair(g, 'job_config') : undefined;
  const inline = inlinePair && isMap(inlinePair.value) ? jobConfViewFromYaml(text, path, inlinePair.value, jinja, true, yaml.errors.length > 0) : undefined;

  const gravityHandlers: GravityHandlerEntry[] = [];
  const gravity = lastPair(root, 'gravity')?.value;
  const handlers = isMap(gravity) ? lastPair(gravity, 'handlers')?.value : undefined;
  if (isMap(handlers)) {
    for (const p of handlers.items as Pair<YamlNode, YamlNode | null>[]) {
      const name = ref(p.key);
      if (!name || !p.key.range) continue;
      const body = isMap(p.value) ? p.value : undefined;
      const processes = Number(ref(body ? lastPair(body, 'processes')?.value : undefined)?.value ?? 1) || 1;
      const poolsPair = body ? lastPair(body, 'pools') : undefined;
      const pv = poolsPair?.value;
      const values = isSeq(pv) ? (pv.items as YamlNode[]).map(ref).filter((x): x is ValueRef => !!x) : pv ? [ref(pv)].filter((x): x is ValueRef => !!x) : [];
      const nameTemplate = ref(body ? lastPair(body, 'name_template')?.value : undefined)?.value;
      const first = body ? (body.items as Pair<YamlNode, YamlNode | null>[])[0] : undefined;
      const vr = p.value?.range;
      gravityHandlers.push({
        name: name.value,
        keyRange: name.range,
        range: { start: p.key.range[0], end: vr ? vr[1] : p.key.range[1] },
        processes,
        ...(poolsPair && pv?.range ? { pools: { values, range: { start: pv.range[0], end: pv.range[1] } } } : {}),
        ...(nameTemplate ? { nameTemplate } : {}),
        ...(first?.key && (first.key as YamlNode).range
          ? (() => {
              const ks = (first.key as YamlNode).range![0];
              return { childInsert: { at: lineStartOf(text, ks), indent: text.slice(lineStartOf(text, ks), ks) } };
            })()
          : {}),
      });
    }
  }

  const db = ref(g ? lastPair(g, 'database_connection')?.value : undefined);
  const jcf = ref(g ? lastPair(g, 'job_config_file')?.value : undefined);
  return {
    file: path,
    dir,
    // The galaxy.yml reader blanks `uwsgi:` blocks in its YAML document (same offsets), so look at the text too.
    hasUwsgi: Boolean(lastPair(root, 'uwsgi')) || /^uwsgi:/m.test(text),
    hasGravity: Boolean(lastPair(root, 'gravity')) || /^gravity:/m.test(text),
    ...(db ? { databaseConnection: db } : {}),
    ...(jcf && jcf.value ? { jobConfigFile: jcf } : {}),
    ...(track && trackRef
      ? { trackJobsInDatabase: { value: trackRef, lines: { start: lineStartOf(text, track.key!.range![0]), end: lineEndOf(text, trackRef.range.end) } } }
      : {}),
    ...(inline ? { inlineJobConfig: inline } : {}),
    ...(inlinePair?.key?.range ? { inlineJobConfigRange: { start: inlinePair.key.range[0], end: inlinePair.value?.range?.[1] ?? inlinePair.key.range[1] } } : {}),
    gravityHandlers,
  };
}
