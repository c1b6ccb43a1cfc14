import type { Report } from '../../src/report/model.js';

/** A report holding only these findings, its summary counted from their severities, for the renderers' unit tests. */
export const reportOf = (findings: Report['findings']): Report => ({
  strategy: 'uwsgi',
  files: [],
  findings,
  changes: [],
  conflicts: [],
  summary: {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    info: findings.filter((f) => f.severity === 'info').length,
    changedFiles: 0,
  },
});
