import type { Document, SourceFile } from '../core/document.js';
import type { Deployment, MigrationDecisions, UwsgiConfig } from '../core/model.js';
import { findSecrets } from '../core/secrets.js';

/**
 * Contributions to the model from each format: a format's module may export a function that, given
 * its documents, returns the uWSGI option lists it holds (a galaxy.yml `uwsgi:` block, a galaxy.ini
 * `[uwsgi]` section) and the files it read on the way (includes).
 */
export interface ModelParts {
  readonly uwsgi: UwsgiConfig[];
  readonly extraFiles: SourceFile[];
}

export type UwsgiExtractor = (doc: Document) => { configs: UwsgiConfig[]; files: SourceFile[] } | undefined;
export type DecisionMaker = (parts: { documents: readonly Document[]; uwsgi: readonly UwsgiConfig[] }) => MigrationDecisions;

export const EMPTY_DECISIONS: MigrationDecisions = { forwardedAllowAll: false, legacyListeners: [], handlers: [] };

export function buildDeployment(
  documents: readonly Document[],
  extractors: readonly UwsgiExtractor[],
  decide: DecisionMaker,
): Deployment {
  const files = new Map<string, SourceFile>();
  for (const d of documents) files.set(d.file.path, d.file);
  const uwsgi: UwsgiConfig[] = [];
  for (const d of documents) {
    for (const ex of extractors) {
      const got = ex(d);
      if (!got) continue;
      uwsgi.push(...got.configs);
      for (const f of got.files) if (!files.has(f.path)) files.set(f.path, f);
    }
  }
  const secrets = new Set<string>();
  for (const f of files.values()) for (const s of findSecrets(f.text)) secrets.add(s);
  return { documents, files, uwsgi, decisions: decide({ documents, uwsgi }), secrets: [...secrets] };
}
