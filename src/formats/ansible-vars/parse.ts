import { parseDocument, type Document as YamlDocument } from 'yaml';
import { makeDocument, type Document, type SourceFile } from '../../core/document.js';
import { detectEol } from '../../core/range.js';
import { YAML_OPTIONS as PYYAML_OPTIONS } from '../galaxy-yml/parse.js';
import { aliasBombIssue } from '../yaml-alias-bomb.js';
import { unhashableKeyIssue } from '../yaml-unhashable-key.js';

export interface AnsibleVarsAst {
  readonly yaml: YamlDocument.Parsed;
  /** YAML errors: a file ansible could not read either, so rules leave it alone. */
  readonly yamlErrors: readonly string[];
  readonly eol: string;
}

/**
 * Reads an ansible variables file (group_vars, host_vars, role defaults/vars). Never throws. YAML
 * problems are kept in the tree, not reported: the file is ansible's, and a rule that needs it
 * says why it cannot change it. An alias bomb is reported (and kept in `yamlErrors`).
 */
export function parseAnsibleVars(file: SourceFile): Document<AnsibleVarsAst> {
  // Ansible reads variable files with PyYAML (YAML 1.1), as Galaxy reads galaxy.yml, so galaxy.yml's
  // options serve: repeated keys kept (the last wins for ansible), aliases such as
  // `<<: *BASE_APP_MAIN` bounded. Jinja2 `{{ }}` stays text: it is only ever inside scalars, and
  // edits splice text at node ranges.
  const yaml = parseDocument(file.text, PYYAML_OPTIONS);
  // An alias bomb is the exception: ansible cannot load the file at all, so it is reported.
  const bomb = aliasBombIssue(yaml, file.text);
  // So is a key PyYAML cannot hash (a mapping or list as a key).
  const unhashable = yaml.errors.length ? undefined : unhashableKeyIssue(yaml);
  const fatal = [bomb, unhashable].filter((i) => i !== undefined);
  const yamlErrors = [...yaml.errors.map((e) => e.message), ...fatal.map((i) => i.message)];
  const ast: AnsibleVarsAst = { yaml, yamlErrors, eol: detectEol(file.text) };
  return makeDocument(file, 'ansible-vars', ast, fatal);
}
