import type { Edit } from '../../src/core/finding.js';
import type { Deployment, HandlerGroup } from '../../src/core/model.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import type { GalaxyJobOptions, GravityHandlerEntry } from '../../src/formats/job-conf/galaxy.js';
import { isGalaxyPool, isSingularPool, pluralPool } from '../../src/model/handlers.js';
import { jobsContext, processNames, type GravityGroup, type JobsContext } from './context.js';
import { editFix, SRC } from './fix.js';
import { handlerPlan, list } from './plan.js';

/** The jobs context with the galaxy.yml whose gravity.handlers the pool rules judge, and its text; none without a galaxy.yml. */
function gravityHandlersFile(ctx: RuleContext): { jc: JobsContext; g: GalaxyJobOptions; text: string } | undefined {
  const jc = jobsContext(ctx.deployment);
  const g = jc.galaxy;
  return g && { jc, g, text: ctx.deployment.files.get(g.file)?.text ?? '' };
}

function quoted(raw: string, value: string): string {
  const q = raw[0];
  return q === '"' || q === "'" ? `${q}${value}${q}` : value;
}

/**
 * §1.9, §5.4 rule 11: Galaxy knows the pools `job-handlers[.tag]` and `workflow-schedulers[.tag]`
 * only. Galaxy 22.01's scaling.md (and Gravity ≤0.12's tests) wrote `job-handler` /
 * `workflow-scheduler`, a doc bug that the GTN training copied: handlers in those pools take no
 * jobs and schedule no workflows.
 */
export const gravityPoolNamesRule: Rule = {
  meta: {
    id: 'jobs/gravity-pool-names',
    description: 'gravity.handlers pools are names Galaxy knows (job-handlers, workflow-schedulers; not the singular forms)',
    rationale:
      'Galaxy attaches a webless handler to the pools given by --attach-to-pool and knows only job-handlers[.tag] and ' +
      'workflow-schedulers[.tag] (JobConfiguration.DEFAULT_BASE_HANDLER_POOLS, WorkflowSchedulingManager). The singular forms ' +
      'in Galaxy 22.01\'s scaling.md are a documentation bug; a handler attached only to them is idle.',
    severity: 'error',
    fixable: true,
    sources: [SRC.gravity, 'docs/galaxy-target.md §5.4 rule 11, §7 item 5', 'GX-STACK-NEW _init_job_handler_subpools'],
  },
  check(ctx) {
    const at = gravityHandlersFile(ctx);
    if (!at) return;
    const { g, text } = at;
    for (const e of g.gravityHandlers) {
      for (const v of e.pools?.values ?? []) {
        if (v.templated || isGalaxyPool(v.value)) continue;
        if (isSingularPool(v.value)) {
          const fixed = pluralPool(v.value);
          ctx.report({
            file: g.file,
            range: v.range,
            message: `pool \`${v.value}\` of gravity.handlers.${e.name} is not a pool Galaxy knows (the singular form is a Galaxy 22.01 doc bug): use \`${fixed}\``,
            fix: editFix(`${v.value} → ${fixed}`, g.file, [{ start: v.range.start, end: v.range.end, text: quoted(text.slice(v.range.start, v.range.end), fixed) }]),
          });
        } else {
          ctx.report({
            file: g.file,
            range: v.range,
            severity: 'warning',
            message: `pool \`${v.value}\` of gravity.handlers.${e.name} is not a pool Galaxy knows (job-handlers[.tag], workflow-schedulers[.tag]): its processes take nothing from it`,
          });
        }
      }
    }
  },
};

/**
 * §1.9, §5.4 rule 10: Gravity has no default `pools`; a dynamic handler without pools handles no
 * jobs once the assignment method is explicit, unless its name is also a static handler.
 */
export const handlersWithoutPoolsRule: Rule = {
  meta: {
    id: 'jobs/handlers-without-pools',
    description: 'every gravity.handlers entry names its pools (Gravity has no default; without pools a handler is idle)',
    rationale:
      'Gravity passes one --attach-to-pool per entry of `pools` and has no default (the Galaxy 22.01 doc claims one; Gravity\'s code ' +
      'has none). With the assignment method set explicitly, as Gravity handlers need, a process attached to no pool handles no jobs ' +
      'unless the job conf also defines it as a static handler ("please omit the handlers entry completely, as these will otherwise be idle").',
    severity: 'warning',
    fixable: true,
    sources: [SRC.gravity, 'docs/galaxy-target.md §5.4 rule 10', 'GX-SCALE-GU'],
  },
  check(ctx) {
    const at = gravityHandlersFile(ctx);
    if (!at) return;
    const { jc, g, text } = at;
    const staticIds = new Set(jc.confs.flatMap((c) => [...handlerPlan(jc, c).after.staticIds]));
    for (const group of jc.groups) {
      const e = group.entry;
      if (!e || group.source !== 'galaxy.yml') continue; // the migration writes its own groups with pools
      if (e.pools && e.pools.values.length) continue;
      if (processNames(group).every((n) => staticIds.has(n))) continue;
      ctx.report({
        file: g.file,
        range: e.keyRange,
        message: `gravity.handlers.${e.name} has no \`pools\`: Gravity gives it no --attach-to-pool, so with an explicit assignment method its process${group.processes === 1 ? '' : 'es'} (${list(processNames(group))}) handle no jobs; it gets \`pools: [job-handlers, workflow-schedulers]\``,
        fix: editFix(`add pools to gravity.handlers.${e.name}`, g.file, [poolsEdit(text, e)]),
      });
    }
  },
};

function poolsEdit(text: string, e: GravityHandlerEntry): Edit | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (e.pools) return { start: e.pools.range.start, end: e.pools.range.end, text: '[job-handlers, workflow-schedulers]' };
  if (e.childInsert) {
    const ind = e.childInsert.indent;
    return { start: e.childInsert.at, end: e.childInsert.at, text: `${ind}pools:${eol}${ind}  - job-handlers${eol}${ind}  - workflow-schedulers${eol}` };
  }
  // `name:` with no body: the body goes after the key.
  let ls = e.keyRange.start;
  while (ls > 0 && text[ls - 1] !== '\n') ls--;
  const ind = `${text.slice(ls, e.keyRange.start)}  `;
  let at = text.indexOf(':', e.keyRange.end) + 1;
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  if (text[at] !== '\n' && text[at] !== '\r' && at < text.length) return undefined; // `name: {}` or a comment: leave to the admin
  return { start: at, end: at, text: `${eol}${ind}pools:${eol}${ind}  - job-handlers${eol}${ind}  - workflow-schedulers` };
}

/**
 * True when, after the migration, Gravity runs handler groups but none is in a pool that schedules
 * workflows (and no untagged static handler does it). uwsgi/section-to-gravity then writes
 * `workflow-schedulers` into the first group it writes, so a second plan has nothing to add.
 */
export function noWorkflowScheduler(jc: JobsContext): boolean {
  const pools = (gr: GravityGroup): string[] => gr.pools.map(pluralPool);
  if (!jc.groups.length) return false;
  if (jc.groups.some((gr) => pools(gr).includes('workflow-schedulers') || pools(gr).includes('job-handlers'))) return false;
  return !jc.confs.some((c) => handlerPlan(jc, c).after.untaggedStatic);
}

/**
 * What the writers of a `gravity:` section (uwsgi/section-to-gravity, paste/galaxy-ini-to-yml) do
 * with the handler groups they write: when none would schedule workflows, the first one joins the
 * `workflow-schedulers` pool, as jobs/workflow-scheduling asks, so the section needs no second edit.
 */
export function scheduleWorkflows(groups: HandlerGroup[], deployment: Deployment): void {
  const [first, ...others] = groups;
  if (!first || !noWorkflowScheduler(jobsContext(deployment))) return;
  groups.splice(0, groups.length, { ...first, pools: [...first.pools, 'workflow-schedulers'] }, ...others);
}

/**
 * Recipe H (§3.4): workflow invocations are scheduled by the `workflow-schedulers` pool, or by
 * the `job-handlers` pool when there is none (pools are hierarchical). With Gravity groups and
 * neither pool (nor an untagged static handler), no process schedules workflows.
 */
export const workflowSchedulingRule: Rule = {
  meta: {
    id: 'jobs/workflow-scheduling',
    description: 'after the migration some handler still schedules workflows (a workflow-schedulers or job-handlers pool)',
    rationale:
      'Workflow invocations are picked up by handlers in the workflow-schedulers pool, falling back to the job-handlers pool ' +
      '(WorkflowSchedulingManager.DEFAULT_BASE_HANDLER_POOLS = ("workflow-schedulers", "job-handlers")). Gravity handlers attached to ' +
      'neither pool, with no untagged static handler, leave every invocation waiting.',
    severity: 'warning',
    fixable: true,
    sources: [SRC.recipes, SRC.gravity, 'GX-STACK-NEW'],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    const groups = jc.groups;
    if (!noWorkflowScheduler(jc)) return;
    const pools = (gr: GravityGroup): string[] => gr.pools.map(pluralPool);
    // Groups only the migration decided (nothing written yet): section-to-gravity writes the pool.
    const written = groups.some((gr) => gr.entry);
    const g = jc.galaxy;
    const first = groups.find((gr) => gr.entry)?.entry;
    const text = g ? ctx.deployment.files.get(g.file)?.text ?? '' : '';
    let fix;
    if (g && first?.pools && first.pools.values.length) {
      const last = first.pools.values[first.pools.values.length - 1]!;
      const raw = text.slice(first.pools.range.start, first.pools.range.end);
      if (raw.trimStart().startsWith('[')) {
        fix = editFix('add the workflow-schedulers pool', g.file, [{ start: last.range.end, end: last.range.end, text: ', workflow-schedulers' }]);
      } else {
        let ls = last.range.start;
        while (ls > 0 && text[ls - 1] !== '\n') ls--;
        const dash = text.slice(ls, last.range.start);
        let le = last.range.end;
        while (le < text.length && text[le] !== '\n') le++;
        const eol = text[le - 1] === '\r' ? '\r\n' : '\n';
        if (/^[ \t]*-[ \t]+$/.test(dash)) fix = editFix('add the workflow-schedulers pool', g.file, [{ start: le + 1 > text.length ? le : le + 1, end: le + 1 > text.length ? le : le + 1, text: `${dash}workflow-schedulers${eol}` }]);
      }
    }
    ctx.report({
      file: first && g ? g.file : (g?.file ?? ctx.deployment.uwsgi[0]?.file ?? jc.confs[0]?.file ?? ''),
      range: first?.keyRange ?? { start: 0, end: 0 },
      message:
        `no Gravity handler is in the \`workflow-schedulers\` or \`job-handlers\` pool (${list(groups.map((gr) => `${gr.name}: ${pools(gr).join(', ') || 'no pools'}`))}), so no process would schedule workflow invocations` +
        (written ? '' : `: uwsgi/section-to-gravity puts gravity.handlers.${groups[0]!.name} in the \`workflow-schedulers\` pool too when it writes the \`gravity:\` section`),
      ...(fix ? { fix } : {}),
    });
  },
};
