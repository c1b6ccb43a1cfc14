import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../rules/index.js';
import type { FileKind } from '../../../src/core/document.js';
import { runRules } from '../../../src/core/engine.js';
import { memoryHost } from '../../../src/core/host.js';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { loadServer } from '../../../src/run/server.js';
import { workOf } from '../../helpers/work.js';

/**
 * process/supervisor-programs does work in proportion to the supervisord file, not to its square
 * (issue 7: a file of 16000 uWSGI programs took 17 s): each removed section read every line of the
 * file for its template balance, and the file's sections and groups were each matched against
 * every removal (test/helpers/work.ts counts the work, no clock; reads of the file's lines are
 * counted here too, as the template balance walks them in a plain loop).
 */

function programs(n: number): string {
  const names = Array.from({ length: n }, (_, i) => `galaxy_${i}`);
  return (
    names
      .map((p) => `[program:${p}]\ncommand = /srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml\ndirectory = /srv/galaxy/server\n\n`)
      .join('') + `[group:galaxy]\nprograms = ${names.join(',')}\n`
  );
}

function lint(n: number): { work: number; findings: number } {
  const texts: Record<string, string> = {
    'config/galaxy.yml': 'uwsgi:\n  socket: /srv/galaxy/var/uwsgi.sock\n  mule: lib/galaxy/main.py\ngalaxy:\n  brand: x\n',
    'supervisor/galaxy.conf': programs(n),
  };
  const kinds: Record<string, FileKind> = { 'config/galaxy.yml': 'galaxy-yml', 'supervisor/galaxy.conf': 'supervisor' };
  const host = memoryHost(Object.fromEntries(Object.entries(texts).map(([p, t]) => [`/d/${p}`, t])), '/d');
  const d = loadServer(
    Object.entries(texts).map(([path, text]) => ({ abs: `/d/${path}`, kind: kinds[path]!, file: { path, text, bom: false } })),
    host,
  );
  let lineReads = 0;
  const ast = d.documents.find((x) => x.kind === 'supervisor')!.ast as { lines: readonly unknown[] };
  ast.lines = new Proxy(ast.lines, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) lineReads++;
      return Reflect.get(target, key, receiver);
    },
  });
  let findings = 0;
  const work = workOf(() => {
    const r = runRules(d, ALL_RULES, { target: DEFAULT_TARGET });
    // The supervisord file is rewritten (its programs go, one runs Gravity).
    findings = r.findings.filter((f) => f.ruleId === 'process/supervisor-programs' && f.fix).length;
  });
  return { work: work + lineReads, findings };
}

describe('process/supervisor-programs on a large supervisord file (work counted, not timed)', () => {
  it('grows in proportion to the programs, not to their square', () => {
    const small = lint(100);
    const large = lint(400);
    expect(small.findings).toBeGreaterThanOrEqual(1);
    expect(large.findings).toBeGreaterThanOrEqual(1);
    // Four times the programs: about four times the work when linear, sixteen when quadratic.
    expect(large.work / small.work).toBeLessThan(6);
  });
});
