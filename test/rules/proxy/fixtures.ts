/** Fixtures shared by the proxy rule tests (written for these tests, not taken from the corpus). */
export const APACHE_BEFORE = [
  'LoadModule proxy_uwsgi_module /usr/lib/apache2/modules/mod_proxy_uwsgi.so',
  '<VirtualHost *:80>',
  '    ServerName galaxy.example.org',
  '    # Galaxy needs to know that this is https for generating URLs',
  '    RequestHeader set X-URL-SCHEME "%{REQUEST_SCHEME}e"',
  '    ProxyTimeout 180',
  '    <IfModule mod_proxy_uwsgi.c>',
  '        ProxyPass /galaxy unix:///srv/galaxy/var/uwsgi.sock|uwsgi://',
  '    </IfModule>',
  '    # the reports app keeps its uWSGI',
  '    ProxyPass /reports uwsgi://127.0.0.1:9001/',
  '</VirtualHost>',
  '',
].join('\n');
