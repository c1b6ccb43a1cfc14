import { isMap, isScalar, type Pair } from 'yaml';
import type { Document } from '../../core/document.js';
import type { Range } from '../../core/range.js';
import type { AnsibleVarsAst } from './parse.js';
import { lastPair } from '../yaml-pair.js';
import { scalarText } from './scalar-text.js';

/** One Galaxy option as an ansible variables file sets it for the galaxy.yml the role writes. */
export interface AnsibleGalaxyOption {
  readonly file: string;
  /** The top-level variable holding it (`galaxy_config`, `galaxy_config_hash` …). */
  readonly variable: string;
  /** As ansible hands it on: plain text as written (Jinja2 kept), quoted text decoded. */
  readonly value: string;
  readonly range: Range;
}

/**
 * The variables that hold Galaxy's own galaxy.yml: `galaxy_config` (the ansible-galaxy role) and
 * its spellings in real playbooks (`galaxy_config_hash`, `galaxy_config_default`, `host_galaxy_config`).
 * Not `reports_config`, `tool_shed_config` or `impersonate_config_hash`: other apps, other databases.
 */
const GALAXY_CONFIG_VARIABLE = /galaxy_config/;

/**
 * Every `galaxy_config.galaxy.<option>` that the ansible variables files of a deployment set, in
 * path order. Files ansible could not read (YAML errors) set nothing. Used where no galaxy.yml is
 * read because the role writes it on the server from these variables (rules/jobs/context.ts).
 */
export function ansibleGalaxyOptions(documents: readonly Document[], option: string): AnsibleGalaxyOption[] {
  const out: AnsibleGalaxyOption[] = [];
  for (const doc of documents) {
    if (doc.kind !== 'ansible-vars') continue;
    const ast = doc.ast as AnsibleVarsAst | undefined;
    if (!ast?.yaml || ast.yamlErrors.length || !isMap(ast.yaml.contents)) continue;
    for (const variable of ast.yaml.contents.items as Pair[]) {
      const name = isScalar(variable.key) ? String(variable.key.value) : '';
      if (!GALAXY_CONFIG_VARIABLE.test(name) || !isMap(variable.value)) continue;
      const galaxy = lastPair(variable.value, 'galaxy')?.value;
      if (!isMap(galaxy)) continue;
      const v = lastPair(galaxy, option)?.value;
      if (!isScalar(v) || !v.range) continue;
      out.push({ file: doc.file.path, variable: name, value: scalarText(doc.file.text, v), range: { start: v.range[0], end: v.range[1] } });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start - b.range.start));
}
