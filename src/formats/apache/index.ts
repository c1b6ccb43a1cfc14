import { makeDocument, type Document, type ParseIssue, type SourceFile } from '../../core/document.js';
import type { ReadHost } from '../../core/host.js';
import { resolveInclude, type ListingHost } from '../include-paths.js';
import { parseApacheText, walkApache, type ApacheDirective, type ApacheNode } from './parse.js';

export type { ApacheDirective, ApacheNode, ApacheSection, ApacheWord } from './parse.js';
export { parseApacheText, walkApache } from './parse.js';

export interface ApacheInclude {
  readonly directive: ApacheDirective;
  readonly pattern: string;
  readonly optional: boolean;
  readonly files: readonly string[];
}

export interface ApacheIncludedFile {
  readonly path: string;
  readonly text: string;
  readonly nodes: readonly ApacheNode[];
  readonly templated: boolean;
}

export interface ApacheAst {
  readonly nodes: readonly ApacheNode[];
  readonly templated: boolean;
  readonly includes: readonly ApacheInclude[];
  /** Every file read through Include/IncludeOptional, transitively, each once. */
  readonly included: readonly ApacheIncludedFile[];
}

const MAX_FILES = 256;

function absOf(host: ReadHost, path: string): string {
  if (path.startsWith('/')) return path;
  return `${host.cwd.replace(/\/$/, '')}/${path}`;
}

/**
 * Reads an Apache file and what it includes. Include / IncludeOptional resolve against
 * ServerRoot, which a checkout does not record: the including file's directory and its ancestors
 * are tried (src/formats/include-paths.ts). A directory includes the files in it, as httpd does.
 */
export function parseApache(file: SourceFile, host: ReadHost): Document<ApacheAst> {
  const errors: ParseIssue[] = [];
  const lhost = host as ListingHost;
  const first = parseApacheText(file.text, file.path);
  errors.push(...first.errors);
  const included: ApacheIncludedFile[] = [];
  const seen = new Set<string>();
  const rootAbs = host.realpath(file.path) ?? absOf(host, file.path);
  seen.add(rootAbs);
  const own: ApacheInclude[] = [];

  const follow = (nodes: readonly ApacheNode[], fromAbs: string, shown: string, stack: string[], out: ApacheInclude[] | undefined): void => {
    for (const d of walkApache(nodes)) {
      if (d.type !== 'directive' || !/^include(optional)?$/i.test(d.name)) continue;
      const optional = /optional$/i.test(d.name);
      const arg = d.args[0];
      const issue = (message: string, severity: 'info' | 'warning'): void => {
        errors.push({ message, range: d.range, ruleId: 'apache/include', severity, ...(shown !== file.path ? { file: shown } : {}) });
      };
      if (!arg || arg.templated || arg.value.includes('${')) {
        out?.push({ directive: d, pattern: arg?.value ?? '', optional, files: [] });
        continue;
      }
      let res = resolveInclude(arg.value, fromAbs, lhost);
      // A directory: httpd reads every file in it (sorted).
      if (res.files.length === 1 && lhost.listDir?.(res.files[0]!) !== undefined) {
        res = resolveInclude(`${arg.value.replace(/\/$/, '')}/*`, fromAbs, lhost);
      }
      const files: string[] = [];
      if (!res.files.length) {
        if (res.reason === 'outside') issue(`${d.name} "${arg.value}" is outside the deployment, so it was not read`, 'info');
        else if (!optional && !/[*?[]/.test(arg.value)) issue(`${d.name} "${arg.value}" was not found beside this file or in the deployment`, 'info');
      }
      for (const f of res.files) {
        const real = host.realpath(f) ?? f;
        const fShown = host.displayPath(real);
        if (stack.includes(real)) {
          issue(`include loop: ${[...stack, real].map((p) => host.displayPath(p)).join(' -> ')}; httpd would fail here too`, 'warning');
          continue;
        }
        files.push(fShown);
        if (seen.has(real) || seen.size > MAX_FILES) continue;
        seen.add(real);
        const read = host.readFile(real);
        if ('error' in read) {
          issue(`${d.name} "${arg.value}": ${read.error}`, 'warning');
          continue;
        }
        const sub = parseApacheText(read.text, fShown);
        for (const e of sub.errors) errors.push({ ...e, file: fShown });
        included.push({ path: fShown, text: read.text, nodes: sub.nodes, templated: sub.templated });
        follow(sub.nodes, real, fShown, [...stack, real], undefined);
      }
      out?.push({ directive: d, pattern: arg.value, optional, files });
    }
  };
  follow(first.nodes, rootAbs, file.path, [rootAbs], own);
  return makeDocument(file, 'apache', { nodes: first.nodes, templated: first.templated, includes: own, included }, errors);
}
