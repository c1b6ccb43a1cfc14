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

/** What makes `again` read worse than `before`: a parse error more, named by line; or undefined. */
function newReadError(before: Document, again: Document, text: string): string | undefined {
  const was = before.errors.filter(isReadError);
  const now = again.errors.filter(isReadError);
  if (now.length <= was.length) return undefined;
  const known = new Set(was.map((e) => e.message));
  const first = now.find((e) => !known.has(e.message)) ?? now[0]!;
  const line = new LineIndex(text).position(first.range.start).line;
  return `line ${line}: ${first.message.split('\n')[0]}`;
}

/** An issue that stops or bends the reading (not a warning about a value). */
function isReadError(e: ParseIssue): boolean {
  return (e.severity ?? 'error') === 'error' && (e.ruleId === undefined || e.ruleId === 'parse-error');
}
