import { describe, expect, it } from 'vitest';
import { MAX_ROWS, renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/model.js';
import { SAMPLE, SECRETS, tempDir, writeTree } from '../helpers/deployment.js';
import { reportOf } from '../helpers/report-of.js';
import { runWith } from '../helpers/run-with-rules.js';

const TOOL = { name: 'galaxy-migrate', version: '9.9.9' };
const finding = (message: string, file = 'config/galaxy.yml'): Report['findings'][number] => ({
  ruleId: 'uwsgi/x',
  severity: 'warning',
  file,
  range: { start: 0, end: 1 },
  location: { line: 3, column: 5, endLine: 3, endColumn: 6 },
  message,
});

describe('markdown summary for a pull-request comment', () => {
  it('counts, a table with location, rule and message, and how to fix', async () => {
    const dir = writeTree(tempDir('gm-md-'), SAMPLE);
    const r = await runWith(['lint', '--format', 'markdown', '.'], dir);
    expect(r.code).toBe(1);
    for (const s of SECRETS) expect(r.stdout).not.toContain(s);
    expect(r.stdout).toContain('### galaxy-migrate lint');
    expect(r.stdout).toContain('**1 error(s), 4 warning(s), 2 info** in 3 file(s) · 6 fixable by `migrate apply`');
    expect(r.stdout).toContain('| :x: | `nginx/galaxy.conf:4:9` | `test/uwsgi-pass` | nginx must speak HTTP to gunicorn |');
    expect(r.stdout).toContain('`migrate plan` shows each fix as a diff');
  });

  it('says so when there is nothing', () => {
    expect(renderMarkdown(reportOf([]), TOOL)).toContain(':white_check_mark: No findings');
  });

  it('escapes table breaks, HTML and markdown in messages and paths', () => {
    const out = renderMarkdown(reportOf([finding('use `a|b` <script>*x*</script>', 'we|ird`.yml')]), TOOL);
    const row = out.split('\n').find((l) => l.startsWith('| :warning:'))!;
    expect(row).toBe('| :warning: | ``we\\|ird`.yml:3:5`` | `uwsgi/x` | use \\`a\\|b\\` &lt;script&gt;\\*x\\*&lt;/script&gt; |');
  });

  it(`stops the table at ${MAX_ROWS} rows and says how many more`, () => {
    const out = renderMarkdown(reportOf(Array.from({ length: MAX_ROWS + 5 }, (_, i) => finding(`m${i}`))), TOOL);
    expect(out.split('\n').filter((l) => l.startsWith('| :warning:'))).toHaveLength(MAX_ROWS);
    expect(out).toContain('… and 5 more; run `migrate lint` to see them all.');
  });
});
