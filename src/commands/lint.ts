import { SEVERITY_RANK, type Severity } from '../core/finding.js';
import { unusedDirectiveFinding } from '../core/suppress.js';
import { UsageError } from '../pipeline.js';
import { renderGithub } from '../report/github.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { buildReport } from '../report/model.js';
import { renderSarif } from '../report/sarif.js';
import { colorWanted, makeStyle } from '../report/style.js';
import { renderText } from '../report/text.js';
import { parseThreadsChoice } from '../run/threads.js';
import { TOOL } from '../version.js';
import { analyseConfigured } from './analysis.js';
import { parseTargetOption } from './analyse-options.js';
import type { CommandDeps } from './deps.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIo } from './io.js';

export const LINT_FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;

export interface LintOptions {
  format?: string;
  target?: string;
  failOn?: string;
  color?: string;
  /** `--max-warnings N`: more warnings than N fail the run, whatever `--fail-on` says. */
  maxWarnings?: string | number;
  /** `--config FILE`, or false for `--no-config`. */
  config?: string | boolean;
}

/**
 * `migrate lint`: findings only, for CI. Exit 1 when any finding reaches `--fail-on` (default
 * warning) or there are more warnings than `--max-warnings`; 2 for a usage, config or I/O error.
 */
export function lintCommand(paths: string[], opts: LintOptions, io: CommandIo, deps: CommandDeps = {}): number {
  const format = opts.format ?? 'text';
  if (!(LINT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${LINT_FORMATS.join(', ')} (got "${format}")`);
  const target = parseTargetOption(opts.target);
  const failOn = (opts.failOn ?? 'warning') as Severity;
  if (!(failOn in SEVERITY_RANK)) throw new UsageError(`--fail-on must be error, warning or info (got "${opts.failOn}")`);
  const maxWarnings = parseMaxWarnings(opts.maxWarnings);

  // Lint reads findings only: each server's parsed trees go once its rules ran, and a large tree
  // is analysed on two threads (GALAXY_MIGRATE_THREADS=on|off overrides the size threshold).
  const analyse = { lean: true, threads: parseThreadsChoice(io.env.GALAXY_MIGRATE_THREADS) };
  const a = analyseConfigured(paths.length ? paths : ['.'], io, { config: opts.config, analyse }, target, deps);
  const files = a.loaded.deployment.files;
  const unusedSetting = a.config?.rules.get('unused-disable-directive');
  const unused = unusedSetting?.off
    ? []
    : a.unusedDirectives.map((d) => {
        const f = unusedDirectiveFinding(d, files.get(d.file)?.text ?? '');
        return unusedSetting?.severity ? { ...f, severity: unusedSetting.severity } : f;
      });
  const findings = [...a.result.findings, ...unused].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.range.start - y.range.start));
  const report = buildReport(a.loaded.deployment, { ...a.result, findings });
  const lintReport = { ...report, changes: [] };
  switch (format) {
    case 'json':
      io.stdout(renderJson(lintReport, TOOL));
      break;
    case 'sarif':
      io.stdout(renderSarif(lintReport, TOOL, a.rules.map((r) => r.meta)));
      break;
    case 'github':
      io.stdout(renderGithub(lintReport));
      break;
    case 'markdown':
      io.stdout(renderMarkdown(lintReport, TOOL));
      break;
    default:
      io.stdout(renderText(report, makeStyle(colorWanted(opts.color, io.stdoutIsTty, io.env)), { diffs: false }));
  }
  const failing = report.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
  const tooManyWarnings = maxWarnings !== undefined && report.summary.warnings > maxWarnings;
  if (tooManyWarnings) {
    io.stderr(`migrate: ${report.summary.warnings} warning(s), more than --max-warnings ${maxWarnings}\n`);
  }
  return failing || tooManyWarnings ? EXIT_FINDINGS : EXIT_OK;
}

function parseMaxWarnings(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v).trim();
  if (!/^\d+$/.test(s)) throw new UsageError(`--max-warnings must be a whole number of 0 or more (got "${v}")`);
  return Number(s);
}
