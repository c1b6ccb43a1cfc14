import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ParseIssue } from '../../../src/core/document.js';
import type { UwsgiOption } from '../../../src/core/model.js';
import { LineIndex, type Range } from '../../../src/core/range.js';
import { readUwsgiConfig, type UwsgiReadResult } from '../../../src/formats/uwsgi/index.js';
import { nodeHost } from '../../../src/io/host.js';
import { PROJECT_ROOT } from './shared-cases.js';

/** test/fixtures/uwsgi, physical path (what %d and %p show). */
export const FIXTURES = realpathSync(resolve(PROJECT_ROOT, 'test/fixtures/uwsgi'));

export interface Read {
  readonly result: UwsgiReadResult;
  /** The working directory of the read (physical). */
  readonly cwd: string;
  /** Text of a file read, by its display path. */
  text(file: string): string;
  /** `line:column` of an offset range start in a file. */
  at(file: string, r: Range): string;
  /** The options as `[key, value]`. */
  pairs(): [string, string][];
  option(key: string, nth?: number): UwsgiOption;
  issues(ruleId: string): ParseIssue[];
}

/** Reads `path` from test/fixtures/uwsgi/<dir> with that directory as working directory. */
export function readFixture(
  dir: string,
  path: string,
  opts: { env?: Record<string, string>; section?: string; root?: string; format?: 'yaml' | 'ini' } = {},
): Read {
  const cwd = join(FIXTURES, dir);
  const host = nodeHost(cwd, opts.env ?? {});
  const result = readUwsgiConfig(path, {
    host,
    ...(opts.section !== undefined ? { section: opts.section } : {}),
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.format !== undefined ? { format: opts.format } : {}),
  });
  return wrap(result, cwd);
}

export function wrap(result: UwsgiReadResult, cwd: string): Read {
  const text = (file: string): string => {
    const f = result.files.find((x) => x.path === file);
    if (!f) throw new Error(`file ${file} was not read (read: ${result.files.map((x) => x.path).join(', ')})`);
    return f.text;
  };
  return {
    result,
    cwd,
    text,
    at: (file, r) => {
      const p = new LineIndex(text(file)).position(r.start);
      return `${p.line}:${p.column}`;
    },
    pairs: () => result.options.map((o) => [o.key, o.value]),
    option: (key, nth = 0) => {
      const found = result.options.filter((o) => o.key === key)[nth];
      if (!found) throw new Error(`no option ${key} #${nth}`);
      return found;
    },
    issues: (ruleId) => result.issues.filter((i) => i.ruleId === ruleId),
  };
}

/** The text a range covers. */
export function slice(text: string, r: Range): string {
  return text.slice(r.start, r.end);
}
