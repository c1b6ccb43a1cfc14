import type { FileChange } from '../../src/core/finding.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { conversionOf, galaxyIniDocs, type Conversion } from './convert.js';

const ID = 'paste/galaxy-ini-to-yml';

export interface GalaxyIniOptions {
  /** Delete the galaxy.ini in the same change that creates galaxy.yml (default: keep it). */
  readonly deleteIni?: boolean;
}

/**
 * galaxy.ini → a new galaxy.yml beside it (docs/galaxy-target.md §2.8, §5.1). Galaxy's
 * `config_manage.py convert` wrote `galaxy:` only, typed `yes`/`on`/`1` booleans as false, never
 * read `[uwsgi]`, and since 22.05 drops `[server:main]` and the prefix filter without a word. This
 * writes `galaxy:` with every `[app:main]` option typed by Galaxy's schema (and the comment lines
 * above it), `galaxy_url_prefix` from the prefix filter, and `gravity:` from `[uwsgi]` (the uwsgi/*
 * tables), `[server:main]` and the process manager. The ini is kept unless `deleteIni` is set: until
 * the cutover it is what the running server reads.
 */
function check(ctx: RuleContext, opts: GalaxyIniOptions): void {
  for (const doc of galaxyIniDocs(ctx.deployment)) {
    const c = conversionOf(ctx.deployment, doc, ctx.target);
    const where = c.facts.app?.header ?? doc.ast.ini.sections[0]?.header ?? { start: 0, end: 0 };
    if (c.blocked) {
      ctx.report({
        file: doc.file.path,
        range: where,
        severity: 'warning',
        message: `Gravity reads galaxy.yml, not galaxy.ini, but galaxy-migrate cannot write \`${c.target}\` from this file: ${c.blocked}`,
      });
      continue;
    }
    const changes: FileChange[] = [{ kind: 'create', file: c.target, text: c.text }];
    if (opts.deleteIni) changes.push({ kind: 'delete', file: doc.file.path });
    ctx.report({
      file: doc.file.path,
      range: where,
      message: `Gravity and Galaxy 22.05+ read galaxy.yml: \`${c.target}\` is written from this file — ${summary(c)}`,
      notes: notes(c),
      fix: { description: `write ${c.target} from ${doc.file.path}${opts.deleteIni ? ' and delete the ini' : ''}`, changes },
    });
  }
}

function summary(c: Conversion): string {
  const parts: string[] = [];
  const typed = c.records.filter((r) => r.writtenKey !== undefined);
  parts.push(`${typed.length} [app:main] option${typed.length === 1 ? '' : 's'} under \`galaxy:\` with Galaxy's types`);
  if (c.facts.prefix) parts.push(`\`galaxy_url_prefix: ${c.facts.prefix.value}\` from [filter:${c.facts.filter?.name}]`);
  if (c.uwsgi) parts.push(`\`gravity:\` from [uwsgi]${c.uwsgi.options.some((o) => o.file !== c.doc.file.path) ? ' and the uWSGI command line' : ''}`);
  else if (c.gravityIn) parts.push(`no \`gravity:\` section: it is written from \`${c.gravityIn}\`, one Galaxy configuration for one Gravity`);
  else if (c.draft.gunicorn.has('bind')) parts.push(`\`gravity.gunicorn.bind: ${c.draft.gunicorn.get('bind')}\` from [server:main]`);
  return parts.join('; ');
}

function notes(c: Conversion): string[] {
  const out: string[] = [];
  const bools = c.records.filter((r) => r.problems.includes('bool-meaning'));
  out.push("What Galaxy's own `config_manage.py convert` would have lost here, and this conversion keeps:");
  if (c.uwsgi) out.push(`  - [uwsgi] (${c.uwsgi.options.length} options): convert never reads it; here it becomes the gravity: section`);
  if (c.facts.server) out.push(`  - [${c.facts.server.section.name}]: convert (22.05+) ignores it; ${c.uwsgi ? 'uWSGI, not Paste, served Galaxy, so its bind comes from the uWSGI socket' : 'here it gives the gunicorn bind'}`);
  if (c.facts.prefix) out.push(`  - filter-with = ${c.facts.filter?.name}: convert drops it (printing a message about uWSGI mounts); here it is galaxy_url_prefix: ${c.facts.prefix.value}`);
  if (bools.length) out.push(`  - ${bools.length} boolean${bools.length === 1 ? '' : 's'} written as yes/on/1 (true for Galaxy under Paste; convert writes false): ${bools.map((b) => b.key).join(', ')}`);
  if (out.length === 1) out.pop();
  const usedHere = c.records.filter((r) => r.interpolated.used.includes('here') || r.interpolated.used.includes('__file__'));
  if (usedHere.length) {
    out.push(
      `%(here)s is ${c.here.dir} (${c.here.from === 'process manager' ? 'the directory the process manager loads the ini from' : c.here.from === 'this machine' ? 'where the file is on this machine: check it is the same on the server' : 'relative: write absolute paths by hand'}); used by ${usedHere.map((r) => r.key).join(', ')}`,
    );
  }
  out.push(...c.fromProcesses);
  out.push(
    'Next: point the process manager at the new file (process/* rules), start Galaxy with Gravity (`galaxyctl update`, `galaxyctl start`), check it answers, then remove the ini.',
  );
  return out;
}

export function galaxyIniToYmlRule(opts: GalaxyIniOptions = {}): Rule {
  return {
    meta: {
      id: ID,
      description: 'galaxy.ini → a new galaxy.yml: [app:main] typed into galaxy:, [uwsgi]/[server:main]/process manager into gravity:, the prefix filter into galaxy_url_prefix',
      rationale:
        'Gravity only reads YAML, and Galaxy 22.05+ runs only under Gravity. Galaxy\'s own converter writes yes/on/1 booleans as false, never reads [uwsgi], ' +
        'and since 22.05 silently drops [server:main] and the prefix filter, so a converted server can lose its URL prefix and its listening address.',
      severity: 'warning',
      fixable: true,
      sources: ['docs/galaxy-target.md §2.8, §5.1', 'GX-CM-UW, GX-CM-2205, GX-CM-NEW (config_manage.py convert)', 'galaxy lib/galaxy/config/schemas/config_schema.yml'],
    },
    check: (ctx) => check(ctx, opts),
  };
}

/** The ini stays in place by default: a finding says so, and what to do with it after the cutover. */
export const iniKeptRule: Rule = {
  meta: {
    id: 'paste/ini-kept',
    description: 'the galaxy.ini is kept next to the new galaxy.yml until the cutover',
    rationale: 'The running server still reads the ini; deleting it in the same change would break a restart before Gravity runs. Remove it once Galaxy runs from galaxy.yml.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §5.1 (convert moves the ini to <ini>.backup)'],
  },
  check(ctx) {
    for (const doc of galaxyIniDocs(ctx.deployment)) {
      const c = conversionOf(ctx.deployment, doc, ctx.target);
      if (c.blocked) continue;
      const first = doc.ast.ini.lines.find((l) => l.kind !== 'blank');
      ctx.report({
        file: doc.file.path,
        range: first?.range ?? { start: 0, end: 0 },
        message: `kept: the running server reads this file until Gravity runs Galaxy from \`${c.target}\`; delete it (or move it to \`${doc.file.path}.backup\`, as Galaxy's convert does) after the cutover`,
      });
    }
  },
};
