import { renderJson } from '../report/json.js';
import { buildReport } from '../report/model.js';
import { colorWanted, makeStyle } from '../report/style.js';
import { renderText } from '../report/text.js';
import { TOOL } from '../version.js';
import { parseFormat, parseTargetOption } from './analyse-options.js';
import { analyseConfigured } from './analysis.js';
import type { CommandDeps } from './deps.js';
import { savePlanFile } from './save-plan.js';
import { renderVerification, verifyPlan } from './verify.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CommandIo } from './io.js';

export interface PlanOptions {
  format?: string;
  target?: string;
  check?: boolean;
  color?: string;
  /** `--out plan.json`: save the plan for `migrate apply plan.json`. */
  out?: string;
  /** `--config FILE`, or false for `--no-config`. */
  config?: string | boolean;
  /** `--verify`: rewritten proxy files checked by the real nginx / apache2 (src/commands/verify.ts). */
  verify?: boolean;
}

/** `migrate plan`: a dry run. Shows every change as a diff with the findings behind it; writes nothing. */
export function planCommand(paths: string[], opts: PlanOptions, io: CommandIo, deps: CommandDeps = {}): number {
  const format = parseFormat(opts.format);
  const target = parseTargetOption(opts.target);
  const analysis = analyseConfigured(paths.length ? paths : ['.'], io, { config: opts.config }, target, deps);
  const { loaded, result } = analysis;
  const report = buildReport(loaded.deployment, result);
  if (format === 'json') io.stdout(renderJson(report, TOOL));
  else io.stdout(renderText(report, makeStyle(colorWanted(opts.color, io.stdoutIsTty, io.env)), { diffs: true }));

  // A file named explicitly that could not be parsed stops the plan: nothing is proposed from half a read.
  const fatal = result.findings.find((f) => f.ruleId === 'parse-error' && f.severity === 'error' && paths.includes(f.file));
  if (fatal) {
    io.stderr(`${fatal.file}:${fatal.location.line}:${fatal.location.column}: ${fatal.message}\n`);
    return EXIT_ERROR;
  }
  if (opts.out) savePlanFile(opts.out, paths, analysis, target, io, deps);
  if (opts.verify) {
    const checks = verifyPlan(loaded.deployment, result.plan);
    // JSON on stdout stays the stable schema; the servers' words go to stderr there.
    (format === 'json' ? io.stderr : io.stdout)(renderVerification(checks));
    if (checks.some((c) => c.ok === false)) return EXIT_FINDINGS;
  }
  if (opts.check && report.changes.length > 0) return EXIT_FINDINGS;
  return EXIT_OK;
}
