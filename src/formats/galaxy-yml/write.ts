/**
 * Writing YAML for galaxy.yml as text, never by re-printing a parsed document: new sections and
 * keys are rendered here and spliced into the original at node ranges (docs/peers.md YM5).
 */
import { yamlKey, yamlScalar } from '../yaml-scalar.js';

export { yamlScalar };

export type Scalar = string | number | boolean;

/**
 * A YAML tree to write: mappings as ordered entries, sequences of scalars, sequences of mappings
 * (`gravity.gunicorn` as a list of instances), scalars.
 */
export type Node = Scalar | readonly Scalar[] | readonly Entry[] | readonly (readonly Entry[])[];
export interface Entry {
  readonly key: string;
  readonly value: Node;
  /** Comment lines written above the key (without `# `). */
  readonly comments?: readonly string[];
}

export function isEntries(v: Node): v is readonly Entry[] {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && !Array.isArray(v[0]);
}

/** A sequence of mappings (each item a list of entries). */
export function isEntryList(v: Node): v is readonly (readonly Entry[])[] {
  return Array.isArray(v) && v.length > 0 && Array.isArray(v[0]);
}

/**
 * Writes entries as block YAML at `indent` spaces, nesting by `step`. Scalars are written plain
 * when YAML 1.1 (PyYAML, which Galaxy and Gravity use) reads them back as the same string, and
 * quoted otherwise (`'027'`, `'--forwarded-allow-ips="*"'`, `'unix:/srv/gunicorn.sock'`; yamlScalar).
 */
export function renderEntries(entries: readonly Entry[], indent: number, step: number, eol: string): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const e of entries) {
    for (const c of e.comments ?? []) out += `${pad}# ${c}${eol}`;
    const key = yamlKey(e.key);
    const v = e.value;
    if (isEntries(v)) {
      out += `${pad}${key}:${eol}${renderEntries(v, indent + step, step, eol)}`;
    } else if (isEntryList(v)) {
      // `- ` at one step in, the item's keys two columns further (where the first key stands).
      out += `${pad}${key}:${eol}`;
      const dash = `${pad}${' '.repeat(step)}- `;
      for (const item of v) out += dash + renderEntries(item, dash.length, step, eol).slice(dash.length);
    } else if (Array.isArray(v)) {
      if (v.length === 0) out += `${pad}${key}: []${eol}`;
      else {
        out += `${pad}${key}:${eol}`;
        for (const item of v as readonly Scalar[]) out += `${pad}${' '.repeat(step)}- ${yamlScalar(item)}${eol}`;
      }
    } else {
      out += `${pad}${key}: ${yamlScalar(v as Scalar)}${eol}`;
    }
  }
  return out;
}

/** Compares a written scalar/sequence with a value read back from YAML (strings and numbers loosely). */
export function sameValue(existing: unknown, wanted: Node): boolean {
  if (isEntryList(wanted)) return false;
  if (Array.isArray(wanted)) {
    return Array.isArray(existing) && existing.length === wanted.length && wanted.every((w, i) => String(existing[i]) === String(w));
  }
  if (existing === null || existing === undefined) return false;
  if (typeof existing === 'object') return false;
  return String(existing) === String(wanted);
}
