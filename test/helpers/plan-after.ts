import { runCli } from './cli.js';

/** A finding as `plan --format json` prints it. */
export interface PlannedFinding {
  readonly ruleId: string;
  readonly file: string;
  readonly line: number;
  readonly severity: string;
  readonly message: string;
  readonly fixable?: boolean;
  readonly notes?: string[];
}

/** What a user gets from `migrate plan`: the exit code, each changed file's new bytes by path, the findings. */
export interface Planned {
  readonly code: number;
  readonly after: Record<string, string>;
  readonly findings: PlannedFinding[];
}

/** `migrate plan --format json DIR` run from `cwd`, its changes keyed by file so a test can compare whole files. */
export async function planAfter(dir: string, cwd: string): Promise<Planned> {
  const r = await runCli(['plan', '--format', 'json', dir], cwd);
  const out = JSON.parse(r.stdout) as { changes: { file: string; after: string }[]; findings: PlannedFinding[] };
  return { code: r.code, after: Object.fromEntries(out.changes.map((c) => [c.file, c.after])), findings: out.findings };
}
