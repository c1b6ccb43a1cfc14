import type { Rule } from '../../src/core/rule.js';
import { jobsContext, processNames } from './context.js';
import { editFix, SRC } from './fix.js';
import { handlerPlan, list, PINNED_TAG, type AfterState, type LegacyAction, type StaleTagAction } from './plan.js';

/**
 * Recipes C and F (§3.4): uWSGI named mules `main.job-handlers.N` (AU wrote `main.job-handler.N`)
 * and web workers `main.web.N` (GX-STACK-UW); none of these processes exists under Gravity, so a
 * `<handler>`, a `handling.processes` entry or a `handler=` that names one is rewritten to
 * something that does: the Gravity group's tag, the default pool, or a static handler that Gravity
 * starts from the job conf. The decision is shared with the other jobs/* rules (plan.ts).
 */
export const legacyHandlerIdsRule: Rule = {
  meta: {
    id: 'jobs/legacy-handler-ids',
    description: 'main.job-handlers.N / main.job-handler.N / main.web.N handler ids rewritten to handlers or pools that exist under Gravity',
    rationale:
      'Under uWSGI, Galaxy named a mule `{server_name}.{farm}.{position}` and a web worker `{server_name}.web.{worker id}`. Under Gravity ' +
      'those processes are gone: webless handlers are named from gravity.handlers (`handler_0`…) and web workers `main.1`…, so a job conf ' +
      'that still names the old ids sends jobs to a handler that never picks them up. Each id is rewritten so that every tool still reaches ' +
      'a handler that exists: a mule replaced by a Gravity group is served by that group (its `<handler>` goes; a tagged farm\'s tag is kept), ' +
      `a tool pinned to one mule of the untagged pool gets a static handler of its own (tagged \`${PINNED_TAG}\`, so it takes no other jobs), ` +
      'and a web worker or other process nothing replaces becomes a static handler, which Gravity starts itself.',
    severity: 'error',
    fixable: true,
    sources: [SRC.legacy, SRC.recipes, SRC.gravity, 'GX-SCALE-GU ("a handler must be tagged to prevent it from handling jobs created for tools that are not explicitly mapped")'],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    for (const conf of jc.confs) {
      const plan = handlerPlan(jc, conf);
      for (const a of plan.legacy) {
        ctx.report({
          file: conf.file,
          range: a.at,
          message: legacyMessage(a, plan.insertOwner === 'assignment'),
          fix: editFix(`rewrite ${a.id}`, conf.file, a.edits),
        });
      }
      // A template that builds mule or web worker ids (`main.job-handler.{{ n + 1 }}`): only its
      // source can be fixed, so it is reported without a fix.
      const templated = [
        ...conf.handlers.map((h) => h.id),
        ...conf.refs.map((r) => r.value),
        ...(conf.default ? [conf.default] : []),
      ].filter((v) => v.templated && TEMPLATED_LEGACY.test(v.value));
      for (const v of templated) {
        ctx.report({
          file: conf.file,
          range: v.range,
          severity: 'warning',
          message: `\`${v.value}\` renders to uWSGI process names (\`main.job-handlers.N\` / \`main.web.N\`), which do not exist under Gravity: change the template to name the Gravity handlers or their pool tags (the plan cannot rewrite a template's loop)`,
        });
      }
      for (const s of plan.staleTags) {
        ctx.report({ file: conf.file, range: s.at, message: staleMessage(s, plan.after), fix: editFix(`rewrite handler tag ${s.tag}`, conf.file, s.edits) });
      }
    }
  },
};

const TEMPLATED_LEGACY = /^[A-Za-z0-9_-]+\.(job-handlers?|workflow-schedulers?|web)\.(\{\{|\d)/;

function legacyMessage(a: LegacyAction, insertedWithAssignment: boolean): string {
  const what = a.legacy.web ? 'a uWSGI web worker' : a.legacy.pool === 'mule' ? 'a uWSGI mule' : 'a uWSGI mule';
  const spelled = a.legacy.canonical !== a.id ? ` (Galaxy's spelling is \`${a.legacy.canonical}\`)` : '';
  const uses: string[] = [];
  if (a.def) uses.push(`defined as a handler${a.dupes.length ? ` ${a.dupes.length + 1} times` : ''}`);
  const goes = a.dupes.length ? 'the definitions go' : 'the definition goes';
  const tools = a.refs.filter((r) => r.kind === 'tool');
  if (tools.length) uses.push(`${tools.length === 1 ? 'tool' : 'tools'} ${list(tools.map((r) => r.owner ?? '?'))} pinned to it`);
  if (a.refs.some((r) => r.kind === 'resubmit')) uses.push('a resubmit rule sends jobs to it');
  if (a.isDefault) uses.push('it is the default');
  const head = `\`${a.id}\` is ${what}${spelled}, which does not exist under Gravity (${uses.join('; ')})`;
  const g = a.group;
  const o = a.outcome;
  const groupText = g ? `\`gravity.handlers.${g.name}\` (${processNames(g).join(', ')})` : '';
  switch (o.kind) {
    case 'pool-tag':
      return `${head}: its processes are now ${groupText}, pool \`job-handlers.${o.tag}\`; ${a.def ? `${goes} and ` : ''}references become the tag \`${o.tag}\``;
    case 'pool':
      return `${head}: its process is now part of ${groupText}, which Gravity starts in the \`job-handlers\` pool; ${goes}`;
    case 'static': {
      const how = o.created
        ? `a static handler \`${o.id}\`${o.tags.length ? ` (tags: ${o.tags.join(', ')})` : ''} is added${insertedWithAssignment ? ' with the assignment method (jobs/explicit-assignment)' : ''}`
        : `${a.dupes.length ? 'the definitions are' : 'the definition is'} renamed to \`${o.id}\`${o.retagged ? ` and tagged \`${o.tags.join(',')}\`` : ''}`;
      const why = g
        ? `the mule's general work goes to ${groupText}, and the pinned jobs get a handler of their own, which Gravity starts from the job conf`
        : 'nothing else replaces this process; Gravity starts static handlers from the job conf';
      const alone =
        o.tags.length === 0 && !a.def
          ? '; untagged, it also takes the jobs no tool is mapped to, because once any handler is defined the Gunicorn web workers handle no jobs (add gravity.handlers processes for more capacity)'
          : '';
      return `${head}: ${how} and every reference points at it (${why})${alone}`;
    }
  }
}

function staleMessage(s: StaleTagAction, after: AfterState): string {
  const carriers = list(s.carriers.map((c) => c.id.value));
  const head = `handler tag \`${s.tag}\` was carried only by ${carriers}, which Gravity groups replace, so nothing would serve it`;
  if (s.outcome.kind === 'pool-tag') return `${head}: references become \`${s.outcome.tag}\`, the tag of their pool`;
  const dflt = after.default
    ? `the default handler \`${after.default}\``
    : after.defaultPool
      ? 'the default handlers: the `job-handlers` pool of the Gravity group that replaced those mules'
      : 'the default (untagged) handlers';
  return `${head}: the ${s.refs.length === 1 ? 'mapping goes' : 'mappings go'}, so those jobs go to ${dflt}`;
}
