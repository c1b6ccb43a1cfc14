export { parseAnsibleVars, type AnsibleVarsAst } from './parse.js';
export { findUwsgiBlocks, type UwsgiBlock, type AnsibleUwsgiItem } from './uwsgi.js';
export { inventoryPlace, resolveVariable, variableOf, type InventoryPlace, type Resolved, type VariableSetting } from './inventory.js';
export { parseSystemdEnvironment, type Assignment, type ParsedEnvironment } from './systemd-env.js';
export { columnOf } from './column.js';
export { commentsIn, type Anchor, type BlockComment } from './comments.js';
