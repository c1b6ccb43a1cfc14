import { makeDocument, type Document, type FileKind, type SourceFile } from '../core/document.js';
import type { ReadHost } from '../core/host.js';
import { parseGalaxyIni } from './galaxy-ini/index.js';
import { parseGalaxyYml } from './galaxy-yml/index.js';
import { parseAnsibleVars } from './ansible-vars/index.js';
import { parseApache } from './apache/index.js';
import { parseNginx } from './nginx/index.js';
import { parseSupervisor } from './supervisor/index.js';
import { parseSystemd } from './systemd/index.js';
import { parseUwsgiIni, parseUwsgiYaml } from './uwsgi-file/parse.js';
import { parseJobConfXml } from './job-conf-xml/index.js';
import { parseJobConfYml } from './job-conf-yml/index.js';

/** A format's reader: never throws; problems go in `Document.errors`. */
export type Parser = (file: SourceFile, host: ReadHost) => Document;

/**
 * One line per file kind. A format folder exports its parser; adding a kind is adding a line.
 */
export const PARSERS: Record<FileKind, Parser> = {
  'galaxy-yml': parseGalaxyYml,
  'uwsgi-yaml': parseUwsgiYaml,
  'uwsgi-ini': parseUwsgiIni,
  'galaxy-ini': parseGalaxyIni,
  'job-conf-xml': parseJobConfXml,
  'job-conf-yml': parseJobConfYml,
  nginx: parseNginx,
  apache: parseApache,
  supervisor: parseSupervisor,
  systemd: parseSystemd,
  'ansible-vars': parseAnsibleVars,
};

/** Parses with the kind's reader; a reader that throws anyway becomes a parse error, not a crash. */
export function parseAs(kind: FileKind, file: SourceFile, host: ReadHost): Document {
  try {
    return PARSERS[kind](file, host);
  } catch (e) {
    return makeDocument(file, kind, undefined, [
      { message: `internal error while reading this ${kind} file: ${(e as Error).message}`, range: { start: 0, end: 0 }, ruleId: 'internal-error' },
    ]);
  }
}
