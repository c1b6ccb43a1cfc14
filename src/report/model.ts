import type { EngineResult } from '../core/engine.js';
import type { Finding } from '../core/finding.js';
import type { Deployment } from '../core/model.js';
import { unifiedDiff } from '../core/plan.js';
import { redact } from '../core/secrets.js';

/** What every renderer shows, already redacted: renderers never see a secret. */
export interface Report {
  readonly strategy: string;
  readonly files: readonly { path: string; kind: string }[];
  readonly findings: readonly Finding[];
  readonly changes: readonly { file: string; status: string; diff: string; after: string; ruleIds: readonly string[] }[];
  readonly conflicts: readonly { ruleId: string; file: string; reason: string }[];
  readonly summary: { errors: number; warnings: number; info: number; changedFiles: number };
}

export function buildReport(deployment: Deployment, result: EngineResult): Report {
  const hide = (s: string): string => redact(s, deployment.secrets);
  const findings = result.findings.map((f) => ({
    ...f,
    message: hide(f.message),
    ...(f.notes ? { notes: f.notes.map(hide) } : {}),
  }));
  // Diffs and redacted texts are computed when a renderer reads them (lint never does): a diff of a
  // large job conf costs far more than reading it.
  const changes = result.plan.files.map((p) => {
    let diff: string | undefined;
    let after: string | undefined;
    return {
      file: p.file,
      status: p.status,
      get diff(): string {
        return (diff ??= hide(unifiedDiff(p)));
      },
      get after(): string {
        return (after ??= hide(p.after));
      },
      ruleIds: p.ruleIds,
    };
  });
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  return {
    strategy: strategyOf(deployment),
    files: deployment.documents.map((d) => ({ path: d.file.path, kind: d.kind })),
    findings,
    changes,
    conflicts: result.plan.conflicts,
    summary: { errors: count('error'), warnings: count('warning'), info: count('info'), changedFiles: changes.length },
  };
}

/** How the legacy deployment runs its jobs, as one word for the JSON `deployment.strategy`. */
function strategyOf(d: Deployment): string {
  if (d.decisions.handlers.length > 0 && d.uwsgi.length > 0) return 'uwsgi-mules';
  if (d.uwsgi.length > 0) return 'uwsgi';
  if (d.documents.some((doc) => doc.kind === 'galaxy-ini')) return 'paste';
  if (d.documents.some((doc) => doc.kind === 'galaxy-yml')) return 'gravity';
  return 'unknown';
}
