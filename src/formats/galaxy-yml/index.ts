export { AppSection, type AppOption, type GalaxyYmlAst } from './ast.js';
export { galaxyYmlUwsgi } from './extract.js';
export { parseGalaxyYml, YAML_OPTIONS } from './parse.js';
export { findTopSections, maskRanges, stripComment, type TopSection } from './sections.js';
