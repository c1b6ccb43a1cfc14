import type { UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { clean } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { hasGravity1 } from '../../src/core/target.js';
import { reportTable, type ApplyEnv, type OptionRow, type Outcome } from './table.js';

/** Variables Gravity sets itself for every service (GRAV state.py); an `env:` for them is overridden or clashes. */
const GRAVITY_SETS = new Set(['PYTHONPATH', 'GALAXY_CONFIG_FILE', 'VIRTUAL_ENV', 'PATH']);

/**
 * `env: KEY=VALUE` → `environment: {KEY: VALUE}` of every Galaxy service Gravity runs: uWSGI put
 * it in the environment of the master, so web workers and mules alike saw it, and Celery workers
 * run Galaxy code too. The value is never shown (environment variables often carry secrets).
 */
function env(opt: UwsgiOption, draft: GravityDraft, ctx: ApplyEnv): Outcome {
  const v = clean(opt.value);
  const eq = v.indexOf('=');
  if (eq <= 0) {
    return { action: 'review', message: '`env` needs review: without `KEY=VALUE` uWSGI removes the variable from the environment; Gravity has no equivalent, do it in the process manager if it matters' };
  }
  const key = v.slice(0, eq).trim();
  // `$(NAME)` was read from the environment uWSGI started in, which is not known here (the plan
  // reads no environment, src/commands/analysis.ts), and Gravity's `environment` does not expand it.
  const ref = /\$\([^)]*\)/.exec(opt.rawValue.slice(opt.rawValue.indexOf('=') + 1));
  if (ref) {
    return {
      action: 'review',
      message:
        `\`env\` (${key}) needs review: its value uses \`${ref[0]}\`, which uWSGI took from the environment it started in; ` +
        `Gravity does not expand it, so it is not written: set \`${key}\` under \`gravity.gunicorn.environment\` (and each handler's) by hand`,
    };
  }
  draft.environment.set(key, v.slice(eq + 1));
  if (GRAVITY_SETS.has(key)) {
    return { action: 'review', message: `\`env\` (${key}) needs review: Gravity sets ${key} itself for its services; it is written to \`environment\` as before, check that it still holds` };
  }
  // Per-service `environment` exists from Gravity 0.13 (galaxy-target.md §1.2); 22.05-era installs may have an older one.
  const old = hasGravity1(ctx.target) ? '' : '; it needs Gravity ≥ 0.13, older ones ignore `environment` (then set it in the process manager)';
  return { action: 'map', message: `\`env\` (${key}) → \`gravity.gunicorn.environment.${key}\`, and the same for every handler and Celery: uWSGI gave it to all its processes${old}` };
}

/** GRAV via docs/galaxy-target.md §2.2 (`env:` row). */
export const ENVIRONMENT_TABLE: readonly OptionRow[] = [
  { match: ['env'], action: 'map', to: 'gravity.gunicorn.environment', why: 'environment variables', source: 'GRAV settings.py `environment` (galaxy-target.md §2.2)', apply: env },
  { match: ['unenv'], action: 'review', why: 'it removed a variable from the environment; Gravity cannot, do it in the process manager if it matters', source: 'GRAV (galaxy-target.md §2.2)' },
];

export const environmentRule: Rule = {
  meta: {
    id: 'uwsgi/environment',
    description: 'env: KEY=VALUE → environment of the Gravity services',
    rationale:
      'uWSGI put `env:` variables in the environment of every process it started. Gravity sets environment per service ' +
      '(`gunicorn.environment`, `celery.environment`, `handlers.<name>.environment`), so each variable is written to every Galaxy service.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.2', 'GRAV settings.py'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, ENVIRONMENT_TABLE),
};
