import type { Document } from './document.js';
import { compareFindings, type Finding, type FindingInput } from './finding.js';
import type { Deployment } from './model.js';
import { buildPlan, type Plan } from './plan.js';
import { LineIndex } from './range.js';
import { withoutUnreadableFixes, type ReadBack, type ReadCreated } from './read-back.js';
import type { Rule, RuleContext } from './rule.js';
import { inRange, type Target } from './target.js';

export interface EngineResult {
  readonly findings: readonly Finding[];
  readonly plan: Plan;
}

export interface EngineOptions {
  readonly target: Target;
  /** Rule ids to skip (from config). */
  readonly disabled?: ReadonlySet<string>;
  /** Whether a path exists on disk, so that no fix creates over a file no reader took. */
  readonly fileExists?: (path: string) => boolean;
  /**
   * Reads a file again as the plan would leave it (read-back.ts); without it the plan is not
   * checked (lint, which shows no plan and reads whole inventories, leaves it out).
   */
  readonly readBack?: ReadBack;
  /** Reads a file the plan creates, for the same check (read-back.ts); only with `readBack`. */
  readonly readCreated?: ReadCreated;
}

/**
 * Runs every rule that applies to the target on the deployment, then folds their fixes into the
 * plan. Parse issues of the documents are findings too (rule id `parse-error` unless they carry
 * their own), so a bad file is reported, never thrown.
 */
export function runRules(deployment: Deployment, rules: readonly Rule[], opts: EngineOptions): EngineResult {
  const findings: Finding[] = [];
  // One line index per file: a document's own (shared with the readers and writers that asked for
  // it), or one made here for a file that is not a document (an included file).
  const indexes = new Map<string, LineIndex>();
  let docs: Map<string, Document> | undefined;
  const indexOf = (file: string): LineIndex => {
    let idx = indexes.get(file);
    if (!idx) {
      const text = deployment.files.get(file)?.text ?? '';
      docs ??= new Map(deployment.documents.map((d) => [d.file.path, d]));
      const doc = docs.get(file);
      idx = doc && doc.file.text === text ? doc.lines : new LineIndex(text);
      indexes.set(file, idx);
    }
    return idx;
  };
  const push = (ruleId: string, severity: Finding['severity'], input: FindingInput): void => {
    const range = input.range ?? { start: 0, end: 0 };
    findings.push({
      ruleId,
      severity: input.severity ?? severity,
      file: input.file,
      range,
      location: indexOf(input.file).location(range),
      message: input.message,
      ...(input.fix ? { fix: input.fix } : {}),
      ...(input.notes ? { notes: input.notes } : {}),
    });
  };

  for (const doc of deployment.documents) {
    for (const e of doc.errors) {
      const id = e.ruleId ?? 'parse-error';
      if (opts.disabled?.has(id)) continue;
      push(id, e.severity ?? 'error', { message: e.message, file: e.file ?? doc.file.path, range: e.range });
    }
  }

  for (const rule of rules) {
    if (opts.disabled?.has(rule.meta.id)) continue;
    if (!inRange(opts.target, rule.meta.galaxy)) continue;
    // A rule that throws (a bug) loses all its findings, so none of its fixes is half made, and the
    // others still run: the admin gets every other finding and an error naming the rule.
    const own: FindingInput[] = [];
    const ctx: RuleContext = { deployment, target: opts.target, report: (input) => void own.push(input) };
    try {
      rule.check(ctx);
    } catch (e) {
      const file = deployment.documents[0]?.file.path ?? [...deployment.files.keys()][0] ?? '.';
      push('internal-error', 'error', {
        file,
        message: `galaxy-migrate's rule ${rule.meta.id} failed on this deployment (${(e as Error).message}): its findings and fixes are left out, so the plan is incomplete. This is a bug; please report it`,
      });
      continue;
    }
    for (const input of own) push(rule.meta.id, rule.meta.severity, input);
  }

  // Fixes are folded in rule order (registry order), not position order, so that a rule listed
  // earlier wins an overlap; findings are shown sorted by position.
  const build = (fs: readonly Finding[]): Plan => buildPlan(fs, deployment.files, opts.fileExists);
  let plan = build(findings);
  if (opts.readBack) {
    docs ??= new Map(deployment.documents.map((d) => [d.file.path, d]));
    plan = withoutUnreadableFixes(findings, plan, docs, opts.readBack, build, opts.readCreated);
  }
  return { findings: [...findings].sort(compareFindings), plan };
}
