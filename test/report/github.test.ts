import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/report/github.js';
import { SAMPLE, SECRETS, tempDir, writeTree } from '../helpers/deployment.js';
import { reportOf } from '../helpers/report-of.js';
import { runWith } from '../helpers/run-with-rules.js';

describe('GitHub Actions annotations', () => {
  it('one ::error/::warning/::notice per finding with file, line, col and the rule as title', async () => {
    const dir = writeTree(tempDir('gm-gh-'), SAMPLE);
    const r = await runWith(['lint', '--format', 'github', '.'], dir);
    expect(r.code).toBe(1);
    for (const s of SECRETS) expect(r.stdout).not.toContain(s);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toContain('::error file=nginx/galaxy.conf,line=4,col=9,endColumn=19,title=test/uwsgi-pass::nginx must speak HTTP to gunicorn');
    expect(lines).toContain('::warning file=config/galaxy.yml,line=2,col=3,endColumn=9,title=test/socket-to-bind::the uWSGI socket becomes the gunicorn bind');
    expect(lines).toContain('::notice file=config/galaxy.yml,line=4,col=3,endColumn=12,title=test/processes::processes becomes gunicorn workers');
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(7);
    expect(lines.at(-1)).toMatch(/^galaxy-migrate: 1 error\(s\), 4 warning\(s\), 2 info$/);
  });

  it('escapes what would end the command early: %, CR, LF in the message; also : and , in properties', () => {
    const out = renderGithub(
      reportOf([
        {
          ruleId: 'x/y',
          severity: 'error',
          file: 'we,ird:name.yml',
          range: { start: 0, end: 5 },
          location: { line: 2, column: 1, endLine: 3, endColumn: 4 },
          message: '100% wrong\r\nsecond line :: still',
        },
      ]),
    );
    expect(out.split('\n')[0]).toBe('::error file=we%2Cird%3Aname.yml,line=2,col=1,endLine=3,title=x/y::100%25 wrong%0D%0Asecond line :: still');
  });
});
