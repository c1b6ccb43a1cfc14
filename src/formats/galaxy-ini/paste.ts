import type { Document } from '../../core/document.js';
import type { Address } from '../../core/model.js';
import type { IniEntry, IniSection } from '../ini/lossless.js';
import { iniSection, iniSections, iniValue, type GalaxyIniAst } from './parse.js';

/**
 * What the Paste sections of a galaxy.ini configure (docs/galaxy-target.md §2.8, §5.1):
 * `[app:main] filter-with = <name>` applies `[filter:<name>]` — `egg:PasteDeploy#prefix` serves
 * Galaxy under `prefix`, `egg:Paste#gzip` compresses responses; `[server:main]`
 * (`egg:Paste#http`, `host`, `port`) is the HTTP server Paste ran.
 */
export interface PasteFacts {
  readonly app?: IniSection;
  readonly filterWith?: IniEntry;
  /** The filter `filter-with` names (its section may be missing). */
  readonly filter?: { readonly name: string; readonly section?: IniSection; readonly use?: IniEntry; readonly kind: 'prefix' | 'gzip' | 'unknown' | 'missing' };
  /** `galaxy_url_prefix` from a prefix filter in use (`/` gives none). */
  readonly prefix?: { readonly value: string; readonly entry: IniEntry };
  readonly server?: { readonly section: IniSection; readonly address: Address; readonly use?: IniEntry };
  readonly appFactory?: IniEntry;
}

export const PASTE_PREFIX = /^egg:PasteDeploy#prefix$/i;
export const PASTE_GZIP = /^egg:Paste#gzip$/i;
export const PASTE_HTTP = /^egg:Paste#http$/i;
export const GALAXY_FACTORY = 'galaxy.web.buildapp:app_factory';

export function filterKind(use: string | undefined): 'prefix' | 'gzip' | 'unknown' {
  const u = (use ?? '').trim();
  if (PASTE_PREFIX.test(u) || /paste\.deploy\.config:PrefixMiddleware/.test(u)) return 'prefix';
  if (PASTE_GZIP.test(u)) return 'gzip';
  return 'unknown';
}

export function pasteFacts(doc: Document<GalaxyIniAst>): PasteFacts {
  const ast = doc.ast;
  const app = iniSection(ast, 'app:main');
  const filterWith = iniValue(app, 'filter-with');
  let filter: PasteFacts['filter'];
  let prefix: PasteFacts['prefix'];
  if (filterWith) {
    const name = filterWith.value.trim();
    const section = iniSection(ast, `filter:${name}`);
    const use = iniValue(section, 'use');
    filter = { name, ...(section ? { section } : {}), ...(use ? { use } : {}), kind: section ? filterKind(use?.value) : 'missing' };
    const p = iniValue(section, 'prefix');
    if (filter.kind === 'prefix' && p) {
      const v = p.value.trim().replace(/\/+$/, '');
      if (v !== '') prefix = { value: v.startsWith('/') ? v : `/${v}`, entry: p };
    }
  }
  const server = iniSection(ast, 'server:main') ?? iniSections(ast, 'server:')[0];
  let serverFacts: PasteFacts['server'];
  if (server) {
    const host = iniValue(server, 'host')?.value.trim() || '127.0.0.1';
    const portText = iniValue(server, 'port')?.value.trim() || '8080';
    const use = iniValue(server, 'use');
    if (/^\d+$/.test(portText)) {
      const h = host === '' || host === '*' ? '0.0.0.0' : host;
      serverFacts = { section: server, address: { kind: 'tcp', host: h, port: Number(portText) }, ...(use ? { use } : {}) };
    }
  }
  const appFactory = iniValue(app, 'paste.app_factory');
  return {
    ...(app ? { app } : {}),
    ...(filterWith ? { filterWith } : {}),
    ...(filter ? { filter } : {}),
    ...(prefix ? { prefix } : {}),
    ...(serverFacts ? { server: serverFacts } : {}),
    ...(appFactory ? { appFactory } : {}),
  };
}
