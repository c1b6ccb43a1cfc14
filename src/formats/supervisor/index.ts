export {
  expandSupervisor,
  listItems,
  parseSupervisor,
  parseSupervisorEnvironment,
  programSetting,
  type ProgramKind,
  type SupervisorAst,
  type SupervisorGroup,
  type SupervisorProgram,
} from './parse.js';
