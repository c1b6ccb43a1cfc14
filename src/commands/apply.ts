import { resolve } from 'node:path';
import type { Finding } from '../core/finding.js';
import { unifiedDiff, type Plan } from '../core/plan.js';
import { redact } from '../core/secrets.js';
import { fixesInFoldOrder, fixFolder, planOf, previewFix } from '../core/select.js';
import { applyInPlace, writeOut, type PlannedWrite } from '../io/apply-writes.js';
import { absFromRoot, interruptedApply, sha256 } from '../io/backup.js';
import { discover } from '../io/discover.js';
import { toDisplayPath } from '../io/host.js';
import { finalAfter, readSavedPlan, type SavedPlan } from '../io/plan-file.js';
import { terminalPrompter, type Decision } from '../io/prompts.js';
import { deploymentRoot } from '../io/root.js';
import { holdingSignals } from '../io/signals.js';
import { testHookFromEnv } from '../io/test-hooks.js';
import { TransactionError } from '../io/transaction.js';
import { UsageError } from '../pipeline.js';
import { colorWanted, makeStyle, type Style } from '../report/style.js';
import { TOOL } from '../version.js';
import { analyseConfigured } from './analysis.js';
import { parseTargetOption } from './analyse-options.js';
import type { CommandDeps } from './deps.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CommandIo } from './io.js';

export interface ApplyOptions {
  yes?: boolean;
  out?: string;
  target?: string;
  color?: string;
  /** `--config FILE`, or false for `--no-config`. */
  config?: string | boolean;
}

/**
 * `migrate apply [PATH... | plan.json]`: the plan, written. Each change is shown as its diff with
 * the reason and asked about (apply / skip / all of this rule / quit) unless `--yes`; a saved plan
 * is applied exactly, without asking, after checking that no file changed since. Writes are
 * atomic per file and all or nothing across files, after a backup of every file they change.
 */
export async function applyCommand(args: string[], opts: ApplyOptions, io: CommandIo, deps: CommandDeps = {}): Promise<number> {
  const style = makeStyle(colorWanted(opts.color, io.stdoutIsTty, io.env));
  const first = args[0];
  const saved = first !== undefined ? readSavedPlan(resolve(io.cwd, first), first) : undefined;
  if (saved) {
    if (args.length > 1) throw new UsageError(`${first} is a saved plan: apply it alone, without other paths`);
    return applySaved(first!, saved, opts, io, deps, style);
  }
  return applyFresh(args.length ? args : ['.'], opts, io, deps, style);
}

async function applyFresh(paths: string[], opts: ApplyOptions, io: CommandIo, deps: CommandDeps, style: Style): Promise<number> {
  const target = parseTargetOption(opts.target);
  const root = deploymentRoot(paths, io.cwd);
  if (!opts.out) refuseIfInterrupted(root, io.cwd);
  const { loaded, result, rules } = analyseConfigured(paths, io, { config: opts.config }, target, deps);
  const d = loaded.deployment;
  const hide = (s: string): string => redact(s, d.secrets);

  const fatal = result.findings.find((f) => f.ruleId === 'parse-error' && f.severity === 'error' && paths.includes(f.file));
  if (fatal) throw new UsageError(`${fatal.file}:${fatal.location.line}:${fatal.location.column}: ${hide(fatal.message)}; nothing was written`);

  // The fixes the full plan takes, in the order it folds them (an earlier rule wins an overlap).
  const folder = fixFolder(d.files);
  const candidates = fixesInFoldOrder(result.findings, rules.map((r) => r.meta.id)).filter((f) => folder.add(f));
  for (const c of result.plan.conflicts) io.stdout(style.yellow(`not applied: ${c.ruleId} on ${c.file}: ${c.reason}\n`));

  let accepted: Finding[];
  let plan: Plan;
  if (candidates.length === 0 || opts.yes) {
    accepted = candidates;
    plan = result.plan;
  } else {
    const interactive = deps.interactive ?? Boolean(process.stdin.isTTY && process.stdout.isTTY);
    if (!interactive) {
      throw new UsageError(
        'apply asks about each change, and there is no terminal to ask on; review with `migrate plan`, then run ' +
          '`migrate apply --yes` (or save the plan with `migrate plan --out plan.json` and `migrate apply plan.json`)',
      );
    }
    const picked = await askEach(candidates, d.files, hide, io, deps, style);
    if (picked === 'abort') {
      io.stderr('migrate: interrupted; nothing was written\n');
      return EXIT_ERROR;
    }
    accepted = picked;
    plan = planOf(accepted, d.files);
  }

  const writes: PlannedWrite[] = plan.files.map((p) => {
    const abs = resolve(io.cwd, p.file);
    return {
      abs,
      shown: p.file,
      status: p.status,
      ...(p.status !== 'created' ? { beforeSha256: sha256(Buffer.from(p.before, 'utf8')) } : {}),
      ...(p.status !== 'deleted' ? { after: finalAfter(p) } : {}),
    };
  });
  const acceptedSet = new Set(accepted);
  const remaining = result.findings.filter((f) => f.severity === 'error' && !acceptedSet.has(f)).length;

  const inputs = opts.out ? discover(paths, io.cwd).files : [];
  const code = await write(writes, inputs, root, 'the plan', opts, io, deps, style, plan.files.map((p) => p.ruleIds));
  if (code !== EXIT_OK) return code;
  return finish(remaining, io, style);
}

async function applySaved(name: string, saved: SavedPlan, opts: ApplyOptions, io: CommandIo, deps: CommandDeps, style: Style): Promise<number> {
  if (opts.target !== undefined) {
    throw new UsageError(`${name} was made for Galaxy ${saved.target}; a saved plan is applied as it was made, without --target`);
  }
  if (!opts.out) refuseIfInterrupted(saved.root, io.cwd);
  io.stdout(`${style.bold(`applying ${name}`)} (made ${saved.createdAt} by ${saved.tool.name} ${saved.tool.version}, ${saved.files.length} file(s))\n`);
  const writes: PlannedWrite[] = saved.files.map((f) => {
    const abs = absFromRoot(saved.root, f.path);
    return {
      abs,
      shown: toDisplayPath(io.cwd, abs),
      status: f.status,
      ...(f.beforeSha256 !== undefined ? { beforeSha256: f.beforeSha256 } : {}),
      ...(f.after !== undefined ? { after: f.after } : {}),
    };
  });
  const inputs = saved.inputs.map((p) => absFromRoot(saved.root, p));
  const code = await write(writes, inputs, saved.root, name, opts, io, deps, style, saved.files.map((f) => f.ruleIds));
  if (code !== EXIT_OK) return code;
  return finish(saved.summary.remainingErrors, io, style);
}

async function write(
  writes: readonly PlannedWrite[],
  inputs: readonly string[],
  root: string,
  planName: string,
  opts: ApplyOptions,
  io: CommandIo,
  deps: CommandDeps,
  style: Style,
  ruleIds: readonly (readonly string[])[],
): Promise<number> {
  const hook = testHookFromEnv(io.env);
  try {
    if (opts.out) {
      const outAbs = resolve(io.cwd, opts.out);
      const { value, received } = await holdingSignals(() => writeOut(writes, inputs, root, outAbs, planName, hook));
      io.stdout(
        `wrote the migrated deployment to ${toDisplayPath(io.cwd, outAbs)} (${value.files} file(s), ${writes.length} changed); ` +
          `the original is untouched\n`,
      );
      noteSignals(received, io);
      return EXIT_OK;
    }
    if (writes.length === 0) {
      io.stdout('nothing to change; nothing was written\n');
      return EXIT_OK;
    }
    const now = (deps.now ?? (() => new Date()))();
    const { value, received } = await holdingSignals(() => applyInPlace(writes, root, planName, TOOL, now, hook));
    writes.forEach((w, i) => io.stdout(`${statusWord(w.status, style)} ${w.shown}${style.dim(`  (${(ruleIds[i] ?? []).join(', ')})`)}\n`));
    io.stdout(
      `applied: ${writes.length} file(s) changed; the originals are in ${toDisplayPath(io.cwd, value.backup.dir)} ` +
        `(undo with \`migrate rollback${rollbackArg(root, io.cwd)}\`)\n`,
    );
    noteSignals(received, io);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof TransactionError) {
      io.stderr(`migrate: could not apply: ${e.message}\n`);
      if (e.notRestored.length) io.stderr(`migrate: the originals are in ${BACKUP_HINT}; run \`migrate rollback${rollbackArg(root, io.cwd)}\`\n`);
      return EXIT_ERROR;
    }
    throw e;
  }
}

function noteSignals(received: readonly string[], io: CommandIo): void {
  if (received.length) io.stderr(`migrate: ${received[0]} arrived while writing; the apply was finished first, so no file is left half-changed\n`);
}

const BACKUP_HINT = '.galaxy-migrate-backup/ at the deployment root';

function finish(remainingErrors: number, io: CommandIo, style: Style): number {
  if (remainingErrors > 0) {
    io.stdout(style.red(`${remainingErrors} error(s) remain that apply does not fix; \`migrate lint\` lists them\n`));
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

function statusWord(status: string, style: Style): string {
  return status === 'created' ? style.green('created ') : status === 'deleted' ? style.red('deleted ') : style.yellow('modified');
}

function rollbackArg(root: string, cwd: string): string {
  const shown = toDisplayPath(cwd, root);
  return shown === '.' ? '' : ` ${shown}`;
}

function refuseIfInterrupted(root: string, cwd: string): void {
  const b = interruptedApply(root);
  if (b) {
    throw new UsageError(
      `the apply of ${b.manifest.createdAt} in ${toDisplayPath(cwd, root)} did not finish (the process was stopped): ` +
        `some files may be new and others old; run \`migrate rollback${rollbackArg(root, cwd)}\` to put them back, then apply again`,
    );
  }
}

/** Shows each change (diff, rule, reason) and asks; returns the accepted fixes, in fold order. */
async function askEach(
  candidates: readonly Finding[],
  files: Parameters<typeof previewFix>[1],
  hide: (s: string) => string,
  io: CommandIo,
  deps: CommandDeps,
  style: Style,
): Promise<Finding[] | 'abort'> {
  const prompter = deps.prompter ?? (await terminalPrompter());
  const accepted: Finding[] = [];
  const folder = fixFolder(files);
  const allOf = new Set<string>();
  let quit = false;
  for (let i = 0; i < candidates.length; i++) {
    const f = candidates[i]!;
    if (quit) break;
    if (!folder.fits(f)) {
      io.stdout(style.yellow(`[${i + 1}/${candidates.length}] ${f.ruleId}: left out, it builds on a change you skipped\n`));
      continue;
    }
    if (allOf.has(f.ruleId)) {
      folder.add(f);
      accepted.push(f);
      io.stdout(style.dim(`[${i + 1}/${candidates.length}] ${f.ruleId} ${f.file}:${f.location.line}: applied (all of this rule)\n`));
      continue;
    }
    io.stdout(describeChange(f, i + 1, candidates.length, previewFix(f.fix!, files, accepted), hide, style));
    const answer: Decision = await prompter.ask({ ruleId: f.ruleId, index: i + 1, total: candidates.length });
    switch (answer) {
      case 'apply':
        folder.add(f);
        accepted.push(f);
        break;
      case 'rule':
        folder.add(f);
        accepted.push(f);
        allOf.add(f.ruleId);
        break;
      case 'skip':
        io.stdout(style.dim('skipped\n'));
        break;
      case 'quit':
        quit = true;
        break;
      case 'abort':
        return 'abort';
    }
  }
  const skipped = candidates.length - accepted.length;
  io.stdout(`\n${accepted.length} change(s) accepted, ${skipped} left out\n`);
  return accepted;
}

function describeChange(f: Finding, n: number, total: number, previews: ReturnType<typeof previewFix>, hide: (s: string) => string, style: Style): string {
  const sev = f.severity === 'error' ? style.red(f.severity) : f.severity === 'warning' ? style.yellow(f.severity) : style.blue(f.severity);
  const lines = [
    '',
    `${style.bold(`[${n}/${total}] ${f.ruleId}`)}  ${sev}  ${f.file}:${f.location.line}:${f.location.column}`,
    `  why: ${hide(f.message)}`,
  ];
  if (f.fix?.description) lines.push(`  fix: ${hide(f.fix.description)}`);
  for (const p of previews) {
    for (const l of hide(unifiedDiff(p)).replace(/\n$/, '').split('\n')) {
      if (l.startsWith('+') && !l.startsWith('+++')) lines.push(style.green(l));
      else if (l.startsWith('-') && !l.startsWith('---')) lines.push(style.red(l));
      else if (l.startsWith('@@')) lines.push(style.cyan(l));
      else lines.push(l);
    }
  }
  return `${lines.join('\n')}\n`;
}
