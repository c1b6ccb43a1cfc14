import type { ParseIssue } from '../../../core/document.js';
import type { Range } from '../../../core/range.js';

/** One `key: value` / `key = value` line of the selected section, as uWSGI read it. */
export interface LineCheckInput {
  readonly format: 'yaml' | 'ini';
  /** Path of the file (display path). */
  readonly file: string;
  readonly key: string;
  /** The value uWSGI read from the line (after magic variables, before the passes). */
  readonly value: string;
  /** The value's range in the original file. */
  readonly valueRange: Range;
  /**
   * YAML: the line from the value's start to its end, comment included (what the author typed
   * after `key: `), and the offset in that text where uWSGI cut it at a `#` (-1: no cut).
   */
  readonly valueLine?: string;
  readonly cutAt?: number;
  /** Range in the original file from the value's start to the end of the line. */
  readonly valueLineRange?: Range;
}

export type LineCheck = (input: LineCheckInput) => ParseIssue | undefined;

/** A value as a message shows it: in backticks, with CR/TAB visible. */
export function shown(v: string): string {
  return `\`${v.replace(/\r/g, '\\r').replace(/\t/g, '\\t')}\``;
}
