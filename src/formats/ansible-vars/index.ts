export { ANSIBLE_YAML_OPTIONS, parseAnsibleVars, type AnsibleVarsAst } from './parse.js';
export { findUwsgiBlocks, type UwsgiBlock, type AnsibleUwsgiItem } from './uwsgi.js';
