/**
 * `file.yml:section` as uWSGI splits it (core/yaml.c, core/ini.c): the section is what follows the
 * last `:` (for a URL, the last `:` after the last `/`); an empty section means the default.
 */
export function parseConfigArg(arg: string): { path: string; section?: string } {
  const scheme = /^[a-z]+:\/\//.test(arg);
  const from = scheme ? arg.lastIndexOf('/') + 1 : 0;
  const colon = arg.lastIndexOf(':');
  if (colon < from || colon < 0) return { path: arg };
  const section = arg.slice(colon + 1);
  const path = arg.slice(0, colon);
  return section === '' ? { path } : { path, section };
}
