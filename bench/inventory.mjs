// The generated inventory that `npm run bench` lints (bench/run.mjs), and the job conf it is built
// from, which the tests that need a generated inventory import too. Plain ESM JavaScript so the
// bench runs it without a TypeScript step; the bytes written are what the bench has always
// measured, so numbers stay comparable across versions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function galaxyYml(i) {
  const mules = Array.from({ length: 2 + (i % 3) }, () => '  mule: lib/galaxy/main.py').join('\n');
  return `# host ${i}
uwsgi:
  socket: /srv/galaxy${i}/var/uwsgi.sock
  http: 127.0.0.1:${8000 + (i % 1000)}
  processes: ${2 + (i % 6)}
  threads: 4
  offload-threads: 2
  buffer-size: 16384
  master: true
  enable-threads: true
  thunder-lock: true
  die-on-term: true
  harakiri: 600
  virtualenv: /srv/galaxy${i}/venv
  pythonpath: lib
  chdir: /srv/galaxy${i}/server
  module: galaxy.webapps.galaxy.buildapp:uwsgi_app()
  umask: '027'
  logto: /srv/galaxy${i}/log/uwsgi.log
  static-map: /static=static
  static-map: /favicon.ico=static/favicon.ico
  hook-master-start: unix_signal:2 gracefully_kill_them_all
  hook-master-start: unix_signal:15 gracefully_kill_them_all
  py-call-osafterfork: true
${mules}
  farm: job-handlers:${Array.from({ length: 2 + (i % 3) }, (_, k) => k + 1).join(',')}
galaxy:
  brand: Host ${i}
  admin_users: admin${i}@example.org
  database_connection: postgresql://galaxy:pw${i}@db.example.org/galaxy${i}
  id_secret: ${(i * 7919).toString(16).padStart(16, '0')}
  job_config_file: job_conf.xml
  file_path: /srv/galaxy${i}/data/datasets
  tool_config_file: tool_conf.xml,shed_tool_conf.xml
${Array.from({ length: 20 }, (_, k) => `  option_${k}: value ${k} of host ${i}`).join('\n')}
`;
}

/**
 * A job_conf.xml routing tools to uWSGI mules: local runner, `handlers` handlers
 * main.job-handlers.1..n tagged "handlers" (the default), and `toolLines` inside <tools>, each
 * a whole line. The bench and the tests that need such a file (test/commands/lint-threads.test.ts,
 * test/fuzz/seeds.ts) all write it here, so its bytes come from one place.
 * @param {{ workers?: number, handlers: number, toolLines: readonly string[] }} opts
 *   workers: the <plugins workers="…"> attribute, none when absent
 * @returns {string}
 */
export function muleJobConfXml({ workers, handlers, toolLines }) {
  const plugins = workers === undefined ? '<plugins>' : `<plugins workers="${workers}">`;
  const handlerLines = Array.from({ length: handlers }, (_, k) => `        <handler id="main.job-handlers.${k + 1}" tags="handlers"/>`);
  return `<?xml version="1.0"?>
<job_conf>
    ${plugins}
        <plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/>
    </plugins>
    <handlers assign_with="uwsgi-mule-message" default="handlers">
${handlerLines.join('\n')}
    </handlers>
    <destinations default="local">
        <destination id="local" runner="local"/>
    </destinations>
    <tools>
${toolLines.join('\n')}
    </tools>
</job_conf>
`;
}

function jobConfXml(tools) {
  const toolLines = Array.from({ length: tools }, (_, k) => `        <tool id="toolshed.example.org/repos/owner${k % 50}/tool_${k}/tool_${k}/1.${k % 10}.0" handler="main.job-handlers.${1 + (k % 3)}"/>`);
  return muleJobConfXml({ workers: 4, handlers: 3, toolLines });
}

function jobConfYml(tools) {
  const t = Array.from({ length: tools }, (_, k) => `  - id: tool_${k}\n    handler: main.job-handlers.${1 + (k % 2)}`).join('\n');
  return `runners:
  local:
    load: galaxy.jobs.runners.local:LocalJobRunner
handling:
  assign: [uwsgi-mule-message]
  default: handlers
  handlers:
    main.job-handlers.1: {tags: [handlers]}
    main.job-handlers.2: {tags: [handlers]}
execution:
  default: local
  environments:
    local:
      runner: local
tools:
${t}
`;
}

function nginx(i, locations) {
  const locs = Array.from({ length: locations }, (_, k) => `    location /app${k}/ {\n        proxy_pass http://127.0.0.1:${9000 + k};\n        proxy_set_header Host $host;\n        client_max_body_size ${k % 10}G;\n    }`).join('\n');
  return `upstream galaxy${i} {
    server unix:/srv/galaxy${i}/var/uwsgi.sock;
}

server {
    listen 80;
    server_name galaxy${i}.example.org;
    location / {
        uwsgi_pass galaxy${i};
        uwsgi_param UWSGI_SCHEME $scheme;
        include uwsgi_params;
    }
${locs}
}
`;
}

function supervisor(i) {
  return `[program:galaxy]
command         = /srv/galaxy${i}/venv/bin/uwsgi --yaml /srv/galaxy${i}/config/galaxy.yml
directory       = /srv/galaxy${i}/server
umask           = 022
autostart       = true
autorestart     = true
user            = galaxy
stopsignal      = INT
environment     = PATH="/srv/galaxy${i}/venv/bin:/usr/bin:/bin"
`;
}

/**
 * Writes `hosts` deployments below `dir`; every tenth has the big files (3,000 tool mappings, nginx of ~1,000 locations).
 * @param {string} dir
 * @param {number} hosts
 * @returns {{ bytes: number, files: number }} what was written
 */
export function makeInventory(dir, hosts) {
  let bytes = 0;
  let files = 0;
  const put = (rel, text) => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    bytes += Buffer.byteLength(text);
    files++;
  };
  for (let i = 0; i < hosts; i++) {
    const big = i % 10 === 0;
    const h = `host${String(i).padStart(5, '0')}`;
    put(`${h}/config/galaxy.yml`, galaxyYml(i));
    put(`${h}/config/job_conf.xml`, jobConfXml(big ? 3000 : 20));
    if (big) put(`${h}/config/job_conf.yml`, jobConfYml(1000));
    put(`${h}/nginx/galaxy.conf`, nginx(i, big ? 1000 : 5));
    put(`${h}/supervisor/galaxy.conf`, supervisor(i));
  }
  return { bytes, files };
}

