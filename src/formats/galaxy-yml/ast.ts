import { isMap, isNode, isPair, isScalar, type Document as YamlDocument, type Pair, type YAMLMap } from 'yaml';
import type { Range } from '../../core/range.js';
import type { UwsgiReadResult } from '../uwsgi/load.js';
import type { TopSection } from './sections.js';

/**
 * What the galaxy.yml reader gives rules. The YAML document is parsed from the file with every
 * `uwsgi:` block blanked (same offsets), so it holds everything Galaxy and Gravity read and no
 * uWSGI dialect; the `uwsgi:` block is read the way uWSGI reads it, into `uwsgi.read`.
 * Never print the document with `toString()`: writes are text splices at node ranges.
 */
export interface GalaxyYmlAst {
  readonly yaml: YamlDocument.Parsed;
  /** Top-level sections in file order, found line by line (also when the YAML is invalid). */
  readonly sections: readonly TopSection[];
  /** The `uwsgi:` section as uWSGI reads it (the first one: uWSGI never reads a second). */
  readonly uwsgi?: { readonly section: TopSection; readonly read: UwsgiReadResult };
  /** Typed access to the `galaxy:` mapping (or to the app section of reports.yml / tool_shed.yml). */
  readonly galaxy: AppSection;
  /** The `gravity:` mapping when there is one. */
  readonly gravity?: { readonly section: TopSection; readonly map?: YAMLMap; readonly pair?: Pair };
  /** Every Jinja span of a template (the YAML was read with them masked); empty for a plain file. */
  readonly jinja: readonly Range[];
  /** Jinja statements, comments and lone-line expressions (a template): rendering changes the lines there. */
  readonly jinjaLogic: readonly Range[];
  /** The line break the file mostly uses. */
  readonly eol: '\n' | '\r\n';
  /** The indentation step of the file's mappings (spaces), 2 when nothing says otherwise. */
  readonly indent: number;
}

/** One option of the `galaxy:` mapping, with the node and where it is. */
export interface AppOption {
  readonly key: string;
  /** The value as Galaxy reads it (YAML 1.1: `027` is 23, `yes` is true). */
  readonly value: unknown;
  readonly pair: Pair;
  readonly keyRange: Range;
  /** Absent for an empty value (`key:`). */
  readonly valueRange?: Range;
  /** From the key to the end of the value. */
  readonly range: Range;
}

export class AppSection {
  constructor(
    /** `galaxy`, or `reports` / `tool_shed` for those apps' files. */
    readonly name: string,
    readonly section: TopSection | undefined,
    /** The mapping, when the section holds one (an all-comment `galaxy:` holds null). */
    readonly map: YAMLMap | undefined,
    readonly pair: Pair | undefined,
    private readonly doc: YamlDocument.Parsed,
    /** In a Jinja template: the template text of a value range that holds an expression. */
    private readonly templated?: (r: Range) => string | undefined,
  ) {}

  get exists(): boolean {
    return this.section !== undefined;
  }

  /** Every option in file order; a repeated key appears each time (Galaxy's reader keeps the last). */
  options(): AppOption[] {
    if (!this.map) return [];
    const out: AppOption[] = [];
    for (const item of this.map.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      out.push(toOption(item, this.doc, this.templated));
    }
    return out;
  }

  /** The option as Galaxy reads it: the last occurrence of the key. */
  get(key: string): AppOption | undefined {
    let found: AppOption | undefined;
    for (const o of this.options()) if (o.key === key) found = o;
    return found;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** A string option (numbers and booleans as Galaxy would stringify them are not coerced). */
  string(key: string): string | undefined {
    const v = this.get(key)?.value;
    return typeof v === 'string' ? v : undefined;
  }

  /** `database_connection`: a secret (its password); never put it in a message. */
  get databaseConnection(): AppOption | undefined {
    return this.get('database_connection');
  }

  /** `job_config_file`, relative to the galaxy.yml directory when not absolute. */
  get jobConfigFile(): AppOption | undefined {
    return this.get('job_config_file');
  }

  /** Inline `job_config:` (used when `job_config_file` is unset); its node is a mapping. */
  get jobConfig(): (AppOption & { readonly map?: YAMLMap }) | undefined {
    const o = this.get('job_config');
    if (!o) return undefined;
    return isMap(o.pair.value) ? { ...o, map: o.pair.value } : o;
  }
}

function toOption(pair: Pair, doc: YamlDocument.Parsed, templated?: (r: Range) => string | undefined): AppOption {
  const key = pair.key as { value: unknown; range?: [number, number, number] };
  const kr = key.range ?? [0, 0, 0];
  const value = isNode(pair.value) ? pair.value : null;
  const vr = value?.range && value.range[1] > value.range[0] ? value.range : undefined;
  let js: unknown = null;
  const template = vr && templated?.({ start: vr[0], end: vr[1] });
  try {
    js = template ?? (value ? value.toJS(doc, { maxAliasCount: 100 }) : null);
  } catch {
    js = undefined; // an alias bomb or a broken alias: the value is not read
  }
  return {
    key: String(key.value),
    value: js,
    pair,
    keyRange: { start: kr[0], end: kr[1] },
    ...(vr ? { valueRange: { start: vr[0], end: vr[1] } } : {}),
    range: { start: kr[0], end: vr ? vr[1] : kr[1] },
  };
}
