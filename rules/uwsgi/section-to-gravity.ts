import type { Document } from '../../src/core/document.js';
import type { Edit, FileChange, FindingInput } from '../../src/core/finding.js';
import type { UwsgiConfig } from '../../src/core/model.js';
import { lineBreakCounts, type Range } from '../../src/core/range.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { compareRelease, type Target } from '../../src/core/target.js';
import type { GalaxyYmlAst } from '../../src/formats/galaxy-yml/ast.js';
import { insertSection, mergeIntoPair, type MergeResult } from '../../src/formats/galaxy-yml/edit.js';
import { renderEntries, type Entry } from '../../src/formats/galaxy-yml/write.js';
import { jinjaLogicSpans, jinjaLogicWithin } from '../../src/formats/jinja.js';
import { galaxyGravityFile, primaryConfig, uwsgiFatalOf } from '../../src/model/decide.js';
import { scheduleWorkflows } from '../jobs/gravity-pools.js';
import { gravityReportsEntries } from '../reports/model.js';
import { draftEntries, type GravityDraft } from './draft.js';
import { addProcessFacts } from './process-facts.js';
import { applyGunicornInstances } from './zerg.js';
import { ALL_TABLES } from './tables.js';
import { buildDraft, documentOf, envFor, isStandaloneUwsgi, targetGalaxyYml } from './table.js';

const ID = 'uwsgi/section-to-gravity';

/**
 * The writer: the Galaxy app's uWSGI configuration becomes a `gravity:` section of galaxy.yml.
 *
 * - A galaxy.yml `uwsgi:` block is replaced, in place, by the `gravity:` section (or, when the file
 *   already has one, removed and its keys merged into that section at node ranges); keys that now
 *   belong to Galaxy are added to `galaxy:`. Every byte outside those ranges is left as it was.
 * - A standalone uWSGI file (uwsgi.ini / uwsgi.yml) cannot hold Gravity's settings: the section goes
 *   into the deployment's galaxy.yml, and the uWSGI file is reported, not deleted. It is what the
 *   running server reads until the cutover, so an admin expects it to stay until Gravity runs;
 *   the finding says to remove it afterwards (apply keeps backups, but a plan that deletes the live
 *   config before the process manager is switched would be a trap). Without a galaxy.yml, the
 *   finding carries the whole section as notes and says where it goes.
 * - Celery and Celery beat are on by default in Gravity (§1.5): the section writes `enable: true` for
 *   both, with a comment, so the admin sees the two new processes instead of meeting them later.
 */
function check(ctx: RuleContext): void {
  const { deployment, target } = ctx;
  const primary = primaryConfig(deployment.documents, deployment.uwsgi);
  for (const config of deployment.uwsgi) {
    const doc = documentOf(deployment, config.file);
    if (!doc || (doc.kind !== 'galaxy-yml' && doc.kind !== 'uwsgi-yaml' && doc.kind !== 'uwsgi-ini')) continue;
    const where = headerRange(doc, config);
    const env = envFor(config, deployment, target);
    const fatal = uwsgiFatalOf(doc);
    if (fatal) {
      const at = fatal.file === doc.file.path ? `line ${doc.lines.position(fatal.range.start).line}` : fatal.file;
      ctx.report({ file: doc.file.path, range: where, severity: 'error', message: `uWSGI would stop reading this configuration (${at}), so no \`gravity:\` section is written from it; fix that first` });
      continue;
    }
    const repeated = repeatedSection(doc);
    if (repeated) {
      ctx.report({
        file: doc.file.path,
        range: where,
        severity: 'warning',
        message:
          `this file has ${repeated.count} \`uwsgi:\` sections and uWSGI read only the first (line ${repeated.first}); the options at line ${repeated.second} were never applied. ` +
          'Which of them the server should keep is the admin\'s call, so no `gravity:` section is written: merge them into one block (or delete the unread one) and plan again',
      });
      continue;
    }
    const logic = templateLogic(doc, config);
    if (logic) {
      const text = doc.file.text.slice(logic.start, logic.end).replace(/\s+/g, ' ');
      ctx.report({
        file: doc.file.path,
        range: where,
        severity: 'warning',
        message:
          `this uWSGI configuration is a Jinja template with logic (line ${doc.lines.position(logic.start).line}: \`${text.length > 60 ? `${text.slice(0, 57)}…` : text}\`): ` +
          'which options uWSGI gets depends on rendering, so no `gravity:` section is written from it; write one in the template by hand from the findings on its options, keeping its conditions',
      });
      continue;
    }
    // Reports becomes `gravity.reports` through rules/reports (which reports it); the Tool Shed is no Gravity service.
    if (env.app === 'reports') continue;
    if (env.app !== 'galaxy') {
      ctx.report({
        file: doc.file.path,
        range: where,
        severity: 'warning',
        message: 'this uWSGI configuration runs the Tool Shed, which Gravity does not manage; run it with its own gunicorn service and remove this block',
      });
      continue;
    }
    if (config !== primary) {
      const gravity = primary ? undefined : galaxyGravityFile(deployment.documents);
      ctx.report({
        file: doc.file.path,
        range: where,
        severity: 'warning',
        message: gravity
          ? `a uWSGI configuration for Galaxy beside the \`gravity:\` section of \`${gravity}\`, which is what Gravity runs: nothing from this one is merged into it. Compare the two (carry over by hand what it lacks) and delete this one once Gravity runs`
          : `a second uWSGI configuration for Galaxy; the \`gravity:\` section is written from ${primary ? `\`${primary.file}\`` : 'the other one'}: compare the two and delete this one once Gravity runs`,
      });
      continue;
    }
    const draft = buildDraft(config, deployment, target, ALL_TABLES);
    draft.celery = true;
    // The deployment's handler groups: the mules', and those of legacy handler programs (rules/process).
    draft.handlers.splice(0, draft.handlers.length, ...deployment.decisions.handlers);
    // Groups none of which schedules workflows (a farm of another name): the first one does now.
    scheduleWorkflows(draft.handlers, deployment);
    // A zerg setup's instances (uwsgi/zerg), also when the zerglings attach on the command line.
    applyGunicornInstances(draft, deployment.decisions, target);
    const factNotes = addProcessFacts(draft, deployment.decisions, target);
    for (const f of versionFindings(target, doc.file.path, where)) ctx.report(f);
    if (isStandaloneUwsgi(doc)) writeFromStandalone(ctx, doc, config, draft, factNotes);
    else writeIntoOwnFile(ctx, doc as Document<GalaxyYmlAst>, config, draft, factNotes);
  }
}

/**
 * A galaxy.yml whose lines end in lone CRs (classic Mac) is many lines to Galaxy (PyYAML) and one
 * line to uWSGI, which breaks lines at LF only (docs/uwsgi-dialect.md): any line written into it
 * would change what uWSGI reads there. It is left to the admin to convert first.
 */
const LONE_CR = 'its lines end in lone CRs (classic Mac), which uWSGI reads as one line and Galaxy as many: convert them to LF first';

function breaksLinesWithLoneCr(text: string): boolean {
  const { lf, crlf, cr } = lineBreakCounts(text);
  return cr > lf + crlf;
}

function writeIntoOwnFile(ctx: RuleContext, doc: Document<GalaxyYmlAst>, config: UwsgiConfig, draft: GravityDraft, factNotes: readonly string[]): void {
  const ast = doc.ast;
  const section = ast.uwsgi?.section;
  if (!section) return;
  // Reports (rules/reports) joins this one gravity: section rather than splicing a second edit into it.
  const entries = [...draftEntries(draft), ...gravityReportsEntries(ctx.deployment, ctx.target, doc.file.path)];
  const edits: Edit[] = [];
  const notes: string[] = [...factNotes];
  const blocked: string[] = [];
  const text = doc.file.text;
  if (breaksLinesWithLoneCr(text)) blocked.push(LONE_CR);
  const sectionText = text.slice(section.range.start, section.range.end);
  const endsWithBreak = /\n$/.test(sectionText) || /\r$/.test(sectionText);

  // Moves into `galaxy:` first: when there is no `galaxy:` section, it is written after `gravity:`.
  const galaxy = galaxyEntries(draft);
  let newGalaxy = '';
  if (galaxy.length) {
    if (ast.galaxy.name === 'galaxy' && ast.galaxy.pair) collect(mergeIntoPair(doc, ast.galaxy.pair, galaxy, 'galaxy'), edits, notes, blocked);
    else if (ast.galaxy.name === 'galaxy' && ast.galaxy.section) blocked.push('galaxy: is not a mapping galaxy-migrate can add keys to');
    else newGalaxy = `${ast.eol}galaxy:${ast.eol}${renderEntries(galaxy, ast.indent, ast.indent, ast.eol)}`;
  }

  let description: string;
  if (ast.gravity) {
    if (!ast.gravity.pair) blocked.push('the existing gravity: section is not a mapping galaxy-migrate can merge into');
    else collect(mergeIntoPair(doc, ast.gravity.pair, entries, 'gravity'), edits, notes, blocked);
    edits.push({ start: section.range.start, end: trailingBlank(doc, section.range.start, section.range.end), text: newGalaxy ? newGalaxy.replace(/^\r?\n/, '') + ast.eol : '' });
    description = 'remove the uwsgi: section and merge its settings into the existing gravity: section';
  } else {
    let body = `gravity:${ast.eol}${renderEntries(entries, ast.indent, ast.indent, ast.eol)}${newGalaxy}`;
    if (!endsWithBreak) body = body.replace(/\r?\n$/, '');
    edits.push({ start: section.range.start, end: section.range.end, text: body });
    description = 'replace the uwsgi: section with a gravity: section';
  }

  if (blocked.length) {
    ctx.report({
      file: doc.file.path,
      range: section.keyRange,
      severity: 'warning',
      message: `the \`uwsgi:\` section must be replaced by a \`gravity:\` section, but galaxy-migrate cannot merge it here (${blocked.join('; ')}); write it by hand`,
      notes: sectionNotes(entries, draft, ast.indent),
    });
    return;
  }
  if (!ast.galaxy.exists) {
    notes.push('this file has no `galaxy:` section: Gravity takes a file without one for a separate Gravity configuration and then needs `gravity.galaxy_config_file`; add `galaxy:` (even empty) if this is Galaxy\'s configuration');
  }
  if (!draft.gunicorn.has('bind') && !ctx.deployment.decisions.gunicornBind) notes.push('no uWSGI listener was found, so gunicorn binds Gravity\'s default `localhost:8080`; point the proxy there or set `gravity.gunicorn.bind`');
  ctx.report({
    file: doc.file.path,
    range: section.keyRange,
    message: `the \`uwsgi:\` section is not read under Gunicorn/Gravity (Galaxy 22.05 and later cannot run under uWSGI): ${description}${summary(draft)}`,
    notes,
    fix: { description, changes: [{ kind: 'edit', file: doc.file.path, edits }] },
  });
}

function writeFromStandalone(ctx: RuleContext, doc: Document, config: UwsgiConfig, draft: GravityDraft, factNotes: readonly string[]): void {
  const where = headerRange(doc, config);
  const target = targetGalaxyYml(config, ctx.deployment);
  const entries = [...draftEntries(draft), ...(target ? gravityReportsEntries(ctx.deployment, ctx.target, target.file.path) : [])];
  if (!target) {
    const named = config.options.find(
      (o) => o.key === 'yaml' || (o.key === 'set' && /^galaxy_config_file\s*=/.test(o.value)) || (o.key === 'env' && /^GALAXY_CONFIG_FILE=/.test(o.value)),
    );
    ctx.report({
      file: doc.file.path,
      range: where,
      message:
        'Gravity does not read uWSGI files: add this `gravity:` section to galaxy.yml (' +
        (named ? `\`${namedPath(named.value)}\`, which this configuration names in \`${named.key}\`` : 'the file Galaxy is started with') +
        ', next to its `galaxy:` section), then remove this file once Gravity runs Galaxy' +
        summary(draft),
      notes: [...factNotes, ...sectionNotes(entries, draft, 2)],
    });
    return;
  }
  const ast = target.ast;
  const changes: FileChange[] = [];
  const edits: Edit[] = [];
  const notes: string[] = [...factNotes];
  const blocked: string[] = [];
  if (breaksLinesWithLoneCr(target.file.text)) blocked.push(LONE_CR);
  const galaxy = galaxyEntries(draft);
  if (galaxy.length) {
    if (ast.galaxy.pair) collect(mergeIntoPair(target, ast.galaxy.pair, galaxy, 'galaxy'), edits, notes, blocked);
    else blocked.push('its galaxy: section is not a mapping galaxy-migrate can add keys to');
  }
  if (ast.gravity?.pair) collect(mergeIntoPair(target, ast.gravity.pair, entries, 'gravity'), edits, notes, blocked);
  else if (ast.gravity) blocked.push('its gravity: section is not a mapping galaxy-migrate can merge into');
  else edits.push(insertSection(target, 'gravity', entries, ast.galaxy.section ?? ast.sections[0]));
  if (blocked.length) {
    ctx.report({
      file: doc.file.path,
      range: where,
      severity: 'warning',
      message: `Gravity does not read uWSGI files, and galaxy-migrate cannot write the \`gravity:\` section into \`${target.file.path}\` (${blocked.join('; ')}); add it by hand`,
      notes: sectionNotes(entries, draft, ast.indent),
    });
    return;
  }
  changes.push({ kind: 'edit', file: target.file.path, edits });
  if (!draft.gunicorn.has('bind') && !ctx.deployment.decisions.gunicornBind) notes.push('no uWSGI listener was found, so gunicorn binds Gravity\'s default `localhost:8080`; point the proxy there or set `gravity.gunicorn.bind`');
  ctx.report({
    file: doc.file.path,
    range: where,
    message:
      `Gravity does not read uWSGI files: its settings are written as a \`gravity:\` section into \`${target.file.path}\`; ` +
      'this file is kept, because the running uWSGI still reads it: delete it (and the service that starts uWSGI with it) after the cutover' +
      summary(draft),
    notes,
    fix: { description: `write the gravity: section into ${target.file.path}`, changes },
  });
}

function namedPath(value: string): string {
  return value.replace(/\r+$/, '').replace(/^(galaxy_config_file\s*|GALAXY_CONFIG_FILE)=\s*/, '').replace(/:[^/]*$/, '').trim();
}

/** §1.10: Galaxy 22.01 shipped Gravity 0.9, which read its settings from `galaxy:`; the `gravity:` form needs 0.10. */
function versionFindings(target: Target, file: string, range: Range): FindingInput[] {
  if (compareRelease(target.galaxy, '22.01') !== 0) return [];
  return [
    {
      file,
      range,
      severity: 'warning',
      message:
        'target Galaxy 22.01: its Gravity (0.9) reads `bind_address`, `bind_port` and `job_handler_count` from `galaxy:`, not a `gravity:` section; ' +
        'install Gravity ≥ 0.10 (`pip install "gravity>=0.10"`) or target 22.05, where the `gravity:` section is the only form (22.01 can also keep running under uWSGI)',
    },
  ];
}

function galaxyEntries(draft: GravityDraft): Entry[] {
  return draft.galaxy.map((m) => ({ key: m.key, value: m.value }));
}

function collect(r: MergeResult, edits: Edit[], notes: string[], blocked: string[]): void {
  edits.push(...r.edits);
  blocked.push(...r.blocked);
  for (const k of r.kept) {
    // Environment values may be secrets: say that they differ, not what they are.
    const wanted = /\.environment\./.test(k.path) ? 'a different value' : JSON.stringify(k.wanted);
    notes.push(`\`${k.path}\` is already set in the file and kept; the uWSGI configuration would have given ${wanted}`);
  }
}

function summary(draft: GravityDraft): string {
  const parts: string[] = [];
  const bind = draft.gunicorn.get('bind');
  if (draft.gunicornBinds.length > 1) parts.push(`${draft.gunicornBinds.length} gunicorn instances (${draft.gunicornBinds.map((b) => `\`${b}\``).join(', ')})`);
  else if (bind !== undefined) parts.push(`gunicorn bind \`${bind}\``);
  const workers = draft.gunicorn.get('workers');
  if (workers !== undefined) parts.push(`${workers} worker${workers === 1 ? '' : 's'}`);
  const procs = draft.handlers.reduce((n, h) => n + h.processes, 0);
  if (procs) parts.push(`${procs} handler process${procs === 1 ? '' : 'es'} (${draft.handlers.map((h) => h.name).join(', ')})`);
  if (draft.celery) parts.push('Celery and Celery beat (Gravity starts them by default)');
  return parts.length ? `; it runs ${parts.join(', ')}` : '';
}

/** The section as text for a finding's notes; environment values are left out (they may be secrets). */
function sectionNotes(entries: readonly Entry[], draft: GravityDraft, indent: number): string[] {
  const hidden = new Set(draft.environment.keys());
  const scrub = (es: readonly Entry[], inEnv: boolean): Entry[] =>
    es.map((e) => {
      if (Array.isArray(e.value) && e.value.length && typeof e.value[0] === 'object') return { ...e, value: scrub(e.value as Entry[], e.key === 'environment') };
      if (inEnv && hidden.has(e.key)) return { ...e, value: `<the value of env ${e.key}>` };
      return e;
    });
  return `gravity:\n${renderEntries(scrub(entries, false), indent, indent, '\n')}`.replace(/\n$/, '').split('\n');
}

function headerRange(doc: Document, config: UwsgiConfig): Range {
  if (doc.kind === 'galaxy-yml') {
    const s = (doc as Document<GalaxyYmlAst>).ast?.uwsgi?.section;
    if (s) return s.keyRange;
  }
  if (config.sectionRange) {
    const line = doc.lines.position(config.sectionRange.start).line;
    return doc.lines.lineRange(line);
  }
  const first = config.options[0];
  return first ? first.range : { start: 0, end: 0 };
}

/**
 * Several `uwsgi:` sections in one galaxy.yml. Replacing only the first (what uWSGI read) would leave
 * the next one to be taken for the configuration by the following plan; replacing all would drop
 * options the admin may have meant to run with.
 */
function repeatedSection(doc: Document): { count: number; first: number; second: number } | undefined {
  if (doc.kind !== 'galaxy-yml') return undefined;
  const blocks = ((doc as Document<GalaxyYmlAst>).ast?.sections ?? []).filter((s) => s.name === 'uwsgi');
  if (blocks.length < 2) return undefined;
  const line = (at: number): number => doc.lines.position(at).line;
  return { count: blocks.length, first: line(blocks[0]!.range.start), second: line(blocks[1]!.range.start) };
}

/**
 * A Jinja statement, comment or lone-line expression inside the uWSGI block of a template: rendering
 * decides which lines exist there, so replacing the block would drop that logic (a `{% if %}` around
 * `mount:`) or the lines a `{{ uwsgi | to_nice_yaml }}` renders.
 */
function templateLogic(doc: Document, config: UwsgiConfig): Range | undefined {
  if (doc.kind === 'galaxy-yml') {
    const ast = (doc as Document<GalaxyYmlAst>).ast;
    return ast?.uwsgi ? jinjaLogicWithin(ast.jinjaLogic, ast.uwsgi.section.range) : undefined;
  }
  const spans = jinjaLogicSpans(doc.file.text);
  return jinjaLogicWithin(spans, config.sectionRange ?? { start: 0, end: doc.file.text.length });
}


/**
 * The end of a removed block, with the blank lines after it when a blank line (or the start of the
 * file) is already before it, so neither a double gap nor a missing one is left.
 */
function trailingBlank(doc: Document, start: number, end: number): number {
  const before = doc.lines.position(start).line;
  const prev = before > 1 ? doc.lines.lineRange(before - 1) : undefined;
  if (prev && doc.file.text.slice(prev.start, prev.end).trim() !== '') return end;
  let line = doc.lines.position(end).line;
  let at = end;
  while (line <= doc.lines.lineCount) {
    const r = doc.lines.lineRange(line);
    if (r.start !== at || doc.file.text.slice(r.start, r.end).trim() !== '') break;
    const full = doc.lines.fullLineRange(line);
    if (full.end === full.start) break;
    at = full.end;
    line++;
  }
  return at;
}

export const sectionToGravityRule: Rule = {
  meta: {
    id: ID,
    description: 'the uwsgi: section → a gravity: section of galaxy.yml (written in place; other bytes untouched)',
    rationale:
      'Galaxy 22.05 and later run only under Gunicorn managed by Gravity, which reads the `gravity:` section of galaxy.yml and ignores `uwsgi:`. ' +
      'This rule writes that section from what the other uwsgi/* rules decided (bind, workers, timeout, extra_args, environment, handlers, ' +
      'virtualenv, galaxy_root, log_dir, umask), moves `galaxy_url_prefix`/`interactivetools_map` into `galaxy:`, and makes Gravity\'s default ' +
      'Celery services explicit. For targets before 23.0 it writes no Gravity 1.x key (process_manager, galaxy_user, umask, memory_limit).',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §1.1–§1.5, §1.9, §1.10, §2', 'GRAV settings.py', 'GX-SCALE-GU', 'GX-REL-2205'],
    galaxy: { from: '22.01' },
  },
  check,
};

