import type { Document, ParseIssue } from './document.js';
import type { Finding } from './finding.js';
import type { FilePlan, Plan } from './plan.js';
import { LineIndex } from './range.js';

/** Reads a document's file again as a plan would leave it, with the same reader (and includes). */
export type ReadBack = (doc: Document, text: string) => Document;

/** Reads a file a plan creates as the next plan would find it; undefined when no reader takes it. */
export type ReadCreated = (path: string, text: string) => Document | undefined;

/**
 * The last guard before a plan is shown or written: each file it modifies is read again with its
 * own reader, and a fix that leaves a file less readable than it was is taken out. Edits are spliced
 * as text, each right where it goes, but lines around them can change what the reader makes of the
 * whole (an indented first line of galaxy.yml turns a `gravity:` written at column 0 into a YAML
 * error). Such a file would be a broken configuration for the server, and the next plan could not read
 * it either. The finding stays, without its fix, and the plan lists why (as for an overlap).
 *
 * "Less readable" is a reading problem the file did not have (newReadError). A file the plan creates
 * (a galaxy.yml converted from galaxy.ini, a new job_conf.yml) is read as the next plan would find
 * it, with `readCreated`, and must read without any problem.
 *
 * Which fixes stay: those on the broken file are tried one by one in fold order (the order the plan
 * takes them, so an earlier rule still wins), each on top of those kept before it, and kept when the
 * file still reads. So the plan keeps as much as it safely can, and the next plan, meeting the same
 * fixes on the applied result, leaves out the same ones. Past MAX_TRIED fixes on one file the rest
 * are left out untried: trying each would read a large file again once per fix.
 */
export function withoutUnreadableFixes(
  findings: Finding[],
  plan: Plan,
  docs: ReadonlyMap<string, Document>,
  readBack: ReadBack,
  build: (findings: readonly Finding[]) => Plan,
  readCreated?: ReadCreated,
): Plan {
  const taken: { ruleId: string; file: string; reason: string }[] = [];
  const readable = new Map<string, string>(); // file → the text last found readable
  const problemOf = (fp: FilePlan | undefined): string | undefined => {
    if (!fp || fp.status === 'deleted' || readable.get(fp.file) === fp.after) return undefined;
    const doc = docs.get(fp.file);
    let problem: string | undefined;
    if (fp.status === 'modified' && doc) problem = newReadError(doc, readBack(doc, fp.after), fp.after);
    else if (fp.status === 'created' && readCreated) {
      const created = readCreated(fp.file, fp.after);
      problem = created && newReadError(undefined, created, fp.after);
    }
    if (!problem) readable.set(fp.file, fp.after);
    return problem;
  };
  for (;;) {
    let broken: { file: string; problem: string } | undefined;
    for (const p of plan.files) {
      const problem = problemOf(p);
      if (problem) {
        broken = { file: p.file, problem };
        break;
      }
    }
    if (!broken) return taken.length ? { files: plan.files, conflicts: [...plan.conflicts, ...taken] } : plan;
    const file = broken.file;
    const touching = findings.flatMap((f, i) => (f.fix?.changes.some((c) => c.file === file) ? [i] : []));
    const untried = new Set(touching);
    const left = new Map<number, string>();
    for (const [n, i] of touching.entries()) {
      untried.delete(i);
      // The plan with the fixes kept so far and this one; the others on this file left out.
      const trial = (): Plan => build(findings.map((f, j) => (untried.has(j) || left.has(j) ? withoutFix(f) : f)));
      const problem = n < MAX_TRIED ? problemOf(trial().files.find((x) => x.file === file)) : broken.problem;
      if (problem) left.set(i, problem);
    }
    // The last trial is the plan itself, so one is always left out; should a reader answer two
    // readings of one text differently, all go, so that every round takes a fix out.
    if (left.size === 0) for (const i of touching) left.set(i, broken.problem);
    for (const [i, problem] of left) {
      const reason = `this change would leave the file unreadable (${problem}), so it is left out`;
      findings[i] = { ...withoutFix(findings[i]!), notes: [...(findings[i]!.notes ?? []), `not applied: ${reason}`] };
      taken.push({ ruleId: findings[i]!.ruleId, file, reason });
    }
    plan = build(findings);
  }
}

/** How many fixes on one broken file are tried one by one (see withoutUnreadableFixes). */
const MAX_TRIED = 32;

function withoutFix(f: Finding): Finding {
  const { fix: _dropped, ...rest } = f;
  return rest;
}

/**
 * What makes `again` read worse than `before` (a created file: than nothing): a reading problem it
 * did not have, named by line; or undefined. Problems are compared by message with numbers left out (a line number moves when a fix
 * adds lines above it), of every severity: a Jinja template's YAML errors are warnings, and an edit
 * that adds one breaks the template all the same.
 */
function newReadError(before: Document | undefined, again: Document, text: string): string | undefined {
  const seen = new Map<string, number>();
  for (const e of before?.errors.filter(isReadProblem) ?? []) seen.set(shape(e), (seen.get(shape(e)) ?? 0) + 1);
  for (const e of again.errors.filter(isReadProblem)) {
    const left = seen.get(shape(e)) ?? 0;
    if (left > 0) {
      seen.set(shape(e), left - 1);
      continue;
    }
    const line = new LineIndex(text).position(e.range.start).line;
    return `line ${line}: ${e.message.split('\n')[0]}`;
  }
  return undefined;
}

const shape = (e: ParseIssue): string => e.message.replace(/\d+/g, '#');

/** An issue of the reading itself (not a rule's finding that a reader reports on its behalf). */
function isReadProblem(e: ParseIssue): boolean {
  return e.ruleId === undefined || e.ruleId === 'parse-error';
}
