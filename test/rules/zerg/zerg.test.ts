import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALL_RULES } from '../../../rules/index.js';
import { parseTarget } from '../../../src/core/target.js';
import { checkNginx, nginxBinary } from '../../../src/io/server-check.js';
import { runCli } from '../../helpers/cli.js';
import { SUPERVISORD, supervisordAccepts, warnNoSupervisord } from '../../helpers/supervisord.js';
import { deploymentFrom, run } from '../process/helpers.js';
import { fixtureDir, readDir, scratchDir, upstreamServers } from './helpers.js';

/**
 * Zerg mode end to end: a galaxy.yml whose uWSGI section attaches to a zerg pool, the supervisord
 * programs that ran the pool, two zerglings and the handlers, and the nginx site in front. The
 * plan writes a `gravity.gunicorn` list, an nginx upstream with exactly those binds, and one
 * supervisord program that runs galaxyctl; the expected bytes are test/fixtures/zerg/<case>/after.
 */

const NGINX = nginxBinary();
if (!NGINX) console.warn('[skip] nginx -t checks of the zerg fixtures: nginx is not installed (apt-get install nginx)');
warnNoSupervisord();

function gunicornBinds(galaxyYml: string): string[] {
  const g = (parse(galaxyYml) as { gravity: { gunicorn: { bind: string }[] } }).gravity.gunicorn;
  expect(Array.isArray(g)).toBe(true);
  return g.map((i) => i.bind);
}

describe.each([
  { name: 'tcp', upstream: 'galaxy', binds: ['127.0.0.1:4001', '127.0.0.1:4002'], nginx: ['127.0.0.1:4001', '127.0.0.1:4002'] },
  {
    name: 'unix',
    upstream: 'galaxy_app',
    binds: ['unix:/srv/galaxy/var/gunicorn0.sock', 'unix:/srv/galaxy/var/gunicorn1.sock', 'unix:/srv/galaxy/var/gunicorn2.sock'],
    nginx: ['unix:/srv/galaxy/var/gunicorn0.sock', 'unix:/srv/galaxy/var/gunicorn1.sock', 'unix:/srv/galaxy/var/gunicorn2.sock'],
  },
])('zerg setup over $name: apply --yes', ({ name, upstream, binds, nginx }) => {
  const before = fixtureDir(`${name}/before`);
  const expected = readDir(fixtureDir(`${name}/after`));
  const out = scratchDir();
  const applied = runCli(['apply', '--yes', '--out', out, '.'], before);

  it('exits 0 and writes exactly the expected bytes into every file', async () => {
    const r = await applied;
    expect(r.code, r.stderr).toBe(0);
    expect(readDir(out)).toEqual(expected);
  });

  it('writes gunicorn as a list whose binds are exactly the servers of the nginx upstream (one model)', async () => {
    await applied;
    const written = readDir(out);
    expect(gunicornBinds(written['galaxy.yml']!)).toEqual(binds);
    expect(upstreamServers(written['nginx/galaxy.conf']!, upstream)).toEqual(nginx);
    expect(written['nginx/galaxy.conf']).toContain(`proxy_pass http://${upstream};`);
    expect(written['nginx/galaxy.conf']).not.toMatch(/uwsgi_/);
    expect(written['supervisord.conf']).not.toMatch(/bin\/uwsgi|\[program:(zerg|pool)/);
  });

  it('plans nothing more on the migrated copy (plan --check exits 0)', async () => {
    await applied;
    const again = await runCli(['plan', '--check', '.'], out);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('0 file(s) would change');
  });

  it.skipIf(!NGINX)('nginx -t accepts the site before and after', async () => {
    await applied;
    const b = checkNginx([{ path: 'nginx/galaxy.conf', text: readDir(before)['nginx/galaxy.conf']! }], 'nginx/galaxy.conf');
    expect(b.ok, b.output).toBe(true);
    const a = checkNginx([{ path: 'nginx/galaxy.conf', text: readDir(out)['nginx/galaxy.conf']! }], 'nginx/galaxy.conf');
    expect(a.ok, `${a.command}\n${a.output}`).toBe(true);
  });

  it.skipIf(!SUPERVISORD)('the real supervisord accepts the rewritten programs', async () => {
    await applied;
    const v = await supervisordAccepts(readDir(out)['supervisord.conf']!);
    expect(v.ok, v.output).toBe(true);
  });
});

describe('what the tcp plan reports, and where', () => {
  const files = readDir(fixtureDir('tcp/before'));
  const o = run(deploymentFrom(files), ALL_RULES);
  const one = (id: string, file: string, line: number) => {
    const f = o.findings.filter((x) => x.ruleId === id && x.file === file && x.location.line === line);
    expect(f, `${id}@${file}:${line} in ${o.ids.join(' ')}`).toHaveLength(1);
    return f[0]!;
  };

  it('maps the zerg option to the instance list (info, no longer a review), with how N and the ports were chosen', () => {
    const f = one('uwsgi/zerg', 'galaxy.yml', 3);
    expect(f.severity).toBe('info');
    expect(f.message).toBe(
      '`zerg: /srv/galaxy/var/zergpool.sock` (the zergling attached to the zerg pool) → a `gravity.gunicorn` list of 2 instances (`127.0.0.1:4001`, `127.0.0.1:4002`), ' +
        'which `galaxyctl graceful` restarts one at a time while the proxy balances over every bind; the zerg pool\'s address is read from `--zerg-pool /srv/galaxy/var/zergpool.sock:127.0.0.1:4001` of `[program:zergpool]` in supervisord.conf',
    );
    expect(f.notes).toContain('2 gunicorn instances: the old setup ran 2 zerglings (`[program:zergling0]`, `[program:zergling1]`)');
  });

  it('says in the supervisord findings that galaxyctl graceful restarts the instances now', () => {
    const pool = one('process/supervisor-programs', 'supervisord.conf', 2);
    expect(pool.message).toContain('gunicorn needs no zerg pool: the first of the 2 gunicorn instances of `gravity.gunicorn` binds its address');
    expect(pool.notes).toContain('  galaxyctl --config-file /srv/galaxy/config/galaxy.yml graceful   # from now on, restarts the 2 gunicorn instances one at a time (what the zerg pool\'s handover did)');
    const ling1 = one('process/supervisor-programs', 'supervisord.conf', 16);
    expect(ling1.message).toContain('replace the zerglings; `galaxyctl graceful` restarts them one at a time');
  });

  it('points both Galaxy locations at the upstream; only the first fix adds it', () => {
    const first = one('proxy/nginx-uwsgi-pass', 'nginx/galaxy.conf', 7);
    const second = one('proxy/nginx-uwsgi-pass', 'nginx/galaxy.conf', 13);
    expect(first.message).toContain('proxy_pass http://galaxy');
    expect(first.message).toContain('this fix adds it');
    expect(second.message).toContain('the fix of the first Galaxy location adds it');
    const texts = (f: typeof first) => f.fix!.changes.flatMap((c) => (c.kind === 'edit' ? c.edits.map((e) => e.text) : []));
    expect(texts(first).some((t) => t.includes('upstream galaxy {'))).toBe(true);
    expect(texts(second).some((t) => t.includes('upstream'))).toBe(false);
  });

  it('for Galaxy 22.05 (Gravity before 1.0, no gunicorn list) binds the pool address once and says why', () => {
    const old = run(deploymentFrom(files), ALL_RULES, parseTarget('22.05')!);
    const f = old.findings.find((x) => x.ruleId === 'uwsgi/zerg')!;
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('a `gravity.gunicorn` list (rolling restarts) needs Gravity ≥ 1.0, i.e. Galaxy 23.0; for Galaxy 22.05 one gunicorn binds `127.0.0.1:4001`');
    expect(old.after['galaxy.yml']).toContain("  gunicorn:\n    bind: '127.0.0.1:4001'\n");
    expect(old.after['nginx/galaxy.conf']).toContain('proxy_pass http://127.0.0.1:4001;');
    expect(old.after['nginx/galaxy.conf']).not.toContain('upstream');
  });
});

describe('a zerg setup that is not understood stays a review, with the reason', () => {
  it('a pool address set by a template: warning at the pool program, gravity gets no list', () => {
    const files = readDir(fixtureDir('templated'));
    const o = run(deploymentFrom(files), ALL_RULES);
    const f = o.findings.find((x) => x.ruleId === 'uwsgi/zerg')!;
    expect(f.severity).toBe('warning');
    expect(f.location.line).toBe(1);
    expect(f.message).toContain('the zerg pool\'s address is set by a template (`{{ galaxy_zergpool_listen_addr }}` in supervisord.conf)');
  });

  it('zerglings without a pool among the files: the option is a review naming what is missing', () => {
    const o = run(deploymentFrom({ 'galaxy.yml': 'uwsgi:\n  zerg: /srv/galaxy/var/zerg.sock\n  processes: 4\ngalaxy:\n  brand: Zerg\n' }), ALL_RULES);
    const f = o.findings.find((x) => x.ruleId === 'uwsgi/zerg')!;
    expect(f.severity).toBe('warning');
    expect(f.location.line).toBe(2);
    expect(f.message).toContain('no zerg pool (`zerg-pool`) or zerg server (`zerg-server` beside its own `socket`) was found in the files read (the zerglings attach to `/srv/galaxy/var/zerg.sock`)');
    expect(o.after['galaxy.yml']).not.toContain('bind');
  });

  it('a gravity.gunicorn map the admin already wrote wins over the zerg setup', () => {
    const o = run(
      deploymentFrom({
        'galaxy.yml': 'uwsgi:\n  zerg: /srv/z.sock\ngravity:\n  gunicorn:\n    bind: 127.0.0.1:8080\ngalaxy:\n  brand: Zerg\n',
        'supervisord.conf': '[program:zp]\ncommand = uwsgi --zerg-pool /srv/z.sock:127.0.0.1:4001\n',
      }),
      ALL_RULES,
    );
    const f = o.findings.find((x) => x.ruleId === 'uwsgi/zerg' && x.file === 'galaxy.yml')!;
    expect(f.message).toContain('`gravity.gunicorn` is already set in `galaxy.yml`, and what Gravity will run wins');
    expect(o.after['galaxy.yml']).toContain('    bind: 127.0.0.1:8080\n');
  });
});
