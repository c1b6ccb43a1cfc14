import type { Rule } from '../../src/core/rule.js';
import { DB_METHODS, jobsContext } from './context.js';
import { editFix, SRC } from './fix.js';
import { handlerPlan } from './plan.js';

/**
 * Recipe E (§3.4): `uwsgi-mule-message` is gone from Galaxy's assignment methods; a value left in
 * `assign_with` / `handling.assign` fails an assertion at startup (GX-HANDLERS-NEW). It is removed;
 * a following db-* method stays, unless Gravity's dynamic handlers need db-skip-locked /
 * db-transaction-isolation and none is there, in which case that method replaces the list.
 */
export const uwsgiMuleMessageRule: Rule = {
  meta: {
    id: 'jobs/uwsgi-mule-message',
    description: 'uwsgi-mule-message is removed from assign_with / handling.assign (Galaxy refuses to start with it)',
    rationale:
      'uWSGI mules received jobs as uWSGI messages; the method left with uWSGI (it is still in galaxy-web-stack 22.1.1 and gone in 23.0.1). ' +
      'Galaxy asserts that every configured method is one it knows ("Invalid job handler assignment method"), so a leftover value stops ' +
      'the server. A following db-* method is kept; with Gravity handlers the list must include db-skip-locked or db-transaction-isolation.',
    severity: 'error',
    fixable: true,
    sources: [SRC.recipes, SRC.modern, SRC.legacy],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    const dynamic = jc.groups.some((g) => g.pools.length > 0);
    for (const conf of jc.confs) {
      const a = conf.assign;
      if (!a || a.templated) continue;
      const mule = a.methods.find((m) => m.value === 'uwsgi-mule-message');
      if (!mule) continue;
      const plan = handlerPlan(jc, conf);
      const rest = a.methods.map((m) => m.value).filter((m) => m !== 'uwsgi-mule-message');
      const keep = rest.filter((m, i) => rest.indexOf(m) === i);
      const next = keep.length === 0 || (dynamic && !keep.some((m) => DB_METHODS.includes(m))) ? [jc.assign.method] : keep;
      const why = next.length === 1 && next[0] === jc.assign.method && !keep.includes(jc.assign.method) ? ` (${jc.assign.why})` : '';
      ctx.report({
        file: conf.file,
        range: mule.range,
        message: `\`uwsgi-mule-message\` no longer exists: Galaxy fails an assertion at startup with it; the methods become ${next.map((m) => `\`${m}\``).join(', ')}${why}`,
        fix: plan.editable ? editFix(`assign jobs with ${next.join(', ')}`, conf.file, [conf.edit.replaceAssign(next)]) : undefined,
      });
    }
  },
};
