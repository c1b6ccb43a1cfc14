import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { parseApache, parseApacheText, walkApache, type ApacheNode } from '../../../src/formats/apache/index.js';
import { HAVE_SHARED, SHARED_DIR } from '../../helpers/shared.js';

/** The first non-blank text the tree does not account for (none, for a lossless reader). */
function uncovered(text: string, nodes: readonly ApacheNode[]): string | undefined {
  const pieces: { start: number; end: number }[] = [];
  const visit = (ns: readonly ApacheNode[]): void => {
    for (const n of ns) {
      if (n.type === 'section') {
        pieces.push(n.open);
        visit(n.children);
        if (n.close) pieces.push(n.close);
      } else pieces.push(n.range);
    }
  };
  visit(nodes);
  pieces.sort((a, b) => a.start - b.start);
  let at = 0;
  for (const p of pieces) {
    const gap = text.slice(at, p.start);
    if (p.start < at) return `overlap at ${p.start}`;
    if (/\S/.test(gap)) return gap;
    at = p.end;
  }
  return /\S/.test(text.slice(at)) ? text.slice(at) : undefined;
}

describe('Apache reader', () => {
  it('reads nested sections, quoted arguments, comments and continuations', () => {
    const text = [
      '# Galaxy',
      '<VirtualHost *:80>',
      '    ServerName galaxy.example.org',
      '    <IfModule mod_proxy_uwsgi.c>',
      '        ProxyPass /galaxy \\',
      '            unix:///srv/galaxy/var/uwsgi.sock|uwsgi://',
      '    </IfModule>',
      '    RequestHeader set X-URL-SCHEME "%{REQUEST_SCHEME}e"',
      '    <Location "/">',
      "        Require expr \"%{HTTP_HOST} == 'a b'\"",
      '    </Location>',
      '</VirtualHost>',
      '',
    ].join('\n');
    const p = parseApacheText(text, 'galaxy.conf');
    expect(p.errors).toEqual([]);
    expect(uncovered(text, p.nodes)).toBeUndefined();
    const all = [...walkApache(p.nodes)];
    expect(all.map((n) => n.name)).toEqual(['VirtualHost', 'ServerName', 'IfModule', 'ProxyPass', 'RequestHeader', 'Location', 'Require']);
    const pp = all[3]!;
    expect(pp.type === 'directive' && pp.args.map((a) => a.value)).toEqual(['/galaxy', 'unix:///srv/galaxy/var/uwsgi.sock|uwsgi://']);
    expect(pp.parent?.name).toBe('IfModule');
    expect(pp.parent?.parent?.name).toBe('VirtualHost');
    const rh = all[4]!;
    expect(rh.type === 'directive' && rh.args[2]).toMatchObject({ value: '%{REQUEST_SCHEME}e', quote: '"' });
    const loc = all[5]!;
    expect(loc.type === 'section' && loc.args[0]!.value).toBe('/');
  });

  it('never throws on broken input, and keeps every byte in the tree', () => {
    for (const text of ['<VirtualHost *:80>\nProxyPass / x\n', '</Location>\n', '<Location /\nA b\n</Location>\n', 'RequestHeader set "open\n', '</A>\n<B>\n</C>\n']) {
      const p = parseApacheText(text, 'x.conf');
      expect(p.errors.length, text).toBeGreaterThan(0);
      expect(uncovered(text, p.nodes), text).toBeUndefined();
    }
  });

  it('keeps Jinja2 lines opaque', () => {
    const text = '{% if galaxy_uwsgi %}\nProxyPass / uwsgi://{{ host }}:4001/\n{% endif %}\n';
    const p = parseApacheText(text, 'x.j2');
    expect(p.templated).toBe(true);
    expect(p.nodes.map((n) => n.type)).toEqual(['template', 'directive', 'template']);
    expect(uncovered(text, p.nodes)).toBeUndefined();
  });

  it('follows Include and IncludeOptional with globs and directories, reports loops', () => {
    const files = {
      '/d/apache2.conf': 'Include conf.d/*.conf\nIncludeOptional sites/\nInclude missing.conf\nIncludeOptional nothing/*.conf\n',
      '/d/conf.d/galaxy.conf': 'ProxyPass / uwsgi://127.0.0.1:4001/\nInclude /etc/apache2/apache2.conf\n',
      '/d/sites/a': 'ServerName a\n',
    };
    const doc = parseApache({ path: 'apache2.conf', text: files['/d/apache2.conf'], bom: false }, memoryHost(files, '/d'));
    expect(doc.ast.included.map((f) => f.path)).toEqual(['conf.d/galaxy.conf', 'sites/a']);
    expect(doc.errors.map((e) => [e.severity, e.message.replace(/:.*/, '')])).toEqual([
      ['warning', 'include loop'],
      ['info', 'Include "missing.conf" was not found beside this file or in the deployment'],
    ]);
  });
});

describe.skipIf(!HAVE_SHARED)('Apache reader on the corpus', () => {
  it('reads the corpus Apache vhost with every byte accounted for', () => {
    const rel = 'bgruening__docker-galaxy-stable/cbdc8a9f4f/galaxy/galaxy.apache';
    const text = readFileSync(join(SHARED_DIR, 'corpus', rel), 'utf8');
    const p = parseApacheText(text, rel);
    expect(p.errors).toEqual([]);
    expect(uncovered(text, p.nodes)).toBeUndefined();
    expect([...walkApache(p.nodes)].filter((n) => n.name === 'RewriteRule')).toHaveLength(7);
  });
});
