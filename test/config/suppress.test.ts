import { describe, expect, it } from 'vitest';
import { findDirectives } from '../../src/core/suppress.js';
import { SAMPLE, tempDir, writeTree } from '../helpers/deployment.js';
import { runWith } from '../helpers/run-with-rules.js';

describe('inline suppression directives', () => {
  it("are read in each kind's own comment syntax", () => {
    const yaml = 'a: 1\n  # galaxy-migrate-disable-next-line test/x, test/y -- the old box still needs it\nb: 2\n';
    expect(findDirectives('f', yaml, 'galaxy-yml')).toEqual([{ file: 'f', line: 2, column: 3, target: 3, ruleIds: ['test/x', 'test/y'] }]);
    expect(findDirectives('f', '; galaxy-migrate-disable-next-line test/x\nk = v\n', 'uwsgi-ini')).toHaveLength(1);
    expect(findDirectives('f', '; galaxy-migrate-disable-next-line test/x\nk: v\n', 'galaxy-yml')).toHaveLength(0);
    const xml = '<job_conf>\n  <!-- galaxy-migrate-disable-next-line test/assign-with -->\n  <handlers/>\n</job_conf>\n';
    expect(findDirectives('f', xml, 'job-conf-xml')).toEqual([{ file: 'f', line: 2, column: 3, target: 3, ruleIds: ['test/assign-with'] }]);
    expect(findDirectives('f', '# galaxy-migrate-disable-next-line test/x\n<a/>\n', 'job-conf-xml')).toHaveLength(0);
    // stacked directives silence the first line after them; no ids means every rule
    const stacked = '# galaxy-migrate-disable-next-line test/x\r\n# galaxy-migrate-disable-next-line\r\nk: v\r\n';
    expect(findDirectives('f', stacked, 'nginx').map((d) => [d.line, d.target, d.ruleIds])).toEqual([
      [1, 3, ['test/x']],
      [2, 3, undefined],
    ]);
    // text after a value is not a directive line
    expect(findDirectives('f', 'k: v # galaxy-migrate-disable-next-line test/x\nz: 1\n', 'galaxy-yml')).toHaveLength(0);
  });

  it('silence findings (and their fixes) on the next line; lint reports unused ones', async () => {
    const dir = writeTree(tempDir('gm-sup-'), {
      ...SAMPLE,
      'config/galaxy.yml': SAMPLE['config/galaxy.yml']!.replace(
        '  socket:',
        '  # galaxy-migrate-disable-next-line test/socket-to-bind -- the proxy still speaks uwsgi here\r\n  socket:',
      ).replace('  processes:', '  # galaxy-migrate-disable-next-line test/no-mules\r\n  processes:'),
      'config/job_conf.xml': SAMPLE['config/job_conf.xml']!.replace(
        '    <handlers',
        '    <!-- galaxy-migrate-disable-next-line test/assign-with -->\n    <handlers',
      ),
      'nginx/galaxy.conf': SAMPLE['nginx/galaxy.conf']!.replace('        uwsgi_pass', '        # galaxy-migrate-disable-next-line\n        uwsgi_pass'),
    });
    const lint = await runWith(['lint', '--format', 'json', '.'], dir);
    const found = JSON.parse(lint.stdout).findings as { ruleId: string; file: string; line: number; severity: string; message: string }[];
    expect(found.map((f) => f.ruleId)).not.toContain('test/socket-to-bind');
    expect(found.map((f) => f.ruleId)).not.toContain('test/assign-with');
    expect(found.map((f) => f.ruleId)).not.toContain('test/uwsgi-pass');
    expect(found.filter((f) => f.ruleId === 'unused-disable-directive')).toEqual([
      expect.objectContaining({ file: 'config/galaxy.yml', line: 5, severity: 'info', message: 'galaxy-migrate-disable-next-line for test/no-mules silences nothing on line 6; remove it' }),
    ]);
    const plan = JSON.parse((await runWith(['plan', '--format', 'json', '.'], dir)).stdout);
    expect(plan.changes.map((c: { file: string }) => c.file)).toEqual(['config/galaxy.yml', 'config/handlers.yml']);
    expect(plan.changes[0].diff).not.toContain('+  bind:');
  });
});
