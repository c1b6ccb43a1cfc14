import type { Rule } from '../../src/core/rule.js';
import { jobsContext } from './context.js';
import { editFix, SRC } from './fix.js';
import { handlerPlan } from './plan.js';

/**
 * Recipe D (§3.4): a `default` naming a mule id, a web worker, or a tag only mules carried must be
 * rewritten to a tag a Gravity pool serves, or removed ("If unset, the default is any untagged
 * handlers plus any handlers in the job-handlers (no tag) pool", GX-JOBCONF-YML). Galaxy does not
 * check that the default exists (`_ensure_default_set(..., required=False)`), so a stale one fails
 * quietly: jobs wait for a handler that never comes.
 */
export const staleDefaultRule: Rule = {
  meta: {
    id: 'jobs/stale-default',
    description: 'a handlers default that names nothing after the migration is rewritten or removed',
    rationale:
      'The default handler receives every job not mapped to a handler. Galaxy does not check that it exists, so a default naming a mule ' +
      '(`main.job-handlers.1`), a web worker or a tag only mules carried leaves jobs unhandled after the switch to Gravity, silently. ' +
      'It becomes the tag of the Gravity pool that replaced those processes, or goes: unset, the default is the untagged static ' +
      'handlers plus the `job-handlers` pool.',
    severity: 'warning',
    fixable: true,
    sources: [SRC.recipes, SRC.syntax, 'GX-HANDLERS-NEW _ensure_default_set'],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    for (const conf of jc.confs) {
      const plan = handlerPlan(jc, conf);
      const d = plan.default;
      if (!d) continue;
      const why =
        d.reason === 'legacy'
          ? `names \`${d.ref.value}\`, a uWSGI process that does not exist under Gravity`
          : d.reason === 'stale-tag'
            ? `names the tag \`${d.ref.value}\`, which only mule handlers carried`
            : `names \`${d.ref.value}\`, which no handler, tag or Gravity pool provides`;
      const then =
        d.outcome.kind === 'replace'
          ? `it becomes \`${d.outcome.value}\``
          : `it is removed, so the default is ${plan.after.defaultPool ? 'the `job-handlers` pool' : 'the untagged handlers'}${plan.after.defaultPool && plan.after.untaggedStatic ? ' and the untagged handlers' : ''}`;
      ctx.report({
        file: conf.file,
        range: d.ref.range,
        message: `the default handler ${why}; Galaxy does not check it, so default jobs would never be handled: ${then}`,
        fix: d.edits.length ? editFix(d.outcome.kind === 'replace' ? `default → ${d.outcome.value}` : 'remove the default', conf.file, d.edits) : undefined,
      });
    }
  },
};
