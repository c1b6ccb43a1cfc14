import { LineIndex, type Range } from './range.js';

/** The kinds of file the tool recognises, by content (see src/formats/detect.ts). */
export type FileKind =
  | 'galaxy-yml'
  | 'uwsgi-yaml'
  | 'uwsgi-ini'
  | 'galaxy-ini'
  | 'job-conf-xml'
  | 'job-conf-yml'
  | 'nginx'
  | 'apache'
  | 'supervisor'
  | 'systemd'
  | 'ansible-vars';

/** A file as read: its path for people (relative, POSIX separators) and its whole text. */
export interface SourceFile {
  /** Path shown in reports and used as the file's identity (relative to the working directory). */
  readonly path: string;
  readonly text: string;
  /** True when the file started with a UTF-8 byte order mark (kept in `text` as U+FEFF). */
  readonly bom: boolean;
}

/** A problem met while reading; parsers return these instead of throwing. */
export interface ParseIssue {
  readonly message: string;
  readonly range: Range;
  /** The rule id the engine reports it under; `parse-error` when absent. */
  readonly ruleId?: string;
  readonly severity?: 'error' | 'warning' | 'info';
  /** The file the issue is in, when it is not the document's own (an included file). */
  readonly file?: string;
}

/** A parsed file. `ast` is the format's own tree; `errors` what stopped or bent the reading. */
export interface Document<Ast = unknown> {
  readonly file: SourceFile;
  readonly kind: FileKind;
  readonly lines: LineIndex;
  readonly errors: readonly ParseIssue[];
  readonly ast: Ast;
}

export function makeDocument<Ast>(
  file: SourceFile,
  kind: FileKind,
  ast: Ast,
  errors: readonly ParseIssue[] = [],
): Document<Ast> {
  // Made when first asked for: most documents never need one, and building it reads the whole text.
  let lines: LineIndex | undefined;
  return {
    file,
    kind,
    get lines(): LineIndex {
      return (lines ??= new LineIndex(file.text));
    },
    errors,
    ast,
  };
}

export function sliceOf(file: SourceFile, r: Range): string {
  return file.text.slice(r.start, r.end);
}
