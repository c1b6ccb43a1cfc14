import { makeDocument, type Document, type SourceFile } from '../../core/document.js';
import type { ReadHost } from '../../core/host.js';
import { detectEol, LineIndex } from '../../core/range.js';
import { fatalIssue } from './fatal.js';
import type { UwsgiReadResult } from '../uwsgi/load.js';
import { readUwsgiFile } from './read.js';

/** A standalone uWSGI file (`uwsgi.ini`, `uwsgi.yml`): its `uwsgi` section as uWSGI reads it. */
export interface UwsgiFileAst {
  readonly format: 'yaml' | 'ini';
  readonly read: UwsgiReadResult;
  readonly eol: '\n' | '\r\n';
}

/** Reads the file's `uwsgi` section with uWSGI's own rules (same reader as galaxy.yml's block). Never throws. */
export function parseUwsgiFile(format: 'yaml' | 'ini') {
  return (file: SourceFile, host: ReadHost): Document<UwsgiFileAst> => {
    const read = readUwsgiFile(file.path, host, { section: 'uwsgi', format, text: file.text });
    const lines = new LineIndex(file.text);
    const issues = [...read.issues, ...fatalIssue(read, file.path, (o) => lines.position(o).line)];
    return makeDocument(file, format === 'yaml' ? 'uwsgi-yaml' : 'uwsgi-ini', { format, read, eol: detectEol(file.text) }, issues);
  };
}

export const parseUwsgiYaml = parseUwsgiFile('yaml');
export const parseUwsgiIni = parseUwsgiFile('ini');
