import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

/*
 * Issue 5: an expression that reads a uWSGI value of galaxy_config (`{{ galaxy_config.uwsgi.socket }}`)
 * outside the block breaks once the block becomes gravity:, so it is an error naming the new variable.
 * Fixture: test/fixtures/ansible-proxy/reference (an nginx server kept as a vars text block).
 */
const FIXTURES = fileURLToPath(new URL('../../fixtures/ansible-proxy/', import.meta.url));

interface Finding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
}

async function findings(dir: string): Promise<Finding[]> {
  const r = await runCli(['plan', '--format', 'json', dir], FIXTURES);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) => f.ruleId === 'ansible/uwsgi-reference');
}

describe('ansible/uwsgi-reference', () => {
  it('reports each reference outside the block, at its line, naming the Gravity variable where one holds the value', async () => {
    const got = await findings('reference');
    expect(got.map((f) => [f.file, f.line, f.column, f.severity])).toEqual([
      ['reference/group_vars/galaxyservers.yml', 10, 21, 'error'],
      ['reference/group_vars/galaxyservers.yml', 13, 23, 'error'],
      ['reference/group_vars/galaxyservers.yml', 14, 19, 'error'],
    ]);
    expect(got[0]!.message).toContain('read `galaxy_config.gravity.gunicorn.bind` instead');
    expect(got[0]!.message).toContain('`proxy_pass http://…`');
    expect(got[1]!.message).toContain("reads `galaxy_config.uwsgi.processes`");
    expect(got[1]!.message).toContain('read `galaxy_config.gravity.gunicorn.workers` instead');
    expect(got[2]!.message).toContain('no Gravity variable holds this uWSGI value');
  });

  it('leaves nginx templates to the proxy rules (which rewrite them) and stays quiet without such references', async () => {
    // one-bind's nginx template reads galaxy_config.uwsgi.socket; proxy/nginx-uwsgi-pass rewrites it.
    expect(await findings('one-bind')).toEqual([]);
    expect(await findings('two-binds')).toEqual([]);
  });
});
