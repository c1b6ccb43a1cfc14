import type { Report } from './model.js';
import type { Style } from './style.js';

/** Findings as `file:line:col  severity  message  rule`, then the diffs, then a summary line. */
export function renderText(report: Report, style: Style, opts: { diffs: boolean }): string {
  const lines: string[] = [];
  const byFile = new Map<string, Report['findings'][number][]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const [file, list] of byFile) {
    lines.push(style.bold(file));
    for (const f of list) {
      const sev = f.severity === 'error' ? style.red('error') : f.severity === 'warning' ? style.yellow('warning') : style.blue('info');
      lines.push(`  ${f.location.line}:${f.location.column}  ${sev}  ${f.message}  ${style.dim(f.ruleId)}`);
      for (const n of f.notes ?? []) lines.push(`      ${n}`);
    }
    lines.push('');
  }
  if (opts.diffs) {
    for (const c of report.changes) {
      lines.push(style.bold(`${c.status} ${c.file}`) + style.dim(`  (${c.ruleIds.join(', ')})`));
      for (const l of c.diff.replace(/\n$/, '').split('\n')) {
        if (l.startsWith('+') && !l.startsWith('+++')) lines.push(style.green(l));
        else if (l.startsWith('-') && !l.startsWith('---')) lines.push(style.red(l));
        else if (l.startsWith('@@')) lines.push(style.cyan(l));
        else lines.push(l);
      }
      lines.push('');
    }
  }
  for (const c of report.conflicts) lines.push(style.yellow(`not applied: ${c.ruleId} on ${c.file}: ${c.reason}`));
  const s = report.summary;
  lines.push(
    `${s.errors} error(s), ${s.warnings} warning(s), ${s.info} info; ` +
      (opts.diffs ? `${s.changedFiles} file(s) would change` : `${report.findings.filter((f) => f.fix).length} fixable`),
  );
  return `${lines.join('\n')}\n`;
}
