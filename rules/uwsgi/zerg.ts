import type { MigrationDecisions, UwsgiOption, ZergDecision } from '../../src/core/model.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import type { Target } from '../../src/core/target.js';
import { analyseProcesses } from '../../src/model/processes.js';
import { plannedInstances } from '../../src/model/zerg.js';
import { clean } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { reportTable, type ApplyEnv, type OptionRow, type Outcome } from './table.js';

/**
 * Zerg mode (docs/galaxy-target.md §2.3, Gravity docs/advanced_usage.rst): the model decides, once,
 * whether the zerg setup is understood and which gunicorn instances replace it (src/model/zerg.ts).
 * Understood, the options are mapped: the gravity writer emits `gunicorn:` as a list of instances
 * (uwsgi/section-to-gravity), the nginx rules list every bind in Galaxy's upstream, and the
 * supervisord rule removes the pool and zerglings. Not understood, each option is a review that
 * says why and what to write by hand.
 */

const BY_HAND =
  'write `gravity.gunicorn` as a list of instances (one bind each), list every bind in the proxy\'s upstream, and restart with `galaxyctl graceful` (rolling)';

const MEANING: Record<string, string> = {
  zerg: 'the zergling attached to the zerg pool',
  'zerg-pool': 'the zerg pool owned the address the proxy connected to',
  zergpool: 'the zerg pool owned the address the proxy connected to',
  'zerg-server': 'the zerg server handed its socket to the zerglings',
};

/**
 * The model's instances as the draft's binds (a list of two or more makes `gunicorn:` a list);
 * before Gravity 1.0, the one bind the zerg pool's address gives.
 */
export function applyGunicornInstances(draft: GravityDraft, d: MigrationDecisions, target: Target): void {
  const list = plannedInstances(d, target);
  if (list.length >= 2) draft.gunicornBinds = list.map((i) => i.bind);
  else if (d.zerg?.understood && d.gunicornBind && !draft.gunicorn.has('bind')) {
    // No list before Gravity 1.0: one gunicorn takes the zerg pool's address (the zerglings had none of their own).
    draft.gunicorn.set('bind', d.gunicornBind);
  } else return;
  // Unix sockets reached only by the proxy are trusted for X-Forwarded-* (§2.1), as for one bind.
  if (d.gunicornAddress?.kind === 'unix') draft.addExtraArg(FORWARDED);
}

const FORWARDED = '--forwarded-allow-ips="*"';

/** What the understood setup becomes, for messages. */
export function instancesText(d: MigrationDecisions): string {
  const list = d.gunicornInstances ?? [];
  return `a \`gravity.gunicorn\` list of ${list.length} instances (${list.map((i) => `\`${i.bind}\``).join(', ')}), which \`galaxyctl graceful\` restarts one at a time while the proxy balances over every bind`;
}

/** True when the understood decision carries the warning that the instances would handle jobs. */
function handlersCaution(z: ZergDecision): boolean {
  return z.understood && z.notes.some((n) => n.startsWith('caution'));
}

function zergOption(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  const d = env.deployment.decisions;
  const z = d.zerg;
  const was = `\`${opt.key}: ${clean(opt.value).trim()}\``;
  if (!z || !z.understood) {
    const why = z && !z.understood ? z.why : 'the zerg setup was not understood';
    return { action: 'review', message: `${was} needs review: zerg mode gave zero-downtime restarts, but ${why}; ${BY_HAND}` };
  }
  if (!plannedInstances(d, env.target).length) {
    return {
      action: 'review',
      message: `${was} needs review: a \`gravity.gunicorn\` list (rolling restarts) needs Gravity ≥ 1.0, i.e. Galaxy 23.0; for Galaxy ${env.target.galaxy} one gunicorn binds \`${d.gunicornBind}\`, the zerg pool's address, and \`galaxyctl graceful\` restarts it with a short interruption`,
    };
  }
  if (env.primary) applyGunicornInstances(draft, d, env.target);
  const meaning = MEANING[opt.key] ?? 'part of the zerg setup';
  return {
    action: 'map',
    message: `${was} (${meaning}) → ${instancesText(d)}; the zerg pool's address is read from ${z.poolFrom}`,
    notes: z.notes,
    ...(handlersCaution(z) ? { severity: 'warning' as const } : {}),
  };
}

/** GRAV docs/advanced_usage.rst via docs/galaxy-target.md §2.3 (zerg row). */
export const ZERG_TABLE: readonly OptionRow[] = [
  {
    match: ['zerg', 'zerg-pool', 'zerg-server', 'zerg-fallback', 'zergpool', 'zerg-attach', 'zerg-fd'],
    action: 'map',
    to: 'gravity.gunicorn (a list of instances)',
    why: 'zerg mode gave zero-downtime restarts; under Gravity ≥ 1.0 a `gravity.gunicorn` list of instances (one bind each) restarted by `galaxyctl graceful` does',
    source: 'GRAV docs/advanced_usage.rst (galaxy-target.md §2.3)',
    showValue: true,
    apply: zergOption,
  },
];

/**
 * A zerg setup seen only in the process manager (the zerglings' uWSGI configuration was not read,
 * or attaches on the command line): one finding at the pool (or first zergling) program, so the
 * decision is reported even when no uWSGI option carries it.
 */
function reportFromProcesses(ctx: RuleContext): void {
  const d = ctx.deployment.decisions;
  const z = d.zerg;
  if (!z) return;
  const keys = ZERG_TABLE[0]!.match as readonly string[];
  if (ctx.deployment.uwsgi.some((c) => c.options.some((o) => keys.includes(o.key)))) return;
  const services = analyseProcesses(ctx.deployment.documents).services;
  const at = services.find((s) => s.role === 'zerg-pool') ?? services.find((s) => s.role === 'zergling');
  if (!at) return;
  const what = at.role === 'zerg-pool' ? 'runs a uWSGI zerg pool' : 'runs a uWSGI zergling';
  const name = at.manager === 'supervisor' ? `\`[program:${at.name}]\`` : `\`${at.name}\``;
  if (!z.understood) {
    ctx.report({ file: at.file, range: at.range, severity: 'warning', message: `${name} ${what}: zerg mode gave zero-downtime restarts, but ${z.why}; ${BY_HAND}` });
    return;
  }
  if (!plannedInstances(d, ctx.target).length) {
    ctx.report({
      file: at.file,
      range: at.range,
      severity: 'warning',
      message: `${name} ${what}: a \`gravity.gunicorn\` list (rolling restarts) needs Gravity ≥ 1.0, i.e. Galaxy 23.0; for Galaxy ${ctx.target.galaxy} one gunicorn binds \`${d.gunicornBind}\`, the zerg pool's address`,
    });
    return;
  }
  ctx.report({
    file: at.file,
    range: at.range,
    severity: handlersCaution(z) ? 'warning' : 'info',
    message: `${name} ${what}: the zerg setup becomes ${instancesText(d)}; the zerg pool's address is read from ${z.poolFrom}`,
    notes: z.notes,
  });
}

export const zergRule: Rule = {
  meta: {
    id: 'uwsgi/zerg',
    description: 'zerg mode → a gravity.gunicorn list of instances with rolling restarts (review where the setup is not understood)',
    rationale:
      'Zerg mode let several uWSGI instances share one socket for restarts without downtime. Gravity 1.0 does the same with a `gunicorn` list, ' +
      'one bind per instance, and `galaxyctl graceful`, which restarts them one at a time. The instances take over the zerg pool\'s address ' +
      '(the first keeps it, the others take the next free ports, or numbered sockets beside a unix socket), one per zergling and at least two; ' +
      'the gravity section, the nginx upstream and the supervisord programs are rewritten from that one decision. Where the pool\'s address ' +
      'is unknown or templated, or several pools exist, the options stay a review with the reason.',
    severity: 'warning',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.3, §1.3, §1.4', 'GRAV docs/advanced_usage.rst'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => {
    reportTable(ctx, ZERG_TABLE);
    reportFromProcesses(ctx);
  },
};
