import { describe, expect, it } from 'vitest';
import { ANSIBLE_RULES } from '../../../rules/ansible/index.js';
import { ALL_RULES } from '../../../rules/index.js';
import { runRules } from '../../../src/core/engine.js';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { corpusFiles } from '../../helpers/corpus-files.js';
import { celeryBlock } from '../../helpers/celery-block.js';
import { HAVE_SHARED, warnNoShared } from '../../helpers/shared.js';
import { deploymentFrom, run } from '../process/helpers.js';

const ID = 'ansible/galaxy-config-uwsgi';
const FILE = 'group_vars/galaxyservers.yml';

const planOf = (text: string, file = FILE) => run(deploymentFrom({ [file]: text }), ANSIBLE_RULES);
const lines = (...l: string[]): string => l.join('\n');

describe('ansible galaxy_config.uwsgi → gravity:', () => {
  const mapStyle = lines(
    '# web server',
    'galaxy_config:',
    '  galaxy:',
    '    brand: "{{ brand }}"   # kept',
    '  uwsgi:',
    '    socket: 127.0.0.1:8080',
    '    processes: 2',
    '    virtualenv: /srv/galaxy/venv',
    '    master: true',
    '    static-map:',
    '      - /static={{ galaxy_server_dir }}/static',
    '    farm: job-handlers:1,2',
    '    mule:',
    '      - lib/galaxy/main.py',
    '      - lib/galaxy/main.py   # the last option is a list',
    '',
    '# after',
    'galaxy_config_style: yaml',
    '',
  );

  it('a map (repeated options as lists) becomes gravity: under the same parent; comments and Jinja elsewhere kept', () => {
    const o = planOf(mapStyle);
    expect(o.after[FILE]).toBe(
      lines(
        '# web server',
        'galaxy_config:',
        '  galaxy:',
        '    brand: "{{ brand }}"   # kept',
        '  gravity:',
        '    virtualenv: /srv/galaxy/venv',
        '    gunicorn:',
        "      bind: '127.0.0.1:8080'",
        '      workers: 2',
        ...celeryBlock('    '),
        '    handlers:',
        '      handler:',
        '        processes: 2',
        '        pools:',
        '          - job-handlers',
        '          - workflow-schedulers',
        '  # from uWSGI `mule`: the last option is a list',
        '',
        '# after',
        'galaxy_config_style: yaml',
        '',
      ),
    );
    expect(o.ids).toEqual([`${ID}@${FILE}:5`]);
    const f = o.findings[0]!;
    expect(f.notes).toContain('`master: true` dropped: gunicorn always runs its arbiter process');
    expect(f.notes!.some((n) => n.startsWith('`static-map: /static={{ galaxy_server_dir }}/static` moves to `proxy`'))).toBe(true);
  });

  const listStyle = lines(
    'galaxy_config_hash:',
    '    uwsgi:',
    '        # basic settings',
    '        - master: true',
    '        - processes: 4',
    '        - http: 127.0.0.1:9090',
    '        - pythonpath: lib',
    '        - module: galaxy.webapps.galaxy.buildapp:uwsgi_app_factory()',
    '    galaxy:',
    '        admin_users: a@b.c',
    '',
  );

  it('a list of one-key maps (to_uwsgi_yaml style), indentation from the file, the next key kept', () => {
    const o = planOf(listStyle, 'group_vars/all/config.yml');
    expect(o.after['group_vars/all/config.yml']).toBe(
      lines(
        'galaxy_config_hash:',
        '    gravity:',
        '        gunicorn:',
        "            bind: '127.0.0.1:9090'",
        '            workers: 4',
        ...celeryBlock('        ', '    '),
        '    # from uWSGI `master`: basic settings',
        '    galaxy:',
        '        admin_users: a@b.c',
        '',
      ),
    );
    expect(o.ids).toEqual([`${ID}@group_vars/all/config.yml:2`]);
  });

  it('CRLF line ends are kept', () => {
    const o = planOf(listStyle.replace(/\n/g, '\r\n'));
    const out = o.after[FILE]!;
    expect(out).toContain("gunicorn:\r\n            bind: '127.0.0.1:9090'\r\n");
    expect(out.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('a Jinja value that a Gravity setting needs as a literal: a finding without a fix, saying why', () => {
    const text = lines('galaxy_config:', '  uwsgi:', '    socket: 127.0.0.1:8080', '    processes: "{{ galaxy_uwsgi_processes | default(8) }}"', '');
    const o = planOf(text);
    expect(o.status).toEqual({});
    expect(o.ids).toEqual([`${ID}@${FILE}:2`]);
    expect(o.findings[0]!.fix).toBeUndefined();
    expect(o.findings[0]!.message).toContain('only ansible knows (Jinja2)');
  });

  it('a Jinja path (the role\'s own variables) is carried verbatim, quoted for YAML; one that is an address is not', () => {
    const text = lines('galaxy_config:', '  uwsgi:', '    virtualenv: "{{ galaxy_venv_dir }}"', '    pythonpath: "{{ galaxy_server_dir }}/lib"', '    socket: 127.0.0.1:8080', '');
    const o = planOf(text);
    expect(o.after[FILE]).toBe(
      lines(
        'galaxy_config:',
        '  gravity:',
        "    virtualenv: '{{ galaxy_venv_dir }}'",
        '    gunicorn:',
        "      bind: '127.0.0.1:8080'",
        ...celeryBlock('    '),
        '',
      ),
    );
    const addr = planOf(lines('galaxy_config:', '  uwsgi:', '    http: "{{ galaxy_bind }}"', ''));
    expect(addr.status).toEqual({});
    expect(addr.findings[0]!.message).toContain('`http: {{ galaxy_bind }}` has a value only ansible knows');
  });

  it('a Jinja port on a literal host stays the same text in gunicorn\'s bind (a TCP socket keeps its address); Jinja on both sides, or a unix path in Jinja, does not', () => {
    const text = lines('galaxy_port: 65535', 'galaxy_config:', '  uwsgi:', '    socket: "127.0.0.1:{{ galaxy_uwsgi_port }}"', '    processes: 2', '');
    const o = planOf(text);
    expect(o.after[FILE]).toBe(
      lines('galaxy_port: 65535', 'galaxy_config:', '  gravity:', '    gunicorn:', "      bind: '127.0.0.1:{{ galaxy_uwsgi_port }}'", '      workers: 2', ...celeryBlock('    '), ''),
    );
    expect(o.findings[0]!.notes).toContain(
      '`socket: 127.0.0.1:{{ galaxy_uwsgi_port }}` → `gravity.gunicorn.bind: 127.0.0.1:{{ galaxy_uwsgi_port }}`; gunicorn speaks HTTP there, so the proxy must switch from uwsgi_pass to proxy_pass',
    );
    for (const value of ['"{{ galaxy_host }}:{{ galaxy_port }}"', '"unix:{{ galaxy_socket }}"']) {
      const held = planOf(lines('galaxy_config:', '  uwsgi:', `    socket: ${value}`, ''));
      expect(held.status).toEqual({});
      expect(held.findings[0]!.message).toContain('only ansible knows (Jinja2)');
    }
  });

  it('only *config* variables: a telegraf plugin list with a uwsgi: key is not Galaxy\'s', () => {
    expect(planOf(lines('galaxy_config_style: yaml', 'telegraf_plugins_extra:', '  uwsgi:', '    - plugin: uwsgi', '')).findings).toEqual([]);
  });

  it('uWSGI logic blocks (if-exists with nested options) and Jinja statements: no fix, with the reason', () => {
    const logic = lines(
      'galaxy_config_hash:',
      '  uwsgi:',
      '    - master: true',
      '    - if-exists:',
      '      - /srv/run.fifo',
      '      - hook-accepting1-once: writefifo:/srv/run.fifo 2q',
      '',
    );
    const o = planOf(logic);
    expect(o.status).toEqual({});
    expect(o.ids).toEqual([`${ID}@${FILE}:2`]);
    expect(o.findings[0]!.message).toMatch(/uWSGI logic \(`if-exists`\)/);
    const stmt = planOf(lines('galaxy_config:', '  uwsgi:', '    socket: "{% if x %}:8080{% else %}:9090{% endif %}"', ''));
    expect(stmt.status).toEqual({});
    expect(stmt.findings[0]!.message).toContain('Jinja2 statements');
  });

  it('an existing gravity: sibling is not merged into: a finding without a fix', () => {
    const o = planOf(lines('galaxy_config:', '  gravity:', '    virtualenv: /srv/venv', '  uwsgi:', '    socket: 127.0.0.1:8080', ''));
    expect(o.status).toEqual({});
    expect(o.ids).toEqual([`${ID}@${FILE}:4`]);
  });

  it('a second plan over the rewritten file proposes nothing; the whole registry plans without conflicts', () => {
    for (const text of [mapStyle, listStyle]) {
      const once = run(deploymentFrom({ [FILE]: text }), ALL_RULES);
      const twice = run(deploymentFrom({ [FILE]: once.after[FILE]! }), ALL_RULES);
      expect(twice.status).toEqual({});
      expect(twice.ids.filter((i) => i.startsWith(ID))).toEqual([]);
    }
  });

  it('files without galaxy_config.uwsgi are left alone; role defaults of the uWSGI map itself are not a uwsgi: key', () => {
    const o = planOf(lines('galaxy_uwsgi_config_default:', '  socket: 127.0.0.1:8080', 'galaxy_config:', '  galaxy:', '    brand: x', ''));
    expect(o.findings).toEqual([]);
  });
});

warnNoShared('ansible/galaxy-config-uwsgi on the corpus');

describe.skipIf(!HAVE_SHARED)('ansible variables of the corpus', () => {
  const files = corpusFiles().filter((f) => f.kind === 'ansible-vars');

  it('every file reads, plans without throwing or conflicts, edits only its uwsgi: blocks, and a second plan is quiet', () => {
    expect(files.length).toBeGreaterThan(10);
    let fixed = 0;
    let reported = 0;
    for (const f of files) {
      const d = deploymentFrom({ [f.path]: f.text });
      const { findings, plan } = runRules(d, ANSIBLE_RULES, { target: DEFAULT_TARGET });
      expect(plan.conflicts, f.path).toEqual([]);
      reported += findings.filter((x) => x.ruleId === ID).length;
      for (const p of plan.files) {
        fixed++;
        expect(p.status, f.path).toBe('modified');
        // Only the uwsgi: block is replaced; anything else is an insertion of role variables
        // (galaxy_systemd_mode/galaxy_systemd_env) or of galaxy: options, and the text before the
        // first edit is byte-identical.
        const fix = findings.find((x) => x.ruleId === ID && x.fix)!.fix!;
        const edits = fix.changes.flatMap((c) => (c.kind === 'edit' ? c.edits : []));
        const replaced = edits.filter((e) => e.end > e.start);
        expect(replaced.map((e) => f.text.slice(e.start, e.end).trimStart().slice(0, 6)), f.path).toEqual(['uwsgi:']);
        for (const e of edits.filter((x) => x.end === x.start)) expect(e.text, f.path).toMatch(/^(galaxy_systemd_(mode|env):|\r?\n\s+(#|[a-z_]+:))/);
        const first = Math.min(...edits.map((e) => e.start));
        expect(p.after.slice(0, first), f.path).toBe(f.text.slice(0, first));
        const again = runRules(deploymentFrom({ [f.path]: p.after }), ANSIBLE_RULES, { target: DEFAULT_TARGET });
        expect(again.plan.files, f.path).toEqual([]);
      }
    }
    expect(reported).toBeGreaterThanOrEqual(3);
    console.info(`[corpus] ansible-vars: ${files.length} files, ${reported} uwsgi: blocks reported, ${fixed} rewritten`);
  });
});
