import { resolve } from 'node:path';
import { ALL_RULES } from '../../rules/index.js';
import { loadConfig, PSEUDO_RULE_IDS, type Config } from '../config/config.js';
import { isIgnored } from '../config/glob.js';
import type { FileKind } from '../core/document.js';
import type { EngineResult } from '../core/engine.js';
import type { Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { fixesInFoldOrder, planOf } from '../core/select.js';
import { applySuppressions, type Directive } from '../core/suppress.js';
import type { Target } from '../core/target.js';
import { pathInRoot } from '../io/backup.js';
import { nodeHost } from '../io/host.js';
import { withProgress } from '../io/progress.js';
import { analyse, type AnalyseOptions, type Loaded } from '../pipeline.js';
import type { CommandDeps } from './deps.js';
import type { CommandIo } from './io.js';

export interface ConfigOptions {
  /** `--config FILE`; `false` for `--no-config`. */
  readonly config?: string | boolean;
  /** How the servers are analysed (lint: lean, on two threads for a large tree; see src/pipeline.ts). */
  readonly analyse?: AnalyseOptions;
}

export interface Analysis {
  readonly loaded: Loaded;
  /** Findings and plan after the config (rules off, severities, ignored paths) and inline suppressions. */
  readonly result: EngineResult;
  readonly rules: readonly Rule[];
  readonly config?: Config;
  readonly suppressed: readonly Finding[];
  readonly unusedDirectives: readonly Directive[];
}

/**
 * read -> parse -> rules, then what the admin said: the config file and the inline directives.
 * `plan`, `lint` and `apply` all go through here, so a rule turned off is neither reported nor
 * applied, and a silenced line is not rewritten.
 */
export function analyseConfigured(
  paths: readonly string[],
  io: CommandIo,
  opts: ConfigOptions,
  target: Target,
  deps: CommandDeps = {},
): Analysis {
  const rules = deps.rules ?? ALL_RULES;
  const known = new Set<string>([...rules.map((r) => r.meta.id), ...PSEUDO_RULE_IDS]);
  const config = opts.config === false ? undefined : loadConfig(typeof opts.config === 'string' ? opts.config : undefined, io.cwd, known);
  const disabled = new Set<string>();
  for (const [id, s] of config?.rules ?? []) if (s.off) disabled.add(id);

  // The deployment is read with no environment: uWSGI's `$(VAR)`, `UWSGI_*` options and `%h`/`%U`
  // come from the environment uWSGI started in on the server, not from the shell (or CI job) that
  // runs galaxy-migrate. A plan must not change with that shell, nor carry its PATH or a secret
  // variable into galaxy.yml; `$(VAR)` stays as written, as uWSGI leaves an unset one, and the rules
  // say what needs a hand. (`show-config` does read the environment: it answers as uWSGI run here.)
  const progress = withProgress(nodeHost(io.cwd, {}), io.stderr, deps.stderrIsTty ?? io.stderrIsTty ?? false);
  let loaded: Loaded;
  let raw: EngineResult;
  try {
    ({ loaded, result: raw } = analyse(paths, progress.host, target, disabled, rules, opts.analyse));
  } finally {
    progress.done();
  }

  const d = loaded.deployment;
  let findings = [...raw.findings];
  if (config?.ignore.length) {
    findings = findings.filter((f) => !isIgnored(pathInRoot(config.dir, resolve(io.cwd, f.file)), config.ignore));
  }
  const kinds = new Map<string, FileKind>(d.documents.map((doc) => [doc.file.path, doc.kind]));
  const sup = applySuppressions(findings, d.files, (f) => kinds.get(f));
  findings = sup.kept.map((f) => {
    const s = config?.rules.get(f.ruleId)?.severity;
    return s && s !== f.severity ? { ...f, severity: s } : f;
  });

  const kept = new Set(sup.kept);
  const droppedFix = raw.findings.some((f) => f.fix && !kept.has(f));
  const plan = droppedFix ? planOf(fixesInFoldOrder(findings, rules.map((r) => r.meta.id)), d.files) : raw.plan;
  return { loaded, result: { findings, plan }, rules, ...(config ? { config } : {}), suppressed: sup.suppressed, unusedDirectives: sup.unused };
}
