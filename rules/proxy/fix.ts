import type { Edit, Fix } from '../../src/core/finding.js';

/** A fix that edits one file. */
export function editFix(description: string, file: string, edits: readonly Edit[]): Fix {
  return { description, changes: [{ kind: 'edit', file, edits }] };
}

/** The sources every proxy rule rests on (docs/galaxy-target.md keys). */
export const PROXY_SOURCES = {
  nginxLegacy: 'docs/galaxy-target.md §4.1 [GX-NGINX-UW]',
  nginxModern: 'docs/galaxy-target.md §4.2 [GX-NGINX-GU]',
  nginxMapping: 'docs/galaxy-target.md §4.3',
  apache: 'docs/galaxy-target.md §4.4 [GX-APACHE-UW, GX-APACHE-GU]',
  trust: 'docs/galaxy-target.md §4.5 [GUNI forwarded_allow_ips, GX-SCALE-GU]',
  prefix: 'docs/galaxy-target.md §4.6',
  sockets: 'docs/galaxy-target.md §2.1',
  nginxModules: 'nginx docs: ngx_http_uwsgi_module, ngx_http_proxy_module (same directive set, two prefixes)',
} as const;
