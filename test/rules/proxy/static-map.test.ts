import { describe, expect, it } from 'vitest';
import { checkNginx, nginxBinary } from '../../../src/io/server-check.js';
import { runCli } from '../../helpers/cli.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

describe('proxy/nginx-static-map on the sample deployment', () => {
  it('adds the static-map entries nginx does not serve yet, next to Galaxy\'s main location, and nginx -t accepts it', async () => {
    const r = await runCli(['plan', '--format', 'json', 'samples/uwsgi-mules'], PROJECT_ROOT);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; line: number; message: string }[]; changes: { file: string; after: string }[] };
    const f = out.findings.filter((x) => x.ruleId === 'proxy/nginx-static-map');
    expect(f.map((x) => [x.file, x.line])).toEqual([['samples/uwsgi-mules/config/galaxy.yml', 31]]);
    expect(f[0]!.message).toContain('/favicon.ico from /srv/galaxy/server/static/favicon.ico');
    const nginx = out.changes.find((c) => c.file === 'samples/uwsgi-mules/nginx/galaxy.conf')!.after;
    expect(nginx).toContain('        proxy_read_timeout 300;\n    }\n    location /favicon.ico {\n        alias /srv/galaxy/server/static/favicon.ico;\n        expires 24h;\n    }\n');
    // /static was served already: not added twice.
    expect(nginx.match(/location \/static \{/g)).toHaveLength(1);
    if (nginxBinary()) {
      const check = checkNginx([{ path: 'galaxy.conf', text: nginx }], 'galaxy.conf');
      expect(check.ok, check.output).toBe(true);
    }
  });
});
