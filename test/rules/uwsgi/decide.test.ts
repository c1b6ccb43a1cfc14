import { describe, expect, it } from 'vitest';
import type { Document, SourceFile } from '../../../src/core/document.js';
import { memoryHost } from '../../../src/core/host.js';
import type { UwsgiConfig, UwsgiOption } from '../../../src/core/model.js';
import { parseAs } from '../../../src/formats/parsers.js';
import { galaxyYmlUwsgi } from '../../../src/formats/galaxy-yml/extract.js';
import { decideFor, decideMigration, primaryConfig } from '../../../src/model/decide.js';
import { planHandlers } from '../../../src/model/handlers.js';
import { appOf } from '../../../src/model/uwsgi-options.js';

/** A uWSGI option list built by hand, as the dialect reader would give it. */
function config(pairs: [string, string][], file = 'galaxy.yml'): UwsgiConfig {
  let at = 0;
  const options: UwsgiOption[] = pairs.map(([key, value]) => {
    const start = at;
    at += key.length + value.length + 4;
    return {
      key,
      value,
      rawValue: value,
      file,
      range: { start, end: at - 1 },
      keyRange: { start, end: start + key.length },
      valueRange: { start: start + key.length + 2, end: at - 1 },
      included: false,
    };
  });
  return { file, section: 'uwsgi', options };
}

describe('gunicorn bind (docs/galaxy-target.md §2.1)', () => {
  it('a unix socket becomes unix:<same directory>/gunicorn.sock, trusted for forwarded headers', () => {
    const d = decideFor(config([['socket', '/srv/galaxy/var/uwsgi.sock']]));
    expect(d.gunicornBind).toBe('unix:/srv/galaxy/var/gunicorn.sock');
    expect(d.gunicornAddress).toEqual({ kind: 'unix', path: '/srv/galaxy/var/gunicorn.sock' });
    expect(d.forwardedAllowAll).toBe(true);
    expect(d.legacyListeners.map((l) => [l.option, l.protocol, l.address])).toEqual([['socket', 'uwsgi', { kind: 'unix', path: '/srv/galaxy/var/uwsgi.sock' }]]);
  });

  it(':8080 becomes 0.0.0.0:8080; a TCP socket keeps its address and wins over the HTTP router', () => {
    expect(decideFor(config([['http', ':8080']])).gunicornBind).toBe('0.0.0.0:8080');
    const d = decideFor(config([['http', ':8080'], ['socket', '127.0.0.1:4001']]));
    expect(d.gunicornBind).toBe('127.0.0.1:4001');
    expect(d.forwardedAllowAll).toBe(false);
    expect(d.legacyListeners.map((l) => l.option)).toEqual(['http', 'socket']);
  });

  it('resolves `http: =0` to the shared socket and reads the address of an https value', () => {
    const d = decideFor(config([['shared-socket', ':80'], ['shared-socket', ':443,server.crt,server.key'], ['http', '=0'], ['https', '=1']]));
    expect(d.legacyListeners.map((l) => [l.option, l.address])).toEqual([
      ['http', { kind: 'tcp', host: '', port: 80 }],
      ['https', { kind: 'tcp', host: '', port: 443 }],
    ]);
    expect(d.gunicornBind).toBe('0.0.0.0:80');
  });

  it('no listener, or one it cannot read (a placeholder left), decides no bind', () => {
    expect(decideFor(config([['processes', '2']])).gunicornBind).toBeUndefined();
    expect(decideFor(config([['socket', '%(sock_dir):x']])).gunicornBind).toBeUndefined();
  });
});

describe('prefix and workers', () => {
  it('mount gives galaxy_url_prefix (Galaxy\'s mount first); `/` gives none', () => {
    expect(decideFor(config([['mount', '/galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()'], ['manage-script-name', 'true']])).urlPrefix).toBe('/galaxy');
    expect(decideFor(config([['mount', '/other=x:app'], ['mount', '/gx/=galaxy.webapps.galaxy.buildapp:uwsgi_app()']])).urlPrefix).toBe('/gx');
    expect(decideFor(config([['mount', '/=galaxy.webapps.galaxy.buildapp:uwsgi_app()']])).urlPrefix).toBeUndefined();
  });

  it('processes (the last one) gives the web workers', () => {
    expect(decideFor(config([['processes', '2'], ['processes', '6']])).webWorkers).toBe(6);
    expect(decideFor(config([['workers', 'x']])).webWorkers).toBeUndefined();
  });
});

describe('handler groups (§2.4, §3.1, §3.4)', () => {
  const mules = (n: number): [string, string][] => Array.from({ length: n }, () => ['mule', 'lib/galaxy/main.py'] as [string, string]);

  it('a job-handlers farm keeps its pool, gains workflow-schedulers, and replaces main.job-handlers.N', () => {
    expect(decideFor(config([...mules(3), ['farm', 'job-handlers:1,2,3']])).handlers).toEqual([
      { name: 'handler', processes: 3, pools: ['job-handlers', 'workflow-schedulers'], replaces: ['main.job-handlers.1', 'main.job-handlers.2', 'main.job-handlers.3'] },
    ]);
  });

  it('tag and workflow farms keep their names as pools; ids count the position in the farm', () => {
    const groups = decideFor(config([...mules(4), ['farm', 'job-handlers:2,1'], ['farm', 'job-handlers.special:3'], ['farm', 'workflow-schedulers:4']])).handlers;
    expect(groups).toEqual([
      { name: 'handler', processes: 2, pools: ['job-handlers'], replaces: ['main.job-handlers.2', 'main.job-handlers.1'] },
      { name: 'special', processes: 1, pools: ['job-handlers.special'], replaces: ['main.job-handlers.special.1'] },
      { name: 'workflow_scheduler', processes: 1, pools: ['workflow-schedulers'], replaces: ['main.workflow-schedulers.1'] },
    ]);
  });

  it('a mule in two farms attaches to both pools and keeps the id of its first farm', () => {
    expect(decideFor(config([...mules(2), ['farm', 'job-handlers:1,2'], ['farm', 'workflow-schedulers:2']])).handlers).toEqual([
      { name: 'handler', processes: 1, pools: ['job-handlers'], replaces: ['main.job-handlers.1'] },
      { name: 'handler2', processes: 1, pools: ['job-handlers', 'workflow-schedulers'], replaces: ['main.job-handlers.2'] },
    ]);
  });

  it('plain mules with no farm become one handler group in both pools', () => {
    expect(decideFor(config(mules(2))).handlers).toEqual([
      { name: 'handler', processes: 2, pools: ['job-handlers', 'workflow-schedulers'], replaces: ['main.None.1', 'main.None.2'] },
    ]);
  });

  it('leaves out mules that run something else, generic mules, and unfarmed mules beside a farm; reports missing ids', () => {
    const plan = planHandlers(config([['mule', 'lib/galaxy/main.py'], ['mule', 'myscript.py'], ['mule', 'lib/galaxy/main.py'], ['mules', '1'], ['farm', 'job-handlers:1,9']]));
    expect(plan.groups.map((g) => [g.name, g.processes])).toEqual([['handler', 1]]);
    expect(plan.leftOut.map((l) => l.mule.id)).toEqual([2, 3, 4]);
    expect(plan.missing.map((m) => m.id)).toEqual([9]);
  });
});

describe('decideMigration', () => {
  const doc = (path: string, text: string): Document => {
    const kind = path.endsWith('.ini') ? 'uwsgi-ini' : 'galaxy-yml';
    const file: SourceFile = { path, text, bom: false };
    return parseAs(kind, file, memoryHost({}, '/d'));
  };
  const decide = (...docs: Document[]) => {
    const uwsgi = docs.flatMap((d) => galaxyYmlUwsgi(d)?.configs ?? []);
    return { uwsgi, d: decideMigration({ documents: docs, uwsgi }) };
  };

  it('takes the Galaxy app\'s galaxy.yml block, never the Reports app', () => {
    const { uwsgi, d } = decide(doc('reports.yml', 'uwsgi:\n  http: 127.0.0.1:9001\n  module: galaxy.webapps.reports.buildapp:uwsgi_app()\nreports:\n  a: 1\n'), doc('uwsgi.ini', '[uwsgi]\nsocket = 127.0.0.1:4002\n'), doc('galaxy.yml', 'uwsgi:\n  socket: 127.0.0.1:4001\ngalaxy:\n  a: 1\n'));
    expect(primaryConfig([], uwsgi)?.file).not.toBe('reports.yml');
    expect(d.gunicornBind).toBe('127.0.0.1:4001');
  });

  it('an existing gravity.gunicorn.bind and galaxy_url_prefix win: they are what will run', () => {
    const { d } = decide(
      doc('galaxy.yml', "gravity:\n  gunicorn:\n    bind: unix:/run/g.sock\nuwsgi:\n  http: :8080\n  mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()\ngalaxy:\n  galaxy_url_prefix: /gx/\n"),
    );
    expect(d.gunicornBind).toBe('unix:/run/g.sock');
    expect(d.forwardedAllowAll).toBe(true);
    expect(d.urlPrefix).toBe('/gx');
    expect(d.legacyListeners.map((l) => l.option)).toEqual(['http']);
  });

  it('with no uWSGI at all, a gravity bind still decides the proxy target', () => {
    const { d } = decide(doc('galaxy.yml', "gravity:\n  gunicorn:\n    bind: 127.0.0.1:8081\n    extra_args: '--forwarded-allow-ips=\"*\"'\ngalaxy:\n  a: 1\n"));
    expect(d).toMatchObject({ gunicornBind: '127.0.0.1:8081', gunicornAddress: { kind: 'tcp', host: '127.0.0.1', port: 8081 }, forwardedAllowAll: true, handlers: [] });
  });
});

describe('which app a uWSGI configuration loads (appOf)', () => {
  it.each([
    ['galaxy.webapps.galaxy.buildapp:uwsgi_app()', 'galaxy.yml', 'galaxy'],
    ['galaxy.webapps.reports.buildapp:uwsgi_app()', 'any.yml', 'reports'],
    ['galaxy.webapps.tool_shed.buildapp:uwsgi_app()', 'any.yml', 'tool_shed'],
    // 22.05 and later: the Tool Shed is its own package (lib/galaxy/config/sample/tool_shed.yml.sample).
    ['tool_shed.webapp.buildapp:uwsgi_app()', 'tool_shed.yml', 'tool_shed'],
    ['/toolshed=tool_shed.webapp.buildapp:uwsgi_app()', 'any.yml', 'tool_shed'],
  ])('module %s in %s → %s', (module, file, app) => {
    const key = module.includes('=') ? 'mount' : 'module';
    expect(appOf(config([[key, module]], file))).toBe(app);
  });
});
