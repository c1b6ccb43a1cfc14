import type { Document, ParseIssue } from './document.js';
import type { Finding } from './finding.js';
import type { Plan } from './plan.js';
import { LineIndex } from './range.js';

/** Reads a document's file again as a plan would leave it, with the same reader (and includes). */
export type ReadBack = (doc: Document, text: string) => Document;

/**
 * The last guard before a plan is shown or written: each file it modifies is read again with its
 * own reader, and a fix that leaves a file less readable than it was is taken out. Edits are spliced
 * as text, each right where it goes, but lines around them can change what the reader makes of the
 * whole (an indented first line of galaxy.yml turns a `gravity:` written at column 0 into a YAML
 * error). Such a file would be a broken configuration for the server, and the next plan could not read
 * it either. The finding stays, without its fix, and the plan lists why (as for an overlap).
 *
 * "Less readable" is a reading problem the file did not have (newReadError).
 *
 * Which fix to take out: first the last one folded into the file (usually the one that broke it);
 * if the file is still unreadable, every fix that touches it, so at most two more plans per file.
 */
export function withoutUnreadableFixes(
  findings: Finding[],
  plan: Plan,
  docs: ReadonlyMap<string, Document>,
  readBack: ReadBack,
  build: (findings: readonly Finding[]) => Plan,
): Plan {
  const taken: { ruleId: string; file: string; reason: string }[] = [];
  const triedOnce = new Set<string>();
  const readable = new Map<string, string>(); // file → the text last found readable
  for (;;) {
    let broken: { file: string; problem: string } | undefined;
    for (const p of plan.files) {
      const doc = docs.get(p.file);
      if (p.status !== 'modified' || !doc || readable.get(p.file) === p.after) continue;
      const problem = newReadError(doc, readBack(doc, p.after), p.after);
      if (!problem) readable.set(p.file, p.after);
      else {
        broken = { file: p.file, problem };
        break;
      }
    }
    if (!broken) return taken.length ? { files: plan.files, conflicts: [...plan.conflicts, ...taken] } : plan;
    const touching = findings.map((f, i) => ({ f, i })).filter(({ f }) => f.fix?.changes.some((c) => c.file === broken.file));
    const out = triedOnce.has(broken.file) ? touching : touching.slice(-1);
    triedOnce.add(broken.file);
    const reason = `this change would leave the file unreadable (${broken.problem}), so it is left out`;
    for (const { f, i } of out) {
      const { fix: _dropped, ...rest } = f;
      findings[i] = { ...rest, notes: [...(f.notes ?? []), `not applied: ${reason}`] };
      taken.push({ ruleId: f.ruleId, file: broken.file, reason });
    }
    plan = build(findings);
  }
}

/**
 * What makes `again` read worse than `before`: a reading problem it did not have, named by line; or
 * undefined. Problems are compared by message with numbers left out (a line number moves when a fix
 * adds lines above it), of every severity: a Jinja template's YAML errors are warnings, and an edit
 * that adds one breaks the template all the same.
 */
function newReadError(before: Document, again: Document, text: string): string | undefined {
  const seen = new Map<string, number>();
  for (const e of before.errors.filter(isReadProblem)) seen.set(shape(e), (seen.get(shape(e)) ?? 0) + 1);
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
