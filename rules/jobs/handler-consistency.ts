import type { Deployment, UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { parseLegacyId } from '../../src/formats/job-conf/view.js';
import { groupTags, jobsContext, processNames } from './context.js';
import { SRC } from './fix.js';
import { handlerPlan, list, resolvesAfter, type HandlerPlan } from './plan.js';

/**
 * Cross-file, on the model (DESIGN.md "the handler pools in gravity: are the ones job_conf's tools
 * are mapped to"): after the migration every handler a tool, a resubmit rule or the default names
 * must be served by a static handler of the job conf or by a Gravity pool; a tagged pool no tool
 * is mapped to takes nothing; and something must take the jobs no tool is mapped to.
 * Legacy ids and stale tags are jobs/legacy-handler-ids' and jobs/stale-default's; this rule
 * reports what is left.
 */
export const handlerConsistencyRule: Rule = {
  meta: {
    id: 'jobs/handler-consistency',
    description: 'tags and handlers the job conf uses ↔ static handlers and gravity.handlers pools after the migration',
    rationale:
      'A tool mapped to a handler id or tag that nothing serves waits forever; a Gravity pool `job-handlers.<tag>` takes only jobs ' +
      'sent to `<tag>`, so a pool whose tag no tool or default uses is idle; and with no untagged static handler, no `job-handlers` ' +
      'pool and no default, the jobs of unmapped tools have no handler. The check runs on the model after the migration: the job ' +
      'conf as the jobs/* rules rewrite it and the gravity.handlers groups the migration writes.',
    severity: 'warning',
    fixable: false,
    sources: [SRC.syntax, SRC.gravity, SRC.recipes, 'DESIGN.md (the deployment is one model)'],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    const usedTags = new Set<string>();
    let opaque = false;
    for (const conf of jc.confs) {
      const plan = handlerPlan(jc, conf);
      if (conf.handlersOpaque || conf.incomplete) opaque = true;
      const handled = new Set([...plan.legacy.map((a) => a.id), ...plan.staleTags.map((s) => s.tag)]);
      const renamed = newNames(plan);
      for (const r of conf.refs) {
        if (r.value.templated) {
          opaque = true;
          continue;
        }
        const v = r.value.value;
        usedTags.add(handled.has(v) ? renamed(v) ?? v : v);
        if (handled.has(v) || parseLegacyId(v)) continue;
        if (conf.handlersOpaque || conf.incomplete || resolvesAfter(plan.after, v)) continue;
        const what = r.kind === 'tool' ? `tool \`${r.owner ?? '?'}\` is mapped` : 'a resubmit rule sends jobs';
        ctx.report({
          file: conf.file,
          range: r.value.range,
          message: `${what} to handler \`${v}\`, which no static handler, tag or Gravity pool provides after the migration${serveHint(jc.groups.map((g) => g.name))}`,
        });
      }
      if (plan.after.default) usedTags.add(plan.after.default);
      if (conf.default?.templated || conf.defaultIndirect) opaque = true;
      if (
        jc.migrating &&
        plan.after.anyHandler &&
        !plan.after.default &&
        !conf.defaultIndirect &&
        !plan.after.untaggedStatic &&
        !plan.after.defaultPool &&
        !conf.handlersOpaque &&
        !conf.incomplete
      ) {
        ctx.report({
          file: conf.file,
          range: conf.handling ?? conf.anchor,
          message:
            'no handler takes the jobs of tools that are not mapped to one: every static handler is tagged, no Gravity group is in the ' +
            '`job-handlers` pool and no default is set; add `job-handlers` to a group\'s pools or set `default` to a tag',
        });
      }
    }
    if (opaque || !jc.confs.length) return;
    const g = jc.galaxy;
    for (const group of jc.groups) {
      for (const tag of groupTags(group)) {
        if (usedTags.has(tag)) continue;
        const farm = farmOption(ctx.deployment, tag);
        ctx.report({
          file: group.entry && g ? g.file : (farm?.file ?? g?.file ?? jc.confs[0]!.file),
          range: group.entry && g ? group.entry.keyRange : (farm?.range ?? { start: 0, end: 0 }),
          severity: 'info',
          message: `gravity.handlers.${group.name} (${list(processNames(group))}) serves the pool \`job-handlers.${tag}\`, but no tool, resubmit rule or default in the job conf sends jobs to \`${tag}\`: those processes take no jobs`,
        });
      }
    }
  },
};

/**
 * What a legacy id or stale tag is called after the plan. Indexed once per plan (the first action
 * for a name wins, as a search would find it): asked per reference, a search of the plan's
 * actions each time was quadratic in a job conf with thousands of handlers.
 */
function newNames(plan: ReturnType<typeof handlerPlan>): (v: string) => string | undefined {
  const legacy = new Map<string, HandlerPlan['legacy'][number]>();
  for (const a of plan.legacy) if (!legacy.has(a.id)) legacy.set(a.id, a);
  const stale = new Map<string, HandlerPlan['staleTags'][number]>();
  for (const s of plan.staleTags) if (!stale.has(s.tag)) stale.set(s.tag, s);
  return (v) => {
    const a = legacy.get(v);
    if (a) return a.outcome.kind === 'pool-tag' ? a.outcome.tag : a.outcome.kind === 'static' ? a.outcome.id : undefined;
    const s = stale.get(v);
    return s?.outcome.kind === 'pool-tag' ? s.outcome.tag : undefined;
  };
}

function serveHint(groups: readonly string[]): string {
  return groups.length
    ? ` (Gravity runs ${list(groups)}; a pool \`job-handlers.<tag>\` serves the tag \`<tag>\`)`
    : ' (define it as a static handler, or add a gravity.handlers group with the pool `job-handlers.<tag>`)';
}

function farmOption(d: Deployment, tag: string): UwsgiOption | undefined {
  return d.uwsgi.flatMap((c) => c.options).find((o) => o.key === 'farm' && o.value.includes(`job-handlers.${tag}`));
}
