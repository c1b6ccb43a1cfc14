import type { Rule } from '../../src/core/rule.js';
import { jobsContext, processNames } from './context.js';
import { SRC } from './fix.js';
import { list } from './plan.js';

/**
 * A handler defined in two places: twice in one job conf; as a static handler and as a Gravity
 * dynamic process (Gravity would start two processes with the same --server-name, both grabbing
 * that name's jobs); in the inline `job_config` and in the job conf file (Galaxy reads only the
 * inline one); or in two job conf files of which Galaxy reads only one.
 */
export const duplicateHandlerRule: Rule = {
  meta: {
    id: 'jobs/duplicate-handler',
    description: 'a handler is defined once: not twice in a job conf, not both static and in gravity.handlers, not in two job confs',
    rationale:
      'Gravity starts a process for every static handler of the job conf (create_static_handler_services) and for every dynamic ' +
      'handler of gravity.handlers (expand_handlers). A name defined in both gets two processes with one --server-name, which then ' +
      'both handle that name\'s jobs. Galaxy reads one job configuration: the inline `job_config` of galaxy.yml when it is set, else ' +
      'the `job_config_file`; handlers defined in the other are ignored.',
    severity: 'error',
    fixable: false,
    sources: [SRC.gravity, SRC.syntax],
  },
  check(ctx) {
    const jc = jobsContext(ctx.deployment);
    const names = new Map<string, string>();
    for (const g of jc.groups) for (const n of processNames(g)) names.set(n, g.name);
    for (const conf of jc.confs) {
      const seen = new Map<string, number>();
      for (const h of conf.handlers) {
        if (h.id.templated) continue;
        const id = h.id.value;
        const n = (seen.get(id) ?? 0) + 1;
        seen.set(id, n);
        if (n === 2) {
          ctx.report({ file: conf.file, range: h.id.range, message: `handler \`${id}\` is defined twice in this job conf; Galaxy keeps one definition and Gravity starts it once` , severity: 'warning' });
        }
        const group = names.get(id);
        if (group) {
          ctx.report({
            file: conf.file,
            range: h.id.range,
            message: `handler \`${id}\` is a static handler here and also a process of gravity.handlers.${group}: Gravity would start two processes named \`${id}\`; keep one (drop the static handler, or rename the group or its name_template)`,
          });
        }
      }
    }
    // Job confs Galaxy does not read, next to the one it does.
    const read = new Set(jc.confs);
    const readIds = new Set(jc.confs.flatMap((c) => c.handlers.filter((h) => !h.id.templated).map((h) => h.id.value)));
    for (const other of jc.allConfs) {
      if (read.has(other)) continue;
      const both = other.handlers.filter((h) => !h.id.templated && readIds.has(h.id.value));
      if (!both.length) continue;
      const reader = jc.confs[0]!;
      ctx.report({
        file: other.file,
        range: both[0]!.id.range,
        severity: 'warning',
        message: `${both.length === 1 ? 'handler' : 'handlers'} ${list(both.map((h) => h.id.value))} ${both.length === 1 ? 'is' : 'are'} also defined in ${reader.inline ? 'the inline job_config of ' : ''}${reader.file}, which is the job configuration Galaxy reads; this file is ignored`,
      });
    }
    if (jc.confs.length > 1) {
      const byId = new Map<string, string[]>();
      for (const c of jc.confs) for (const h of c.handlers) if (!h.id.templated) byId.set(h.id.value, [...(byId.get(h.id.value) ?? []), c.file]);
      for (const [id, files] of byId) {
        if (files.length < 2 || new Set(files).size < 2) continue;
        const second = jc.confs.find((c) => c.file === files[1])!;
        const h = second.handlers.find((x) => x.id.value === id)!;
        ctx.report({
          file: second.file,
          range: h.id.range,
          severity: 'warning',
          message: `handler \`${id}\` is defined in ${list([...new Set(files)])}; Galaxy reads one job conf (job_config_file), so name it in galaxy.yml and keep the handler there`,
        });
      }
    }
  },
};
