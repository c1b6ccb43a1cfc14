import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../rules/index.js';
import type { FileKind } from '../../../src/core/document.js';
import { runRules } from '../../../src/core/engine.js';
import { memoryHost } from '../../../src/core/host.js';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { loadServer } from '../../../src/run/server.js';
import { workOf } from '../../helpers/work.js';

/**
 * The jobs rules do work in proportion to the job conf, not to its square (issue 7: a job conf
 * with thousands of legacy handlers, each with a tool mapped to it, took minutes). Searching every
 * handler and reference per handler id, and every planned action per reference, made the work
 * grow with the square of the handlers (test/helpers/work.ts counts it, no clock).
 */

const GALAXY_YML = (conf: string): string =>
  'uwsgi:\n  socket: /srv/galaxy/var/uwsgi.sock\n  mule: lib/galaxy/main.py\n  mule: lib/galaxy/main.py\n  farm: job-handlers:1,2\n' +
  `galaxy:\n  job_config_file: ${conf}\n`;

function jobConf(format: 'xml' | 'yml', n: number): string {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  if (format === 'xml') {
    return (
      '<job_conf>\n  <handlers assign_with="uwsgi-mule-message">\n' +
      ids.map((i) => `    <handler id="main.job-handlers.${i}" tags="t${i % 7}"/>\n`).join('') +
      '  </handlers>\n  <tools>\n' +
      ids.map((i) => `    <tool id="tool_${i}" handler="main.job-handlers.${i}"/>\n`).join('') +
      '  </tools>\n</job_conf>\n'
    );
  }
  return (
    'handling:\n  assign: [uwsgi-mule-message]\n  processes:\n' +
    ids.map((i) => `    main.job-handlers.${i}: {tags: [t${i % 7}]}\n`).join('') +
    'tools:\n' +
    ids.map((i) => `  - id: tool_${i}\n    handler: main.job-handlers.${i}\n`).join('')
  );
}

/** One server as lint reads it (src/run/server.ts), its rules run with the work counted. */
function lint(format: 'xml' | 'yml', n: number): { work: number; findings: number } {
  const conf = `job_conf.${format}`;
  const texts: Record<string, string> = { 'config/galaxy.yml': GALAXY_YML(conf), [`config/${conf}`]: jobConf(format, n) };
  const kinds: Record<string, FileKind> = { 'config/galaxy.yml': 'galaxy-yml', [`config/${conf}`]: format === 'xml' ? 'job-conf-xml' : 'job-conf-yml' };
  const host = memoryHost(Object.fromEntries(Object.entries(texts).map(([p, t]) => [`/d/${p}`, t])), '/d');
  const d = loadServer(
    Object.entries(texts).map(([path, text]) => ({ abs: `/d/${path}`, kind: kinds[path]!, file: { path, text, bom: false } })),
    host,
  );
  let findings = 0;
  const work = workOf(() => {
    findings = runRules(d, ALL_RULES, { target: DEFAULT_TARGET }).findings.filter((f) => f.ruleId.startsWith('jobs/')).length;
  });
  return { work, findings };
}

describe('jobs rules on a job conf with many handlers (work counted, not timed)', () => {
  for (const format of ['xml', 'yml'] as const) {
    it(`job_conf.${format}: grows in proportion to the handlers, not to their square`, () => {
      const small = lint(format, 50);
      const large = lint(format, 200);
      // The rules did act on every legacy handler.
      expect(small.findings).toBeGreaterThanOrEqual(50);
      expect(large.findings).toBeGreaterThanOrEqual(200);
      // Four times the handlers: about four times the work when linear, sixteen when quadratic.
      expect(large.work / small.work).toBeLessThan(6);
    });
  }
});
