import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROXY_RULES } from '../../../rules/proxy/index.js';
import { nginxModel } from '../../../rules/proxy/nginx-model.js';
import { HAVE_SHARED, SHARED_DIR, warnNoShared } from '../../helpers/shared.js';
import { deploymentOf, runOn } from './helpers.js';

warnNoShared('proxy rules on the corpus');

function corpusNginx(): string[] {
  const manifest = readFileSync(join(SHARED_DIR, 'corpus', 'MANIFEST.md'), 'utf8');
  return manifest
    .split('\n')
    .map((l) => l.split('|').map((c) => c.trim()))
    .filter((c) => /^\d+$/.test(c[1] ?? '') && c[7] === 'nginx')
    .map((c) => (c[2] ?? '').replace(/`/g, ''));
}

/** The text of each location holding a uwsgi_pass that is not Galaxy's, by its line. */
function otherAppLocations(path: string, text: string): string[] {
  const d = deploymentOf({ [path]: text }, {}, { [path]: 'nginx' });
  const m = nginxModel(d);
  return m.passes.filter((p) => !p.verdict.galaxy && p.location).map((p) => text.slice(p.location!.range.start, p.location!.range.end));
}

describe.skipIf(!HAVE_SHARED)('proxy rules on every corpus nginx file (no uWSGI config beside them)', () => {
  const files = HAVE_SHARED ? corpusNginx() : [];

  it.each(files)('%s: Galaxy loses every uwsgi_* directive, other applications are byte-identical, a second plan is empty', (rel) => {
    const text = readFileSync(join(SHARED_DIR, 'corpus', rel), 'utf8');
    const name = rel.split('/').pop()!;
    const out = runOn(deploymentOf({ [name]: text }, {}, { [name]: 'nginx' }), PROXY_RULES);
    const after = out.after[name]!;
    const again = deploymentOf({ [name]: after }, {}, { [name]: 'nginx' });
    const m = nginxModel(again);
    expect(m.passes.filter((p) => p.verdict.galaxy).map((p) => p.directive.range.start)).toEqual([]);
    for (const loc of otherAppLocations(name, text)) expect(after).toContain(loc);
    const second = runOn(again, PROXY_RULES);
    expect(second.findings.filter((f) => f.fix).map((f) => `${f.ruleId}@${f.location.line}`)).toEqual([]);
  });

  it('usegalaxy.eu P01: both TIaaS locations kept as they were, as the real migration did', () => {
    const rel = 'usegalaxy-eu__infrastructure-playbook/e229c35299/templates/nginx/galaxy-main.j2';
    const text = readFileSync(join(SHARED_DIR, 'corpus', rel), 'utf8');
    const out = runOn(deploymentOf({ 'galaxy-main.j2': text }, {}, { 'galaxy-main.j2': 'nginx' }), PROXY_RULES);
    const after = out.after['galaxy-main.j2']!;
    expect(otherAppLocations('galaxy-main.j2', text)).toHaveLength(2);
    expect(after).toContain('\tlocation /tiaas {\n\t\tuwsgi_pass 127.0.0.1:5002;\n\t\tuwsgi_param UWSGI_SCHEME $scheme;\n\t\tinclude uwsgi_params;\n\t}');
    expect(after).toContain('\t\tproxy_pass      http://127.0.0.1:4001;');
    // The server-level timeout stays for TIaaS and gets its proxy twin for Galaxy.
    expect(after).toContain('\tuwsgi_read_timeout 2400;\n\tproxy_read_timeout 2400;\n');
    // The commented-out private zergling uwsgi_pass is a comment and stays one.
    expect(after).toContain('\t\t#     uwsgi_pass      127.0.0.1:4020;');
  });

  it('git-gat P12: Galaxy follows galaxy_config into gravity, TIaaS and Reports keep uwsgi_pass', () => {
    const rel = 'hexylena__git-gat/bfdb609cdd/templates/nginx/galaxy.j2';
    const text = readFileSync(join(SHARED_DIR, 'corpus', rel), 'utf8');
    const out = runOn(deploymentOf({ 'galaxy.j2': text }, {}, { 'galaxy.j2': 'nginx' }), PROXY_RULES);
    const after = out.after['galaxy.j2']!;
    expect(after).toContain('proxy_pass http://{{ galaxy_config.gravity.gunicorn.bind }};');
    expect(after.match(/uwsgi_pass \{\{ tiaas_listen_url \}\};/g)).toHaveLength(2);
    expect(after).toContain('uwsgi_pass           127.0.0.1:9001;');
    const info = out.findings.filter((f) => f.severity === 'info' && f.ruleId === 'proxy/nginx-uwsgi-pass');
    expect(info.map((f) => f.location.line)).toEqual([82, 92, 98]);
  });
});
