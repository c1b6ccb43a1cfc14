import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { parseNginx, parseNginxText, walkDirectives, type NginxDirective } from '../../../src/formats/nginx/index.js';
import { uncovered } from './coverage.js';

const dirs = (text: string): NginxDirective[] => [...walkDirectives(parseNginxText(text, 'x.conf').nodes)];

describe('nginx reader', () => {
  it('reads directives, blocks, arguments and comments with exact ranges', () => {
    const text = 'server {\n    listen 80;   # plain\n    location / {\n        uwsgi_pass unix:///srv/g/uwsgi.sock;\n    }\n}\n';
    const p = parseNginxText(text, 'x.conf');
    expect(p.errors).toEqual([]);
    expect(uncovered(text, p.nodes)).toBeUndefined();
    const [server, listen, loc, pass] = [...walkDirectives(p.nodes)];
    expect(server!.name).toBe('server');
    expect(text.slice(server!.range.start, server!.range.end)).toBe(text.trimEnd());
    expect(listen!.parent).toBe(server);
    expect(text.slice(listen!.range.start, listen!.range.end)).toBe('listen 80;');
    expect(loc!.args.map((a) => a.value)).toEqual(['/']);
    expect(pass!.parent).toBe(loc);
    expect(pass!.args[0]!.value).toBe('unix:///srv/g/uwsgi.sock');
    const comment = (server!.block!.children[1] as { text: string }).text;
    expect(comment).toBe('# plain');
  });

  it('keeps ; { } # inside quoted strings and unescapes as nginx does', () => {
    const text = `add_header X-A "a;b{c}#d" always;\nset $x 'it\\'s';\nreturn 200 "tab\\there";\n`;
    const ds = dirs(text);
    expect(ds.map((d) => d.name)).toEqual(['add_header', 'set', 'return']);
    expect(ds[0]!.args.map((a) => a.value)).toEqual(['X-A', 'a;b{c}#d', 'always']);
    expect(ds[0]!.args[1]!.quote).toBe('"');
    expect(ds[1]!.args[1]!.value).toBe("it's");
    expect(ds[2]!.args[1]!.value).toBe('tab\there');
  });

  it('reads ${var} and a } inside unquoted words as nginx does, and comments between arguments', () => {
    const text = 'try_files $vis_d/${vis_d}_${vis_name}/static/$f  # first\n          $vis_d/static/$f =404;\n';
    const [d] = dirs(text);
    expect(d!.args.map((a) => a.value)).toEqual(['$vis_d/${vis_d}_${vis_name}/static/$f', '$vis_d/static/$f', '=404']);
    expect(d!.comments.map((c) => c.text)).toEqual(['# first']);
    expect(uncovered(text, parseNginxText(text, 'x').nodes)).toBeUndefined();
  });

  it('keeps *_by_lua_block bodies opaque, braces and strings in Lua included', () => {
    const text = 'location /t {\n  content_by_lua_block {\n    local t = { a = "}" } -- } in a comment\n    ngx.say([[ } ]])\n  }\n  return 204;\n}\n';
    const p = parseNginxText(text, 'x');
    expect(p.errors).toEqual([]);
    const ds = [...walkDirectives(p.nodes)];
    expect(ds.map((d) => d.name)).toEqual(['location', 'content_by_lua_block', 'return']);
    const lua = ds[1]!;
    expect(text.slice(lua.rawBody!.start, lua.rawBody!.end)).toContain('ngx.say([[ } ]])');
    expect(uncovered(text, p.nodes)).toBeUndefined();
  });

  it('keeps Jinja2 {{ }}, {% %} and {# #} as opaque text', () => {
    const text = [
      '{# managed by ansible #}',
      'server {',
      '    server_name "{{ hostname | default("x") }}";',
      '{% if galaxy_commit_id = "release_22.01" %}',
      '    location {{ prefix | regex_replace("/$", "") }}/static { alias {{ root }}/static; }',
      '{% endif %}',
      '    {{ extra_routes }}',
      '    location / { uwsgi_pass {{ galaxy_config.uwsgi.socket }}; }',
      '}',
      '',
    ].join('\n');
    const p = parseNginxText(text, 'x.j2');
    expect(p.errors).toEqual([]);
    expect(p.templated).toBe(true);
    expect(uncovered(text, p.nodes)).toBeUndefined();
    const server = p.nodes.find((n) => n.type === 'directive') as NginxDirective;
    const kinds = server.block!.children.map((n) => (n.type === 'directive' ? n.name : `${n.type}:${n.tag}`));
    expect(kinds).toEqual(['server_name', 'template:statement', 'location', 'template:statement', 'template:expression', 'location']);
    expect(p.nodes[0]).toMatchObject({ type: 'template', tag: 'comment' });
    const pass = [...walkDirectives(p.nodes)].find((d) => d.name === 'uwsgi_pass')!;
    expect(pass.args[0]).toMatchObject({ value: '{{ galaxy_config.uwsgi.socket }}', templated: true });
  });

  it('never throws: reports unbalanced braces, missing semicolons and open quotes, and goes on', () => {
    for (const text of ['server {\n listen 80;\n', '}\nlisten 80;', 'location / { uwsgi_pass x }', 'return 200 "open;\n', '{ a; }', ';;']) {
      const p = parseNginxText(text, 'bad.conf');
      expect(p.errors.length, text).toBeGreaterThan(0);
      expect(uncovered(text, p.nodes), text).toBeUndefined();
    }
    expect(parseNginxText('server {\n listen 80;\n', 'x').errors[0]!.message).toBe('unexpected end of file, expecting "}"');
  });

  it('keeps CRLF line ends out of comments', () => {
    const text = 'a 1; # c\r\nb 2;\r\n';
    const p = parseNginxText(text, 'x');
    expect(p.nodes.find((n) => n.type === 'comment')).toMatchObject({ text: '# c' });
    expect(uncovered(text, p.nodes)).toBeUndefined();
  });
});

describe('nginx includes', () => {
  const files = {
    '/d/nginx.conf': 'http {\n  include conf.d/*.conf;\n  include uwsgi_params;\n  include missing.conf;\n}\n',
    '/d/conf.d/b.conf': 'server { include /etc/nginx/snippets/galaxy.conf; }\n',
    '/d/conf.d/a.conf': 'upstream galaxy { server unix:/srv/uwsgi.sock; }\n',
    '/d/conf.d/notes.txt': 'not matched\n',
    '/d/snippets/galaxy.conf': 'location / { uwsgi_pass galaxy; }\n',
    '/d/loop/a.conf': 'include b.conf;\n',
    '/d/loop/b.conf': 'include a.conf;\n',
  };
  const host = memoryHost(files, '/d');
  const read = (path: string) => parseNginx({ path, text: files[`/d/${path}` as keyof typeof files], bom: false }, host);

  it('follows globs in sorted order, relative to the including file or its ancestors, and system prefixes', () => {
    const doc = read('nginx.conf');
    const inc = doc.ast.includes;
    expect(inc.map((i) => i.pattern)).toEqual(['conf.d/*.conf', 'uwsgi_params', 'missing.conf']);
    expect(inc[0]!.files.map((f) => f.path)).toEqual(['conf.d/a.conf', 'conf.d/b.conf']);
    expect(inc[1]!.unresolved).toBe('stock');
    expect(inc[2]!.unresolved).toBe('not-found');
    const nested = inc[0]!.files[1]!.ast.includes[0]!;
    expect(nested.files.map((f) => f.path)).toEqual(['snippets/galaxy.conf']);
    expect(doc.errors.map((e) => [e.ruleId, e.severity])).toEqual([['nginx/include', 'info']]);
  });

  it('reports an include loop instead of following it forever', () => {
    const doc = read('loop/a.conf');
    const loop = doc.errors.find((e) => /include loop/.test(e.message));
    expect(loop?.message).toContain('loop/a.conf -> loop/b.conf -> loop/a.conf');
    expect(loop?.file).toBe('loop/b.conf');
  });
});
