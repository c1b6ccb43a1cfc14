import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryHost } from '../../src/core/host.js';
import { PARSERS } from '../../src/formats/parsers.js';
import { runCli } from '../helpers/cli.js';

/**
 * Counterexamples the long fuzz run found (README, Fuzzing), kept as fixed cases, each shrunk to
 * what still showed the bug.
 */
const base = mkdtempSync(join(tmpdir(), 'gm-fuzz-regress-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('systemd unit starting with a UTF-8 byte order mark (FUZZ_RUNS=20000 FUZZ_SEED=2)', () => {
  const unit = '\uFEFF[Unit]\nDescription=Galaxy\n\n[Service]\nUser=galaxy\nExecStart=/srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml\n';

  it('the reader sees the [Unit] header behind the BOM, as systemd does: no parse error', () => {
    const doc = PARSERS.systemd({ path: 'systemd/galaxy.service', text: unit, bom: true }, memoryHost({}));
    expect(doc.errors).toEqual([]);
    expect((doc.ast as { sections: { name: string }[] }).sections.map((s) => s.name)).toEqual(['Unit', 'Service']);
  });

  it('so the unit is migrated with the rest, and a second plan proposes nothing', async () => {
    const dir = join(base, 'bom');
    for (const [rel, body] of Object.entries({ 'systemd/galaxy.service': unit, 'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:8080\n  processes: 2\n' })) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), body);
    }
    const lint = await runCli(['lint', '--format', 'json', '.'], dir);
    expect(JSON.parse(lint.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'parse-error')).toEqual([]);
    const apply = await runCli(['apply', '--yes', '.'], dir);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/^deleted {2}systemd\/galaxy\.service {2}\(process\/systemd-units\)$/m);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toContain('gravity:');
    expect(await plannedChanges(dir)).toEqual([]);
  });

  it('configparser files keep reporting it: Python does not skip a BOM there', () => {
    const doc = PARSERS.supervisor({ path: 'supervisor/galaxy.conf', text: '\uFEFF[program:galaxy]\ncommand = x\n', bom: true }, memoryHost({}));
    expect(doc.errors.length).toBeGreaterThan(0);
  });
});

describe('YAML with lone CR line breaks (FUZZ_RUNS=20000 FUZZ_SEED=2, after the BOM fix)', () => {
  it('galaxy.yml and job_conf.yml are read as PyYAML reads them: no YAML error, the values found', () => {
    const g = PARSERS['galaxy-yml']({ path: 'galaxy.yml', text: 'uwsgi:\r  socket: :8080\rgalaxy:\r  job_config_file: job_conf.xml\r  brand: x\r', bom: false }, memoryHost({}));
    expect(g.errors).toEqual([]);
    expect((g.ast as { galaxy: { map?: { toJSON(): unknown } } }).galaxy.map?.toJSON()).toEqual({ job_config_file: 'job_conf.xml', brand: 'x' });
    const j = PARSERS['job-conf-yml']({ path: 'job_conf.yml', text: 'runners:\r  local:\r    load: x\rhandling:\r  processes:\r    h1:\r      tags: [a]\r', bom: false }, memoryHost({}));
    expect(j.errors).toEqual([]);
    expect((j.ast as { view?: { handlers: { id: { value: string } }[] } }).view?.handlers.map((h) => h.id.value)).toEqual(['h1']);
  });

  it('the shrunk deployment (a CR-only galaxy.yml): one apply, then a second plan proposes nothing', async () => {
    const dir = join(base, 'cr');
    const tree: Record<string, string> = {
      "supervisor/galaxy.conf": "[program:galaxy]\ncommand         = /srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml\ndirectory       = /srv/galaxy/server\numask           = 022\nautostart       = true\nuser            = galaxy\nstopsignal      = INT\nenvironment     = PATH=\"/srv/galaxy/venv/bin:/usr/bin\",VIRTUAL_ENV=\"/srv/galaxy/venv\"\n\n[program:handler]\ncommand         = /srv/galaxy/venv/bin/python lib/galaxy/main.py -c config/galaxy.yml --server-name=handler%(process_num)s\nprocess_name    = handler%(process_num)s\nnumprocs        = 2\n\n[group:galaxy]\nprograms = galaxy,handler\n",
      "group_vars/galaxyservers.yml": "",
      "systemd/galaxy.service": "[Unit]\nDescription=Galaxy under uWSGI\nAfter=network.target\n\n[Service]\nType=notify\nUser=galaxy\nWorkingDirectory=/srv/galaxy/server\nEnvironment=VIRTUAL_ENV=/srv/galaxy/venv\nExecStart=/srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml\nKillSignal=SIGINT\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n",
      "config/uwsgi.yml": "socket: 127.0.0.1:4001\nprocesses: 4\nmaster: true\npythonpath: lib\nmodule: galaxy.webapps.galaxy.buildapp:uwsgi_app()\nmule: lib/galaxy/main.py\nfarm: job-handlers:1\nini: uwsgi.ini:extra\n",
      "config/uwsgi.ini": "[uwsgi]\n; the web server\nsocket = /srv/galaxy/var/uwsgi.sock\nchmod-socket = 660\nprocesses = %(cores)\nthreads = 2\nmaster = true\numask = 022\nmule = lib/galaxy/main.py\nmule = lib/galaxy/main.py\nfarm = job-handlers:1,2\ninclude = extra.ini\n\n[extra]\nharakiri = 600\nbuffer-size = 16384\n",
      "config/galaxy.yml": "# galaxy.yml as it ran under uWSGI with mules\ruwsgi:\r  socket: /srv/galaxy/var/uwsgi.sock\r  http: 127.0.0.1:8080\r  processes: 2\r  threads: 4\r  master: true\r  umask: '027'\r  mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()\r  manage-script-name: true\r  virtualenv: /srv/galaxy/venv\r  logto: /srv/galaxy/log/uwsgi.log\r  static-map: /static=static\r  hook-master-start: unix_signal:15 gracefully_kill_them_all\r  mule: lib/galaxy/main.py\r  mule: lib/galaxy/main.py\r  farm: job-handlers:1,2\r  env: PATH=$(PATH):/opt/bin\rgalaxy:\r  database_connection: postgresql://galaxy:pa55word@localhost/galaxy\r  id_secret: 0123456789abcdef\r  job_config_file: job_conf.xml\r  brand: &brand Example\r  logo_src: *brand\r",
    };
    for (const [rel, body] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), body);
    }
    const first = await runCli(['apply', '--yes', '.'], dir);
    expect(first.stdout).toMatch(/^created {2}config\/job_conf\.xml {2}\(jobs\/missing-job-conf\)$/m);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('an empty `uwsgi:` block at the end of galaxy.yml beside a uwsgi.ini with mules (FUZZ_RUNS=20000 FUZZ_SEED=1)', () => {
  it('takes its settings from the configuration that has options, creates the job conf, and is done in one apply', async () => {
    const dir = join(base, 'empty-block');
    const files = {
      'config/galaxy.yml': '# g\nuwsgi:',
      'config/uwsgi.ini': '[uwsgi]\nsocket = /srv/galaxy/var/uwsgi.sock\nprocesses = 2\nmule = lib/galaxy/main.py\nfarm = job-handlers:1\n',
    };
    for (const [rel, body] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), body);
    }
    const first = await planJson(dir);
    expect(first.changes.map((c) => `${c.status} ${c.file}`).sort()).toEqual(['created config/job_conf.yml', 'modified config/galaxy.yml']);
    const apply = await runCli(['apply', '--yes', '.'], dir);
    expect(apply.code).toBe(0);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toContain("    bind: 'unix:/srv/galaxy/var/gunicorn.sock'\n");
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

/** Writes `files` under base/name and returns the directory. */
function deploymentOf(name: string, files: Record<string, string>): string {
  const dir = join(base, name);
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), body);
  }
  return dir;
}

interface JsonFinding {
  readonly ruleId: string;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

interface PlanJson {
  readonly changes: readonly { readonly file: string; readonly status: string }[];
  /** Fixes the plan set aside (absent from the JSON when there are none). */
  readonly conflicts: readonly { readonly ruleId: string; readonly file: string; readonly reason: string }[];
  readonly findings: readonly JsonFinding[];
}

/** What `migrate plan --format json .` prints in `dir`. */
async function planJson(dir: string): Promise<PlanJson> {
  const out = JSON.parse((await runCli(['plan', '--format', 'json', '.'], dir)).stdout) as Omit<PlanJson, 'conflicts'> & Partial<Pick<PlanJson, 'conflicts'>>;
  return { ...out, conflicts: out.conflicts ?? [] };
}

/** The changes `migrate plan --format json .` proposes in `dir` (after an apply: none, when one apply finishes the migration). */
async function plannedChanges(dir: string): Promise<PlanJson['changes']> {
  return (await planJson(dir)).changes;
}

async function lintFindings(dir: string): Promise<JsonFinding[]> {
  return (JSON.parse((await runCli(['lint', '--format', 'json', '.'], dir)).stdout) as { findings: JsonFinding[] }).findings;
}

describe('two uWSGI configurations for Galaxy, a galaxy.yml block and a uwsgi.ini (FUZZ_RUNS=20000 FUZZ_SEED=1|2|3)', () => {
  // The block stops at `proce 2` for uWSGI, so its mules were never read; the uwsgi.ini has two.
  const files = {
    'config/galaxy.yml': 'uwsgi:\n  socket: /srv/galaxy/var/uwsgi.sock\n  proce 2\n  mule: lib/galaxy/main.py\ngalaxy:\n  database_connection: postgresql://galaxy@localhost/galaxy\n',
    'config/uwsgi.ini': '[uwsgi]\nsocket = /srv/galaxy/var/uwsgi.sock\nprocesses = 2\nmule = lib/galaxy/main.py\nmule = lib/galaxy/main.py\nfarm = job-handlers:1,2\n',
  };

  it('migrates the galaxy.yml block, warns on the uwsgi.ini, and after one apply the next plan proposes nothing', async () => {
    const dir = deploymentOf('two-configs', files);
    const plan = await planJson(dir);
    expect(plan.changes.map((c) => `${c.status} ${c.file}`)).toEqual(['modified config/galaxy.yml']);
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    const after = readFileSync(join(dir, 'config/galaxy.yml'), 'utf8');
    expect(after).toMatch(/^gravity:\n {2}gunicorn:\n {4}bind: 'unix:\/srv\/galaxy\/var\/gunicorn\.sock'\n/);
    expect(after).not.toContain('handlers:');

    expect(await plannedChanges(dir)).toEqual([]);
    const leftover = (await lintFindings(dir)).filter((f) => f.ruleId === 'uwsgi/section-to-gravity');
    expect(leftover.map((f) => `${f.file}:${f.line}`)).toEqual(['config/uwsgi.ini:1']);
    expect(leftover[0]?.message).toMatch(/^a uWSGI configuration for Galaxy beside the `gravity:` section of `config\/galaxy\.yml`, which is what Gravity runs: nothing from this one is merged into it/);
  });

  it('an admin-written gravity: section is not merged with a standalone uwsgi.ini either: the plan changes nothing and says why', async () => {
    const dir = deploymentOf('admin-gravity', {
      'config/galaxy.yml': "gravity:\n  gunicorn:\n    bind: 'unix:/srv/galaxy/var/gunicorn.sock'\ngalaxy:\n  brand: x\n",
      'config/uwsgi.ini': files['config/uwsgi.ini'],
    });
    const plan = await planJson(dir);
    expect(plan.changes).toEqual([]);
    const leftover = (await lintFindings(dir)).filter((f) => f.ruleId === 'uwsgi/section-to-gravity');
    expect(leftover.map((f) => `${f.file}:${f.line}`)).toEqual(['config/uwsgi.ini:1']);
    expect(leftover[0]?.message).toMatch(/^a uWSGI configuration for Galaxy beside the `gravity:` section of `config\/galaxy\.yml`/);
  });
});

describe('a job_conf.yml with lone CR line breaks, which PyYAML reads as lines (FUZZ_RUNS=20000 FUZZ_SEED=1)', () => {
  // `<handling:` is a mistyped key, so the conf has no `handling:`: one is added after `runners:`.
  const conf = ['runners:', '  local:', '    load: galaxy.jobs.runners.local:LocalJobRunner', '<handling:', '  assign:', '    - uwsgi-mule-message', 'tools:', '  - id: upload1', '    handler: main.job-handlers.2', ''].join('\r');

  it('the new section goes before the next key, in lone CRs, and a second plan proposes nothing', async () => {
    const dir = deploymentOf('lone-cr-job-conf', { 'config/job_conf.yml': conf });
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    const after = readFileSync(join(dir, 'config/job_conf.yml'), 'utf8');
    expect(after).not.toContain('\n');
    expect(after.split('\r').slice(0, 8)).toEqual([
      'runners:',
      '  local:',
      '    load: galaxy.jobs.runners.local:LocalJobRunner',
      'handling:',
      '  assign:',
      '    - db-transaction-isolation',
      '  processes:',
      '    job_handlers_2:',
    ]);
    expect(after.split('\r').slice(8, 11)).toEqual(['<handling:', '  assign:', '    - uwsgi-mule-message']);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.ini left beside a galaxy.yml with a uwsgi block (FUZZ_RUNS=20000 FUZZ_SEED=3)', () => {
  const JOB_CONF_YML = "runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\n    workers: 2\nhandling:\n  assign:\n    - uwsgi-mule-message\n  default: handlers\n  handlers:\n    main.job-handlers.1:\n      tags: [handlers]\n    main.job-handlers.2:\n      tags: [handlers]\nexecution:\n  default: local\n  environments:\n    local:\n      runner: local\ntools:\n  - id: upload1\n    handler: main.job-handlers.2\n";

  it('the job rules read galaxy.yml before and after the apply (its PostgreSQL keeps db-skip-locked), so one apply is enough', async () => {
    const dir = deploymentOf('ini-beside-yml', {
      'config/galaxy.yml':
        'uwsgi:\n  socket: 127.0.0.1:4001\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1\ngalaxy:\n  database_connection: postgresql://galaxy@localhost/galaxy\n  job_config_file: job_conf.xml\n',
      'config/galaxy.ini': "[server:main]\nuse = egg:Paste#http\nport = 8080\nhost = 127.0.0.1\n\n[filter:proxy-prefix]\nuse = egg:PasteDeploy#prefix\nprefix = /galaxy\n\n[app:main]\npaste.app_factory = galaxy.web.buildapp:app_factory\nfilter-with = proxy-prefix\ndatabase_connection =",
      'config/job_conf.xml': '<job_conf>\n    <handlers assign_with="uwsgi-mule-message"/>\n</job_conf>\n',
      // Galaxy reads job_conf.xml (galaxy.yml's job_config_file); a galaxy.ini taken for Galaxy's file would make it both.
      'config/job_conf.yml': JOB_CONF_YML,
    });
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'config/job_conf.xml'), 'utf8')).toBe('<job_conf>\n    <handlers assign_with="db-skip-locked"/>\n</job_conf>\n');
    expect(readFileSync(join(dir, 'config/job_conf.yml'), 'utf8')).toBe(JOB_CONF_YML);
    expect(await plannedChanges(dir)).toEqual([]);
  });

  it('nor to a uwsgi.yml holding an empty `uwsgi:` block (FUZZ_RUNS=20000 FUZZ_SEED=10)', async () => {
    const dir = deploymentOf('uwsgi-yml-beside-yml', {
      'config/galaxy.yml':
        'uwsgi:\n  socket: 127.0.0.1:4001\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1\ngalaxy:\n  database_connection: postgresql://galaxy@localhost/galaxy\n  job_config_file: job_conf.xml\n',
      'config/uwsgi.yml': 'uwsgi:\n',
      'config/job_conf.xml': '<job_conf>\n    <handlers assign_with="uwsgi-mule-message"/>\n</job_conf>\n',
      'config/job_conf.yml': JOB_CONF_YML,
    });
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'config/job_conf.xml'), 'utf8')).toBe('<job_conf>\n    <handlers assign_with="db-skip-locked"/>\n</job_conf>\n');
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('mules in a farm of no Galaxy pool name (FUZZ_RUNS=20000 FUZZ_SEED=11)', () => {
  it('the gravity: section puts their group in workflow-schedulers too, says why, and a second plan adds nothing', async () => {
    const dir = deploymentOf('odd-farm', {
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  mule: lib/galaxy/main.py\n  farm: mine:1\ngalaxy:\n  database_connection: postgresql://galaxy@localhost/galaxy\n',
    });
    const lint = await lintFindings(dir);
    const wf = lint.filter((f) => f.ruleId === 'jobs/workflow-scheduling');
    expect(wf.map((f) => `${f.file}:${f.line}`)).toEqual(['config/galaxy.yml:1']);
    expect(wf[0]?.message).toMatch(/: uwsgi\/section-to-gravity puts gravity\.handlers\.\S+ in the `workflow-schedulers` pool too when it writes the `gravity:` section$/);
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    const after = readFileSync(join(dir, 'config/galaxy.yml'), 'utf8');
    expect(after).toMatch(/ {6}pools:\n {8}- mine\n {8}- workflow-schedulers\n/);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.yml and a galaxy.ini in lone CRs beside ansible variables with a uwsgi: block (FUZZ_RUNS=20000 FUZZ_SEED=8)', () => {
  // The long fuzz run's tree as it found it: which file decides depends on all four.
  const files: Record<string, string> = {
    "config/galaxy.ini": "[server:main]\ruse = egg:Paste#http\rport = 8080\rhost = 127.0.0.1\r\r[filter:proxy-prefix]\ruse = egg:PasteDeploy#prefix\rprefix = /galaxy\r\r[app:main]\rpaste.app_factory = galaxy.web.buildapp:app_factory\rfilter-with = proxy-prefix\rdatabase_connection = postgresql://galaxy:secret@db/galaxy\rjob_config_file = config/job_conf.xml\r\r[uwsgi]\rsocket = 127.0.0.1:4001\rprocesses = 2\rmule = lib/galaxy/main.py\rfarm = job-handlers:1\r",
    "config/galaxy.yml": "# galaxy.yml as it ran under uWSGI with mules\ruwsgi:\r  socket: /srv/galaxy/var/uwsgi.sock\r  http: 127.0.0.1:8080\r  processes: 2\r  threads: 4\r  master: true\r  umask: '027'\r  mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()\r  manage-script-name: true\r  virtualenv: /srv/galaxy/venv\r  logto: /srv/galaxy/log/uwsgi.log\r  static-map: /static=static\r  hook-master-start: unix_signal:15 gracefully_kill_them_all\r  mule: lib/galaxy/main.py\r  mule: lib/galaxy/main.py\r  farm: job-handlers:1,2\r  env: PATH=$(PATH):/opt/bin\rgalaxy:\r  database_connection: postgresql://galaxy:pa55word@localhost/galaxy\r  id_secret: 0123456789abcdef\r  job_config_file: job_conf.xml\r  brand: &brand Example\r  logo_src: *brand\r",
    "apache/galaxy.conf": "LoadModule proxy_uwsgi_module modules/mod_proxy_uwsgi.so\n<VirtualHost *:80>\n    ServerName galaxy.example.org\n    RewriteEngine on\n    RewriteRule ^/static/(.*) /srv/galaxy/static/$1 [L]\n    ProxyPass /galaxy uwsgi://127.0.0.1:4001/\n    <Location \"/galaxy\">\n        Require all granted\n    </Location>\n</VirtualHost>\n",
    "group_vars/galaxyservers.yml": "galaxy_root: /srv/galaxy\ngalaxy_config:\n  uwsgi:\n    socket: 127.0.0.1:4001\n    processes: 2\n    mule:\n      - lib/galaxy/main.py\n      - lib/galaxy/main.py\n    farm: job-handlers:1,2\n  galaxy:\n    job_config_file: \"{{ galaxy_config_dir }}/job_conf.xml\"\n"
  };

  it('after the apply the gravity: section still decides, not the inventory, so a second plan proposes nothing', async () => {
    const dir = deploymentOf('yml-beside-inventory', files);
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.yml in lone CRs beside a uwsgi.ini (FUZZ_RUNS=20000 FUZZ_SEED=13)', () => {
  it('gets no gravity: section (a line written into it would change what uWSGI reads); the finding says to convert it first', async () => {
    const yml = 'uwsgi:\r  socket: /srv/galaxy/var/uwsgi.sock\r  processes: 2\rgalaxy:\r  brand: x\r';
    const dir = deploymentOf('lone-cr-galaxy-yml', { 'config/galaxy.yml': yml, 'config/uwsgi.ini': '[uwsgi]\nsocket = 127.0.0.1:4001\nprocesses = 2\n' });
    const plan = await planJson(dir);
    expect(plan.changes.map((c) => c.file)).not.toContain('config/galaxy.yml');
    const found = (await lintFindings(dir)).filter((f) => f.ruleId === 'uwsgi/section-to-gravity' && f.file === 'config/uwsgi.ini');
    expect(found.map((f) => f.line)).toEqual([1]);
    expect(found[0]?.message).toContain('cannot write the `gravity:` section into `config/galaxy.yml` (its lines end in lone CRs (classic Mac), which uWSGI reads as one line and Galaxy as many: convert them to LF first)');
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toBe(yml);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.yml without a galaxy: section beside a galaxy.ini naming PostgreSQL (FUZZ_RUNS=20000 FUZZ_SEED=14)', () => {
  it('the job rules read galaxy.yml, which Galaxy reads when both exist (so SQLite), before and after the apply', async () => {
    const dir = deploymentOf('yml-without-galaxy', {
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1\n',
      'config/galaxy.ini': '[app:main]\ndatabase_connection = postgresql://galaxy@db/galaxy\n\n[uwsgi]\nsocket = 127.0.0.1:4001\n',
    });
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'config/job_conf.yml'), 'utf8')).toMatch(/\n {2}assign:\n {4}- db-transaction-isolation\n/);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('galaxy.ini converted to galaxy.yml (FUZZ_RUNS=20000 FUZZ_SEED=5)', () => {
  const app = '[app:main]\npaste.app_factory = galaxy.web.buildapp:app_factory\ndatabase_connection = postgresql://galaxy@db/galaxy\n';

  it('mules in a farm of no Galaxy pool name: the new gravity: section puts them in workflow-schedulers too, and one apply is enough', async () => {
    const dir = deploymentOf('paste-odd-farm', { 'config/galaxy.ini': `${app}\n[uwsgi]\nsocket = 127.0.0.1:4001\nmule = lib/galaxy/main.py\nfarm = mine:1\n` });
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toMatch(/ {6}pools:\n {8}- mine\n {8}- workflow-schedulers\n/);
    expect(await plannedChanges(dir)).toEqual([]);
  });

  it('beside a uwsgi.yml the model decides from, the new gravity: section is written from that uwsgi.yml too', async () => {
    const dir = deploymentOf('paste-beside-uwsgi-yml', {
      'config/galaxy.ini': `${app}\n[uwsgi]\nsocket = 127.0.0.1:9999\n`,
      'config/uwsgi.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  module: galaxy.webapps.galaxy.buildapp:uwsgi_app()\n',
    });
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toContain("    bind: '127.0.0.1:4001'\n");
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('the Galaxy uWSGI configuration the model decides from (FUZZ_RUNS=20000 FUZZ_SEED=1|2|4, round 3)', () => {
  it('is never one uWSGI stops reading with an error while another runs: the galaxy.ini [uwsgi] decides, not the broken uwsgi.ini', async () => {
    const dir = deploymentOf('fatal-uwsgi-ini', {
      'config/uwsgi.ini': '[uwsgi]\nsocket = 127.0.0.1:9999\nmule = lib/galaxy/main.py\nfarm = job-handlers:1\ninclude = missing.ini\n',
      'config/galaxy.ini': '[app:main]\npaste.app_factory = galaxy.web.buildapp:app_factory\n\n[uwsgi]\nsocket = 127.0.0.1:4001\n',
    });
    const found = (await lintFindings(dir)).filter((f) => f.ruleId === 'uwsgi/section-to-gravity');
    expect(found.map((f) => `${f.file}:${f.line}`).sort()).toEqual(['config/uwsgi.ini:1']);
    // Exit 1: the broken include is an error apply does not fix.
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(1);
    const yml = readFileSync(join(dir, 'config/galaxy.yml'), 'utf8');
    expect(yml).toContain("    bind: '127.0.0.1:4001'\n");
    expect(yml).not.toContain('handlers:');
    expect(await plannedChanges(dir)).toEqual([]);
  });

  it('and the galaxy.yml written from galaxy.ini carries the handler groups the job rules planned with', async () => {
    const files: Record<string, string> = {
      "config/uwsgi.yml": "socket: 127.0.0.1:4001\nprocesses: 4\nmaster: true\npythonpath: lib\nmodule: galaxy.webapps.galaxy.buildapp:uwsgi_app()\nmule: lib/galaxy/main.py\nfarm: job-handlers:1\nini: uwsgi.ini:extra\n",
      "config/galaxy.ini": "[server:main]\nuse = egg:Paste#http\nport = 8080\nhost = 127.0.0.1\n\n[filter:proxy-prefix]\nuse = egg:PasteDeploy#prefix\nprefix = /galaxy\n\n[app:main]\npaste.app_factory = galaxy.web.buildapp:app_factory\nfilter-with = proxy-prefix\ndatabase_connection = postgresql://galaxy:secret@db/galaxy\njob_config_file = config/job_conf.xml\n\n[uwsgi]\nsocket = 127.0.0.1:4001\nprocesses = 2\nmule = lib/galaxy/main.py\nfarm =*a job-handlers:1\n",
      "supervisor/galaxy.conf": "[program:galaxy]\ncommand         = /srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml\ndirectory       = /srv/galaxy/server\numask           = 022\nautostart       = true\nuser            = galaxy\nstopsignal      = INT\nenvironment     = PATH=\"/srv/galaxy/venv/bin:/usr/bin\",VIRTUAL_ENV=\"/srv/galaxy/venv\"\n\n[program:handler]\ncommand         = /srv/galaxy/venv/bin/python lib/galaxy/main.py -c config/galaxy.yml --server-name=handler%(process_num)s\nprocess_name    = handler%(process_num)s\nnumprocs        = 2\n\n[group:galaxy]\nprograms = galaxy,handler\n",
      "config/job_conf.yml": "runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\n    workers: 2\nhandling:\n  assign:\n    - uwsgi-mule-message\n  default: handlers\n  handlers:\n    main.job-handlers.1:\n      tags: [handlers]\n    main.job-handlers.2:\n      tags: [handlers]\nexecution:\n  default: local\n  environments:\n    local:\n      runner: local\ntools:\n  - id: upload1\n    handler: main.job-handlers.2\n"
    };
    const dir = deploymentOf('paste-handlers', files);
    expect((await runCli(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.yml whose first line is an INI header `[uwsgi]` (FUZZ_RUNS=20000 FUZZ_SEED=5, round 3)', () => {
  it('is a parse error at line 1 (to PyYAML the file is a list, not Galaxy configuration), and the plan leaves it alone', async () => {
    const yml = '[uwsgi]\nuwsgi:\n  socket: /srv/galaxy/var/uwsgi.sock\n';
    const dir = deploymentOf('ini-header-yml', { 'config/galaxy.yml': yml });
    const errors = (await lintFindings(dir)).filter((f) => f.ruleId === 'parse-error');
    expect(errors.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      'config/galaxy.yml:1 the top level of this file is not a mapping of sections (line 1 is a list): Galaxy cannot read it as its configuration',
    ]);
    const plan = await planJson(dir);
    expect(plan.changes.map((c) => c.file)).not.toContain('config/galaxy.yml');
  });
});

describe('a galaxy.ini converted beside ansible variables that hold the uwsgi: block (FUZZ_RUNS=20000 FUZZ_SEED=7, round 5)', () => {
  it('the new galaxy.yml binds where the model decided (the proxy rules follow it), so a second plan leaves nginx alone', async () => {
    const nginx = "upstream galaxy {\n    server unix:/srv/galaxy/var/uwsgi.sock;\n}\n\nserver {\n    listen 80;\n    server_name galaxy.example.org;\n    include /etc/nginx/snippets/*.conf;\n\n    location /galaxy {\n        uwsgi_pass galaxy;\n        uwsgi_param UWSGI_SCHEME $scheme;\n        include uwsgi_params;\n        uwsgi_read_timeout 300;\n    }\n\n    location /galaxy/static {\n        alias /srv/galaxy/server/static;\n        expires 24h;\n    }\n}\n";
    const dir = deploymentOf('paste-beside-inventory', {
      'config/galaxy.ini': '[app:main]\npaste.app_factory = galaxy.web.buildapp:app_factory\n',
      'group_vars/galaxyservers.yml': 'galaxy_config:\n  uwsgi:\n    socket: 127.0.0.1:4001\n    processes: 2\n',
      'nginx/galaxy.conf': nginx,
    });
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toContain("    bind: '127.0.0.1:4001'\n");
    expect(readFileSync(join(dir, 'nginx/galaxy.conf'), 'utf8')).toBe(nginx);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.yml block uWSGI stops reading beside a uwsgi.yml without a uwsgi: mapping (FUZZ_RUNS=20000 FUZZ_SEED=10|12, round 5)', () => {
  it('the broken block with options decides (its error says what to fix), not the empty file, and a second plan proposes nothing', async () => {
    const dir = deploymentOf('fatal-beside-empty', {
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  mount: @(missing.txt)/galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1\ngalaxy:\n  job_config_file: job_conf.xml\n',
      'config/uwsgi.yml': 'socket: 127.0.0.1:4001\nmule: lib/galaxy/main.py\n',
    });
    const errors = (await lintFindings(dir)).filter((f) => f.ruleId === 'uwsgi/section-to-gravity' && f.file === 'config/galaxy.yml');
    expect(errors.map((f) => f.line)).toEqual([1]);
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).not.toContain('gravity:');
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('which file the job rules take for Galaxy\'s, by name (FUZZ_RUNS=20000 FUZZ_SEED=14|15, round 6)', () => {
  it('a job_conf.yml holding only `uwsgi:` is not Galaxy\'s file; the galaxy.ini naming the job conf is, before and after its conversion', async () => {
    const dir = deploymentOf('job-conf-yml-named-wrong', {
      'config/job_conf.yml': 'uwsgi:\n',
      'config/galaxy.ini': '[app:main]\npaste.app_factory = galaxy.web.buildapp:app_factory\njob_config_file = config/job_conf.xml\n\n[uwsgi]\nsocket = 127.0.0.1:4001\nmule = lib/galaxy/main.py\nfarm = job-handlers:1\n',
    });
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/job_conf.xml'), 'utf8')).toContain('<handlers assign_with="db-transaction-isolation"/>');
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.yml whose first line is indented, above its `uwsgi:` block (FUZZ_SEED=15, round 6)', () => {
  // uWSGI reads the block; the rest of the file is one mapping at column 2 for YAML. A `gravity:`
  // written at column 0 in the block's place would make the file unreadable YAML (core/read-back.ts).
  const galaxyYml = '  socket: /srv/galaxy/var/uwsgi.sock\nuwsgi:\n# as it ran under uWSGI\n  http: 127.0.0.1:8080';

  it('the plan leaves the file as it is, says why with the line, and keeps the finding', async () => {
    const dir = deploymentOf('indented-first-line', { 'config/galaxy.yml': galaxyYml });
    const out = await planJson(dir);
    expect(out.changes).toEqual([]);
    expect(out.conflicts).toEqual([
      { ruleId: 'uwsgi/section-to-gravity', file: 'config/galaxy.yml', reason: 'this change would leave the file unreadable (line 2: YAML: Unexpected scalar at node end), so it is left out' },
    ]);
    expect(out.findings.filter((f) => f.ruleId === 'uwsgi/section-to-gravity').map((f) => `${f.file}:${f.line}`)).toEqual(['config/galaxy.yml:2']);
  });

  it('apply writes nothing, and the next plan is the same', async () => {
    const dir = deploymentOf('indented-first-line-apply', { 'config/galaxy.yml': galaxyYml });
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toBe(galaxyYml);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('two Galaxy ini files, the main one not convertible (FUZZ_SEED=20, round 7)', () => {
  const files = {
    'config/galaxy.yml': '',
    'config/galaxy.ini':
      '[app:main]\npaste.app_factory = galaxy.web.buildapp:app_factory\ndatabase_connection = postgresql://galaxy@db/galaxy\n\n[uwsgi]\nsocket = 127.0.0.1:4001\nmule = lib/galaxy/main.py\nfarm = job-handlers:1\n',
    'config/galaxy-old.ini': '[app:main]\n',
    'config/job_conf.yml': 'runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\nhandling:\n  assign:\n    - uwsgi-mule-message\n',
  };

  it('only the ini holding the uWSGI configuration gets a gravity: section; the other galaxy.yml gets galaxy: alone', async () => {
    const dir = deploymentOf('two-inis', files);
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/galaxy-old.yml'), 'utf8')).toBe(
      '# Written by galaxy-migrate from galaxy-old.ini: [app:main] → galaxy: (typed as Galaxy\'s option schema says),\n' +
        '# no gravity: section here: it is written from galaxy.ini, the Galaxy configuration Gravity runs. The report lists every change.\n' +
        'galaxy: {}\n',
    );
    // The job rules still read config/galaxy.ini (PostgreSQL), before and after the apply.
    expect(readFileSync(join(dir, 'config/job_conf.yml'), 'utf8')).toBe('runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\nhandling:\n  assign:\n    - db-skip-locked\n');
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a YAML mapping key that is itself a mapping (FUZZ_SEED=21, round 7)', () => {
  // The `?` line starts an explicit key whose value is a block mapping: `main.job-handlers.2` below
  // it is inside that key, not a handler. PyYAML stops there ("found unhashable key").
  const jobConf =
    'runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\nhandling:\n  assign:\n    - uwsgi-mule-message\n  default: handlers\n' +
    '  handlers:\n    main.job-handlers.1:\n  ?  -0   tags: [handlers]\n    main.job-handlers.2:\n      tags: [handlers]\n' +
    'execution:\n  default: local\n  environments:\n    local:\n      runner: local\ntools:\n  - id: upload1\n    handler: main.job-handlers.2\n';

  it('job_conf.yml, galaxy.yml and ansible variables report it as unreadable, with the line of the key', () => {
    const line = (doc: { file: { text: string }; errors: readonly { message: string; range: { start: number } }[] }): string[] =>
      doc.errors.map((e) => `${doc.file.text.slice(0, e.range.start).split('\n').length}: ${e.message}`);
    const message = 'a mapping key that is itself a mapping: PyYAML (Galaxy, Ansible) stops reading the file here ("found unhashable key")';
    expect(line(PARSERS['job-conf-yml']({ path: 'job_conf.yml', text: jobConf, bom: false }, memoryHost({})))).toEqual([`10: ${message}`]);
    expect(line(PARSERS['galaxy-yml']({ path: 'galaxy.yml', text: 'galaxy:\n  brand: x\n  ? [a, b]\n  : c\n', bom: false }, memoryHost({})))).toEqual([
      `3: ${message.replace('a mapping:', 'a list:')}`,
    ]);
    expect(line(PARSERS['ansible-vars']({ path: 'group_vars/all.yml', text: 'galaxy_config:\n  {a: 1}: b\n', bom: false }, memoryHost({})))).toEqual([`2: ${message}`]);
  });

  it('so a plan leaves the job conf as it is, and a second plan agrees', async () => {
    const dir = deploymentOf('unhashable-key', {
      'config/job_conf.yml': jobConf,
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1\n',
    });
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/job_conf.yml'), 'utf8')).toBe(jobConf);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a job_conf.yml that starts with a byte order mark and has no final line break (FUZZ_SEED=16|22, rounds 6 and 7)', () => {
  it('the `handling:` section is written at column 0 (the BOM is no column), after the BOM, in one apply', async () => {
    const dir = deploymentOf('bom-job-conf', {
      'config/job_conf.yml': '\uFEFFrunners:',
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1\ngalaxy:\n  database_connection: postgresql://galaxy@db/galaxy\n',
    });
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/job_conf.yml'))).toEqual(Buffer.from('\uFEFFrunners:\nhandling:\n  assign:\n    - db-skip-locked\n', 'utf8'));
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a job_conf.yml whose `assign:` is a mapping (FUZZ_SEED=30, round 8)', () => {
  // `-:  uwsgi-mule-message` is a key `-`, not a list item: `assign` is a mapping, which holds no
  // method. Its node's range takes in the line break after it.
  const jobConf =
    'runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\nhandling:\n  assign:\n    -:  uwsgi-mule-message\n  default: handlers\n' +
    '  handlers:\n    main.job-handlers.1:\n      tags: [handlers]\n';

  it('is replaced by a list of the method, the next key keeping its line, in one apply', async () => {
    const dir = deploymentOf('assign-mapping', {
      'config/job_conf.yml': jobConf,
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  mule: lib/galaxy/main.py\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1,2\ngalaxy:\n  database_connection: postgresql://galaxy@db/galaxy\n',
    });
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/job_conf.yml'), 'utf8')).toBe(
      'runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\nhandling:\n  assign:\n    [db-skip-locked]\n  handlers:\n    main.job-handlers.1:\n      tags: [handlers]\n',
    );
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.yml template whose top level is a plain value (FUZZ_SEED=33, round 8)', () => {
  // Its YAML problems are warnings (a Jinja template is read with its logic left out), so the read-back
  // guard compares reading problems of every severity, not only errors (core/read-back.ts).
  const files = { 'config/galaxy.yml': 'true\nuwsgi:\n{% endif %}', 'config/uwsgi.yml': 'socket: 127.0.0.1:4001\nmule: lib/galaxy/main.py\nfarm: job-handlers:1\n' };

  it('gets no gravity: section that would add a YAML error to it; apply leaves it, and the next plan agrees', async () => {
    const dir = deploymentOf('template-scalar-top', files);
    const out = await planJson(dir);
    expect(out.changes).toEqual([]);
    expect(out.conflicts).toEqual([
      {
        ruleId: 'uwsgi/section-to-gravity',
        file: 'config/galaxy.yml',
        reason:
          'this change would leave the file unreadable (line 1: YAML: Implicit keys need to be on a single line (this is a Jinja template; it was read with the {{ }}/{% %} parts left out)), so it is left out',
      },
    ]);
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toBe(files['config/galaxy.yml']);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a job conf two of whose fixes cannot both be written (FUZZ_SEED=33, round 9)', () => {
  // `- uwsgi-mul  default: handlers` is a list item holding a mapping. Setting the assignment method
  // there leaves the file unreadable; the handler fixes before it do not. The first version of the
  // read-back guard took out every fix on the file, and the next plan then made the handler fixes.
  const files = {
    'config/job_conf.yml':
      'runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\n    workers: 2\nhandling:\n  assign:\n    - uwsgi-mul  default: handlers\n' +
      '  handlers:\n    main.job-handlers.1:\n      tags: [handlers]\n    main.job-handlers.2:\n      tags: [handlers]\n' +
      'execution:\n  default: local\n  default: local\n  environments:\n    local:\n      runner: local\ntools:\n  - id: upload1\n    handler: main.job-handlers.2\n',
    'config/uwsgi.yml': 'socket: 127.0.0.1:4001\nprocesses: 4\nmodule: galaxy.webapps.galaxy.buildapp:uwsgi_app()\nmule: lib/galaxy/main.py\nfarm: job-handlers:1\n',
    // Legacy handler programs: their names are handler ids too, so more fixes meet in the job conf.
    'supervisor/galaxy.conf':
      '[program:galaxy]\ncommand = /srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml\n\n' +
      '[program:handler]\ncommand = /srv/galaxy/venv/bin/python lib/galaxy/main.py -c config/galaxy.yml --server-name=handler%(process_num)s\n' +
      'process_name = handler%(process_num)s\nnumprocs = 2\n',
  };

  it('the plan keeps the fix the file can take and leaves out the other, so one apply is all it takes', async () => {
    const dir = deploymentOf('fixes-that-cannot-both-be-written', files);
    await runCli(['apply', '--yes', '.'], dir);
    const after = readFileSync(join(dir, 'config/job_conf.yml'), 'utf8');
    expect(after).not.toBe(files['config/job_conf.yml']);
    expect(after).toContain('    - uwsgi-mul  default: handlers\n');
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a gravity: section the apply writes into a galaxy.yml beside the galaxy.ini the job rules read (FUZZ_SEED=37, round 10)', () => {
  // The galaxy.ini's app factory is mangled, so the paste rule converts the other ini ([app:main]
  // only) and writes gravity: handlers into its galaxy.yml. The job rules ranked a file naming
  // gravity handlers like one naming job options: after the apply, that new file outranked the
  // galaxy.ini and the job rules began to edit the job conf. Handlers are what the apply writes, so
  // they no longer count; a gravity: section counts as the uwsgi block it replaces.
  const files = {
    'config/galaxy.ini':
      '[app:main]\npaste.app_factory =` galaxy.web.buildapp:app_factory\ndatabase_connection = postgresql://galaxy:secret@db/galaxy\njob_config_file = config/job_conf.xml\n\n' +
      '[uwsgi]\nsocket = 127.0.0.1:4001\nprocesses = 2\nmule = lib/galaxy/main.py\nfarm = job-handlers:1\n',
    'supervisor/galaxy.conf': '[app:main]\n',
    'group_vars/galaxyservers.yml':
      'galaxy_config:\n  uwsgi:\n    socket: 127.0.0.1:4001\n    mule:\n      - lib/galaxy/main.py\n      - lib/galaxy/main.py\n    farm: job-handlers:1,2\n  galaxy:\n    job_config_file: "{{ galaxy_config_dir }}/job_conf.xml"\n',
    'config/job_conf.xml':
      '<?xml version="1.0"?>\n<job_conf>\n    <plugins>\n        <plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/>\n    </plugins>\n' +
      '    <handlers assign_with="uwsgi-mule-message">\n        <handler id="main.job-handlers.1"/>\n    </handlers>\n</job_conf>\n',
  };

  it('one apply, and the next plan proposes nothing', async () => {
    const dir = deploymentOf('gravity-beside-ini', files);
    await runCli(['apply', '--yes', '.'], dir);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a farm named in the singular, `job-handler` (FUZZ_SEED=42, round 11)', () => {
  it('its handlers are written in the pool `job-handlers` (as jobs/gravity-pool-names corrects it), so one apply is all it takes', async () => {
    const dir = deploymentOf('singular-farm', {
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  mule: lib/galaxy/main.py\n  farm: job-handler:1\ngalaxy:\n  database_connection: postgresql://galaxy@db/galaxy\n',
    });
    const findings = await lintFindings(dir);
    expect(findings.filter((f) => f.ruleId === 'uwsgi/handlers' && f.line === 4).map((f) => f.message)).toEqual([
      '`farm: job-handler:1` → `gravity.handlers.handler` (1 process, pools job-handlers, workflow-schedulers); the job configuration must now assign jobs with `db-skip-locked` (or `db-transaction-isolation`), see the job-conf findings. ' +
        'Review: `job-handler` is the singular of a pool Galaxy knows (a Galaxy 22.01 doc bug), so under uWSGI its mules handled nothing; they are written in the pool `job-handlers`, where they take work',
    ]);
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toContain('      pools:\n        - job-handlers\n        - workflow-schedulers\n');
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a galaxy.yml that starts with a byte order mark right before `uwsgi:` (FUZZ_SEED=52, round 12)', () => {
  // uWSGI reads bytes: `\uFEFFuwsgi:` is no uwsgi block to it, so the block never ran and the
  // uwsgi.ini is the configuration. A gravity: section written above it took the mark away and
  // brought the block to life for the next plan; it now goes after it.
  const galaxyYml = '\uFEFFuwsgi:\r\n  socket: \r\n';

  it('gets its gravity: section after the first section, the mark staying on `uwsgi:`, in one apply', async () => {
    const dir = deploymentOf('bom-before-uwsgi', {
      'config/galaxy.yml': galaxyYml,
      'config/uwsgi.ini': '[uwsgi]\nsocket = 127.0.0.1:4001\nprocesses = 2\nmodule = galaxy.webapps.galaxy.buildapp:uwsgi_app()\n',
    });
    await runCli(['apply', '--yes', '.'], dir);
    const after = readFileSync(join(dir, 'config/galaxy.yml'), 'utf8');
    expect(after.startsWith(`${galaxyYml}gravity:\r\n  gunicorn:\r\n    bind: '127.0.0.1:4001'\r\n`)).toBe(true);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a second uwsgi:// ProxyPass at `/` beside Galaxy\'s at its URL prefix, no uWSGI socket known (FUZZ_SEED=85, round 16)', () => {
  // Galaxy's ProxyPass is at the prefix its uWSGI mount gives. Once the apply puts it on HTTP, the
  // other uwsgi:// line was the only one left at a main path, and the next plan took it for Galaxy's.
  it('the other line stays not Galaxy\'s after the apply, as before it, so one apply is all it takes', async () => {
    const dir = deploymentOf('second-proxypass', {
      'config/galaxy.yml': 'uwsgi:\n  mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()\n  manage-script-name: true\n',
      'apache/galaxy.conf': '<VirtualHost *:80>\n    ProxyPass /galaxy uwsgi://127.0.0.1:4001/\n</VirtualHost>\n',
      'apache/other.conf': 'ProxyPass / uwsgi://127.0.0.1:1/\n',
    });
    const other = async (): Promise<string[]> => (await lintFindings(dir)).filter((f) => f.file === 'apache/other.conf').map((f) => `${f.ruleId} ${f.message}`);
    const before = await other();
    expect(before).toEqual([
      'proxy/apache-proxypass-uwsgi "ProxyPass / uwsgi://127.0.0.1:1/" is not taken as Galaxy\'s (Galaxy\'s main ProxyPass uses 127.0.0.1:4001), so it is left as it is; whatever serves it still needs mod_proxy_uwsgi and its uWSGI server',
    ]);
    await runCli(['apply', '--yes', '.'], dir);
    expect(readFileSync(join(dir, 'apache/galaxy.conf'), 'utf8')).toContain('ProxyPass /galaxy http://127.0.0.1:4001/galaxy\n');
    expect(await other()).toEqual([
      'proxy/apache-proxypass-uwsgi "ProxyPass / uwsgi://127.0.0.1:1/" is not taken as Galaxy\'s (Galaxy\'s main ProxyPass already proxies over HTTP to http://127.0.0.1:4001/galaxy; if this one is Galaxy\'s too, point it there), so it is left as it is; whatever serves it still needs mod_proxy_uwsgi and its uWSGI server',
    ]);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a supervisord server name padded to 99999999999999999999 places (FUZZ_SEED=106, round 20)', () => {
  // `%(process_num)99999999999999999999s` made padStart throw inside the model, and the plan stopped with an exception.
  it('plans with the field left as written and says that Gravity does not pad; apply, and the next plan proposes nothing', async () => {
    const width = '99999999999999999999';
    const dir = deploymentOf('wide-field', {
      'supervisor/galaxy.conf': `[program:handler]\ncommand = /srv/galaxy/venv/bin/python lib/galaxy/main.py -c config/galaxy.yml --server-name=handler%(process_num)${width}s\nprocess_name = handler%(process_num)s\nnumprocs = 2\n`,
    });
    const names = (await lintFindings(dir)).filter((f) => f.ruleId === 'process/handler-names');
    expect(names.map((f) => f.message).join('\n')).toContain(`pads the number to ${width} digits; Gravity's \`{process}\` is not padded`);
    await runCli(['apply', '--yes', '.'], dir);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});

describe('a supervisord environment holding a Jinja statement (FUZZ_SEED=113, round 21)', () => {
  // `PATH="…",{% endif %}VIRTUAL_ENV="…"` gave the variables `{%`, `endif` and `%}VIRTUAL_ENV`; written
  // into gravity: they made galaxy.yml a Jinja template, so the read-back took the fix out, and once
  // the apply had replaced the program the next plan wrote it.
  it('carries none of that setting\'s variables, writes gravity: at once, and one apply is all it takes', async () => {
    const dir = deploymentOf('env-statement', {
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  processes: 2\ngalaxy:\n  brand: x\n',
      'supervisor/galaxy.conf':
        '[program:galaxy]\ncommand = /srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml\ndirectory = /srv/galaxy/server\n' +
        'environment = PATH="/srv/galaxy/venv/bin:/usr/bin",{% endif %}VIRTUAL_ENV="/srv/galaxy/venv",TMPDIR="/tmp"\n',
    });
    const first = await planJson(dir);
    expect(first.conflicts).toEqual([]);
    expect(first.changes.map((c) => c.file)).toContain('config/galaxy.yml');
    await runCli(['apply', '--yes', '.'], dir);
    const galaxyYml = readFileSync(join(dir, 'config/galaxy.yml'), 'utf8');
    expect(galaxyYml).toContain('gravity:\n');
    expect(galaxyYml).not.toMatch(/\{%|%\}|endif|TMPDIR/);
    expect(await plannedChanges(dir)).toEqual([]);
  });
});
