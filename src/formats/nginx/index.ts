import { makeDocument, type Document, type ParseIssue, type SourceFile } from '../../core/document.js';
import type { ReadHost } from '../../core/host.js';
import { resolveInclude, type ListingHost } from '../include-paths.js';
import type { NginxAst, NginxDirective, NginxInclude, NginxIncludedFile, NginxNode } from './ast.js';
import { parseNginxText, walkDirectives } from './parse.js';

export type { NginxAst, NginxDirective, NginxInclude, NginxIncludedFile, NginxNode, NginxWord } from './ast.js';
export { parseNginxText, walkDirectives } from './parse.js';

/**
 * Files nginx ships beside nginx.conf: an include of one of them that is not in the deployment is
 * the stock file, not a missing one (Debian's nginx-common; nginx's own conf/ directory).
 */
export const STOCK_INCLUDES = new Set([
  'uwsgi_params',
  'proxy_params',
  'fastcgi_params',
  'fastcgi.conf',
  'scgi_params',
  'mime.types',
  'koi-utf',
  'koi-win',
  'win-utf',
  'snippets/fastcgi-php.conf',
  'snippets/snakeoil.conf',
]);

/** Includes nest at most this deep (nginx has no limit; a loop is caught before this). */
const MAX_DEPTH = 16;

function absOf(host: ReadHost, path: string): string {
  if (path.startsWith('/')) return path;
  const cwd = host.cwd.endsWith('/') ? host.cwd : `${host.cwd}/`;
  return `${cwd}${path}`;
}

/** Reads an nginx file and, recursively, what it includes. Never throws. */
export function parseNginx(file: SourceFile, host: ReadHost): Document<NginxAst> {
  const errors: ParseIssue[] = [];
  const start = host.realpath(file.path) ?? absOf(host, file.path);
  const ast = readTree(file.text, file.path, start, host as ListingHost, [start], errors, 0);
  return makeDocument(file, 'nginx', ast, errors);
}

function readTree(
  text: string,
  shown: string,
  abs: string,
  host: ListingHost,
  stack: string[],
  errors: ParseIssue[],
  depth: number,
): NginxAst {
  const parsed = parseNginxText(text, shown);
  const own = stack.length === 1;
  for (const e of parsed.errors) errors.push(own ? e : { ...e, file: shown });
  const includes: NginxInclude[] = [];
  for (const d of walkDirectives(parsed.nodes)) {
    if (d.name !== 'include' || d.block) continue;
    includes.push(readInclude(d, shown, abs, host, stack, errors, depth));
  }
  return { nodes: parsed.nodes, templated: parsed.templated, includes };
}

function readInclude(
  d: NginxDirective,
  shown: string,
  abs: string,
  host: ListingHost,
  stack: string[],
  errors: ParseIssue[],
  depth: number,
): NginxInclude {
  const issue = (message: string, severity: 'info' | 'warning'): void => {
    errors.push({ message, range: d.range, ruleId: 'nginx/include', severity, ...(stack.length > 1 ? { file: shown } : {}) });
  };
  const arg = d.args[0];
  if (!arg || d.args.length !== 1) {
    issue(`"include" takes one file name or mask (found ${d.args.length})`, 'warning');
    return { directive: d, pattern: arg?.value ?? '', files: [], unresolved: 'not-found' };
  }
  const pattern = arg.value;
  if (arg.templated || pattern.includes('$')) {
    return { directive: d, pattern, files: [], unresolved: 'template' };
  }
  const res = resolveInclude(pattern, abs, host);
  if (!res.files.length) {
    if (STOCK_INCLUDES.has(pattern.replace(/^\/etc\/nginx\//, ''))) return { directive: d, pattern, files: [], unresolved: 'stock' };
    if (res.reason === 'outside') {
      issue(`include "${pattern}" is outside the deployment, so it was not read; name its directory too if it holds Galaxy's proxy settings`, 'info');
      return { directive: d, pattern, files: [], unresolved: 'outside' };
    }
    if (!/[*?[]/.test(pattern)) issue(`include "${pattern}" was not found beside this file or in the deployment, so its directives were not checked`, 'info');
    return { directive: d, pattern, files: [], unresolved: 'not-found' };
  }
  const files: NginxIncludedFile[] = [];
  for (const f of res.files) {
    const real = host.realpath(f) ?? f;
    const fShown = host.displayPath(real);
    if (stack.includes(real)) {
      const chain = [...stack, real].map((p) => host.displayPath(p)).join(' -> ');
      issue(`include loop: ${chain}; nginx would fail here too`, 'warning');
      return { directive: d, pattern, files, unresolved: 'loop' };
    }
    if (depth + 1 > MAX_DEPTH) {
      issue(`includes nest deeper than ${MAX_DEPTH} files here; not followed further`, 'warning');
      break;
    }
    const read = host.readFile(real);
    if ('error' in read) {
      issue(`include "${pattern}": ${read.error}`, 'warning');
      continue;
    }
    const sub = readTree(read.text, fShown, real, host, [...stack, real], errors, depth + 1);
    files.push({ path: fShown, text: read.text, ast: sub });
  }
  return { directive: d, pattern, files };
}

/** The directive's enclosing blocks, innermost first (within its own file). */
export function ancestors(d: NginxDirective): NginxDirective[] {
  const out: NginxDirective[] = [];
  for (let p = d.parent; p; p = p.parent) out.push(p);
  return out;
}

/** Every included file of a tree, transitively, each once (first occurrence wins). */
export function includedFiles(ast: NginxAst): NginxIncludedFile[] {
  const seen = new Map<string, NginxIncludedFile>();
  const visit = (a: NginxAst): void => {
    for (const inc of a.includes) {
      for (const f of inc.files) {
        if (seen.has(f.path)) continue;
        seen.set(f.path, f);
        visit(f.ast);
      }
    }
  };
  visit(ast);
  return [...seen.values()];
}

/** The nodes of a list that are directives. */
export function directivesOf(nodes: readonly NginxNode[]): NginxDirective[] {
  return nodes.filter((n): n is NginxDirective => n.type === 'directive');
}
