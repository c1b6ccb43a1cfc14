import type { Report } from './model.js';

/**
 * GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=RULE::message` per
 * finding, which GitHub shows on the pull request's diff. `info` findings become `notice`.
 * Escaping is the one in @actions/core (`%`, CR, LF in data; also `:` and `,` in properties).
 */
const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

export function renderGithub(report: Report): string {
  const lines = report.findings.map((f) => {
    const l = f.location;
    const props = [`file=${prop(f.file)}`, `line=${l.line}`, `col=${l.column}`];
    if (l.endLine > l.line) props.push(`endLine=${l.endLine}`);
    else if (l.endColumn > l.column) props.push(`endColumn=${l.endColumn}`);
    props.push(`title=${prop(f.ruleId)}`);
    return `::${COMMAND[f.severity]} ${props.join(',')}::${data(f.message)}`;
  });
  const s = report.summary;
  lines.push(`galaxy-migrate: ${s.errors} error(s), ${s.warnings} warning(s), ${s.info} info`);
  return `${lines.join('\n')}\n`;
}

function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function prop(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
