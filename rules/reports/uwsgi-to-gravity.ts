import type { Document } from '../../src/core/document.js';
import type { Edit, FileChange } from '../../src/core/finding.js';
import type { Range } from '../../src/core/range.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { hasGravity1 } from '../../src/core/target.js';
import type { GalaxyYmlAst } from '../../src/formats/galaxy-yml/ast.js';
import { insertSection, mergeIntoPair } from '../../src/formats/galaxy-yml/edit.js';
import { renderEntries, type Entry } from '../../src/formats/galaxy-yml/write.js';
import { blockEndAt } from './ansible.js';
import { iniEntries, iniMessage } from './ini.js';
import { isMovable, reportsApps, reportsEntry, type ReportsApp } from './model.js';

const ID = 'reports/uwsgi-to-gravity';

/**
 * The Reports app's uWSGI configuration → `gravity.reports` (§1.8): `enable: true`, the same
 * address (`bind`), the mount point as `url_prefix`, `config_file` pointing at reports.yml, and
 * workers/timeout/extra_args as the uwsgi/* tables map them. The `uwsgi:` section of reports.yml is
 * removed, every other byte of it kept (its `reports:` section is what Reports reads).
 *
 * The `reports:` mapping joins Galaxy's one `gravity:` section: when uwsgi/section-to-gravity
 * writes that section (Galaxy's own uWSGI configuration moves in the same plan) it carries the
 * mapping itself; otherwise this rule merges it into the galaxy.yml's `gravity:` or into ansible's
 * `galaxy_config.gravity`. One fix holds both files: Reports' uWSGI section is never removed
 * without Gravity being told to run Reports.
 */
function check(ctx: RuleContext): void {
  for (const app of reportsApps(ctx.deployment, ctx.target)) {
    const doc = app.doc;
    const where = headerRange(app);
    const text = sectionText(app);
    if (!hasGravity1(ctx.target)) {
      ctx.report({
        file: doc.file.path,
        range: where,
        severity: 'warning',
        message: `Reports runs under uWSGI here; Gravity runs it (\`gravity.reports\`) only from Gravity 1.0, i.e. Galaxy 23.0: for Galaxy ${ctx.target.galaxy} run it with \`run_reports.sh\` (gunicorn) until then`,
        notes: text,
      });
      continue;
    }
    if (!isMovable(app)) {
      ctx.report({
        file: doc.file.path,
        range: where,
        severity: 'warning',
        message:
          doc.kind === 'galaxy-yml'
            ? 'uWSGI would stop reading this Reports configuration, so nothing is moved from it: fix it, then `gravity.reports` can be written'
            : iniMessage(app),
        notes: [...app.notes, ...(doc.kind === 'galaxy-yml' ? text : sectionText({ ...app, entries: iniEntries(app) }))],
      });
      continue;
    }
    const dest = app.destination;
    if (dest.kind === 'none') {
      ctx.report({
        file: doc.file.path,
        range: where,
        severity: 'warning',
        message: `Reports runs under uWSGI from this section; Gravity runs it as \`gravity.reports\`, but galaxy-migrate cannot write that here (${dest.why}): add it by hand, then remove this section`,
        notes: [...app.notes, ...text],
      });
      continue;
    }
    const changes: FileChange[] = [{ kind: 'edit', file: doc.file.path, edits: [removeUwsgiSection(doc as Document<GalaxyYmlAst>)] }];
    const notes = [...app.notes, ...cutoverNotes(app)];
    let into: string;
    if (dest.kind === 'section-writer') {
      into = `the \`gravity:\` section uwsgi/section-to-gravity writes into ${dest.file}`;
    } else if (dest.kind === 'ansible-writer') {
      into = `the \`gravity:\` section ansible/galaxy-config-uwsgi writes in place of \`${dest.variable}.uwsgi\` in ${dest.doc.file.path}`;
    } else if (dest.kind === 'galaxy-yml') {
      const r = intoGalaxyYml(dest.doc, app.entries);
      if (r.blocked.length) {
        ctx.report({ file: doc.file.path, range: where, severity: 'warning', message: `Reports must move into \`gravity.reports\` of ${dest.doc.file.path}, but galaxy-migrate cannot merge it there (${r.blocked.join('; ')}): add it by hand`, notes: [...notes, ...text] });
        continue;
      }
      notes.push(...r.notes);
      if (r.edits.length) changes.push({ kind: 'edit', file: dest.doc.file.path, edits: r.edits });
      into = `\`gravity:\` of ${dest.doc.file.path}`;
    } else {
      const b = dest.block;
      if (b.map!.items.some((p) => (p.key as { value?: unknown } | null)?.value === 'reports')) {
        notes.push(`\`${b.variable}.gravity.reports\` is already set in ${dest.doc.file.path} and kept`);
      } else {
        const step = b.childColumn - b.keyColumn > 0 ? b.childColumn - b.keyColumn : 2;
        const at = blockEndAt(dest.doc.file.text, b.keyRange.start, b.keyColumn);
        const body = renderEntries([reportsEntry(app)], b.childColumn, step, dest.doc.ast.eol);
        changes.push({ kind: 'edit', file: dest.doc.file.path, edits: [insertAt(dest.doc.file.text, at, body, dest.doc.ast.eol)] });
      }
      into = `\`${b.variable}.gravity\` of ${dest.doc.file.path}`;
    }
    ctx.report({
      file: doc.file.path,
      range: where,
      message: `Reports runs under uWSGI from this section, which Galaxy 22.05 and later cannot run: Gravity runs it as \`gravity.reports\` (${summary(app)}), written into ${into}; the \`uwsgi:\` section is removed`,
      notes,
      fix: { description: 'move Reports from uWSGI into gravity.reports', changes },
    });
  }
}

function intoGalaxyYml(doc: Document<GalaxyYmlAst>, entries: readonly Entry[]): { edits: Edit[]; notes: string[]; blocked: string[] } {
  const ast = doc.ast;
  const reports: Entry = { key: 'reports', value: entries };
  if (ast.gravity?.pair) {
    const r = mergeIntoPair(doc, ast.gravity.pair, [reports], 'gravity');
    return { edits: r.edits, blocked: r.blocked, notes: r.kept.map((k) => `\`${k.path}\` is already set in ${doc.file.path} and kept; Reports' uWSGI configuration would have given ${JSON.stringify(k.wanted)}`) };
  }
  if (ast.gravity) return { edits: [], notes: [], blocked: ['its gravity: section is not a mapping'] };
  return { edits: [insertSection(doc, 'gravity', [reports], ast.galaxy.section ?? ast.sections[0])], notes: [], blocked: [] };
}

function insertAt(text: string, at: number, body: string, eol: string): Edit {
  const needsBreak = at === text.length && at > 0 && !/\n$/.test(text);
  return { start: at, end: at, text: needsBreak ? `${eol}${body}` : body };
}

/**
 * The `uwsgi:` section of reports.yml, with the blank lines after it when nothing but a blank line
 * (or the start of the file) is before it, so that neither a double gap nor a missing one is left.
 */
function removeUwsgiSection(doc: Document<GalaxyYmlAst>): Edit {
  const section = doc.ast.uwsgi!.section;
  const text = doc.file.text;
  const start = section.range.start;
  let end = section.range.end;
  const before = text.slice(0, start);
  if (before.trim() === '' || /\n[ \t]*\r?\n$/.test(before)) {
    while (end < text.length) {
      const nl = text.indexOf('\n', end);
      const line = text.slice(end, nl < 0 ? text.length : nl + 1);
      if (line.trim() !== '' || nl < 0) break;
      end = nl + 1;
    }
  }
  return { start, end, text: '' };
}

function summary(app: ReportsApp): string {
  const parts: string[] = [];
  for (const e of app.entries) {
    if (e.key === 'enable' || e.key === 'environment') continue;
    parts.push(`${e.key} ${typeof e.value === 'string' ? `\`${e.value}\`` : String(e.value)}`);
  }
  return parts.join(', ');
}

function cutoverNotes(app: ReportsApp): string[] {
  const out = [
    'after `galaxyctl update`, Gravity starts Reports with Galaxy; stop whatever ran `uwsgi` for Reports first (the ansible role\'s galaxy-reports.service, a supervisord program), or it holds the address Gravity binds',
  ];
  if (app.bind?.kind === 'unix') out.push('gunicorn listens on a unix socket, so `extra_args: \'--forwarded-allow-ips="*"\'` lets it trust the proxy\'s X-Forwarded-* headers (§4.5)');
  return out;
}

/** The `reports:` mapping as text, for findings that cannot write it. */
function sectionText(app: ReportsApp): string[] {
  const hidden = new Set(app.entries.filter((e) => e.key === 'environment').map((e) => e.key));
  const shown = app.entries.map((e) => (hidden.has(e.key) ? { key: e.key, value: '<the environment of the uWSGI configuration>' } : e));
  return `gravity:\n${renderEntries([{ key: 'reports', value: shown }], 2, 2, '\n')}`.replace(/\n$/, '').split('\n');
}

function headerRange(app: ReportsApp): Range {
  const ast = app.doc.ast as GalaxyYmlAst | undefined;
  if (app.doc.kind === 'galaxy-yml' && ast?.uwsgi) return ast.uwsgi.section.keyRange;
  const first = app.config.options[0];
  return first ? first.range : { start: 0, end: 0 };
}

export const uwsgiToGravityRule: Rule = {
  meta: {
    id: ID,
    description: "Reports' uWSGI section → gravity.reports (enable, bind, url_prefix, config_file) in Galaxy's one gravity: section",
    rationale:
      'Since Gravity 1.0 (Galaxy 23.0) the Reports app is a Gravity service: `gravity.reports` with `enable`, `bind` (default localhost:9001), ' +
      '`url_prefix` (passed to Reports as SCRIPT_NAME), `config_file` (reports.yml, relative to galaxy.yml), workers, timeout, extra_args. ' +
      'Galaxy 22.05 and later cannot run under uWSGI, so the `uwsgi:` section of reports.yml runs nothing any more. The listener keeps its ' +
      'address (a unix socket becomes reports.sock beside it) so that the proxy, rewritten by reports/nginx-uwsgi-pass, points where gunicorn ' +
      'listens; the mapping goes into the same `gravity:` section as Galaxy\'s gunicorn.',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §1.2, §1.8, §1.10', 'GRAV settings.py (ReportsSettings)', 'GX-REL-2205'],
    galaxy: { from: '22.01' },
  },
  check,
};
