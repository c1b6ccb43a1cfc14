import type { SourceFile } from './document.js';
import { applyEdits, editsOverlap } from './edits.js';
import type { Edit, Finding } from './finding.js';
import { buildPlan, type FilePlan, type Plan } from './plan.js';

/**
 * Choosing fixes one by one (interactive `apply`) and keeping a plan consistent with the choice.
 * Fixes fold in rule order (the registry's), then by position, as the engine folds them, so an
 * earlier rule still wins an overlap.
 */
export function fixesInFoldOrder(findings: readonly Finding[], ruleOrder: readonly string[]): Finding[] {
  const rank = new Map(ruleOrder.map((id, i) => [id, i]));
  return findings
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.fix !== undefined && f.fix.changes.length > 0)
    .sort((a, b) => (rank.get(a.f.ruleId) ?? 1e9) - (rank.get(b.f.ruleId) ?? 1e9) || a.i - b.i)
    .map(({ f }) => f);
}

/** The plan of exactly these fixes (in the order given). */
export function planOf(accepted: readonly Finding[], files: ReadonlyMap<string, SourceFile>): Plan {
  return buildPlan(accepted, files);
}

/** True when `next` can join the accepted fixes without overlapping any of them. */
export function fitsWith(accepted: readonly Finding[], next: Finding, files: ReadonlyMap<string, SourceFile>): boolean {
  const folder = fixFolder(files);
  for (const a of accepted) folder.add(a);
  return folder.fits(next);
}

/**
 * Folds fixes one at a time with the plan's own rules (a fix is all or nothing; it must not
 * overlap a change already taken, edit a file another fix deletes, or create a file that exists),
 * without building texts: choosing among hundreds of fixes stays linear in their number.
 */
export function fixFolder(files: ReadonlyMap<string, SourceFile>): { fits(f: Finding): boolean; add(f: Finding): boolean } {
  const pending = new Map<string, { edits: Edit[]; created?: string; deleted: boolean }>();
  const fits = (f: Finding): boolean => {
    const own = new Map<string, Edit[]>();
    for (const c of f.fix?.changes ?? []) {
      const p = pending.get(c.file);
      const src = files.get(c.file);
      if (c.kind === 'create') {
        if (src || p?.created !== undefined) return false;
        continue;
      }
      if (c.kind === 'delete') {
        if (p && (p.edits.length || p.deleted)) return false;
        continue;
      }
      const base = p?.created ?? src?.text;
      if (base === undefined || p?.deleted) return false;
      const mine = own.get(c.file) ?? [];
      if (editsOverlap(mine, c.edits) || (p && editsOverlap(p.edits, c.edits))) return false;
      own.set(c.file, [...mine, ...c.edits]);
    }
    return true;
  };
  return {
    fits,
    add(f) {
      if (!fits(f)) return false;
      for (const c of f.fix?.changes ?? []) {
        let p = pending.get(c.file);
        if (!p) pending.set(c.file, (p = { edits: [], deleted: false }));
        if (c.kind === 'edit') p.edits.push(...c.edits);
        else if (c.kind === 'create') p.created = c.text;
        else p.deleted = true;
      }
      return true;
    },
  };
}

/**
 * What one fix alone does to each file it touches, against the original text (or, for a file an
 * accepted fix creates, against the created text): the hunks shown before the question.
 */
export function previewFix(fix: NonNullable<Finding['fix']>, files: ReadonlyMap<string, SourceFile>, accepted: readonly Finding[] = []): FilePlan[] {
  const createdBy = new Map<string, string>();
  for (const a of accepted) for (const c of a.fix?.changes ?? []) if (c.kind === 'create') createdBy.set(c.file, c.text);
  const perFile = new Map<string, { edits: Edit[]; created?: string; deleted: boolean }>();
  for (const c of fix.changes) {
    const p = perFile.get(c.file) ?? { edits: [], deleted: false };
    if (c.kind === 'edit') p.edits.push(...c.edits);
    else if (c.kind === 'create') p.created = c.text;
    else p.deleted = true;
    perFile.set(c.file, p);
  }
  const out: FilePlan[] = [];
  for (const [file, p] of perFile) {
    const original = files.get(file)?.text;
    const before = original ?? createdBy.get(file) ?? '';
    if (p.deleted) {
      out.push({ file, status: 'deleted', before, after: '', ruleIds: [] });
      continue;
    }
    const base = p.created ?? before;
    let after: string;
    try {
      after = applyEdits(base, p.edits);
    } catch {
      after = base;
    }
    const status = original === undefined && !createdBy.has(file) ? 'created' : 'modified';
    out.push({ file, status, before: status === 'created' ? '' : before, after, ruleIds: [] });
  }
  return out;
}
