import { SEVERITY_RANK, type Severity } from '../core/finding.js';
import { nodeHost } from '../io/host.js';
import { analyse, UsageError } from '../pipeline.js';
import { renderJson } from '../report/json.js';
import { buildReport } from '../report/model.js';
import { colorWanted, makeStyle } from '../report/style.js';
import { renderText } from '../report/text.js';
import { TOOL } from '../version.js';
import { parseFormat, parseTargetOption } from './analyse-options.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIo } from './io.js';

export interface LintOptions {
  format?: string;
  target?: string;
  failOn?: string;
  color?: string;
}

/** `migrate lint`: findings only, for CI; exit 1 when any reaches `--fail-on` (default warning). */
export function lintCommand(paths: string[], opts: LintOptions, io: CommandIo): number {
  const format = parseFormat(opts.format);
  const target = parseTargetOption(opts.target);
  const failOn = (opts.failOn ?? 'warning') as Severity;
  if (!(failOn in SEVERITY_RANK)) throw new UsageError(`--fail-on must be error, warning or info (got "${opts.failOn}")`);
  const { loaded, result } = analyse(paths.length ? paths : ['.'], nodeHost(io.cwd, io.env), target);
  const report = buildReport(loaded.deployment, result);
  if (format === 'json') io.stdout(renderJson({ ...report, changes: [] }, TOOL));
  else io.stdout(renderText(report, makeStyle(colorWanted(opts.color, io.stdoutIsTty, io.env)), { diffs: false }));
  const failing = report.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
