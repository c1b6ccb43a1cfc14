import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir, writeTree } from '../../helpers/deployment.js';
import { planAfter } from '../../helpers/plan-after.js';

/**
 * An inventory whose uWSGI socket takes its port from a variable (`127.0.0.1:{{ galaxy_uwsgi_port }}`)
 * and whose nginx template proxies to the same text: gunicorn's bind keeps that text, so after one
 * apply the role renders gravity and nginx from the same variable, and the next plan has nothing left.
 */
const VARS = `galaxy_uwsgi_port: 4001
galaxy_config:
  galaxy:
    database_connection: "postgresql:///galaxy"
  uwsgi:
    socket: "127.0.0.1:{{ galaxy_uwsgi_port }}"
    processes: 2
`;
const NGINX = `server {
    listen 80;
    location / {
        uwsgi_pass 127.0.0.1:{{ galaxy_uwsgi_port }};
        include uwsgi_params;
    }
}
`;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('ansible: a uWSGI socket with a Jinja port', () => {
  it('gunicorn binds the same text the rewritten nginx template proxies to, and a second plan proposes nothing', async () => {
    dir = writeTree(tempDir('gm-jinja-port-'), { 'group_vars/galaxyservers.yml': VARS, 'templates/nginx/galaxy.j2': NGINX });
    const first = await planAfter('.', dir);
    expect(first.code).toBe(0);
    expect(first.after['group_vars/galaxyservers.yml']).toContain("    gunicorn:\n      bind: '127.0.0.1:{{ galaxy_uwsgi_port }}'\n      workers: 2\n");
    expect(first.after['templates/nginx/galaxy.j2']).toContain('        proxy_pass http://127.0.0.1:{{ galaxy_uwsgi_port }};\n');

    const applied = await runCli(['apply', '--yes', '.'], dir);
    expect(applied.code).toBe(0);
    expect(readFileSync(join(dir, 'group_vars/galaxyservers.yml'), 'utf8')).toBe(first.after['group_vars/galaxyservers.yml']);
    const again = await planAfter('.', dir);
    expect(again.after).toEqual({});
    expect(again.findings.filter((f) => f.ruleId.startsWith('ansible/') || f.ruleId.startsWith('proxy/'))).toEqual([]);
  });
});
