import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** Secrets the sample holds: no report, diff or stdout may show them; applied files keep them. */
export const SECRETS = ['s3cretPassw0rd', 'f00dfeedcafe1234beef'];

/**
 * A small legacy deployment the test rules change: a galaxy.yml with CRLF line ends and an nginx
 * site with a BOM (both kept byte for byte around the edits), a job conf, and a file no rule touches.
 */
export const SAMPLE: Record<string, string> = {
  'config/galaxy.yml':
    'galaxy:\r\n' +
    '  socket: 127.0.0.1:8080\r\n' +
    '  mule: lib/galaxy/main.py\r\n' +
    '  processes: 4\r\n' +
    '  mule: lib/galaxy/main.py\r\n' +
    `  database_connection: postgresql://galaxy:${SECRETS[0]}@localhost/galaxy\r\n` +
    `  id_secret: ${SECRETS[1]}\r\n`,
  'nginx/galaxy.conf': '\uFEFFserver {\n    listen 80;\n    location / {\n        uwsgi_pass 127.0.0.1:8080;\n    }\n}\n',
  'config/job_conf.xml':
    '<?xml version="1.0"?>\n<job_conf>\n    <handlers assign_with="uwsgi-mule-message" default="handlers">\n        <handler id="main" tags="handlers"/>\n    </handlers>\n</job_conf>\n',
  'README.txt': 'not configuration\n',
};

/** What the sample becomes when every test-rule change is applied. */
export const SAMPLE_AFTER: Record<string, string> = {
  'config/galaxy.yml': SAMPLE['config/galaxy.yml']!.replace('  socket:', '  bind:').replace(/  mule: lib\/galaxy\/main\.py\r\n/g, ''),
  'nginx/galaxy.conf': SAMPLE['nginx/galaxy.conf']!.replace('uwsgi_pass ', 'proxy_pass http://'),
  'config/job_conf.xml': SAMPLE['config/job_conf.xml']!.replace('uwsgi-mule-message', 'db-skip-locked'),
  'config/handlers.yml': 'gravity:\n  handlers:\n    handler:\n      processes: 2\n',
  'README.txt': SAMPLE['README.txt']!,
};

export function tempDir(prefix = 'gm-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, ...rel.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

/** Every file below `dir` (backups left out) as path -> bytes. */
export function readTree(dir: string, opts: { withBackups?: boolean } = {}): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === '.galaxy-migrate-backup' && !opts.withBackups) continue;
        walk(p);
      } else out[relative(dir, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

export function textTree(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(readTree(dir)).map(([k, v]) => [k, v.toString('utf8')]));
}

export function modeOf(p: string): number {
  return statSync(p).mode & 0o7777;
}
