import { spawnSync } from 'node:child_process';

/**
 * PyYAML, the reader Galaxy and Gravity load YAML with (Debian's python3-yaml, in
 * .ci/apt-packages.txt), as an oracle for what we write. Absent, the tests that need it skip with a
 * message.
 */
const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0);
export const HAVE_PYYAML = PYTHON !== undefined;
if (!HAVE_PYYAML) console.warn('[skip] PyYAML checks: no python3 with the yaml module (Debian package python3-yaml, in .ci/apt-packages.txt)');

/**
 * What PyYAML's safe loader makes of each text, in one process: a string stays a string; other
 * values are tagged with their Python type (`{ int: '5' }`, `{ float: '0.5' }`, `{ bool: true }`),
 * mappings are `{ map: [[key, value], …] }` (keys need not be strings), lists arrays, null null; a
 * text PyYAML refuses gives `{ error }`.
 */
export function pyYamlLoad(texts: readonly string[]): unknown[] {
  const r = spawnSync(PYTHON!, ['-c', LOADER], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python3 (PyYAML) failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}

const LOADER = `
import json, sys, yaml

def tagged(v):
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, dict):
        return {"map": [[tagged(k), tagged(x)] for k, x in v.items()]}
    if isinstance(v, list):
        return [tagged(x) for x in v]
    return {type(v).__name__: repr(v)}

out = []
for text in json.load(sys.stdin):
    try:
        out.append(tagged(yaml.safe_load(text)))
    except Exception as e:
        out.append({"error": str(e).splitlines()[0] if str(e) else type(e).__name__})
json.dump(out, sys.stdout)
`;

/** A pyYamlLoad answer as JavaScript values (mappings as Maps, numbers as numbers), or its error. */
export function untagged(v: unknown): unknown {
  if (v === null || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(untagged);
  const o = v as Record<string, unknown>;
  if ('map' in o) return new Map((o.map as [unknown, unknown][]).map(([k, x]) => [untagged(k), untagged(x)]));
  if ('int' in o) return Number(o.int);
  if ('float' in o) return o.float === 'nan' ? Number.NaN : o.float === 'inf' ? Infinity : o.float === '-inf' ? -Infinity : Number(o.float);
  if ('bool' in o) return o.bool;
  return o; // { error } or a type JavaScript has no value for (a date): compared as it is
}
