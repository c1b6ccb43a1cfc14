import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, parseDocument, type Pair } from 'yaml';
import { JOBS_RULES } from '../../../rules/jobs/index.js';
import { processNames } from '../../../rules/jobs/context.js';
import { run } from '../../../src/cli.js';
import type { CommandIo } from '../../../src/commands/io.js';
import type { SourceFile } from '../../../src/core/document.js';
import { runRules, type EngineResult } from '../../../src/core/engine.js';
import type { Finding } from '../../../src/core/finding.js';
import { memoryHost } from '../../../src/core/host.js';
import type { Deployment, HandlerGroup, MigrationDecisions } from '../../../src/core/model.js';
import { DEFAULT_TARGET, type Target } from '../../../src/core/target.js';
import { detectKind } from '../../../src/formats/detect.js';
import { parseJobConfXml, type JobConfXmlAst } from '../../../src/formats/job-conf-xml/index.js';
import { parseJobConfYml, type JobConfYmlAst } from '../../../src/formats/job-conf-yml/index.js';
import { LEGACY_HANDLER_ID, type JobConfView } from '../../../src/formats/job-conf/view.js';
import { parseAs } from '../../../src/formats/parsers.js';
import { buildDeployment, EMPTY_DECISIONS } from '../../../src/model/build.js';
import { corpusFiles } from '../../helpers/corpus-files.js';

/** The project root, found from this file: tests never name a machine path. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'jobs');
/** ../shared (the research corpus) beside the project; a fresh clone may not have it. */
export const SHARED = join(ROOT, '..', 'shared');
export const HAVE_CORPUS = existsSync(join(SHARED, 'corpus', 'MANIFEST.md'));

export function skipNote(what: string): void {
  if (!HAVE_CORPUS) console.warn(`[skip] ${what}: ../shared/corpus is not beside the project, so these tests are skipped.`);
}

export function corpus(rel: string): string {
  return readFileSync(join(SHARED, 'corpus', rel), 'utf8');
}

type JobConfKind = 'job-conf-xml' | 'job-conf-yml';

/** Every job conf of the corpus (path relative to corpus/, text), by detected kind. */
export function corpusJobConfs(): { path: string; text: string; kind: JobConfKind }[] {
  return corpusFiles().flatMap((f) => (f.kind === 'job-conf-xml' || f.kind === 'job-conf-yml' ? [{ path: f.path, text: f.text, kind: f.kind }] : []));
}

/** `migrate ARGV` in-process from the project root, with a clean environment. */
export async function cli(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    cwd: ROOT,
    env: { NO_COLOR: '1' },
    stdoutIsTty: false,
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

export interface JsonPlan {
  findings: { ruleId: string; severity: string; file: string; line: number; column: number; message: string; fixable: boolean; notes?: string[] }[];
  changes: { file: string; status: string; ruleIds: string[]; diff: string; after: string }[];
  conflicts?: unknown[];
}

export async function planJson(dir: string): Promise<JsonPlan> {
  const r = await cli(['plan', '--format', 'json', relative(ROOT, dir)]);
  if (r.code !== 0) throw new Error(`plan exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as JsonPlan;
}

/**
 * A deployment built by hand: files parsed by their readers, decisions given (as the galaxy.yml
 * side's decide.ts would make them), so the jobs/* rules can be tested on their own.
 */
export function deployment(files: Record<string, string>, decisions: Partial<MigrationDecisions> = {}): Deployment {
  const host = memoryHost({});
  const docs = Object.entries(files).map(([path, text]) => {
    const kind = detectKind(path, text);
    if (!kind) throw new Error(`${path}: unknown kind`);
    const file: SourceFile = { path, text, bom: false };
    return parseAs(kind, file, host);
  });
  return buildDeployment(docs, [], () => ({ ...EMPTY_DECISIONS, ...decisions }));
}

export function group(name: string, processes: number, pools: string[], replaces: string[]): HandlerGroup {
  return { name, processes, pools, replaces };
}

export function runJobs(d: Deployment, target: Target = DEFAULT_TARGET): EngineResult {
  return runRules(d, JOBS_RULES, { target });
}

export function afterText(r: EngineResult, file: string): string | undefined {
  return r.plan.files.find((p) => p.file === file)?.after;
}

export function findingsOf(r: EngineResult, ruleId: string): Finding[] {
  return r.findings.filter((f) => f.ruleId === ruleId);
}

export function viewOfText(path: string, text: string): JobConfView | undefined {
  const f = { path, text, bom: false };
  return path.includes('.xml') ? (parseJobConfXml(f).ast as JobConfXmlAst).view : (parseJobConfYml(f).ast as JobConfYmlAst).view;
}

/** What `gravity.handlers` in a galaxy.yml text provides: pool tags, process names, the default pool. */
export function gravityProvides(galaxyYml: string): { tags: Set<string>; names: Set<string>; defaultPool: boolean; workflow: boolean } {
  const doc = parseDocument(galaxyYml.replace(/^uwsgi:[\s\S]*?(?=^\S)/m, ''), { uniqueKeys: false });
  const tags = new Set<string>();
  const names = new Set<string>();
  let defaultPool = false;
  let workflow = false;
  const gravity = isMap(doc.contents) ? doc.contents.get('gravity', true) : undefined;
  const handlers = isMap(gravity) ? gravity.get('handlers', true) : undefined;
  if (isMap(handlers)) {
    for (const p of handlers.items as Pair[]) {
      const name = String(isScalar(p.key) ? p.key.value : p.key);
      const body = p.value;
      const processes = isMap(body) ? Number(body.get('processes') ?? 1) : 1;
      const pools = isMap(body) ? body.get('pools', true) : undefined;
      const list = isSeq(pools) ? pools.items.map((i) => String(isScalar(i) ? i.value : i)) : [];
      for (const pool of list) {
        if (pool === 'job-handlers') defaultPool = true;
        if (pool === 'workflow-schedulers' || pool === 'job-handlers') workflow = true;
        const m = /^job-handlers\.(.+)$/.exec(pool);
        if (m) tags.add(m[1]!);
      }
      for (const n of processNames({ name, processes })) names.add(n);
    }
  }
  return { tags, names, defaultPool, workflow };
}

/**
 * The "Done when" check on a migrated job conf: every handler id, default and tool/resubmit
 * mapping resolves to a static handler of the job conf or to what gravity.handlers provides; an
 * explicit DB assignment method; no uWSGI handler ids left; something takes unmapped jobs.
 */
export function unresolved(jobConfPath: string, jobConfAfter: string, galaxyAfter: string): string[] {
  const v = viewOfText(jobConfPath, jobConfAfter);
  if (!v) return ['the job conf does not read'];
  const g = gravityProvides(galaxyAfter);
  const problems: string[] = [];
  const ids = new Set(v.handlers.map((h) => h.id.value));
  const tags = new Set(v.handlers.flatMap((h) => h.tags));
  const ok = (x: string): boolean => ids.has(x) || tags.has(x) || g.tags.has(x) || g.names.has(x);
  for (const r of v.refs) if (!ok(r.value.value)) problems.push(`${r.kind} ${r.owner ?? ''} → ${r.value.value}`);
  if (v.default && !ok(v.default.value)) problems.push(`default → ${v.default.value}`);
  for (const h of v.handlers) if (LEGACY_HANDLER_ID.test(h.id.value)) problems.push(`handler ${h.id.value}`);
  if (/\bmain\.(job-handlers?|web)(\.[\w-]+)*\.\d+\b/.test(jobConfAfter)) problems.push('a main.* handler id is left');
  const methods = v.assign?.methods.map((m) => m.value) ?? [];
  if (v.assign?.key === 'assign_with' && v.format === 'yml') problems.push('assign_with is not read in YAML');
  if (!methods.some((m) => m === 'db-skip-locked' || m === 'db-transaction-isolation')) problems.push(`assignment methods ${methods.join(',') || 'unset'}`);
  if (!v.default && !g.defaultPool && !v.handlers.some((h) => h.tags.length === 0)) problems.push('nothing takes unmapped jobs');
  return problems;
}
