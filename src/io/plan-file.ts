import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Finding } from '../core/finding.js';
import type { FilePlan, Plan } from '../core/plan.js';
import { UsageError } from '../pipeline.js';
import { absFromRoot, pathInRoot, sha256 } from './backup.js';
import { writeFileAtomic, type StepHook } from './write-atomic.js';
import { resolve } from 'node:path';

/**
 * A saved plan (`migrate plan --out plan.json`), as Terraform's `plan -out`: what `apply plan.json`
 * writes, exactly, and the hash of every file it was made from, so that a file changed since is
 * refused. Unlike a report it holds the REAL new text (secrets included): it is a file the admin
 * keeps, written readable by its owner only, and never printed.
 */
export const PLAN_KIND = 'galaxy-migrate-plan';
export const PLAN_VERSION = 1;

export interface SavedFile {
  /** Relative to `root`, with `/` (absolute when outside it). */
  readonly path: string;
  readonly status: 'modified' | 'created' | 'deleted';
  /** sha256 of the file's bytes when the plan was made; absent for a file the plan creates. */
  readonly beforeSha256?: string;
  /** The whole new text; absent for a deleted file. */
  readonly after?: string;
  readonly ruleIds: readonly string[];
}

export interface SavedPlan {
  readonly kind: typeof PLAN_KIND;
  readonly planVersion: number;
  readonly tool: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  /** Absolute deployment root. */
  readonly root: string;
  readonly target: string;
  /** Every file of the deployment (relative to root), for `apply plan.json --out DIR`. */
  readonly inputs: readonly string[];
  readonly files: readonly SavedFile[];
  /** Redacted, for the admin's eyes; `fixed` when the plan applies its fix. */
  readonly findings: readonly { ruleId: string; severity: string; file: string; line: number; column: number; message: string; fixed: boolean }[];
  readonly summary: { readonly changedFiles: number; readonly remainingErrors: number };
}

/** The exact text `apply` writes: the planned text, with the BOM back if the original had one. */
export function finalAfter(p: FilePlan): string {
  if (p.before.startsWith('\uFEFF') && p.after !== '' && !p.after.startsWith('\uFEFF')) return `\uFEFF${p.after}`;
  return p.after;
}

export function makeSavedPlan(args: {
  root: string;
  cwd: string;
  target: string;
  plan: Plan;
  inputs: readonly string[];
  findings: readonly Finding[];
  appliedFindings: ReadonlySet<Finding>;
  redact: (s: string) => string;
  tool: { name: string; version: string };
  now: Date;
}): SavedPlan {
  const { root, cwd } = args;
  const rel = (display: string): string => pathInRoot(root, resolve(cwd, display));
  const files: SavedFile[] = args.plan.files.map((p) => ({
    path: rel(p.file),
    status: p.status,
    ...(p.status !== 'created' ? { beforeSha256: sha256(Buffer.from(p.before, 'utf8')) } : {}),
    ...(p.status !== 'deleted' ? { after: finalAfter(p) } : {}),
    ruleIds: p.ruleIds,
  }));
  const findings = args.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    file: rel(f.file),
    line: f.location.line,
    column: f.location.column,
    message: args.redact(f.message),
    fixed: args.appliedFindings.has(f),
  }));
  return {
    kind: PLAN_KIND,
    planVersion: PLAN_VERSION,
    tool: args.tool,
    createdAt: args.now.toISOString(),
    root,
    target: args.target,
    inputs: args.inputs.map((abs) => pathInRoot(root, abs)),
    files,
    findings,
    summary: {
      changedFiles: files.length,
      remainingErrors: findings.filter((f) => f.severity === 'error' && !f.fixed).length,
    },
  };
}

export function writeSavedPlan(abs: string, plan: SavedPlan, hook?: StepHook): void {
  writeFileAtomic(abs, Buffer.from(`${JSON.stringify(plan, null, 2)}\n`, 'utf8'), {
    mode: 0o600,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
  }, hook);
}

/**
 * The saved plan at `abs`, or undefined when `abs` is not one (a directory, a config file). A
 * file that says it is a plan but is damaged, or comes from a newer tool, is an error.
 */
export function readSavedPlan(abs: string, shown: string): SavedPlan | undefined {
  try {
    if (!statSync(abs).isFile()) return undefined;
  } catch {
    return undefined;
  }
  let text: string;
  try {
    // Look at the start first: any file named alone comes here, and a 200 MB log must not be read whole.
    if (!/^\s*\{/.test(head(abs))) return undefined;
    text = readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
  if (!/^\s*\{/.test(text) || !text.includes(PLAN_KIND)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${shown}: not a readable plan (${(e as Error).message}); make it again with \`migrate plan --out ${shown}\``);
  }
  const p = data as Partial<SavedPlan>;
  if (p.kind !== PLAN_KIND) return undefined;
  if (p.planVersion !== PLAN_VERSION) {
    throw new UsageError(`${shown}: plan format ${String(p.planVersion)} is not one this galaxy-migrate reads (${PLAN_VERSION}); make the plan again`);
  }
  const ok =
    typeof p.root === 'string' &&
    Array.isArray(p.files) &&
    Array.isArray(p.inputs) &&
    p.files.every(
      (f) =>
        typeof f?.path === 'string' &&
        (f.status === 'modified' || f.status === 'created' || f.status === 'deleted') &&
        (f.status === 'created' || typeof f.beforeSha256 === 'string') &&
        (f.status === 'deleted' || typeof f.after === 'string'),
    );
  if (!ok) throw new UsageError(`${shown}: the plan is damaged (missing root, files or hashes); make it again`);
  return p as SavedPlan;
}

export function savedFileAbs(plan: SavedPlan, f: SavedFile): string {
  return absFromRoot(plan.root, f.path);
}

function head(abs: string, bytes = 4096): string {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
