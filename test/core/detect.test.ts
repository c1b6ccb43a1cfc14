import { describe, expect, it } from 'vitest';
import { detectKind } from '../../src/formats/detect.js';

describe('detectKind', () => {
  it.each([
    ['config/galaxy.yml', 'uwsgi:\n  socket: x\ngalaxy:\n  brand: y\n', 'galaxy-yml'],
    ['anything.yml', '# c\ngalaxy:\n  brand: y\n', 'galaxy-yml'],
    ['config/galaxy.ini', '[server:main]\nuse = egg:Paste#http\n[app:main]\n', 'galaxy-ini'],
    ['uwsgi.ini', '[uwsgi]\nsocket = :4001\n', 'uwsgi-ini'],
    ['job_conf.xml', '<?xml version="1.0"?>\n<job_conf>\n</job_conf>\n', 'job-conf-xml'],
    ['jobs.yml', 'runners:\n  local:\n    load: x\nexecution:\n  default: local\n', 'job-conf-yml'],
    ['galaxy.conf', '[program:galaxy]\ncommand = uwsgi --yaml galaxy.yml\n', 'supervisor'],
    ['galaxy.service', '[Unit]\nDescription=Galaxy\n[Service]\nExecStart=/bin/true\n', 'systemd'],
    ['sites-enabled/galaxy', 'server {\n  location / { uwsgi_pass 127.0.0.1:4001; }\n}\n', 'nginx'],
    ['galaxy-apache.conf', '<VirtualHost *:80>\n  ProxyPass / uwsgi://127.0.0.1:4001/\n</VirtualHost>\n', 'apache'],
  ])('%s is %s', (path, text, kind) => {
    expect(detectKind(path, text)).toBe(kind);
  });

  it('does not claim files it does not know', () => {
    expect(detectKind('README.md', '# hello\n')).toBeUndefined();
    expect(detectKind('data.json', '{"a": 1}')).toBeUndefined();
  });
});

describe('detectKind on names real deployments use', () => {
  it('reads ansible nginx templates and odd YAML suffixes by content', () => {
    expect(detectKind('templates/nginx/galaxy.j2', 'server {\n  location / {\n    uwsgi_pass 127.0.0.1:4001;\n  }\n}\n')).toBe('nginx');
    expect(detectKind('config/galaxy.yml.interactivetools', 'gravity:\n  gx_it_proxy:\n    enable: true\n')).toBe('galaxy-yml');
  });
});

describe('detectKind with a byte order mark', () => {
  it('recognises a galaxy.yml that starts with a BOM', () => {
    expect(detectKind('config/galaxy.yml', '\uFEFFuwsgi:\n  socket: x\ngalaxy:\n  brand: y\n')).toBe('galaxy-yml');
    expect(detectKind('job_conf.xml', '\uFEFF<?xml version="1.0"?>\n<job_conf/>\n')).toBe('job-conf-xml');
  });
});
