import type { Document } from '../../src/core/document.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import type { GalaxyYmlAst } from '../../src/formats/galaxy-yml/ast.js';
import { ALL_TABLES } from './tables.js';
import { claims } from './table.js';

/**
 * Options no table knows are never dropped silently: each is reported for review. So are lines of a
 * galaxy.yml `uwsgi:` block that uWSGI never read (after a line its parser stops at), because the
 * rewrite removes the block whole.
 */
function check(ctx: RuleContext): void {
  for (const config of ctx.deployment.uwsgi) {
    for (const opt of config.options) {
      if (ALL_TABLES.some((t) => claims(t, opt.key))) continue;
      // A custom key other options refer to as `%(key)`: a placeholder, already expanded into them.
      const ref = `%(${opt.key})`;
      if (config.options.some((o) => o !== opt && o.rawValue.includes(ref))) {
        ctx.report({
          file: opt.file,
          range: opt.range,
          severity: 'info',
          message: `\`${opt.key}\` dropped: a placeholder the other options use as \`${ref}\`; they are migrated with it expanded`,
        });
        continue;
      }
      ctx.report({
        file: opt.file,
        range: opt.range,
        message: `\`${opt.key}\` needs review: galaxy-migrate knows no Gunicorn/Gravity equivalent for this uWSGI option, and it is not carried over; check what it did and recreate it by hand if it still matters`,
      });
    }
  }
  for (const doc of ctx.deployment.documents) {
    if (doc.kind !== 'galaxy-yml') continue;
    const ast = (doc as Document<GalaxyYmlAst>).ast;
    if (!ast?.uwsgi) continue;
    const config = ctx.deployment.uwsgi.find((c) => c.file === doc.file.path);
    const covered = [...(config?.options ?? []).filter((o) => o.file === doc.file.path).map((o) => o.range), ...doc.errors.filter((e) => !e.file || e.file === doc.file.path).map((e) => e.range)];
    const section = ast.uwsgi.section;
    const first = doc.lines.position(section.range.start).line;
    const lastLine = doc.lines.position(Math.max(section.range.start, section.range.end - 1)).line;
    for (let n = first + 1; n <= lastLine; n++) {
      const r = doc.lines.lineRange(n);
      const text = doc.file.text.slice(r.start, r.end);
      if (/^\s*(#.*)?$/.test(text)) continue;
      // A template's `{% if %}` line is not uWSGI's to read: rendering removes it (section-to-gravity says so).
      if (ast.jinjaLogic.some((j) => j.start < r.end && r.start < j.end)) continue;
      if (covered.some((c) => c.start < r.end && r.start < Math.max(c.end, c.start + 1))) continue;
      ctx.report({
        file: doc.file.path,
        range: { start: r.start + (text.length - text.trimStart().length), end: r.end },
        message: 'uWSGI never read this line (its parser had stopped earlier in the block), so it was never applied; it goes with the `uwsgi:` section: carry it over by hand if it matters',
      });
    }
  }
}

export const unknownOptionRule: Rule = {
  meta: {
    id: 'uwsgi/unknown-option',
    description: 'uWSGI options with no known Gunicorn/Gravity equivalent, and block lines uWSGI never read → review',
    rationale:
      'Every uWSGI option is mapped, moved, dropped with a reason, or flagged here. An option no table knows may still matter (a custom ' +
      'placeholder, a plugin option), so it is reported for review instead of vanishing with the `uwsgi:` section.',
    severity: 'warning',
    fixable: false,
    sources: ['docs/galaxy-target.md §2', 'docs/uwsgi-dialect.md §3, §6'],
    galaxy: { from: '22.01' },
  },
  check,
};
