import { describe, expect, it } from 'vitest';
import { classifyCommand, shellWords } from '../../../src/model/process-command.js';

describe('process manager command lines', () => {
  it('splits like a shell, with offsets of the words as written, Jinja kept whole', () => {
    const cmd = `{{ venv }}/bin/uwsgi --ini "/srv/my dir/galaxy.ini" {{ '--yaml' if x else '--ini' }} a\\ b`;
    const words = shellWords(cmd);
    expect(words.map((w) => w.text)).toEqual(['{{ venv }}/bin/uwsgi', '--ini', '/srv/my dir/galaxy.ini', "{{ '--yaml' if x else '--ini' }}", 'a b']);
    expect(cmd.slice(words[2]!.start, words[2]!.end)).toBe('"/srv/my dir/galaxy.ini"');
  });

  it('classifies uWSGI web servers, zerg pools and zerglings, with their command-line options', () => {
    const web = classifyCommand('/srv/venv/bin/uwsgi --virtualenv /srv/venv --ini-paste /srv/galaxy.ini --socket 127.0.0.1:4001 -b 16384 --master --processes 2');
    expect(web.role).toMatchObject({ role: 'uwsgi', mode: 'web', config: { flag: 'ini-paste', path: { text: '/srv/galaxy.ini' } } });
    const r = web.role as Extract<typeof web.role, { role: 'uwsgi' }>;
    expect(r.options.map((o) => `${o.key}=${o.value}`)).toEqual([
      'virtualenv=/srv/venv',
      'ini-paste=/srv/galaxy.ini',
      'socket=127.0.0.1:4001',
      'buffer-size=16384',
      'master=true',
      'processes=2',
    ]);
    expect(classifyCommand('uwsgi --plugin zergpool --master --zerg-pool /srv/z.sock:127.0.0.1:4001').role).toMatchObject({ role: 'uwsgi', mode: 'zerg-pool' });
    expect(classifyCommand('uwsgi --ini galaxy.ini --zerg /srv/z.sock').role).toMatchObject({ role: 'uwsgi', mode: 'zergling' });
  });

  it('opens sg and sh -c wrappers and finds the Galaxy command inside', () => {
    const sg = classifyCommand("/usr/bin/sg galaxy '/srv/venv/bin/python ./scripts/galaxy-main -c /srv/galaxy.yml --server-name=h%(process_num)s --attach-to-pool=job-handlers'");
    expect(sg.role).toMatchObject({ role: 'handler', serverName: { text: 'h%(process_num)s' }, pools: ['job-handlers'] });
    const cmd = '/bin/bash -c "rm -rf /tmp/x; /srv/venv/bin/python ./scripts/paster.py serve config/galaxy.ini --server-name=web%(process_num)s"';
    const bash = classifyCommand(cmd);
    expect(bash.role).toMatchObject({ role: 'paste-web', serverName: { text: 'web%(process_num)s' } });
    const name = (bash.role as { serverName: { start: number; end: number } }).serverName;
    expect(cmd.slice(name.start, name.end)).toBe('web%(process_num)s');
  });

  it('knows Gravity-era and unrelated programs', () => {
    expect(classifyCommand('/srv/venv/bin/galaxyctl start --foreground').role.role).toBe('gravity');
    expect(classifyCommand("gunicorn 'galaxy.webapps.galaxy.fast_factory:factory()' -b unix:/x.sock").role.role).toBe('gunicorn');
    expect(classifyCommand('/usr/sbin/nginx -g "daemon off;"').role.role).toBe('other');
    expect(classifyCommand('python ./scripts/paster.py serve config/reports_wsgi.ini --server-name=main').role.role).toBe('other');
  });
});
