import { resolve } from 'node:path';
import type { Finding } from '../core/finding.js';
import { redact } from '../core/secrets.js';
import { fixesInFoldOrder, fixFolder } from '../core/select.js';
import type { Target } from '../core/target.js';
import { discover } from '../io/discover.js';
import { toDisplayPath } from '../io/host.js';
import { makeSavedPlan, writeSavedPlan } from '../io/plan-file.js';
import { deploymentRoot } from '../io/root.js';
import { TOOL } from '../version.js';
import type { Analysis } from './analysis.js';
import type { CommandDeps } from './deps.js';
import type { CommandIo } from './io.js';

/**
 * `migrate plan --out plan.json`: saves what `apply plan.json` will write, with the hash of every
 * file it was made from. Says where on stderr; stdout keeps the (redacted) report.
 */
export function savePlanFile(out: string, paths: readonly string[], analysis: Analysis, target: Target, io: CommandIo, deps: CommandDeps = {}): void {
  const { loaded, result, rules } = analysis;
  const d = loaded.deployment;
  const folder = fixFolder(d.files);
  const applied: Finding[] = fixesInFoldOrder(result.findings, rules.map((r) => r.meta.id)).filter((f) => folder.add(f));
  const roots = paths.length ? paths : ['.'];
  const saved = makeSavedPlan({
    root: deploymentRoot(roots, io.cwd),
    cwd: io.cwd,
    target: target.galaxy,
    plan: result.plan,
    inputs: discover(roots, io.cwd).files,
    findings: result.findings,
    appliedFindings: new Set(applied),
    redact: (s) => redact(s, d.secrets),
    tool: TOOL,
    now: (deps.now ?? (() => new Date()))(),
  });
  const abs = resolve(io.cwd, out);
  writeSavedPlan(abs, saved);
  const shown = toDisplayPath(io.cwd, abs);
  io.stderr(
    `plan saved to ${shown} (${saved.files.length} file(s) to change); apply it with \`migrate apply ${shown}\`. ` +
      'It holds the real new file contents, secrets included: it is readable by you only, keep it so\n',
  );
}
