export {
  expandSpecifiers,
  parseSize,
  parseSystemd,
  parseSystemdEnvironment,
  unitNameOf,
  unitSection,
  unitSetting,
  unitSettings,
  type SystemdAst,
} from './parse.js';
