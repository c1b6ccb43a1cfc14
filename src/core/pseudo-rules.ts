import type { RuleMeta } from './rule.js';

/**
 * Ids the tool reports without a rule behind them (the engine, the readers, the walk, lint's
 * directive check), described like rules so that `migrate explain`, SARIF and the config know them.
 */
const pseudo = (id: string, severity: RuleMeta['severity'], description: string, rationale: string): RuleMeta => ({
  id,
  severity,
  description,
  rationale,
  fixable: false,
  sources: ['galaxy-migrate itself'],
});

export const PSEUDO_RULES: readonly RuleMeta[] = [
  pseudo('parse-error', 'error', 'The file could not be read as its kind', 'A file that does not parse is never migrated: fix the syntax error first, then plan again'),
  pseudo('parse-warning', 'warning', 'The file reads, but with a warning from its parser', 'What the parser warns about may not mean what it seems; check the line before migrating'),
  pseudo('internal-error', 'error', 'galaxy-migrate failed while reading the file', 'This is a bug in galaxy-migrate; please report it with the file that caused it'),
  pseudo('file-skipped', 'warning', 'A file of the deployment was not read', 'A file that is not read (unreadable, too large, not UTF-8, a link leaving the deployment) is neither checked nor migrated'),
  pseudo(
    'unused-disable-directive',
    'info',
    'A galaxy-migrate-disable-next-line comment silences nothing',
    'A directive that no longer matches a finding hides nothing and misleads readers: remove it',
  ),
];

export function pseudoRule(id: string): RuleMeta | undefined {
  return PSEUDO_RULES.find((r) => r.id === id);
}
