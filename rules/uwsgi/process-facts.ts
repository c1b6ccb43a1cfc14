import type { MigrationDecisions } from '../../src/core/model.js';
import { hasGravity1, type Target } from '../../src/core/target.js';
import type { GravityDraft } from './draft.js';

/**
 * What the legacy supervisord programs / systemd units ran (`decisions.processes`, decided by the
 * process-manager family, docs/galaxy-target.md §6.3) goes into the same `gravity:` section: the
 * process manager, the user, umask and memory limit, the working directory and virtualenv, the
 * web program's start/stop timeouts and environment. What the uWSGI configuration says wins (its
 * `umask`, `env`, `chdir` applied inside the process the program started); Gravity 1.x keys are
 * written only for targets that have them (§1.2, §1.10).
 */

/** Gravity 1.0 keys (top level and per service). */
const GRAVITY1 = new Set(['process_manager', 'galaxy_user', 'galaxy_group', 'umask', 'memory_limit', 'memory_high', 'start_timeout', 'stop_timeout']);

/** Adds the facts the uWSGI configuration did not already decide; returns lines for the finding's notes. */
export function addProcessFacts(draft: GravityDraft, d: MigrationDecisions, target: Target): string[] {
  const facts = d.processes;
  if (!facts) return [];
  const taken: string[] = [];
  const skipped: string[] = [];
  const allowed = (key: string): boolean => {
    if (GRAVITY1.has(key) && !hasGravity1(target)) {
      skipped.push(key);
      return false;
    }
    return true;
  };
  for (const s of facts.top) {
    if (draft.top.has(s.key) || !allowed(s.key)) continue;
    draft.top.set(s.key, s.value);
    taken.push(s.key);
  }
  for (const s of facts.gunicorn) {
    if (draft.gunicorn.has(s.key) || !allowed(s.key)) continue;
    draft.gunicorn.set(s.key, s.value);
    taken.push(`gunicorn.${s.key}`);
  }
  for (const s of facts.environment) {
    if (draft.environment.has(s.key)) continue;
    draft.environment.set(s.key, String(s.value));
    taken.push(`environment.${s.key}`);
  }
  const notes: string[] = [];
  if (taken.length) notes.push(`from the ${facts.manager} configuration that ran Galaxy: ${taken.map((k) => `\`${k}\``).join(', ')}`);
  if (skipped.length) {
    notes.push(`not written for Galaxy ${target.galaxy} (Gravity 1.0 keys, Galaxy 23.0 and later): ${[...new Set(skipped)].map((k) => `\`${k}\``).join(', ')}; set them in the ${facts.manager} configuration instead`);
  }
  return notes;
}
