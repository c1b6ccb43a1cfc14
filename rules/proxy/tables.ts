/**
 * The facts the proxy rules rewrite by, as data. Each row names its source: keys of
 * docs/galaxy-target.md (GX-NGINX-UW, GX-NGINX-GU, GX-APACHE-UW, GX-APACHE-GU, GX-SCALE-GU, GUNI)
 * or the nginx module documentation (NGX-UWSGI = ngx_http_uwsgi_module, NGX-PROXY =
 * ngx_http_proxy_module: the two modules have the same directive set under two prefixes).
 */

export interface HeaderLine {
  readonly header: string;
  readonly value: string;
  readonly source: string;
}

/**
 * What `include uwsgi_params` gave Galaxy, as HTTP headers to Gunicorn (§4.2, the modern location
 * block). uwsgi_params passed HTTP_HOST (the client's Host), REMOTE_ADDR and HTTPS/REQUEST_SCHEME;
 * over HTTP these arrive as Host, X-Forwarded-For and X-Forwarded-Proto, and Upgrade lets websocket
 * requests through.
 */
export const GALAXY_PROXY_HEADERS: readonly HeaderLine[] = [
  { header: 'Host', value: '$http_host', source: 'GX-NGINX-GU §4.2' },
  { header: 'X-Forwarded-For', value: '$proxy_add_x_forwarded_for', source: 'GX-NGINX-GU §4.2' },
  { header: 'X-Forwarded-Proto', value: '$scheme', source: 'GX-NGINX-GU §4.2; §4.3 (UWSGI_SCHEME)' },
  { header: 'Upgrade', value: '$http_upgrade', source: 'GX-NGINX-GU §4.2' },
];

/** uwsgi_param names that carried the request scheme to uWSGI (wsgi.url_scheme). */
export const SCHEME_PARAMS: readonly string[] = ['UWSGI_SCHEME', 'HTTPS', 'REQUEST_SCHEME'];

/**
 * uwsgi_param names with a direct header form. `HTTP_X_Y` is WSGI's spelling of the header `X-Y`
 * (PEP 3333), so any other `HTTP_*` becomes `X-Y` the same way.
 */
export const PARAM_HEADERS: Readonly<Record<string, { header: string; source: string }>> = {
  HTTP_REMOTE_USER: { header: 'REMOTE_USER', source: 'GX-NGINX-GU §4.3 (arrives as HTTP_REMOTE_USER, remote_user_header)' },
  HTTP_HOST: { header: 'Host', source: 'PEP 3333 HTTP_ variables' },
};

/**
 * nginx's uwsgi_* directives with a proxy_* twin taking the same arguments (NGX-UWSGI vs
 * NGX-PROXY; §4.3 "uwsgi_buffering, uwsgi_* tuning → proxy_buffering, proxy_* equivalents").
 * `uwsgi_pass`, `uwsgi_param` and `uwsgi_modifier1/2` are not here: other rules handle them.
 */
export const UWSGI_TO_PROXY: Readonly<Record<string, { proxy: string; source: string }>> = Object.fromEntries(
  [
    ['read_timeout', 'GX-NGINX-UW/GU §4.1–4.3 (uwsgi_read_timeout 180 → proxy_read_timeout 180)'],
    ['send_timeout', 'NGX-UWSGI/NGX-PROXY'],
    ['connect_timeout', 'NGX-UWSGI/NGX-PROXY'],
    ['buffering', '§4.3; NGX-UWSGI/NGX-PROXY'],
    ['request_buffering', 'NGX-UWSGI/NGX-PROXY'],
    ['buffer_size', 'NGX-UWSGI/NGX-PROXY'],
    ['buffers', 'NGX-UWSGI/NGX-PROXY'],
    ['busy_buffers_size', 'NGX-UWSGI/NGX-PROXY'],
    ['max_temp_file_size', 'NGX-UWSGI/NGX-PROXY'],
    ['temp_file_write_size', 'NGX-UWSGI/NGX-PROXY'],
    ['temp_path', 'NGX-UWSGI/NGX-PROXY'],
    ['pass_header', 'NGX-UWSGI/NGX-PROXY'],
    ['hide_header', 'NGX-UWSGI/NGX-PROXY'],
    ['ignore_headers', 'NGX-UWSGI/NGX-PROXY'],
    ['ignore_client_abort', 'NGX-UWSGI/NGX-PROXY'],
    ['intercept_errors', 'NGX-UWSGI/NGX-PROXY'],
    ['pass_request_body', 'NGX-UWSGI/NGX-PROXY'],
    ['pass_request_headers', 'NGX-UWSGI/NGX-PROXY'],
    ['next_upstream', 'NGX-UWSGI/NGX-PROXY'],
    ['next_upstream_tries', 'NGX-UWSGI/NGX-PROXY'],
    ['next_upstream_timeout', 'NGX-UWSGI/NGX-PROXY'],
    ['limit_rate', 'NGX-UWSGI/NGX-PROXY'],
    ['force_ranges', 'NGX-UWSGI/NGX-PROXY'],
    ['socket_keepalive', 'NGX-UWSGI/NGX-PROXY'],
    ['bind', 'NGX-UWSGI/NGX-PROXY'],
    ['store', 'NGX-UWSGI/NGX-PROXY'],
    ['store_access', 'NGX-UWSGI/NGX-PROXY'],
    ['no_cache', 'NGX-UWSGI/NGX-PROXY'],
    ['cache', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_key', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_valid', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_bypass', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_lock', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_methods', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_min_uses', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_use_stale', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_revalidate', 'NGX-UWSGI/NGX-PROXY'],
    ['cache_path', 'NGX-UWSGI/NGX-PROXY'],
    ['ssl_verify', 'NGX-UWSGI/NGX-PROXY'],
    ['ssl_server_name', 'NGX-UWSGI/NGX-PROXY'],
    ['ssl_name', 'NGX-UWSGI/NGX-PROXY'],
    ['ssl_trusted_certificate', 'NGX-UWSGI/NGX-PROXY'],
    ['ssl_certificate', 'NGX-UWSGI/NGX-PROXY'],
    ['ssl_certificate_key', 'NGX-UWSGI/NGX-PROXY'],
    ['ssl_protocols', 'NGX-UWSGI/NGX-PROXY'],
    ['ssl_ciphers', 'NGX-UWSGI/NGX-PROXY'],
  ].map(([suffix, source]) => [`uwsgi_${suffix}`, { proxy: `proxy_${suffix}`, source: source! }]),
);

/** Location paths of applications that sat beside Galaxy on uwsgi_pass (corpus MANIFEST). */
export const OTHER_APP_PATHS = /^\/?(reports|tiaas|join-training|request-tiaas)\b/;
