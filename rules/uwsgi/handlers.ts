import type { UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { isGalaxyPool, isSingularPool, pluralPool } from '../../src/model/handlers.js';
import { clean } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { reportTable, type ApplyEnv, type OptionRow, type Outcome } from './table.js';

function useGroups(draft: GravityDraft, env: ApplyEnv): void {
  draft.handlers.splice(0, draft.handlers.length, ...env.handlers.groups);
}

/** `mule: lib/galaxy/main.py` → one process of a `gravity.handlers` group. */
function mule(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  useGroups(draft, env);
  const mules = env.handlers.mules.filter((m) => m.option === opt);
  const out: string[] = [];
  let review = false;
  let unfarmed = false;
  for (const m of mules) {
    const a = env.handlers.assignments.get(m.id);
    if (a) {
      const g = env.handlers.groups.find((x) => x.name === a.group);
      out.push(`mule ${m.id} (\`${a.legacyId}\`) → process ${a.index + 1} of ${g?.processes ?? '?'} in \`gravity.handlers.${a.group}\``);
      if (a.legacyId.includes('.None.')) unfarmed = true;
    } else {
      review = true;
      const why = env.handlers.leftOut.find((l) => l.mule.id === m.id)?.reason ?? 'not migrated';
      out.push(`mule ${m.id} is not migrated: ${why}`);
    }
  }
  const note = unfarmed ? ' (no farm held it, so under uWSGI it handled no jobs and the web workers did; as a Gravity handler in the job-handlers pool it now does)' : '';
  const text = `\`${opt.key}: ${clean(opt.value).trim()}\`: ${out.join('; ') || 'no mule'}${note}`;
  return review ? { action: 'review', message: `${text}; recreate it by hand if it is still needed` } : { action: 'map', message: text };
}

/** `farm: job-handlers:1,2,3` → the pools of the handler group its mules went to. */
function farm(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  useGroups(draft, env);
  const f = env.handlers.farms.find((x) => x.option === opt);
  const v = clean(opt.value).trim();
  if (!f || f.malformed) return { action: 'review', message: `\`farm: ${v}\` needs review: not of the form \`name:1,2,…\`, so its mules are not migrated` };
  const problems: string[] = [];
  const missing = env.handlers.missing.filter((m) => m.farm === f).map((m) => m.id);
  if (missing.length) problems.push(`it names mule${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'do' : 'does'} not exist`);
  if (isSingularPool(f.name)) {
    problems.push(
      `\`${f.name}\` is the singular of a pool Galaxy knows (a Galaxy 22.01 doc bug), so under uWSGI its mules handled nothing; they are written in the pool \`${pluralPool(f.name)}\`, where they take work`,
    );
  } else if (!isGalaxyPool(f.name)) problems.push(`Galaxy only knows the pools \`job-handlers[.tag]\` and \`workflow-schedulers[.tag]\`, so \`${f.name}\` handled nothing`);
  const groups = [...new Set(f.muleIds.map((id) => env.handlers.assignments.get(id)?.group).filter((g): g is string => g !== undefined))];
  const where = groups.map((g) => {
    const grp = env.handlers.groups.find((x) => x.name === g);
    return `\`gravity.handlers.${g}\` (${grp?.processes ?? '?'} process${grp?.processes === 1 ? '' : 'es'}, pools ${grp?.pools.join(', ')})`;
  });
  const base = `\`farm: ${v}\` → ${where.join(' and ') || 'no handler'}; the job configuration must now assign jobs with \`db-skip-locked\` (or \`db-transaction-isolation\`), see the job-conf findings`;
  if (problems.length) return { action: 'review', message: `${base}. Review: ${problems.join('; ')}` };
  return { action: 'map', message: base };
}

/** GX-SCALE-UW/GU, GX-STACK-UW/NEW, GRAV via docs/galaxy-target.md §2.4, §3.1, §3.4. */
export const HANDLERS_TABLE: readonly OptionRow[] = [
  { match: ['mule', 'mules'], action: 'map', to: 'gravity.handlers', why: 'job handler processes', source: 'GX-SCALE-UW, GX-SCALE-GU, GX-STACK-UW (galaxy-target.md §2.4, §3.1)', apply: mule },
  { match: ['farm'], action: 'map', to: 'gravity.handlers.<name>.pools', why: 'handler pools', source: 'GX-SCALE-UW, GX-STACK-NEW, GRAV (galaxy-target.md §2.4, §3.4)', apply: farm },
];

export const handlersRule: Rule = {
  meta: {
    id: 'uwsgi/handlers',
    description: 'mule / farm → gravity.handlers groups with pools (job-handlers, workflow-schedulers)',
    rationale:
      'Mules ran Galaxy job handlers inside uWSGI; under Gravity they are webless handler processes, `gravity.handlers.<name>` with ' +
      '`processes` and `pools`. A farm keeps its name as the pool (`job-handlers`, `job-handlers.<tag>`, `workflow-schedulers`); a ' +
      '`job-handlers` farm also gets `workflow-schedulers`, which it served by fallback. Mules no farm holds did no Galaxy work and are reported. ' +
      'The job configuration must then assign jobs through the database (db-skip-locked), and jobs in flight need draining.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §1.9, §2.4, §3.1, §3.4', 'GX-SCALE-UW', 'GX-STACK-UW', 'GRAV config_manager.py'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, HANDLERS_TABLE),
};
