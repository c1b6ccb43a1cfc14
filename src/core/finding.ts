import type { Location, Range } from './range.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** Replace [start, end) of a file's original text with `text`. An insertion has start === end. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type FileChange =
  | { readonly kind: 'edit'; readonly file: string; readonly edits: readonly Edit[] }
  | { readonly kind: 'create'; readonly file: string; readonly text: string }
  | { readonly kind: 'delete'; readonly file: string };

/** A proposed change, possibly across several files; applied whole or not at all. */
export interface Fix {
  readonly description: string;
  readonly changes: readonly FileChange[];
}

/** What a rule reports. `range` is into `file`'s original text. */
export interface FindingInput {
  readonly message: string;
  readonly file: string;
  readonly range?: Range;
  readonly severity?: Severity;
  readonly fix?: Fix;
  /** Extra lines for the report (cutover steps, SQL); never parsed by machines. */
  readonly notes?: readonly string[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly file: string;
  readonly range: Range;
  readonly location: Location;
  readonly message: string;
  readonly fix?: Fix;
  readonly notes?: readonly string[];
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.range.start - b.range.start || a.range.end - b.range.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
