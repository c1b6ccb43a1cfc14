import type { Report } from './model.js';

/**
 * A summary for a pull-request comment: counts, then a table of findings (capped, so the comment
 * stays under GitHub's size limit), then how to fix them. Every cell is escaped: a message can hold
 * `|`, backticks or HTML from the configuration it quotes.
 */
export const MAX_ROWS = 200;

const ICON = { error: ':x:', warning: ':warning:', info: ':information_source:' } as const;

export function renderMarkdown(report: Report, tool: { name: string; version: string }): string {
  const s = report.summary;
  const out: string[] = [`### ${tool.name} lint`, ''];
  if (report.findings.length === 0) {
    out.push(':white_check_mark: No findings: nothing in this deployment still depends on uWSGI.', '');
    return `${out.join('\n')}\n`;
  }
  const files = new Set(report.findings.map((f) => f.file)).size;
  const fixable = report.findings.filter((f) => f.fix).length;
  out.push(
    `**${s.errors} error(s), ${s.warnings} warning(s), ${s.info} info** in ${files} file(s)` +
      (fixable ? ` · ${fixable} fixable by \`migrate apply\`` : ''),
    '',
    '| | Location | Rule | Message |',
    '|---|---|---|---|',
  );
  for (const f of report.findings.slice(0, MAX_ROWS)) {
    out.push(`| ${ICON[f.severity]} | ${code(`${f.file}:${f.location.line}:${f.location.column}`)} | ${code(f.ruleId)} | ${cell(f.message)} |`);
  }
  if (report.findings.length > MAX_ROWS) out.push('', `… and ${report.findings.length - MAX_ROWS} more; run \`migrate lint\` to see them all.`);
  out.push('', `<sub>${escapeHtml(tool.name)} ${escapeHtml(tool.version)} · \`migrate plan\` shows each fix as a diff, \`migrate explain RULE\` says why</sub>`, '');
  return `${out.join('\n')}\n`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A table cell of plain text: no HTML, no table breaks, no markdown emphasis surprises. */
function cell(s: string): string {
  return escapeHtml(s)
    .replace(/\r?\n/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([`*_[\]~])/g, '\\$1');
}

/** Inline code that survives backticks inside (a longer fence) and pipes (escaped). */
function code(s: string): string {
  const t = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}
