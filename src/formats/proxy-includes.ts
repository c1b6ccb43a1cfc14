import type { Document, SourceFile } from '../core/document.js';
import type { UwsgiExtractor } from '../model/build.js';
import { includedFiles, type NginxAst } from './nginx/index.js';

/**
 * The files nginx (and Apache) configurations include, as sources of the deployment: a rule may
 * rewrite a `uwsgi_pass` that sits in an included snippet, and the plan only edits files it holds.
 * Contributes no uWSGI options.
 */
export const proxyIncludes: UwsgiExtractor = (doc: Document) => {
  const files: SourceFile[] = [];
  if (doc.kind === 'nginx' && doc.ast) {
    for (const f of includedFiles(doc.ast as NginxAst)) files.push({ path: f.path, text: f.text, bom: f.text.charCodeAt(0) === 0xfeff });
  }
  if (doc.kind === 'apache' && doc.ast) {
    const ast = doc.ast as { included?: readonly { path: string; text: string }[] };
    for (const f of ast.included ?? []) files.push({ path: f.path, text: f.text, bom: f.text.charCodeAt(0) === 0xfeff });
  }
  return files.length ? { configs: [], files } : undefined;
};
