export { galaxyIniUwsgi } from './extract.js';
export { iniSection, iniSections, iniValue, interpolate, parseGalaxyIni, sectionItems, type GalaxyIniAst, type Interpolated } from './parse.js';
export { galaxyIniJobOptions } from './job-options.js';
