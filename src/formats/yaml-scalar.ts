/**
 * Scalars written as YAML text for files Galaxy reads with PyYAML (a YAML 1.1 reader): galaxy.yml's
 * new sections, job_conf.yml's handler names, ansible variables. Hand-written because the `yaml`
 * package's stringifier follows its own schema, not PyYAML's, and edits are spliced as text anyway.
 */
const YAML11_SPECIAL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;

/**
 * Plain text that a YAML 1.1 reader takes for a float although it starts like a word: PyYAML reads
 * `.5` and `._5` as floats, and the `yaml` package (our readers, so the next plan) also `.`, `.e5`
 * and `e5`. Quoted, they stay the strings they were.
 */
const YAML11_FLOATISH = /^(\.[0-9_]*([eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+|\.(inf|Inf|INF|nan|NaN|NAN))$/;

/**
 * Characters a value cannot hold raw in a YAML file Galaxy reads: control characters; C1 controls
 * and U+FFFE/U+FFFF, which PyYAML refuses anywhere in a file ("unacceptable character"); NEL,
 * U+2028 and U+2029, which PyYAML takes for line breaks (folded to a space inside quotes); a byte
 * order mark; a lone surrogate. Such a value is double-quoted with escapes.
 */
const NEEDS_ESCAPE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A scalar as YAML 1.1 text that PyYAML (Galaxy, Gravity) and the `yaml` package (our readers) read
 * back as the same value: plain where that is safe, single-quoted, or double-quoted with escapes.
 */
export function yamlScalar(v: string | number | boolean): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === '') return "''";
  const plain =
    /^[A-Za-z_/.][^:#'"\n\t]*$/.test(v) && !YAML11_SPECIAL.test(v) && !YAML11_FLOATISH.test(v) && !/\s$/.test(v) && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(v) && !NEEDS_ESCAPE.test(v);
  return plain ? v : yamlSingleQuoted(v);
}

/** A YAML single-quoted scalar, or double-quoted where a character cannot stand raw (NEEDS_ESCAPE). */
export function yamlSingleQuoted(v: string): string {
  return NEEDS_ESCAPE.test(v) ? yamlDoubleQuoted(v) : `'${v.replace(/'/g, "''")}'`;
}

/**
 * A YAML double-quoted scalar. JSON's escapes are YAML's, and JSON.stringify already escapes C0
 * controls and lone surrogates; the other NEEDS_ESCAPE characters it leaves raw, so they get `\u`.
 */
export function yamlDoubleQuoted(v: string): string {
  return JSON.stringify(v).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A mapping key: plain when it is a word YAML 1.1 reads as that string, else quoted as a value. */
export function yamlKey(k: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(k) && !YAML11_SPECIAL.test(k) && !YAML11_FLOATISH.test(k) && !/^\d/.test(k) ? k : yamlScalar(k);
}

