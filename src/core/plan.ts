import { EditIndex } from './edit-index.js';
import { applyEdits, editsOverlap } from './edits.js';
import { twoFilesPatch } from './line-diff.js';
import type { Edit, FileChange, Finding, Fix } from './finding.js';
import type { SourceFile } from './document.js';

export type ChangeStatus = 'modified' | 'created' | 'deleted';

/** Before and after text of one file, and the rules whose fixes changed it. */
export interface FilePlan {
  readonly file: string;
  readonly status: ChangeStatus;
  readonly before: string;
  readonly after: string;
  readonly ruleIds: readonly string[];
}

export interface Plan {
  readonly files: readonly FilePlan[];
  /** Fixes that could not be applied because they overlapped an earlier one. */
  readonly conflicts: readonly { readonly ruleId: string; readonly file: string; readonly reason: string }[];
}

interface Pending {
  edits: Edit[];
  /** `edits` again, for overlap questions in log time (edit-index.ts). */
  taken: EditIndex;
  created?: string;
  deleted: boolean;
  ruleIds: string[];
}

/**
 * Folds the fixes of the findings, in finding order, into per-file changes. A fix is all or
 * nothing: if any of its changes would overlap a change already taken, the whole fix is skipped and
 * listed in `conflicts` (the finding stays, so nothing is lost silently).
 */
export function buildPlan(
  findings: readonly Finding[],
  files: ReadonlyMap<string, SourceFile>,
  /** Whether a path exists although no reader took it (an unrecognised file a fix would overwrite). */
  existsOnDisk: (path: string) => boolean = () => false,
): Plan {
  const pending = new Map<string, Pending>();
  const conflicts: { ruleId: string; file: string; reason: string }[] = [];
  const get = (file: string): Pending => {
    let p = pending.get(file);
    if (!p) pending.set(file, (p = { edits: [], taken: new EditIndex(), deleted: false, ruleIds: [] }));
    return p;
  };

  // A file that could not be read is never migrated (the `parse-error` contract): a fix that
  // would change it is listed as a conflict, so apply in a directory walk leaves it untouched.
  const unreadable = new Map<string, Finding>();
  for (const f of findings) if (f.ruleId === 'parse-error' && f.severity === 'error' && !unreadable.has(f.file)) unreadable.set(f.file, f);

  for (const f of findings) {
    if (!f.fix) continue;
    const broken = f.fix.changes.map((c) => unreadable.get(c.file)).find((x) => x !== undefined);
    if (broken) {
      conflicts.push({ ruleId: f.ruleId, file: broken.file, reason: `the file has a parse error at line ${broken.location.line}; fix it first` });
      continue;
    }
    const clash = fixConflict(f.fix, pending, files, existsOnDisk);
    if (clash) {
      conflicts.push({ ruleId: f.ruleId, file: clash.file, reason: clash.reason });
      continue;
    }
    for (const c of f.fix.changes) {
      const p = get(c.file);
      if (c.kind === 'edit') {
        p.edits.push(...c.edits);
        p.taken.add(c.edits);
      } else if (c.kind === 'create') p.created = c.text;
      else p.deleted = true;
      if (!p.ruleIds.includes(f.ruleId)) p.ruleIds.push(f.ruleId);
    }
  }

  const out: FilePlan[] = [];
  for (const [file, p] of pending) {
    const src = files.get(file);
    const before = src?.text ?? '';
    if (p.deleted) {
      out.push({ file, status: 'deleted', before, after: '', ruleIds: p.ruleIds });
      continue;
    }
    const base = p.created ?? before;
    const after = applyEdits(base, p.edits);
    if (src && after === before) continue;
    out.push({ file, status: src ? 'modified' : 'created', before, after, ruleIds: p.ruleIds });
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files: out, conflicts };
}

function fixConflict(
  fix: Fix,
  pending: ReadonlyMap<string, Pending>,
  files: ReadonlyMap<string, SourceFile>,
  existsOnDisk: (path: string) => boolean,
): { file: string; reason: string } | undefined {
  const own = new Map<string, Edit[]>();
  for (const c of fix.changes) {
    const p = pending.get(c.file);
    const exists = files.has(c.file);
    if (c.kind === 'create') {
      if (exists || p?.created !== undefined || existsOnDisk(c.file)) return { file: c.file, reason: 'the file already exists' };
      continue;
    }
    if (c.kind === 'delete') {
      if (p && (p.edits.length || p.deleted)) return { file: c.file, reason: 'another fix changes this file' };
      continue;
    }
    if (!exists && p?.created === undefined) return { file: c.file, reason: 'the file does not exist' };
    if (p?.deleted) return { file: c.file, reason: 'another fix deletes this file' };
    const mine = own.get(c.file) ?? [];
    if (editsOverlap(mine, c.edits)) return { file: c.file, reason: 'the fix overlaps itself' };
    if (p && p.taken.overlaps(c.edits)) return { file: c.file, reason: 'another fix edits the same text' };
    own.set(c.file, [...mine, ...c.edits]);
  }
  return undefined;
}

/** A unified diff of one file plan, with a/ and b/ prefixes as git shows them. */
export function unifiedDiff(p: FilePlan): string {
  const from = p.status === 'created' ? '/dev/null' : `a/${p.file}`;
  const to = p.status === 'deleted' ? '/dev/null' : `b/${p.file}`;
  // jsdiff's own output, linear even when a fix rewrites thousands of lines (line-diff.ts).
  const patch = twoFilesPatch(from, to, p.before, p.after, 3);
  // jsdiff starts with a line of '=' signs (its "Index" header); git-style output starts at '---'.
  return patch.replace(/^=+\n/, '');
}

export function changeKinds(changes: readonly FileChange[]): string[] {
  return changes.map((c) => `${c.kind} ${c.file}`);
}
