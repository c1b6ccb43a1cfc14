import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROXY_RULES } from '../../../rules/proxy/index.js';
import type { MigrationDecisions } from '../../../src/core/model.js';
import { apacheBinary, checkApache } from '../../../src/io/server-check.js';
import { runCli } from '../../helpers/cli.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';
import { readDir, scratchDir } from '../zerg/helpers.js';
import { deploymentOf, runOn } from './helpers.js';

/**
 * Apache in front of several gunicorn instances (a uWSGI zerg setup): Galaxy's ProxyPass names a
 * mod_proxy_balancer balancer whose members are exactly the binds of the `gravity.gunicorn` list,
 * the finding names the modules a site file cannot load, and the real `apache2 -t` accepts the
 * rewritten file (with those modules loaded by the check's own main config).
 */

const APACHE = apacheBinary();
if (!APACHE) console.warn('[skip] apache2 -t checks of the balancer: apache2 is not installed (apt-get install apache2; .ci/apt-packages.txt lists it)');

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'zerg-apache');
const SITE = 'apache2/sites-available/galaxy.conf';

/** `BalancerMember` URLs of `<Proxy "balancer://NAME">` blocks, in order. */
function members(text: string, name: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(`<Proxy "balancer://${name}">([\\s\\S]*?)</Proxy>`, 'g'))) {
    out.push(...[...m[1]!.matchAll(/^\s*BalancerMember\s+(\S+)/gm)].map((x) => x[1]!));
  }
  return out;
}

describe('zerg setup behind Apache (test/fixtures/zerg-apache): apply --yes', () => {
  const before = join(FIXTURE, 'before');
  const out = scratchDir();
  const applied = runCli(['apply', '--yes', '--out', out, before]);

  it('exits 0 and writes exactly the expected bytes into every file', async () => {
    const r = await applied;
    expect(r.code, r.stderr).toBe(0);
    expect(readDir(out)).toEqual(readDir(join(FIXTURE, 'after')));
  });

  it('balances over exactly the binds of gravity.gunicorn, each unix socket under a host name of its own', async () => {
    await applied;
    const written = readDir(out);
    const binds = (parse(written['galaxy.yml']!) as { gravity: { gunicorn: { bind: string }[] } }).gravity.gunicorn.map((g) => g.bind);
    expect(binds).toEqual(['unix:/srv/galaxy/var/gunicorn0.sock', 'unix:/srv/galaxy/var/gunicorn1.sock']);
    expect(members(written[SITE]!, 'galaxy')).toEqual(binds.map((b, i) => `${b}|http://gunicorn${i}`));
    expect(written[SITE]).toContain('    ProxyPass / balancer://galaxy/\n');
    expect(written[SITE]).not.toMatch(/uwsgi:\/\//);
  });

  it('plans nothing more on the migrated copy (plan --check exits 0)', async () => {
    await applied;
    const again = await runCli(['plan', '--check', '.'], out);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('0 file(s) would change');
  });

  it('reports the ProxyPass at its line and names the modules to enable', async () => {
    const r = await runCli(['lint', '--format', 'json', before]);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; line: number; message: string; notes?: string[] }[] }).findings.filter((f) =>
      f.file.endsWith(SITE),
    );
    expect(findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['proxy/apache-url-scheme@5', 'proxy/apache-preserve-host@11', 'proxy/apache-proxypass-uwsgi@11']);
    const pass = findings.find((f) => f.ruleId === 'proxy/apache-proxypass-uwsgi')!;
    expect(pass.message).toContain('use balancer://galaxy/ (balancer "galaxy" lists the binds of the 2 gunicorn instances');
    expect(pass.notes!.join('\n')).toContain('`a2enmod proxy_balancer lbmethod_byrequests slotmem_shm`');
  });

  it.skipIf(!APACHE)('apache2 -t accepts the site before and after, with mod_proxy_balancer, lbmethod_byrequests and slotmem_shm loaded', async () => {
    await applied;
    const b = checkApache([{ path: SITE, text: readDir(before)[SITE]! }], SITE);
    expect(b.ok, b.output).toBe(true);
    const a = checkApache([{ path: SITE, text: readDir(out)[SITE]! }], SITE);
    expect(a.ok, `${a.command}\n${a.output}`).toBe(true);
    expect(a.output).toMatch(/Syntax OK/);
  });
});

const listener = (address: { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number }) => ({
  option: 'zerg-pool',
  protocol: 'uwsgi' as const,
  address,
  file: 'supervisord.conf',
  range: { start: 0, end: 0 },
});
const TCP_ZERG: Partial<MigrationDecisions> = {
  legacyListeners: [listener({ kind: 'tcp', host: '127.0.0.1', port: 4001 })],
  gunicornBind: '127.0.0.1:4001',
  gunicornAddress: { kind: 'tcp', host: '127.0.0.1', port: 4001 },
  gunicornInstances: [
    { bind: '127.0.0.1:4001', address: { kind: 'tcp', host: '127.0.0.1', port: 4001 } },
    { bind: '127.0.0.1:4002', address: { kind: 'tcp', host: '127.0.0.1', port: 4002 } },
    { bind: '127.0.0.1:4003', address: { kind: 'tcp', host: '127.0.0.1', port: 4003 } },
  ],
  forwardedAllowAll: false,
  urlPrefix: '/galaxy',
};
const asApache = (files: Record<string, string>) => Object.fromEntries(Object.keys(files).map((p) => [p, 'apache' as const]));

describe('Apache balancer: placement, names, the sites it does not cover', () => {
  const prefixed = [
    'LoadModule proxy_uwsgi_module modules/mod_proxy_uwsgi.so',
    '<VirtualHost 127.0.0.1:8081>',
    '\tServerName localhost',
    '\t<Location "/galaxy">',
    '\t\tProxyPass "uwsgi://127.0.0.1:4001/galaxy"',
    '\t</Location>',
    '\tProxyPassReverse /galaxy uwsgi://127.0.0.1:4001/galaxy',
    '</VirtualHost>',
    '<VirtualHost 127.0.0.1:8082>',
    '\tServerName localhost',
    '\tProxyPassMatch ^/galaxy/(api/.*)$ uwsgi://127.0.0.1:4001/galaxy/$1',
    '</VirtualHost>',
    '',
  ].join('\n');

  it('steps out of <Location>, adds one <Proxy> block per virtual host, keeps the prefix and the tab indentation', () => {
    const files = { 'httpd/galaxy.conf': prefixed };
    const out = runOn(deploymentOf(files, TCP_ZERG, asApache(files)), PROXY_RULES);
    const block = [
      '\t# gunicorn instances of gravity.gunicorn, restarted one at a time by galaxyctl graceful (galaxy-migrate)',
      '\t<Proxy "balancer://galaxy">',
      '\t\tBalancerMember http://127.0.0.1:4001',
      '\t\tBalancerMember http://127.0.0.1:4002',
      '\t\tBalancerMember http://127.0.0.1:4003',
      '\t</Proxy>',
    ];
    expect(out.after['httpd/galaxy.conf']).toBe(
      [
        'LoadModule proxy_http_module modules/mod_proxy_http.so',
        '<VirtualHost 127.0.0.1:8081>',
        '\tServerName localhost',
        ...block,
        '\t<Location "/galaxy">',
        '\t\tProxyPreserveHost On',
        '\t\tProxyPass "balancer://galaxy/galaxy"',
        '\t</Location>',
        '\tProxyPassReverse /galaxy balancer://galaxy/galaxy',
        '</VirtualHost>',
        '<VirtualHost 127.0.0.1:8082>',
        '\tServerName localhost',
        ...block,
        '\tProxyPassMatch ^/galaxy/(api/.*)$ balancer://galaxy/galaxy/$1',
        '\tProxyPreserveHost On',
        '</VirtualHost>',
        '',
      ].join('\n'),
    );
    expect(out.ids).toEqual([
      'proxy/apache-proxy-uwsgi-module@1',
      'proxy/apache-preserve-host@5',
      'proxy/apache-proxypass-uwsgi@5',
      'proxy/apache-proxypass-uwsgi@7',
      'proxy/apache-preserve-host@11',
      'proxy/apache-proxypass-uwsgi@11',
    ]);
    // The modules are named once; no LoadModule of the file loads them.
    const notes = out.findings.flatMap((f) => f.notes ?? []).filter((n) => n.includes('a2enmod proxy_balancer'));
    expect(notes).toHaveLength(1);
    if (APACHE) {
      const check = checkApache([{ path: 'httpd/galaxy.conf', text: out.after['httpd/galaxy.conf']! }], 'httpd/galaxy.conf');
      expect(check.ok, `${check.command}\n${check.output}`).toBe(true);
    }
  });

  it('ProxyPreserveHost goes after the ProxyPass when the block takes the line before it', () => {
    const files = { 'site.conf': ['<VirtualHost *:80>', '    ProxyPass / uwsgi://127.0.0.1:4001/', '</VirtualHost>', ''].join('\n') };
    const out = runOn(deploymentOf(files, TCP_ZERG, asApache(files)), PROXY_RULES);
    expect(out.after['site.conf']).toBe(
      [
        '<VirtualHost *:80>',
        '    # gunicorn instances of gravity.gunicorn, restarted one at a time by galaxyctl graceful (galaxy-migrate)',
        '    <Proxy "balancer://galaxy">',
        '        BalancerMember http://127.0.0.1:4001',
        '        BalancerMember http://127.0.0.1:4002',
        '        BalancerMember http://127.0.0.1:4003',
        '    </Proxy>',
        '    ProxyPass / balancer://galaxy/',
        '    ProxyPreserveHost On',
        '</VirtualHost>',
        '',
      ].join('\n'),
    );
  });

  it('takes a free balancer name, and leaves SetHandler on the first instance with a note', () => {
    const files = {
      'site.conf': [
        '<Proxy "balancer://galaxy">',
        '    BalancerMember http://10.0.0.5:8080',
        '</Proxy>',
        'ProxyPass /other balancer://galaxy/',
        'ProxyPass / uwsgi://127.0.0.1:4001/',
        '<LocationMatch "^/api/upload">',
        '    SetHandler "proxy:uwsgi://127.0.0.1:4001/"',
        '</LocationMatch>',
        '',
      ].join('\n'),
    };
    const out = runOn(deploymentOf(files, { ...TCP_ZERG, urlPrefix: undefined }, asApache(files)), PROXY_RULES);
    const text = out.after['site.conf']!;
    expect(members(text, 'galaxy')).toEqual(['http://10.0.0.5:8080']);
    expect(members(text, 'galaxy_gunicorn')).toEqual(['http://127.0.0.1:4001', 'http://127.0.0.1:4002', 'http://127.0.0.1:4003']);
    expect(text).toContain('\nProxyPass / balancer://galaxy_gunicorn/\n');
    expect(text).toContain('    SetHandler "proxy:http://127.0.0.1:4001/"\n');
    const handler = out.findings.find((f) => f.location.line === 7)!;
    expect(handler.ruleId).toBe('proxy/apache-proxypass-uwsgi');
    expect(handler.notes!.join('\n')).toContain('this line reaches only the first (127.0.0.1:4001)');
  });

  it('writes no balancer for a target before Galaxy 23.0 (a gunicorn list needs Gravity 1.0)', async () => {
    const r = await runCli(['plan', '--target', '22.05', join(FIXTURE, 'before')]);
    expect(r.stdout).not.toContain('balancer://');
  });

  it('names only the modules the files do not load already', () => {
    const files = {
      'httpd.conf': [
        'LoadModule proxy_balancer_module modules/mod_proxy_balancer.so',
        'LoadModule slotmem_shm_module modules/mod_slotmem_shm.so',
        'LoadModule proxy_http_module modules/mod_proxy_http.so',
        'ProxyPass / uwsgi://127.0.0.1:4001/',
        '',
      ].join('\n'),
    };
    const out = runOn(deploymentOf(files, { ...TCP_ZERG, urlPrefix: undefined }, asApache(files)), PROXY_RULES);
    const notes = out.findings.flatMap((f) => f.notes ?? []).filter((n) => n.includes('a2enmod'));
    expect(notes).toEqual([expect.stringContaining('needs mod_lbmethod_byrequests loaded')]);
    expect(notes[0]).toContain('`a2enmod lbmethod_byrequests`');
  });
});
