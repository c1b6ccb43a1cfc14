import type { Report } from './model.js';

/** The stable JSON contract of DESIGN.md; bump SCHEMA_VERSION on any change of shape. */
export const SCHEMA_VERSION = 1;

export function renderJson(report: Report, tool: { name: string; version: string }): string {
  const out = {
    schemaVersion: SCHEMA_VERSION,
    tool,
    deployment: { strategy: report.strategy, files: report.files },
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: f.file,
      line: f.location.line,
      column: f.location.column,
      endLine: f.location.endLine,
      endColumn: f.location.endColumn,
      message: f.message,
      fixable: f.fix !== undefined,
      ...(f.notes ? { notes: f.notes } : {}),
    })),
    changes: report.changes.map((c) => ({ file: c.file, status: c.status, ruleIds: c.ruleIds, diff: c.diff, after: c.after })),
    ...(report.conflicts.length ? { conflicts: report.conflicts } : {}),
    summary: report.summary,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
