import type { Address, UwsgiConfig, UwsgiOption } from '../core/model.js';

/**
 * What uWSGI makes of an option list (docs/uwsgi-dialect.md §6): the list is an ordered multimap;
 * list options accumulate, scalar options are applied in order so the last one wins; booleans are
 * off only for `false`, `off`, `no` or exactly `0` (case-insensitive), anything else is on.
 */
export function all(config: UwsgiConfig, ...keys: string[]): UwsgiOption[] {
  return config.options.filter((o) => keys.includes(o.key));
}

/** The value uWSGI applies for a scalar option: the last one. */
export function last(config: UwsgiConfig, ...keys: string[]): UwsgiOption | undefined {
  const found = all(config, ...keys);
  return found[found.length - 1];
}

/**
 * The value as its author meant it: without the trailing CR a CRLF YAML file leaves on it, and
 * without one pair of surrounding quotes. uWSGI keeps both (the dialect reader reports that, as
 * `uwsgi/trailing-cr` and `uwsgi/quoted-value`), so such a value never worked as written; the
 * migration carries over what was meant rather than what uWSGI made of it.
 */
export function clean(value: string): string {
  const v = value.replace(/\r+$/, '').trim();
  const q = v[0];
  return (q === '"' || q === "'") && v.length >= 2 && v.endsWith(q) ? v.slice(1, -1) : v;
}

export function isTrue(value: string): boolean {
  return !/^(false|off|no)$/i.test(value) && value !== '0';
}

export function flag(config: UwsgiConfig, key: string): boolean | undefined {
  const o = last(config, key);
  return o === undefined ? undefined : isTrue(clean(o.value));
}

/** A whole non-negative number, or undefined when the value is anything else (`%(x)`, `4 # c`). */
export function wholeNumber(value: string): number | undefined {
  const v = clean(value).trim();
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Parses a uWSGI socket value: a path (no `:`) is a unix socket, `host:port` TCP (`:8080` = all). */
export function parseAddress(raw: string): Address | undefined {
  const value = clean(raw).trim();
  if (value === '') return undefined;
  if (!value.includes(':')) return { kind: 'unix', path: value };
  const at = value.lastIndexOf(':');
  const host = value.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = value.slice(at + 1);
  if (!/^\d+$/.test(port)) return undefined;
  const n = Number(port);
  if (n > 65535) return undefined;
  return { kind: 'tcp', host, port: n };
}

export function formatAddress(a: Address): string {
  if (a.kind === 'unix') return `unix:${a.path}`;
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${host}:${a.port}`;
}

/** Does the value look like it still holds an unexpanded uWSGI reference (`%(x)`, `$(X)`, `@(f)`)? */
export function hasReference(value: string): boolean {
  return /[$@%]\(/.test(value);
}

/** The app a uWSGI config loads: Galaxy, Reports or the Tool Shed (by `module`/`mount`/`wsgi-file`). */
export type UwsgiApp = 'galaxy' | 'reports' | 'tool_shed';

export function appOf(config: UwsgiConfig): UwsgiApp {
  // reports.yml / reports.ini / reports_wsgi.ini: Galaxy's names for the Reports app's configuration,
  // whose [uwsgi] section often loads the app through the file's own Paste section instead of `module`.
  if (/^reports([._-][^/]*)?$/i.test(config.file.split('/').pop() ?? '')) return 'reports';
  for (const o of all(config, 'module', 'mount', 'wsgi-file', 'wsgi', 'paste', 'ini-paste', 'ini-paste-logged')) {
    if (/webapps[./]reports\b/.test(o.value)) return 'reports';
    // `galaxy.webapps.tool_shed.buildapp` until 22.05, `tool_shed.webapp.buildapp` after (tool_shed.yml.sample).
    if (/webapps[./]tool_shed\b|(^|[\s=/])tool_shed[./]webapp\b/.test(o.value)) return 'tool_shed';
  }
  return 'galaxy';
}
