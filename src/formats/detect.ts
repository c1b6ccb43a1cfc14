import type { FileKind } from '../core/document.js';

/**
 * Recognises a file's kind by its content first and its name second: deployments keep
 * `galaxy.yml` as `galaxy.yml.j2`, `galaxy-main.yml`, `group_vars/galaxyservers.yml`… and a
 * job conf may be named anything `job_config_file` says. Returns undefined for files the tool does
 * not know (they are skipped when a directory is walked, an error when named explicitly).
 */
export function detectKind(path: string, text: string): FileKind | undefined {
  const name = path.split('/').pop() ?? path;
  const lower = name.toLowerCase();
  // A BOM is not content: Galaxy's YAML loader and nginx skip it, so detection does too.
  const head = text.slice(text.charCodeAt(0) === 0xfeff ? 1 : 0, 64 * 1024);

  if (/\.ya?ml(\.[a-z0-9_-]+)?$/.test(lower)) return detectYaml(lower, head, path);
  if (/\.(ini)(\.j2|\.sample)?$/.test(lower) || /^\s*\[[^\]\n]+\]\s*$/m.test(head)) {
    const ini = detectIni(lower, head);
    if (ini) return ini;
  }
  if (/\.xml(\.j2|\.sample)?$/.test(lower) || /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<job_conf[\s>/]/.test(head)) {
    if (/<job_conf[\s>/]/.test(head)) return 'job-conf-xml';
    return undefined;
  }
  if (/\.(service|socket|target)(\.j2)?$/.test(lower) && /^\s*\[(Unit|Service|Install)\]/m.test(head)) return 'systemd';
  if (looksLikeNginx(path, head)) return 'nginx';
  if (looksLikeApache(head)) return 'apache';
  return undefined;
}

function detectYaml(lower: string, head: string, path: string): FileKind | undefined {
  if (/^(uwsgi|galaxy|gravity):[ \t]*(#.*)?$/m.test(head)) return 'galaxy-yml';
  if (/^(runners|execution|handling|environments|tools):[ \t]*(#.*)?$/m.test(head) && /^(runners|execution):/m.test(head))
    return 'job-conf-yml';
  if (/^\s*galaxy_config:\s*$/m.test(head) || /^galaxy_[a-z_]+:/m.test(head)) return 'ansible-vars';
  // Under group_vars/ or host_vars/ every file is ansible variables: one whose only Galaxy variable
  // is named otherwise (`host_galaxy_config:`, `group_galaxy_config:`) is still the inventory's.
  if (INVENTORY_VARS_DIR.test(path) && /^[A-Za-z0-9_]*galaxy[A-Za-z0-9_]*:/m.test(head)) return 'ansible-vars';
  if (/uwsgi/.test(lower) && /^\s*[a-z-]+:/m.test(head)) return 'uwsgi-yaml';
  return undefined;
}

/** A path inside an ansible inventory's variable directories. */
const INVENTORY_VARS_DIR = /(^|[\\/])(group_vars|host_vars)[\\/]/;

function detectIni(lower: string, head: string): FileKind | undefined {
  if (/^\s*\[(app:main|server:main|filter:[^\]]+)\]/m.test(head)) return 'galaxy-ini';
  if (/^\s*\[program:[^\]]+\]/m.test(head) || /^\s*\[(group|supervisord|unix_http_server):?[^\]]*\]/m.test(head))
    return 'supervisor';
  if (/^\s*\[(Unit|Service|Install)\]\s*$/m.test(head)) return 'systemd';
  if (/^\s*\[uwsgi\]/m.test(head)) return 'uwsgi-ini';
  if (/\.ini(\.j2)?$/.test(lower) && /uwsgi/.test(lower)) return 'uwsgi-ini';
  return undefined;
}

function looksLikeNginx(path: string, head: string): boolean {
  const lower = path.toLowerCase();
  const name = lower.split('/').pop() ?? lower;
  // nginx files have no fixed extension: `galaxy.conf`, `sites-enabled/galaxy`, `templates/nginx/galaxy.j2`.
  if (/nginx|\.conf(\.j2)?$|sites-(available|enabled)/.test(lower) || !/\.[a-z0-9]+$/.test(name) || name.endsWith('.j2')) {
    return /^\s*(server|location|upstream|http)\b[^;\n]*\{/m.test(head) || /^\s*(uwsgi_pass|proxy_pass|include\s+uwsgi_params)\b/m.test(head);
  }
  return false;
}

function looksLikeApache(head: string): boolean {
  return /^\s*<(VirtualHost|Location|IfModule|Directory)\b/im.test(head) || /^\s*(ProxyPass|LoadModule|RewriteRule)\s/m.test(head);
}
