import { parseDocument, type Document as YamlDocument } from 'yaml';
import { makeDocument, type Document, type SourceFile } from '../../core/document.js';
import { detectEol } from '../../core/range.js';
import { aliasBombIssue } from '../yaml-alias-bomb.js';

/**
 * YAML options for ansible variable files. Ansible reads them with PyYAML (YAML 1.1); repeated
 * keys are kept (the last wins for ansible), aliases (`<<: *BASE_APP_MAIN`) are bounded. Jinja2
 * `{{ }}` stays text: it is only ever inside scalars, and edits splice text at node ranges.
 */
export const ANSIBLE_YAML_OPTIONS = {
  version: '1.1',
  uniqueKeys: false,
  keepSourceTokens: true,
  prettyErrors: false,
  maxAliasCount: 100,
} as const;

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
  const yaml = parseDocument(file.text, ANSIBLE_YAML_OPTIONS);
  // An alias bomb is the exception: ansible cannot load the file at all, so it is reported.
  const bomb = aliasBombIssue(yaml, file.text);
  const yamlErrors = [...yaml.errors.map((e) => e.message), ...(bomb ? [bomb.message] : [])];
  const ast: AnsibleVarsAst = { yaml, yamlErrors, eol: detectEol(file.text) };
  return makeDocument(file, 'ansible-vars', ast, bomb ? [bomb] : []);
}
