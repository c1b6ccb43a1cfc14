import type { Range } from '../../src/core/range.js';
import type { Rule } from '../../src/core/rule.js';
import { parseLegacyId } from '../../src/formats/job-conf/view.js';
import { appOf } from '../../src/model/uwsgi-options.js';
import { jobsContext, processNames, type JobsContext } from './context.js';
import { SRC } from './fix.js';
import { handlerPlan } from './plan.js';

/** Galaxy's `Job.terminal_states` (lib/galaxy/model: OK, ERROR, DELETED): every other state is still in flight. */
export const JOB_TERMINAL_STATES = ['ok', 'error', 'deleted'] as const;
/** `WorkflowInvocation` states a scheduler still acts on (new, ready; cancelling is finished by the scheduler). */
export const INVOCATION_ACTIVE_STATES = ['new', 'ready', 'cancelling'] as const;

export interface HandlerRename {
  readonly from: string;
  readonly to: string;
  /** `from` is a LIKE pattern (`main.web.%`). */
  readonly pattern?: boolean;
}

const sql = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const inList = (xs: readonly string[]): string => `(${xs.map(sql).join(', ')})`;

/**
 * Old handler names → the process that takes their jobs after the switch: each mule to the
 * Gravity process that replaces it (same group, same position), a legacy id that becomes a static
 * handler to that handler, and, for a deployment whose uWSGI web workers handled jobs themselves,
 * `main.web.N` to Gunicorn's first worker (`main.1`, GX-STACK-NEW `{server_name}.{worker id}`).
 */
export function handlerRenames(jc: JobsContext): HandlerRename[] {
  const out: HandlerRename[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string, pattern = false): void => {
    if (seen.has(from) || from === to) return;
    seen.add(from);
    out.push({ from, to, ...(pattern ? { pattern } : {}) });
  };
  for (const g of jc.groups) {
    if (g.source !== 'migration') continue;
    const names = processNames(g);
    g.replaces.forEach((id, i) => add(id, names[i] ?? names[0]!));
  }
  for (const conf of jc.confs) {
    const plan = handlerPlan(jc, conf);
    for (const a of plan.legacy) {
      const o = a.outcome;
      const via = a.group ? processNames(a.group)[a.group.replaces.indexOf(a.legacy.canonical)] : undefined;
      const to = via ?? (o.kind === 'static' ? o.id : undefined);
      if (!to) continue;
      // The database holds the name the process had: the documented one, and the one written here.
      add(a.legacy.canonical, to);
      add(a.id, to);
    }
  }
  // uWSGI web workers handled jobs themselves when there were no mules and no handlers defined.
  const hadStatic = jc.confs.some((c) => c.handlers.length > 0 || c.handlersOpaque);
  const server = [...seen].map((s) => parseLegacyId(s)?.server).find(Boolean) ?? 'main';
  // Only Galaxy's own uWSGI had web workers that handled jobs (not the Reports app's).
  if (jc.deployment.uwsgi.some((c) => appOf(c) === 'galaxy') && !jc.groups.some((g) => g.source === 'migration') && !hadStatic) {
    add(`${server}.web.%`, defaultHandlerAfter(jc) ?? `${server}.1`, true);
  }
  return out;
}

/**
 * The process that takes unmapped jobs after the migration: an untagged static handler, else the
 * first process of a group in the job-handlers pool; undefined when the Gunicorn web workers do
 * (no handler at all: Galaxy's "all-in-one").
 */
function defaultHandlerAfter(jc: JobsContext): string | undefined {
  for (const conf of jc.confs) {
    const plan = handlerPlan(jc, conf);
    const untagged = [...plan.after.staticIds].find((id) => !conf.handlers.some((h) => h.id.value === id && h.tags.length) && !plan.newHandlers.some((n) => n.id === id && n.tags.length));
    if (untagged) return untagged;
  }
  const g = jc.groups.find((x) => x.pools.includes('job-handlers'));
  return g ? processNames(g)[0] : undefined;
}

export function cutoverNotes(renames: readonly HandlerRename[]): string[] {
  const exact = renames.filter((r) => !r.pattern);
  const patterns = renames.filter((r) => r.pattern);
  const jobWhere = [
    ...(exact.length ? [`handler IN ${inList(exact.map((r) => r.from))}`] : []),
    ...patterns.map((r) => `handler LIKE ${sql(r.from)}`),
  ].join(' OR ');
  const notTerminal = `state NOT IN ${inList(JOB_TERMINAL_STATES)}`;
  const active = `state IN ${inList(INVOCATION_ACTIVE_STATES)}`;
  const where = (r: HandlerRename): string => (r.pattern ? `handler LIKE ${sql(r.from)}` : `handler = ${sql(r.from)}`);
  return [
    "Jobs already assigned to a handler name that disappears never finish: the `handler` column of Galaxy's `job` table keeps the old name, and no Gravity process has it.",
    `Old → new handler names: ${renames.map((r) => `${r.from} → ${r.to}`).join(', ')}.`,
    'Cutover, in this order:',
    '1. Drain or prepare to reassign: these queries show what is still in flight (a job state other than ok, error, deleted; an invocation still to be scheduled):',
    `   SELECT id, tool_id, state, handler FROM job WHERE (${jobWhere}) AND ${notTerminal} ORDER BY handler, id;`,
    `   SELECT id, state, handler FROM workflow_invocation WHERE (${jobWhere}) AND ${active} ORDER BY handler, id;`,
    '   To drain, stop new work reaching the server (maintenance page) and wait until both return no rows.',
    '2. Stop uWSGI, web workers and mules together, so that no old process still holds a job.',
    '3. Reassign what is left, in one transaction:',
    '   BEGIN;',
    ...renames.map((r) => `   UPDATE job SET handler = ${sql(r.to)} WHERE ${where(r)} AND ${notTerminal};`),
    ...renames.map((r) => `   UPDATE workflow_invocation SET handler = ${sql(r.to)} WHERE ${where(r)} AND ${active};`),
    '   COMMIT;',
    '4. Start Gravity (galaxyctl update, then galaxyctl start, or the service unit that runs it): each handler picks up the jobs assigned to its name when it starts.',
  ];
}

/**
 * Recipe G (§3.4): "once a handler has been assigned jobs, you cannot unconfigure that handler …
 * until it has finished processing all its assigned jobs, or else its jobs will never reach a
 * terminal state"; the alternative is "an UPDATE query in the database" (GX-SCALE-UW/GU).
 */
export const cutoverRule: Rule = {
  meta: {
    id: 'jobs/cutover',
    description: 'when handler names change, the plan gives the SQL to see and reassign jobs in flight and the order of the cutover',
    rationale:
      'Galaxy writes the name of the handler that owns a job into job.handler (and workflow_invocation.handler). Under Gravity the mules ' +
      '(`main.job-handlers.N`) and uWSGI web workers (`main.web.N`) no longer exist, so jobs still assigned to them stay queued or ' +
      'running forever. The report lists old → new names and the SQL to see and reassign the non-terminal jobs, and the order: drain ' +
      'or reassign, stop uWSGI, start Gravity.',
    severity: 'warning',
    fixable: false,
    sources: [SRC.recipes, SRC.legacy, 'GX-SCALE-UW/GX-SCALE-GU ("you cannot unconfigure that handler")', 'Galaxy lib/galaxy/model Job.terminal_states, WorkflowInvocation.states'],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    if (!jc.migrating) return;
    const renames = handlerRenames(jc);
    if (!renames.length) return;
    let file: string | undefined;
    let range: Range = { start: 0, end: 0 };
    const opt = ctx.deployment.uwsgi.flatMap((c) => c.options).find((o) => o.key === 'farm' || o.key === 'mule');
    const firstLegacy = jc.confs.flatMap((c) => handlerPlan(jc, c).legacy.map((a) => ({ file: c.file, at: a.at })))[0];
    if (firstLegacy) ({ file, at: range } = firstLegacy);
    else if (opt) ({ file, range } = opt);
    else {
      const conf = jc.confs[0];
      file = conf?.file ?? jc.galaxy?.file ?? ctx.deployment.uwsgi[0]?.file;
      range = conf ? (conf.handling ?? conf.anchor) : { start: 0, end: 0 };
    }
    if (!file) return;
    ctx.report({
      file,
      range,
      message: `handler names change at the switch to Gravity (${renames.length} old name${renames.length === 1 ? '' : 's'}): jobs still assigned to an old name must be drained or reassigned before Gravity starts; the notes give the SQL and the order`,
      notes: cutoverNotes(renames),
    });
  },
};
