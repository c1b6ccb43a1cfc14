import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir, writeTree } from '../../helpers/deployment.js';
import { celeryBlock } from '../../helpers/celery-block.js';

/*
 * galaxy.yml as an Ansible template (galaxy.yml.j2): rendering removes `{% %}` lines and fills in
 * `{{ }}`. The reader reads what rendering leaves where that is known, and the plan never replaces a
 * uWSGI block whose lines depend on rendering.
 */
interface Plan {
  findings: { file: string; line: number; ruleId: string; severity: string; message: string }[];
  changes: { file: string; after: string }[];
}

async function plan(files: Record<string, string>): Promise<{ code: number | null; out: Plan; stderr: string }> {
  const dir = writeTree(tempDir('gm-j2-'), files);
  const r = await runCli(['plan', '--format', 'json', '.'], dir);
  return { code: r.code, out: JSON.parse(r.stdout) as Plan, stderr: r.stderr };
}

describe('galaxy.yml Jinja templates', () => {
  it('leaves a uWSGI block with template logic alone and says where the logic is', async () => {
    const { code, out, stderr } = await plan({
      'galaxy.yml.j2': [
        'uwsgi:',
        '  http: 127.0.0.1:8080',
        '  {% if galaxy_prefix %}',
        '  mount: {{ galaxy_prefix }}=galaxy.webapps.galaxy.buildapp:uwsgi_app()',
        '  manage-script-name: true',
        '  {% endif %}',
        '  processes: 2',
        'galaxy:',
        '  brand: {{ brand }}',
        '',
      ].join('\n'),
    });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(out.changes.filter((c) => c.file === 'galaxy.yml.j2')).toEqual([]);
    const s2g = out.findings.filter((f) => f.ruleId === 'uwsgi/section-to-gravity');
    expect(s2g).toHaveLength(1);
    expect(s2g[0]).toMatchObject({ line: 1, severity: 'warning' });
    expect(s2g[0]!.message).toContain('Jinja template with logic (line 3: `{% if galaxy_prefix %}`)');
    // The `{% %}` lines are not lines uWSGI "never read", and the options under the condition are still explained.
    expect(out.findings.filter((f) => f.ruleId === 'uwsgi/unknown-option').map((f) => f.line)).toEqual([]);
    expect(out.findings.some((f) => f.ruleId === 'uwsgi/app-loading' && f.line === 4)).toBe(true);
    expect(out.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
  });

  it('rewrites a literal uWSGI block of a template and keeps the Jinja of the rest byte for byte', async () => {
    const galaxy = ['galaxy:', '  brand: {{ brand }}', '  {% if admins %}', '  admin_users: {{ admins | join(",") }}', '  {% endif %}', ''].join('\n');
    const { code, out, stderr } = await plan({ 'galaxy.yml.j2': `uwsgi:\n  http: 127.0.0.1:8080\n  processes: 2\n${galaxy}` });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const change = out.changes.find((c) => c.file === 'galaxy.yml.j2');
    expect(change?.after).toBe(
      [
        'gravity:',
        '  gunicorn:',
        "    bind: '127.0.0.1:8080'",
        '    workers: 2',
        ...celeryBlock('  '),
        galaxy,
      ].join('\n'),
    );
    expect(out.findings.filter((f) => f.file === 'galaxy.yml.j2' && f.severity === 'error')).toEqual([]);
  });

  it('reports YAML a template breaks as a warning that names the template, not as an error', async () => {
    const { out } = await plan({ 'galaxy.yml.j2': 'galaxy:\n  brand: x\n{{ extra | to_nice_yaml }}\n  bad: [\n' });
    const parse = out.findings.filter((f) => f.file === 'galaxy.yml.j2' && /^parse-/.test(f.ruleId));
    expect(parse.length).toBeGreaterThan(0);
    for (const f of parse) {
      expect(f.severity).toBe('warning');
      expect(f.message).toContain('this is a Jinja template');
    }
  });
});
