import type { Deployment } from './model.js';
import type { FindingInput, Severity } from './finding.js';
import type { ReleaseRange, Target } from './target.js';

export interface RuleMeta {
  /** `family/name`, stable: users disable and suppress rules by it. */
  readonly id: string;
  /** One line, for `migrate rules`. */
  readonly description: string;
  /** Why the rule exists, for `migrate explain`. */
  readonly rationale: string;
  readonly severity: Severity;
  readonly fixable: boolean;
  /** Where the facts behind the rule come from (docs/galaxy-target.md keys, upstream files). */
  readonly sources: readonly string[];
  /** Galaxy releases the rule applies to; absent means all. */
  readonly galaxy?: ReleaseRange;
}

export interface RuleContext {
  readonly deployment: Deployment;
  readonly target: Target;
  /** Report a finding under this rule's id; severity defaults to the rule's. */
  report(finding: FindingInput): void;
}

/** Rules are pure and small: they read documents or the model and report findings with fixes. */
export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export class RuleRegistry {
  private readonly byId = new Map<string, Rule>();

  constructor(rules: readonly Rule[] = []) {
    for (const r of rules) this.add(r);
  }

  add(rule: Rule): void {
    if (this.byId.has(rule.meta.id)) throw new Error(`rule ${rule.meta.id} registered twice`);
    this.byId.set(rule.meta.id, rule);
  }

  get(id: string): Rule | undefined {
    return this.byId.get(id);
  }

  all(): Rule[] {
    return [...this.byId.values()];
  }
}
