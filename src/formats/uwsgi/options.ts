/**
 * Facts about option names that change how the configuration is *read* (not what options mean):
 * which options uWSGI runs while parsing (immediate), which load files, and which are boolean
 * flags. From uWSGI 2.0's option tables (core/uwsgi.c uwsgi_base_options, plugins/python).
 */

/**
 * Options with UWSGI_OPT_IMMEDIATE: run as soon as they are added, then skipped by the passes (so
 * `listen = %(x)` stays literal). Checked option by option against uWSGI 2.0.21's binary: an
 * option is immediate when `opt = %(x)` is printed unexpanded.
 */
export const IMMEDIATE_OPTIONS: ReadonlySet<string> = new Set([
  'xmlconfig', 'xml', 'config', 'fallback-config', 'strict',
  'set', 'set-placeholder', 'set-ph', 'declare-option',
  'for', 'for-glob', 'for-times', 'for-readline', 'endfor', 'end-for',
  'if-opt', 'if-not-opt', 'if-env', 'if-not-env', 'ifenv', 'if-reload', 'if-not-reload',
  'if-exists', 'if-not-exists', 'ifexists', 'if-plugin', 'if-not-plugin', 'ifplugin',
  'if-file', 'if-not-file', 'if-dir', 'if-not-dir', 'ifdir', 'if-directory',
  'if-hostname', 'if-not-hostname', 'if-hostname-match', 'if-not-hostname-match',
  'endif', 'end-if', 'blacklist', 'end-blacklist', 'whitelist', 'end-whitelist',
  'include', 'stop', 'reload', 'pause', 'suspend', 'resume', 'connect-and-read', 'extract',
  'umask', 'help', 'usage', 'print-sym', 'print-symbol', 'spooler-processes', 'signal',
  'flock', 'flock-wait', 'flock2', 'flock-wait2', 'immediate-uid', 'immediate-gid',
  'ini', 'yaml', 'yml', 'json', 'js', 'sqlite3', 'sqlite', 'ldap', 'command-mode', 'pcre-jit',
  'plugins', 'plugin', 'need-plugins', 'need-plugin', 'plugins-dir', 'plugin-dir', 'autoload',
  'dlopen', 'cflags', 'dot-h', 'binary-append-data', 'inject-before', 'inject-after',
  'ini-paste', 'ini-paste-logged', 'listen', 'iprint', 'exit', 'early-envdir', 'resolve',
]);

/** Options that load another configuration file, and with which reader. */
export const LOADER_OPTIONS: ReadonlyMap<string, 'ini' | 'yaml' | 'json' | 'xml' | 'other' | 'by-extension'> = new Map([
  ['include', 'by-extension'],
  ['inherit', 'by-extension'],
  ['ini', 'ini'],
  ['ini-paste', 'ini'],
  ['ini-paste-logged', 'ini'],
  ['yaml', 'yaml'],
  ['yml', 'yaml'],
  ['json', 'json'],
  ['js', 'json'],
  ['xml', 'xml'],
  ['xmlconfig', 'xml'],
  ['sqlite3', 'other'],
  ['sqlite', 'other'],
  ['ldap', 'other'],
  ['config', 'other'],
] as const);

/** `set-placeholder` on a real option name is fatal; these are the names most configs meet. */
export const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'socket', 'uwsgi-socket', 'http-socket', 'https-socket', 'fastcgi-socket', 'scgi-socket', 'shared-socket',
  'http', 'https', 'http-to', 'protocol', 'processes', 'workers', 'threads', 'master', 'module', 'wsgi-file',
  'wsgi', 'callable', 'mount', 'manage-script-name', 'chdir', 'virtualenv', 'venv', 'home', 'pythonpath',
  'python-path', 'pp', 'env', 'uid', 'gid', 'umask', 'pidfile', 'logto', 'logto2', 'daemonize', 'buffer-size',
  'harakiri', 'max-requests', 'static-map', 'static-map2', 'static-safe', 'mule', 'mules', 'farm',
  'hook-master-start', 'enable-threads', 'thunder-lock', 'die-on-term', 'py-call-osafterfork',
  'offload-threads', 'lazy-apps', 'lazy', 'vacuum', 'chmod-socket', 'chown-socket', 'listen', 'stats',
  'memory-report', 'single-interpreter', 'need-app', 'plugins', 'plugin', 'include', 'inherit', 'ini', 'yaml',
  'yml', 'json', 'xml', 'set', 'for', 'endfor', 'endif', 'if-env', 'if-opt', 'if-exists', 'route',
  'route-run', 'cron', 'attach-daemon', 'smart-attach-daemon', 'spooler', 'cache2', 'log-format',
  'logformat', 'req-logger', 'logger', 'touch-reload', 'py-autoreload', 'procname', 'procname-prefix',
  'socket-timeout', 'post-buffering', 'limit-as', 'reload-on-rss', 'cheaper', 'idle', 'die-on-idle',
]);

/** Boolean flags (no_argument): `false`, `off`, `no` (any case) or exactly `0` turn them off. */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'master', 'die-on-term', 'enable-threads', 'thunder-lock', 'lazy-apps', 'lazy', 'vacuum',
  'py-call-osafterfork', 'single-interpreter', 'need-app', 'manage-script-name', 'harakiri-verbose',
  'memory-report', 'reaper', 'no-orphans', 'disable-logging', 'log-x-forwarded-for', 'log-master',
  'log-reopen', 'auto-procname', 'strict', 'honour-stdin', 'close-on-exec', 'so-keepalive', 'tcp-nodelay',
  'no-default-app', 'ignore-script-name', 'catch-exceptions', 'reload-on-exception', 'ignore-sigpipe',
  'ignore-write-errors', 'disable-write-exception', 'enable-metrics', 'skip-atexit', 'exit-on-reload',
  'never-swap', 'cache-no-expire', 'spooler-ordered', 'spooler-quiet', 'no-threads-wait', 'http-auto-chunked',
  'http-raw-body', 'http-websockets', 'static-gzip-all', 'ssl-verbose', 'no-server', 'cheap', 'stats-http',
  'py-tracebacker', 'python-autoreload-ignore', 'show-config', 'logdate', 'log-date', 'log-micros',
  'log-4xx', 'log-5xx', 'log-slow', 'log-big', 'log-sendfile', 'log-ioerror', 'log-zero', 'vhost',
  'vhost-host', 'worker-exec2', 'freebind', 'reuse-port', 'abstract-socket', 'cgi-mode',
]);

/** The three words uWSGI compares case-insensitively, and `0` compared exactly (uwsgi_opt_true). */
export function uwsgiReadsFalse(value: string): boolean {
  const v = value.toLowerCase();
  return v === 'false' || v === 'off' || v === 'no' || value === '0';
}

/** Environment variables uWSGI does not turn into options (core/utils.c parse_sys_envs). */
export const INTERNAL_ENV: ReadonlySet<string> = new Set([
  'UWSGI_RELOADS', 'UWSGI_VASSALS_DIR', 'UWSGI_EMPEROR_FD', 'UWSGI_BROODLORD_NUM', 'UWSGI_EMPEROR_FD_CONFIG',
  'UWSGI_EMPEROR_PROXY', 'UWSGI_JAIL_PID', 'UWSGI_ORIGINAL_PROC_NAME',
]);

/** URL schemes uWSGI fetches instead of opening a file (core/io.c). */
const SCHEME = /^(exec|http|data|sym|section|fd|call|callint|emperor):\/\//;

export function schemeOf(name: string): string | undefined {
  return SCHEME.exec(name)?.[1];
}
