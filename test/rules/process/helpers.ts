import { runRules } from '../../../src/core/engine.js';
import type { Finding } from '../../../src/core/finding.js';
import { memoryHost } from '../../../src/core/host.js';
import type { Deployment } from '../../../src/core/model.js';
import type { Rule } from '../../../src/core/rule.js';
import { DEFAULT_TARGET, type Target } from '../../../src/core/target.js';
import { detectKind } from '../../../src/formats/detect.js';
import { parseAs } from '../../../src/formats/parsers.js';
import { buildDeployment } from '../../../src/model/build.js';
import { decideMigration, UWSGI_EXTRACTORS } from '../../../src/model/wiring.js';

/** A deployment from in-memory files (relative to /srv/deploy), read and decided as the CLI does. */
export function deploymentFrom(files: Record<string, string>): Deployment {
  const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/srv/deploy/${p}`, t]));
  const host = memoryHost(abs, '/srv/deploy');
  const docs = Object.entries(files).map(([path, text]) => {
    const kind = detectKind(path, text);
    if (!kind) throw new Error(`${path}: kind not recognised`);
    return parseAs(kind, { path, text, bom: false }, host);
  });
  return buildDeployment(docs, UWSGI_EXTRACTORS, decideMigration);
}

export interface Outcome {
  readonly findings: readonly Finding[];
  /** Every file's text after the plan; deleted files are absent, created ones present. */
  readonly after: Record<string, string>;
  readonly status: Record<string, string>;
  /** `ruleId@file:line`, in report order. */
  readonly ids: string[];
}

export function run(d: Deployment, rules: readonly Rule[], target: Target = DEFAULT_TARGET): Outcome {
  const { findings, plan } = runRules(d, rules, { target });
  if (plan.conflicts.length) throw new Error(`fix conflicts: ${JSON.stringify(plan.conflicts)}`);
  const after: Record<string, string> = {};
  const status: Record<string, string> = {};
  for (const [p, f] of d.files) after[p] = f.text;
  for (const fp of plan.files) {
    status[fp.file] = fp.status;
    if (fp.status === 'deleted') delete after[fp.file];
    else after[fp.file] = fp.after;
  }
  return { findings, after, status, ids: findings.map((f) => `${f.ruleId}@${f.file}:${f.location.line}`) };
}

export function notesOf(o: Outcome, ruleId: string): string[] {
  return o.findings.filter((f) => f.ruleId === ruleId).flatMap((f) => f.notes ?? []);
}
