import { ALL_RULES } from '../rules/index.js';
import type { Document, SourceFile } from './core/document.js';
import { runRules, type EngineResult } from './core/engine.js';
import type { ReadHost } from './core/host.js';
import type { Deployment } from './core/model.js';
import type { Rule } from './core/rule.js';
import type { Target } from './core/target.js';
import { detectKind } from './formats/detect.js';
import { parseAs } from './formats/parsers.js';
import { discover } from './io/discover.js';
import { buildDeployment } from './model/build.js';
import { decideMigration, UWSGI_EXTRACTORS } from './model/wiring.js';

/** Something that stops the command (exit 2): one sentence with the file. */
export class UsageError extends Error {}

export interface Loaded {
  readonly deployment: Deployment;
  /** Files walked but not recognised (not an error in a directory walk). */
  readonly skipped: readonly string[];
}

/**
 * read -> detect -> parse, once per file. A file named explicitly that cannot be read or whose kind
 * is unknown stops the command; inside a directory such files are skipped.
 */
export function loadDeployment(paths: readonly string[], host: ReadHost): Loaded {
  const found = discover(paths, host.cwd);
  if (found.errors.length) throw new UsageError(found.errors.join('\n'));
  const docs: Document[] = [];
  const skipped: string[] = [];
  for (const abs of found.files) {
    const shown = host.displayPath(abs);
    const read = host.readFile(abs);
    if ('error' in read) {
      if (found.explicit.has(abs)) throw new UsageError(read.error.replace(abs, shown));
      skipped.push(shown);
      continue;
    }
    const kind = detectKind(shown, read.text);
    if (!kind) {
      if (found.explicit.has(abs)) throw new UsageError(`${shown}: not a file galaxy-migrate knows (galaxy.yml, galaxy.ini, uWSGI config, job conf, nginx, Apache, supervisord, systemd)`);
      skipped.push(shown);
      continue;
    }
    const file: SourceFile = { path: shown, text: read.text, bom: read.text.charCodeAt(0) === 0xfeff };
    docs.push(parseAs(kind, file, host));
  }
  return { deployment: buildDeployment(docs, UWSGI_EXTRACTORS, decideMigration), skipped };
}

export function analyse(
  paths: readonly string[],
  host: ReadHost,
  target: Target,
  disabled?: ReadonlySet<string>,
  rules: readonly Rule[] = ALL_RULES,
): { loaded: Loaded; result: EngineResult } {
  const loaded = loadDeployment(paths, host);
  const result = runRules(loaded.deployment, rules, { target, disabled });
  return { loaded, result };
}
