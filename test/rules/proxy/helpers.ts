import { applyEdits } from '../../../src/core/edits.js';
import { runRules } from '../../../src/core/engine.js';
import type { Finding } from '../../../src/core/finding.js';
import { memoryHost } from '../../../src/core/host.js';
import type { Deployment, MigrationDecisions } from '../../../src/core/model.js';
import type { Rule } from '../../../src/core/rule.js';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { detectKind } from '../../../src/formats/detect.js';
import { parseAs } from '../../../src/formats/parsers.js';
import { proxyIncludes } from '../../../src/formats/proxy-includes.js';
import { buildDeployment, EMPTY_DECISIONS } from '../../../src/model/build.js';
import type { FileKind } from '../../../src/core/document.js';

/** A deployment built by hand: files (relative to /d) and the model's decisions. */
export function deploymentOf(files: Record<string, string>, decisions: Partial<MigrationDecisions> = {}, kinds: Record<string, FileKind> = {}): Deployment {
  const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/d/${p}`, t]));
  const host = memoryHost(abs, '/d');
  const docs = Object.entries(files)
    .filter(([p]) => !p.startsWith('inc/') && !p.endsWith('uwsgi_params'))
    .map(([path, text]) => parseAs(kinds[path] ?? detectKind(path, text) ?? 'nginx', { path, text, bom: false }, host));
  return buildDeployment(docs, [proxyIncludes], () => ({ ...EMPTY_DECISIONS, ...decisions }));
}

export interface Outcome {
  readonly findings: readonly Finding[];
  /** The text of every file after the plan (unchanged files too). */
  readonly after: Record<string, string>;
  /** `ruleId@line` of each finding, in position order. */
  readonly ids: string[];
}

export function runOn(d: Deployment, rules: readonly Rule[]): Outcome {
  const { findings, plan } = runRules(d, rules, { target: DEFAULT_TARGET });
  const after: Record<string, string> = {};
  for (const [p, f] of d.files) after[p] = f.text;
  for (const fp of plan.files) after[fp.file] = fp.after;
  if (plan.conflicts.length) throw new Error(`fix conflicts: ${JSON.stringify(plan.conflicts)}`);
  return { findings, after, ids: findings.map((f) => `${f.ruleId}@${f.location.line}`) };
}

export { applyEdits };
