import type { Rule } from '../../src/core/rule.js';
import { jobsContext } from './context.js';
import { editFix, SRC } from './fix.js';

/**
 * §3.2, §5.3: `track_jobs_in_database: false` is deprecated; Galaxy then assigns with `mem-self`
 * (each process handles the jobs it created, in memory) and warns. With webless handlers that
 * means the jobs created by web workers are never seen by a handler. Galaxy's default is true.
 */
export const trackJobsInDatabaseRule: Rule = {
  meta: {
    id: 'jobs/track-jobs-in-database',
    description: 'track_jobs_in_database: false is removed (Galaxy would assign jobs in memory, where webless handlers never see them)',
    rationale:
      'With track_jobs_in_database false Galaxy ignores the database methods and uses mem-self: the process that creates a job handles ' +
      'it. Under Gravity the web workers create the jobs and separate handler processes must pick them up from the database, so the ' +
      'option defeats the migration. It is deprecated (Galaxy logs a warning and suggests handling.assign: [mem-self]); its default, ' +
      'true, is what Gravity handlers need.',
    severity: 'warning',
    fixable: true,
    sources: [SRC.modern, SRC.releases, 'GX-HANDLERS-NEW'],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    const t = jc.galaxy?.trackJobsInDatabase;
    if (!jc.galaxy || !t || t.value.templated) return;
    if (!/^(false|no|off|0|n)$/i.test(t.value.value.trim())) return;
    ctx.report({
      file: jc.galaxy.file,
      range: t.value.range,
      message:
        '`track_jobs_in_database: false` makes Galaxy assign jobs in memory (mem-self): the web worker that creates a job would have to handle it, ' +
        'so Gravity\'s handlers never see it; the option is deprecated and its default (true) is what the migration needs, so the line goes',
      fix: editFix('remove track_jobs_in_database: false', jc.galaxy.file, [{ start: t.lines.start, end: t.lines.end, text: '' }]),
    });
  },
};
