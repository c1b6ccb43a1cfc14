import type { Rule } from '../../src/core/rule.js';
import { jobsContext, KNOWN_METHODS } from './context.js';
import { editFix, SRC } from './fix.js';
import { effectiveMethods, handlerPlan, list } from './plan.js';

/**
 * §3.2: "Web workers handle jobs unless you say otherwise" — with Gravity handlers the job conf
 * must set `db-skip-locked` or `db-transaction-isolation` explicitly, or the Gunicorn workers pick
 * up jobs too (and Gravity warns "these handlers will not handle jobs"). Which of the two depends
 * on the database (SKIP LOCKED). Also: a YAML `assign_with:` key (the XML attribute's name) is not
 * read by Galaxy; `db-skip-locked` on SQLite cannot work; an unknown method fails an assertion.
 */
export const explicitAssignmentRule: Rule = {
  meta: {
    id: 'jobs/explicit-assignment',
    description: 'the job conf sets db-skip-locked (or db-transaction-isolation when the database cannot SKIP LOCKED) explicitly',
    rationale:
      'Under Gunicorn a web worker also handles jobs when the job conf defines no handlers and sets no assignment method; with Gravity ' +
      'handlers that means two kinds of process compete for jobs, and Gravity warns that its handlers "will not handle jobs" unless ' +
      'assign_with/handling.assign names db-skip-locked or db-transaction-isolation. db-skip-locked needs SELECT … FOR UPDATE SKIP LOCKED ' +
      '(PostgreSQL 9.5+; MySQL 8.0 / MariaDB 10.3 untested); SQLite and unknown databases get db-transaction-isolation. The database is ' +
      'galaxy.yml\'s database_connection or, in an ansible deployment without one, `galaxy_config.galaxy.database_connection` of the ' +
      'variables files (all of them must name the same kind of database, since one job conf serves every host). A deployment with ' +
      'mules and no <handlers> at all gets `<handlers assign_with="…"/>` (YAML: `handling: {assign: […]}`), as in Galaxy\'s "dynamically ' +
      'defined handlers" example.',
    severity: 'warning',
    fixable: true,
    sources: [SRC.modern, SRC.recipes, SRC.syntax, SRC.gravity],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    const choice = jc.assign;
    const dynamic = jc.groups.some((g) => g.pools.length > 0);
    // Moving off uWSGI, or Gravity handlers already configured: either way the method must be explicit.
    const concerned = jc.migrating || jc.groups.length > 0;
    for (const conf of jc.confs) {
      const plan = handlerPlan(jc, conf);
      const a0 = conf.assign;
      if (a0 && conf.format === 'yml' && a0.key !== 'assign') {
        // Whatever the deployment, a YAML `assign_with:` sets nothing.
        ctx.report({
          file: conf.file,
          range: a0.keyRange,
          message: `Galaxy reads the job handler assignment methods from \`handling.assign\`; \`handling.${a0.key}\` (the XML attribute's name) is ignored, so no method is set at all`,
          fix: plan.editable ? editFix('rename the key to assign', conf.file, [conf.edit.renameAssignKey('assign')]) : undefined,
        });
      }
      if (!concerned) continue;
      if (!plan.after.anyHandler) continue; // all-in-one: the web workers are the only handlers
      const where = conf.handling ?? conf.anchor;
      const tail = dynamic
        ? 'otherwise the Gunicorn web workers handle jobs too, and Gravity warns that its handlers will not'
        : 'Galaxy then no longer depends on the probe it runs to pick a default';

      if (!conf.assign) {
        if (conf.incomplete || conf.handlersOpaque) continue;
        const handlers = plan.insertOwner === 'assignment' ? plan.newHandlers : [];
        ctx.report({
          file: conf.file,
          range: where,
          severity: dynamic ? 'warning' : 'info',
          message:
            `no job handler assignment method is set: set \`${choice.method}\` explicitly (${choice.why}); ${tail}` +
            (handlers.length ? `; the ${conf.format === 'xml' ? '<handlers>' : 'handling:'} section also gets the static handler${handlers.length > 1 ? 's' : ''} ${list(handlers.map((h) => h.id))} (jobs/legacy-handler-ids)` : ''),
          fix: plan.editable
            ? editFix(`set the job handler assignment method to ${choice.method}`, conf.file, conf.edit.insert({ assign: [choice.method], handlers, avoid: plan.removed }))
            : undefined,
        });
        continue;
      }

      const a = conf.assign;
      if (a.templated || a.methods.some((m) => m.templated)) {
        if (dynamic) {
          ctx.report({
            file: conf.file,
            range: a.range,
            severity: 'info',
            message: `the assignment method is set by the template (${a.methods.map((m) => m.value).join(', ') || 'conditionally'}): make sure it renders to \`${choice.method}\` (${choice.why})`,
          });
        }
        continue;
      }
      const methods = (conf.format === 'yml' ? a.methods : effectiveMethods(conf) ?? []).map((m) => m.value);
      if (methods.includes('uwsgi-mule-message')) continue; // jobs/uwsgi-mule-message rewrites the value
      const unknown = methods.filter((m) => !KNOWN_METHODS.includes(m));
      const wrongDb = choice.database === 'sqlite' && methods.includes('db-skip-locked');
      if (unknown.length) {
        ctx.report({
          file: conf.file,
          range: a.range,
          severity: 'error',
          message: `unknown job handler assignment method ${list(unknown)}: Galaxy fails an assertion at startup ("Invalid job handler assignment method"); valid are ${list(KNOWN_METHODS)}`,
          fix: plan.editable ? editFix(`set the method to ${choice.method}`, conf.file, [conf.edit.replaceAssign([choice.method])]) : undefined,
        });
      } else if (wrongDb) {
        ctx.report({
          file: conf.file,
          range: a.range,
          message: `\`db-skip-locked\` cannot work here: ${choice.why}; use \`db-transaction-isolation\``,
          fix: plan.editable
            ? editFix('use db-transaction-isolation', conf.file, [conf.edit.replaceAssign(methods.map((m) => (m === 'db-skip-locked' ? 'db-transaction-isolation' : m)))])
            : undefined,
        });
      } else if (dynamic && !hasDbMethodIn(methods)) {
        ctx.report({
          file: conf.file,
          range: a.range,
          message: `the assignment method ${list(methods)} does not let Gravity's dynamic handlers take jobs (they join pools, which only db-skip-locked and db-transaction-isolation use): set \`${choice.method}\` (${choice.why})`,
          fix: plan.editable ? editFix(`set the method to ${choice.method}`, conf.file, [conf.edit.replaceAssign([choice.method])]) : undefined,
        });
      }
    }
  },
};

function hasDbMethodIn(methods: readonly string[]): boolean {
  return methods.includes('db-skip-locked') || methods.includes('db-transaction-isolation');
}
