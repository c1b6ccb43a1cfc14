import type { ParseIssue, SourceFile } from '../../core/document.js';
import type { ReadHost } from '../../core/host.js';
import type { UwsgiOption } from '../../core/model.js';
import type { Range } from '../../core/range.js';

export type UwsgiFormat = 'yaml' | 'ini';

export interface UwsgiReadOptions {
  readonly host: ReadHost;
  /** The section to read (`file.yml:section`); default `uwsgi`. */
  readonly section?: string;
  /** The reader, as `--yaml`/`--ini` choose it; default: from the extension, else from the content. */
  readonly format?: UwsgiFormat;
  /** The main file's text when the caller already read it. */
  readonly text?: string;
  /** Absolute directory the deployment lives in; files read from outside it are reported. Default: host.cwd. */
  readonly root?: string;
}

export interface UwsgiFatal {
  readonly message: string;
  readonly file: string;
  readonly range: Range;
}

export interface UwsgiReadResult {
  /** uWSGI's order, exactly what --show-config lists (include/ini/set/for/endif entries too). */
  readonly options: UwsgiOption[];
  /** Each with `file` set and a ruleId (`uwsgi/...`). */
  readonly issues: ParseIssue[];
  /** Where uWSGI itself would stop with an error. */
  readonly fatal?: UwsgiFatal;
  /** Every file read, the main one first (path = host.displayPath(abs)), text as read. */
  readonly files: SourceFile[];
  /** In the main file: the selected section, header line start to the end of its last line, line break included. */
  readonly sectionRange?: Range;
  /** Every occurrence of the selected section in the main file (INI may repeat `[uwsgi]`). */
  readonly sectionRanges?: Range[];
}

/** Where an option was written (ranges in the original text of `file`). */
export interface Source {
  readonly file: string;
  readonly range: Range;
  readonly keyRange: Range;
  readonly valueRange: Range;
  /** The value as written (after magic variables, before logic blocks and the passes). */
  readonly rawValue: string;
  readonly included: boolean;
}

/** Pseudo file name of options that come from `UWSGI_*` environment variables. */
export const ENVIRONMENT_FILE = '<environment>';
