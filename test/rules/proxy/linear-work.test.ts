import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../rules/index.js';
import { runRules } from '../../../src/core/engine.js';
import * as range from '../../../src/core/range.js';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { workOf } from '../../helpers/work.js';
import { deploymentOf } from './helpers.js';

/**
 * The proxy rules do work in proportion to the nginx file, not to its square (issue 7: a file with
 * a uwsgi_pass and an `include uwsgi_params` in each of thousands of locations took minutes). A
 * search of every pass per location, or a scan of the whole file per edit, made the work grow
 * with the square of the locations (test/helpers/work.ts counts it).
 */

/** A server with Galaxy's `location /` and `n` more locations, each with its own uwsgi_pass. */
function site(n: number): string {
  const loc = (path: string): string =>
    `    location ${path} {\n        uwsgi_pass unix:/srv/galaxy/var/uwsgi.sock;\n        include uwsgi_params;\n        uwsgi_param UWSGI_SCHEME $scheme;\n    }\n`;
  return `server {\n    listen 80;\n    uwsgi_read_timeout 300;\n${loc('/')}${Array.from({ length: n }, (_, i) => loc(`/app${i}/`)).join('')}}\n`;
}

function lint(n: number): { work: number; findings: number; eolScans: number } {
  const d = deploymentOf({ 'nginx/galaxy.conf': site(n), uwsgi_params: 'uwsgi_param HTTP_HOST $host;\n' });
  const scansBefore = range.eolScans;
  let findings = 0;
  const work = workOf(() => {
    findings = runRules(d, ALL_RULES, { target: DEFAULT_TARGET }).findings.length;
  });
  return { work, findings, eolScans: range.eolScans - scansBefore };
}

describe('proxy rules on a large nginx file (work counted, not timed)', () => {
  it('grows in proportion to the locations, not to their square', () => {
    const small = lint(50);
    const large = lint(200);
    // The rules did act on every location (one finding per pass and per include at least).
    expect(small.findings).toBeGreaterThanOrEqual(2 * 51);
    expect(large.findings).toBeGreaterThanOrEqual(2 * 201);
    // Four times the locations: about four times the work when linear, sixteen when quadratic.
    expect(large.work / small.work).toBeLessThan(6);
  });

  it("reads the file's line breaks once, not once per edit", () => {
    const { eolScans } = lint(100);
    // One nginx file with hundreds of edits; the uwsgi_params copy is only read.
    expect(eolScans).toBeLessThanOrEqual(2);
  });
});
