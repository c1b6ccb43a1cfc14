import { muleJobConfXml } from '../../bench/inventory.mjs';
import type { FileKind } from '../../src/core/document.js';

/**
 * One small, valid file per kind, laid out as a deployment (paths relative to its root). The fuzz
 * tests mutate these; a kind added to PARSERS without a seed here is still fuzzed with random text
 * (and the tests say so), but mutations of a real file find far more.
 */
export interface Seed {
  readonly path: string;
  readonly text: string;
}

export const SEEDS: Partial<Record<FileKind, Seed>> = {
  'galaxy-yml': {
    path: 'config/galaxy.yml',
    text: `# galaxy.yml as it ran under uWSGI with mules
uwsgi:
  socket: /srv/galaxy/var/uwsgi.sock
  http: 127.0.0.1:8080
  processes: 2
  threads: 4
  master: true
  umask: '027'
  mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()
  manage-script-name: true
  virtualenv: /srv/galaxy/venv
  logto: /srv/galaxy/log/uwsgi.log
  static-map: /static=static
  hook-master-start: unix_signal:15 gracefully_kill_them_all
  mule: lib/galaxy/main.py
  mule: lib/galaxy/main.py
  farm: job-handlers:1,2
  env: PATH=$(PATH):/opt/bin
galaxy:
  database_connection: postgresql://galaxy:pa55word@localhost/galaxy
  id_secret: 0123456789abcdef
  job_config_file: job_conf.xml
  brand: &brand Example
  logo_src: *brand
`,
  },
  'uwsgi-yaml': {
    path: 'config/uwsgi.yml',
    text: `socket: 127.0.0.1:4001
processes: 4
master: true
pythonpath: lib
module: galaxy.webapps.galaxy.buildapp:uwsgi_app()
mule: lib/galaxy/main.py
farm: job-handlers:1
ini: uwsgi.ini:extra
`,
  },
  'uwsgi-ini': {
    path: 'config/uwsgi.ini',
    text: `[uwsgi]
; the web server
socket = /srv/galaxy/var/uwsgi.sock
chmod-socket = 660
processes = %(cores)
threads = 2
master = true
umask = 022
mule = lib/galaxy/main.py
mule = lib/galaxy/main.py
farm = job-handlers:1,2
include = extra.ini

[extra]
harakiri = 600
buffer-size = 16384
`,
  },
  'galaxy-ini': {
    path: 'config/galaxy.ini',
    text: `[server:main]
use = egg:Paste#http
port = 8080
host = 127.0.0.1

[filter:proxy-prefix]
use = egg:PasteDeploy#prefix
prefix = /galaxy

[app:main]
paste.app_factory = galaxy.web.buildapp:app_factory
filter-with = proxy-prefix
database_connection = postgresql://galaxy:secret@db/galaxy
job_config_file = config/job_conf.xml

[uwsgi]
socket = 127.0.0.1:4001
processes = 2
mule = lib/galaxy/main.py
farm = job-handlers:1
`,
  },
  'job-conf-xml': {
    path: 'config/job_conf.xml',
    // The job conf the bench's generated inventory is made of (bench/inventory.mjs), small.
    text: muleJobConfXml({
      workers: 2,
      handlers: 2,
      toolLines: ['        <!-- pinned to one mule -->', '        <tool id="upload1" handler="main.job-handlers.2"/>', '        <tool id="cat1" destination="local"/>'],
    }),
  },
  'job-conf-yml': {
    path: 'config/job_conf.yml',
    text: `runners:
  local:
    load: galaxy.jobs.runners.local:LocalJobRunner
    workers: 2
handling:
  assign:
    - uwsgi-mule-message
  default: handlers
  handlers:
    main.job-handlers.1:
      tags: [handlers]
    main.job-handlers.2:
      tags: [handlers]
execution:
  default: local
  environments:
    local:
      runner: local
tools:
  - id: upload1
    handler: main.job-handlers.2
`,
  },
  nginx: {
    path: 'nginx/galaxy.conf',
    text: `upstream galaxy {
    server unix:/srv/galaxy/var/uwsgi.sock;
}

server {
    listen 80;
    server_name galaxy.example.org;
    include /etc/nginx/snippets/*.conf;

    location /galaxy {
        uwsgi_pass galaxy;
        uwsgi_param UWSGI_SCHEME $scheme;
        include uwsgi_params;
        uwsgi_read_timeout 300;
    }

    location /galaxy/static {
        alias /srv/galaxy/server/static;
        expires 24h;
    }
}
`,
  },
  apache: {
    path: 'apache/galaxy.conf',
    text: `LoadModule proxy_uwsgi_module modules/mod_proxy_uwsgi.so
<VirtualHost *:80>
    ServerName galaxy.example.org
    RewriteEngine on
    RewriteRule ^/static/(.*) /srv/galaxy/static/$1 [L]
    ProxyPass /galaxy uwsgi://127.0.0.1:4001/
    <Location "/galaxy">
        Require all granted
    </Location>
</VirtualHost>
`,
  },
  supervisor: {
    path: 'supervisor/galaxy.conf',
    text: `[program:galaxy]
command         = /srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml
directory       = /srv/galaxy/server
umask           = 022
autostart       = true
user            = galaxy
stopsignal      = INT
environment     = PATH="/srv/galaxy/venv/bin:/usr/bin",VIRTUAL_ENV="/srv/galaxy/venv"

[program:handler]
command         = /srv/galaxy/venv/bin/python lib/galaxy/main.py -c config/galaxy.yml --server-name=handler%(process_num)s
process_name    = handler%(process_num)s
numprocs        = 2

[group:galaxy]
programs = galaxy,handler
`,
  },
  systemd: {
    path: 'systemd/galaxy.service',
    text: `[Unit]
Description=Galaxy under uWSGI
After=network.target

[Service]
Type=notify
User=galaxy
WorkingDirectory=/srv/galaxy/server
Environment=VIRTUAL_ENV=/srv/galaxy/venv
ExecStart=/srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml
KillSignal=SIGINT
Restart=always

[Install]
WantedBy=multi-user.target
`,
  },
  'ansible-vars': {
    path: 'group_vars/galaxyservers.yml',
    text: `galaxy_root: /srv/galaxy
galaxy_config:
  uwsgi:
    socket: 127.0.0.1:4001
    processes: 2
    mule:
      - lib/galaxy/main.py
      - lib/galaxy/main.py
    farm: job-handlers:1,2
  galaxy:
    job_config_file: "{{ galaxy_config_dir }}/job_conf.xml"
`,
  },
};

/**
 * Bits of syntax worth dropping anywhere: structure of every format, uWSGI's magic, YAML anchors,
 * XML entities, includes (loops and ones leaving the deployment), odd characters.
 */
export const TOKENS: readonly string[] = [
  '\n', '\r\n', '\r', '\t', ' ', '    ', '#', ';', '"', "'", '\\', '{', '}', '[', ']', '<', '>', '/>', '</', '=', ':', ': ',
  '- ', '---\n', '...\n', '|\n', '>-\n', '&a ', '*a', '<<: *a\n', '!!str ', '!!binary ', '? ', '%YAML 1.2\n', '@', '`', '$',
  '%(', '$(', '@(', '%(_)', '%k', '%0', '$(HOME)', '$(PATH)', '@(exec://echo x)', '@(/etc/passwd)', '%(cores)', 'if-env: X\n',
  'endif:\n', 'for = a b\n', 'endfor =\n', '[uwsgi]\n', '[app:main]\n', '[server:main]\n', '[filter:proxy-prefix]\n',
  '[program:x]\n', '[Service]\n', '[Unit]\n', 'uwsgi:\n', 'gravity:\n', 'galaxy:\n', '  socket: /tmp/x.sock\n',
  '  http: :8080\n', '  mule: lib/galaxy/main.py\n', '  farm: a:1,2\n', 'mule = x.py\n', 'farm = f:1\n',
  'include = uwsgi.ini\n', 'include = ../../../../etc/passwd\n', 'ini = galaxy.ini:uwsgi\n', 'yaml = uwsgi.yml\n',
  '  yaml: uwsgi.yml\n', '  ini: uwsgi.ini:extra\n', '  include: /etc/passwd\n', 'socket = :0\n', 'processes = -1\n',
  'server {', 'location / {', 'uwsgi_pass galaxy;', 'proxy_pass http://x;', 'include uwsgi_params;', 'include ../../*;',
  'include /etc/*;', '"unterminated', "'unterminated", '<VirtualHost *:80>', '</VirtualHost>', '<Location "/">',
  'ProxyPass / uwsgi://127.0.0.1:1/', 'Include /etc/passwd\n', 'ExecStart=/bin/uwsgi --ini a.ini\n', 'command = uwsgi --yaml x\n',
  '<!DOCTYPE j [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', '&a;', '&amp;', '&#0;', '&#xD800;',
  '<![CDATA[', ']]>', '<!--', '-->', '<?xml version="1.0"?>', '<handler id="main.job-handlers.3"/>', '<tool id="x" handler="main.web.1"/>',
  'handler: main.mule1\n', '{{ var }}', '{% if x %}', '{% endif %}', '{#', '#}', '\uFEFF', '\u0000', '\uD800', '\uDFFF',
  '\u2028', '\u0085', '\u00A0', 'é', '😀', '0', '-0', '1e999', '99999999999999999999', '0x1F', 'true', 'no', 'null', '~',
];

export const GENERIC_SEED: Seed = { path: 'config/unknown.conf', text: '' };
