import type { Rule, RuleContext } from '../../src/core/rule.js';
import { renderEntries, type Entry } from '../../src/formats/galaxy-yml/write.js';
import { processesOf } from './shared.js';

const ID = 'process/handler-names';

/**
 * Legacy webless handlers (`galaxy-main --server-name=handler%(process_num)s`, `numprocs = 3`, or a
 * `galaxy-handler@.service` with `--server-name=handler_%I`) become a `gravity.handlers` group whose
 * `name_template` gives the same names (§6.3): job conf entries, jobs in flight and log queries that
 * name `handler0` keep working. Names Gravity cannot reproduce are warnings.
 */
function check(ctx: RuleContext): void {
  const { services, facts } = processesOf(ctx.deployment);
  for (const s of services) {
    const h = s.handler;
    if (!h) continue;
    const isStatic = h.names.length > 0 && h.names.every((n) => facts?.staticHandlers.includes(n));
    if (isStatic) {
      ctx.report({
        file: s.file,
        range: s.range,
        severity: 'info',
        message: `the handlers ${h.names.join(', ')} are static handlers of the job conf: Gravity starts each of them by itself (\`--server-name=<id>\`), so they keep their names with no \`gravity.handlers\` entry`,
      });
      continue;
    }
    const group = facts?.handlers.find((g) => g.replaces.length > 0 && g.replaces.every((r) => h.names.includes(r)));
    const name = group?.name ?? h.group;
    const template = group ? group.nameTemplate : h.nameTemplate;
    // A handler unit's own MemoryLimit= (different from the top-level one) stays per handler group.
    const top = facts?.top.find((t) => t.key === 'memory_limit')?.value;
    const mine = s.settings.memoryLimit?.value;
    const ownLimit = mine !== undefined && mine !== top ? mine : undefined;
    const entry: Entry[] = [
      {
        key: 'handlers',
        value: [
          {
            key: name,
            value: [
              { key: 'processes', value: group ? group.processes : (h.processesText ?? '<number of processes>') },
              { key: 'pools', value: group ? [...group.pools] : h.pools.length ? [...h.pools] : ['job-handlers', 'workflow-schedulers'] },
              ...(template ? [{ key: 'name_template', value: template }] : []),
              ...(ownLimit !== undefined ? [{ key: 'memory_limit', value: ownLimit }] : []),
            ],
          },
        ],
      },
    ];
    const yaml = renderEntries(entry, 0, 2, '\n').replace(/\n$/, '').split('\n');
    const names = h.names.length ? h.names.join(', ') : `\`${h.legacy}\``;
    const jinja = /\{\{/.test(h.nameTemplate ?? '') ? ['the template holds Jinja: ansible renders it before Gravity formats `{name}`/`{process}`; in a plain file `{{`/`}}` would be literal braces'] : [];
    const pools = h.pools.length
      ? []
      : ['these handlers attached to no pool: as Gravity handlers they join `job-handlers` and `workflow-schedulers`, which needs `assign_with="db-skip-locked"` (or `db-transaction-isolation`) in the job conf (§3.2)'];
    ctx.report({
      file: s.file,
      range: s.range,
      severity: h.problems.length ? 'warning' : 'info',
      message: `the handlers of \`${s.name}\` (${names}) become \`gravity.handlers.${name}\`${template ? ` with \`name_template: "${template}"\`, which keeps their names` : ''}${h.problems.length ? `; but ${h.problems.join('; ')}` : ''}`,
      notes: [...yaml, ...pools, ...jinja],
    });
  }
}

export const handlerNamesRule: Rule = {
  meta: {
    id: ID,
    description: 'legacy handler programs/units → gravity.handlers with a name_template that keeps the handler names',
    rationale:
      "Gravity names dynamic handlers `{name}_{process}` by default (`handler_0`), not `handler0`. Job confs, resubmission targets and jobs already assigned name the old handlers, so the template must reproduce those names.",
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §1.9, §6.3', 'GRAV config_manager.expand_handlers'],
    galaxy: { from: '22.05' },
  },
  check,
};
