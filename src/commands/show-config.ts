import type { ParseIssue, SourceFile } from '../core/document.js';
import type { ReadHost } from '../core/host.js';
import { LineIndex, type Range } from '../core/range.js';
import { formatShowConfig, parseConfigArg, readUwsgiConfig } from '../formats/uwsgi/index.js';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * `migrate show-config FILE[:SECTION]`: the options uWSGI 2.0 (pip build, embedded YAML reader)
 * reads from FILE, one `key = value` per line, as `uwsgi --show-config` lists them. What uWSGI
 * does silently (a stop in the YAML reader, a command it would run, a quoted boolean) goes to
 * stderr as `file:line:column: severity: message [rule]`. Where uWSGI itself would stop with an
 * error (a missing include, a missing file), nothing is printed on stdout, one sentence
 * `file:line:column: message` goes to stderr, and the exit code is 2.
 */
export function showConfig(arg: string, host: ReadHost): CommandOutput {
  const { path, section } = parseConfigArg(arg);
  const result = readUwsgiConfig(path, { host, ...(section !== undefined ? { section } : {}) });
  const where = locator(result.files);
  if (result.fatal) {
    const f = result.fatal;
    return { stdout: '', stderr: `${where(f.file, f.range)}: ${f.message}\n`, exitCode: 2 };
  }
  const stderr = result.issues.map((i) => `${formatIssue(i, where)}\n`).join('');
  return { stdout: formatShowConfig(result.options), stderr, exitCode: 0 };
}

function formatIssue(i: ParseIssue, where: (file: string, r: Range) => string): string {
  return `${where(i.file ?? '', i.range)}: ${i.severity ?? 'error'}: ${i.message} [${i.ruleId ?? 'parse-error'}]`;
}

function locator(files: readonly SourceFile[]): (file: string, r: Range) => string {
  const indexes = new Map<string, LineIndex>();
  for (const f of files) indexes.set(f.path, new LineIndex(f.text));
  return (file, r) => {
    const idx = indexes.get(file);
    if (!idx) return `${file}:1:1`;
    const p = idx.position(r.start);
    return `${file}:${p.line}:${p.column}`;
  };
}
