import { expect } from 'vitest';
import { applyEdits } from '../../src/core/edits.js';
import type { Edit } from '../../src/core/finding.js';
import type { JobConfView } from '../../src/formats/job-conf/view.js';

/**
 * What the XML and the YAML job conf reader tests share: both readers give the same JobConfView,
 * so the same questions are asked of it, each file with its own sample and expected answers.
 */

export const jobConfFile = (text: string, path: string) => ({ path, text, bom: false });
export const sliceOf = (text: string, r: { start: number; end: number }) => text.slice(r.start, r.end);

export interface ExpectedView {
  /** [method, text at its range] for each assign method. */
  readonly methods: [string, string][];
  readonly default: string;
  /** [id, tags, plugins] for each handler. */
  readonly handlers: [string, string[], string[]][];
  /** [kind, owner, handler] for each reference to a handler. */
  readonly refs: [string, string | undefined, string][];
}

/** Asserts what a view read from `text`: assign methods (value and range), default, handlers, refs. */
export function expectViewReads(v: JobConfView, text: string, want: ExpectedView): void {
  expect(v.assign!.methods.map((m) => [m.value, sliceOf(text, m.range)])).toEqual(want.methods);
  expect(v.default!.value).toBe(want.default);
  expect(v.handlers.map((h) => [h.id.value, h.tags, h.plugins])).toEqual(want.handlers);
  expect(v.refs.map((r) => [r.kind, r.owner, r.value.value])).toEqual(want.refs);
}

/**
 * The editor's common splices on one text: assign becomes db-skip-locked, the default goes, the
 * first handler goes, the first ref's value becomes `firstRefValue`, the second ref goes; `more`
 * are added. Returns the edited text.
 */
export function applyCommonEdits(text: string, v: JobConfView, firstRefValue: string, more: readonly Edit[] = []): string {
  const e = v.edit;
  return applyEdits(text, [
    e.replaceAssign(['db-skip-locked'])!,
    ...e.removeDefault(),
    e.removeHandler(v.handlers[0]!),
    e.replaceValue(v.refs[0]!.value, firstRefValue),
    e.removeRef(v.refs[1]!),
    ...more,
  ]);
}

/** Asserts that renaming the one handler to web_3 and tagging it pinned gives `want`. */
export function expectRenameAndTag(text: string, v: JobConfView, want: string, more: readonly Edit[] = []): void {
  const h = v.handlers[0]!;
  expect(applyEdits(text, [...more, v.edit.replaceValue(h.id, 'web_3'), v.edit.setTags(h, ['pinned'])])).toBe(want);
}
