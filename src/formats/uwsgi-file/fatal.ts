import type { ParseIssue } from '../../core/document.js';
import type { UwsgiReadResult } from '../uwsgi/load.js';

/**
 * The issue for where uWSGI itself would stop with an error (the reader returns it as `fatal`,
 * not as an issue), unless the reader already reported an error on that line (an include loop).
 */
export function fatalIssue(read: UwsgiReadResult, mainFile: string, lineOf: (offset: number) => number): ParseIssue[] {
  const f = read.fatal;
  if (!f) return [];
  const sameLine = (r: { start: number }): boolean => f.file !== mainFile || lineOf(r.start) === lineOf(f.range.start);
  const already = read.issues.some((i) => i.severity === 'error' && (i.file ?? mainFile) === f.file && sameLine(i.range));
  if (already) return [];
  return [
    {
      message: `uWSGI would stop reading this configuration here: ${f.message}`,
      range: f.range,
      ruleId: 'uwsgi/read-error',
      severity: 'error',
      ...(f.file !== mainFile ? { file: f.file } : {}),
    },
  ];
}
