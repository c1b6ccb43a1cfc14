import type { Document } from '../../src/core/document.js';
import type { Edit, FileChange, Fix } from '../../src/core/finding.js';
import type { Range } from '../../src/core/range.js';
import { detectEol } from '../../src/core/range.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { parseSupervisorEnvironment, programSetting, type SupervisorAst, type SupervisorGroup } from '../../src/formats/supervisor/parse.js';
import type { MigrationDecisions, ProcessManagerFacts } from '../../src/core/model.js';
import type { Target } from '../../src/core/target.js';
import { plannedInstances } from '../../src/model/zerg.js';
import type { LegacyService } from '../../src/model/processes.js';
import { depthChange, entryFormatter, leavesNoSection, sectionRemoval } from './ini-edits.js';
import { factEntries, gravityConfigPath, gravityNotes, nextSteps, processesOf, serviceWhat } from './shared.js';

const ID = 'process/supervisor-programs';

/**
 * supervisord programs that run uWSGI (web server, zerg pool, zerglings), Paste web processes or
 * Galaxy's webless job handlers are removed; the first web program is replaced, in place, by one
 * program that runs `galaxyctl start --foreground`: Gravity then runs gunicorn, the handlers and
 * Celery under its own supervisord (docs/galaxy-target.md §6.2 B/C, §6.3), and the outer
 * supervisord keeps starting Galaxy at boot. `[group:…]` lists follow. Every legacy program gets a
 * finding; the first finding of each file carries that file's whole change, so the removals, the
 * new program and the group lists are applied together or not at all.
 */
function check(ctx: RuleContext): void {
  const { deployment } = ctx;
  const { services, facts } = processesOf(deployment);
  const sup = services.filter((s) => s.manager === 'supervisor');
  if (!sup.length || !facts) return;
  const docs = deployment.documents.filter((d): d is Document<SupervisorAst> => d.kind === 'supervisor' && Boolean(d.ast));
  const webish = sup.find((s) => s.role === 'web' || s.role === 'zergling' || s.role === 'paste-web');
  const newName = freeName(docs);
  const removedNames = sup.map((s) => s.name);
  const configPath = gravityConfigPath(facts);
  const steps = [...nextSteps('supervisor', sup, configPath, newName), ...zergSteps(deployment.decisions, ctx.target, sup, configPath)];
  const settings = gravityNotes(factEntries(facts));

  for (const doc of docs) {
    const mine = sup.filter((s) => s.file === doc.file.path);
    const groupsHit = doc.ast.groups.filter((g) => g.programs.some((p) => removedNames.some((n) => matchesName(n, p.name))));
    if (!mine.length && !groupsHit.length) continue;
    const plan = planFile(doc, mine, webish, newName, removedNames, configPath, facts);
    let fixGiven = false;
    const notesFor = (first: boolean): string[] => (first ? [...steps, '', 'Gravity settings that carry these programs (process/gravity-settings):', ...settings, ...plan.notes] : []);
    for (const s of mine) {
      const replaced = s === webish && plan.fix !== undefined;
      const first = !fixGiven;
      const why = plan.refused ? ` — not rewritten automatically: ${plan.refused}` : '';
      ctx.report({
        file: s.file,
        range: s.range,
        message: `\`[program:${s.name}]\` runs ${serviceWhat(s)}${roleDetail(s)}; ${replaced ? `replaced by \`[program:${newName}]\`, which runs \`galaxyctl start --foreground\` (Gravity then runs gunicorn, the job handlers and Celery)${zergTakeover(s, deployment.decisions, ctx.target)}` : `removed: ${removedBecause(s, deployment.decisions, ctx.target)}`}${why}`,
        ...(first && plan.fix ? { fix: plan.fix } : {}),
        ...(first ? { notes: notesFor(true) } : {}),
      });
      if (first && plan.fix) fixGiven = true;
    }
    if (!mine.length) {
      for (const g of groupsHit) {
        ctx.report({
          file: doc.file.path,
          range: g.section.header,
          severity: 'info',
          message: `\`[group:${g.name}]\` lists programs that are removed (${g.programs.filter((p) => removedNames.some((n) => matchesName(n, p.name))).map((p) => p.name).join(', ')})`,
          ...(!fixGiven && plan.fix ? { fix: plan.fix } : {}),
        });
        fixGiven = true;
      }
    }
  }
}

const REMOVED_BECAUSE: Record<LegacyService['role'], string> = {
  web: 'Gravity runs gunicorn in its place',
  'paste-web': 'Gravity runs gunicorn in its place (its `workers` replace the Paste processes)',
  zergling: 'one gunicorn with several `workers` replaces the zerglings',
  'zerg-pool': 'gunicorn needs no zerg pool; `galaxyctl graceful` restarts it without dropping requests (a `gunicorn:` list of binds gives rolling restarts, §2.3)',
  handler: 'Gravity starts the job handlers (see process/handler-names)',
};

/**
 * Zerg mode (src/model/zerg.ts): the pool and the zerglings give way to the `gravity.gunicorn` list
 * of instances, and `galaxyctl graceful` is now what restarts Galaxy without dropping requests.
 */
function removedBecause(s: LegacyService, d: MigrationDecisions, target: Target): string {
  const list = plannedInstances(d, target);
  if (!list.length || (s.role !== 'zergling' && s.role !== 'zerg-pool')) return REMOVED_BECAUSE[s.role];
  const binds = list.map((i) => `\`${i.bind}\``).join(', ');
  return s.role === 'zerg-pool'
    ? `gunicorn needs no zerg pool: the first of the ${list.length} gunicorn instances of \`gravity.gunicorn\` binds its address (${binds}), and \`galaxyctl graceful\` restarts them one at a time, so requests keep being served`
    : `the ${list.length} gunicorn instances of \`gravity.gunicorn\` (${binds}) replace the zerglings; \`galaxyctl graceful\` restarts them one at a time, as handing the zerg pool over did`;
}

function zergTakeover(s: LegacyService, d: MigrationDecisions, target: Target): string {
  const list = plannedInstances(d, target);
  return list.length && (s.role === 'zergling' || s.role === 'zerg-pool') ? `; the zerglings become ${list.length} gunicorn instances, which \`galaxyctl graceful\` restarts one at a time` : '';
}

/** The restart that replaces the zerg handover, for the next steps. */
function zergSteps(d: MigrationDecisions, target: Target, services: readonly LegacyService[], configPath: string | undefined): string[] {
  if (!services.some((s) => s.role === 'zergling' || s.role === 'zerg-pool')) return [];
  const cfg = configPath ? ` --config-file ${configPath}` : '';
  const list = plannedInstances(d, target);
  return list.length
    ? [`  galaxyctl${cfg} graceful   # from now on, restarts the ${list.length} gunicorn instances one at a time (what the zerg pool's handover did)`]
    : [`  galaxyctl${cfg} graceful   # from now on, restarts gunicorn (one instance: a short interruption; a gravity.gunicorn list restarts one at a time)`];
}

function roleDetail(s: LegacyService): string {
  const r = s.classified.role;
  if (r.role === 'uwsgi' && r.config) return ` (\`uwsgi --${r.config.flag === 'template' ? '<template>' : r.config.flag} ${r.config.path.text}\`)`;
  if (s.handler) {
    const n = s.handler.processes ?? s.handler.processesText;
    const names = s.handler.names.length ? s.handler.names.join(', ') : `\`${s.handler.legacy}\``;
    return ` (${n ?? 1} process${n === 1 ? '' : 'es'}: ${names})`;
  }
  return '';
}

interface FilePlan {
  readonly fix?: Fix;
  readonly refused?: string;
  readonly notes: string[];
}

function planFile(doc: Document<SupervisorAst>, mine: readonly LegacyService[], webish: LegacyService | undefined, newName: string, removedNames: readonly string[], configPath: string | undefined, facts: ProcessManagerFacts): FilePlan {
  const text = doc.file.text;
  const ast = doc.ast;
  const eol = detectEol(text);
  const edits: Edit[] = [];
  const notes: string[] = [];
  const removed: Range[] = [];
  const replacing = webish !== undefined && mine.includes(webish);
  for (const s of mine) {
    // Inside a Jinja loop or condition that stays, the new program cannot take the old one's place.
    const inBlock = s === webish && templateDepth(text, ast, s.section!.body.start) > 0;
    const r = sectionRemoval(text, ast, s.section!, s === webish && !inBlock);
    if (!r) return { refused: `removing \`[program:${s.name}]\` would cut a Jinja block of the template in two; remove it by hand`, notes };
    removed.push(r);
    if (s !== webish) {
      edits.push({ start: r.start, end: r.end, text: '' });
      continue;
    }
    const program = galaxyctlProgram(text, s, newName, configPath, eol, facts);
    if (inBlock && templateDepth(text, ast, r.start) > 0) {
      edits.push({ start: r.start, end: r.end, text: '' });
      const end = text.length;
      edits.push({ start: end, end, text: `${/\n$/.test(text) || text === '' ? '' : eol}${eol}${program}` });
      notes.push(`\`[program:${newName}]\` is added at the end of the file: \`[program:${s.name}]\` sits inside a Jinja block that stays`);
      continue;
    }
    const next = text.slice(r.end, text.indexOf('\n', r.end) + 1 || text.length);
    const gap = r.end < text.length && next.trim() !== '' ? eol : '';
    edits.push({ start: r.start, end: r.end, text: program + gap });
  }
  // Removed names by exact match once; only names holding Jinja need matching one by one.
  const removedExact = new Set(removedNames);
  const removedTemplates = removedNames.filter((n) => /\{\{/.test(n));
  const isRemoved = (member: string): boolean => removedExact.has(member) || removedTemplates.some((n) => matchesName(n, member));
  for (const g of ast.groups) {
    const hit = g.programs.filter((p) => isRemoved(p.name));
    if (!hit.length || !g.programsEntry) continue;
    if (/\{\{|\{%/.test(g.programsEntry.value) || templateAround(ast, g)) {
      notes.push(`\`[group:${g.name}]\` builds its program list in a template: take the removed programs out of it${replacing ? ` and add \`${newName}\`` : ''}`);
      continue;
    }
    const kept: string[] = [];
    let placed = false;
    for (const p of g.programs) {
      if (isRemoved(p.name)) {
        if (replacing && !placed && matchesName(webish.name, p.name)) {
          kept.push(newName);
          placed = true;
        }
        continue;
      }
      kept.push(p.name);
    }
    if (!kept.length) {
      const r = sectionRemoval(text, ast, g.section);
      if (!r) return { refused: `removing \`[group:${g.name}]\` would cut a Jinja block in two`, notes };
      removed.push(r);
      edits.push({ start: r.start, end: r.end, text: '' });
      continue;
    }
    const e = g.programsEntry;
    edits.push({ start: e.valueRange.start, end: e.valueRange.end, text: kept.join(separatorOf(text, g)) });
  }
  if (!webish) notes.push('no uWSGI or Paste web program was found: nothing starts Gravity now; run `galaxyctl start` (or add a program that runs `galaxyctl start --foreground`)');
  let changes: FileChange[] = [{ kind: 'edit', file: doc.file.path, edits }];
  let description = replacing ? `remove the uWSGI/handler programs and run Gravity from [program:${newName}]` : 'remove the uWSGI/handler programs (Gravity runs them now)';
  if (!replacing && leavesNoSection(ast, removed)) {
    changes = [{ kind: 'delete', file: doc.file.path }];
    description = 'delete the file: every program in it is run by Gravity now';
    notes.push('the file held only programs Gravity runs now, so it is deleted (remove the task that installs it, if a playbook does)');
  }
  return { fix: { description, changes }, notes };
}

/** The Jinja block depth at `offset` (open `{% if %}`/`{% for %}` tags before it). */
function templateDepth(text: string, ast: SupervisorAst, offset: number): number {
  let depth = 0;
  for (const l of ast.lines) {
    if (l.full.start >= offset) break;
    if (l.kind === 'template') depth += depthChange(text, l);
  }
  return depth;
}

/** A `programs =` list continued by template lines (`{%- if … %}, handler{%- endif %}`). */
function templateAround(ast: SupervisorAst, g: SupervisorGroup): boolean {
  const e = g.programsEntry!;
  const next = g.section.entries[g.section.entries.indexOf(e) + 1];
  const until = next ? next.lines.start : g.section.extent.end;
  return ast.lines.some((l) => l.full.start >= e.lines.end && l.full.start < until && (l.kind === 'template' || l.kind === 'invalid'));
}

/** A program name that may hold Jinja (`zergling{{ i }}`) matched against a group member (`zergling0`). */
function matchesName(programName: string, member: string): boolean {
  if (programName === member) return true;
  if (!/\{\{/.test(programName)) return false;
  const re = new RegExp(`^${programName.split(/\{\{[^}]*\}\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
  return re.test(member);
}

function separatorOf(text: string, g: SupervisorGroup): string {
  const [a, b] = g.programs;
  if (a && b) {
    const between = text.slice(a.range.end, b.range.start);
    if (!between.includes('\n')) return between;
  }
  return ',';
}

function freeName(docs: readonly Document<SupervisorAst>[]): string {
  const taken = new Set<string>();
  for (const d of docs) {
    for (const p of d.ast.programs) taken.add(p.name);
    for (const g of d.ast.groups) taken.add(g.name);
  }
  for (const n of ['galaxy', 'gravity', 'galaxy_gravity']) if (!taken.has(n)) return n;
  let k = 2;
  while (taken.has(`galaxy${k}`)) k++;
  return `galaxy${k}`;
}

/**
 * The program that runs Gravity in the foreground under the existing supervisord. Its keys follow
 * Gravity's own program template (`stopasgroup`, `killasgroup`), the user and directory of the
 * program it replaces, and a stop wait longer than Gravity's own (its services get up to 65 s).
 */
function galaxyctlProgram(text: string, web: LegacyService, name: string, configPath: string | undefined, eol: string, facts: ProcessManagerFacts): string {
  const fmt = entryFormatter(text, web.section);
  const venv = web.settings.virtualenv?.value ?? facts.top.find((s) => s.key === 'virtualenv')?.value;
  const exe = venv !== undefined ? `${venv}/bin/galaxyctl` : 'galaxyctl';
  const command = `${exe}${configPath ? ` --config-file ${configPath}` : ''} start --foreground --quiet`;
  const lines: string[] = ['; Galaxy under Gravity: galaxyctl runs gunicorn, the job handlers and Celery (galaxy-migrate)', `[program:${name}]`, fmt('command', command)];
  const dir = web.settings.directory;
  if (dir) lines.push(fmt('directory', String(dir.value)));
  const user = web.program ? programSetting(web.program, 'user') : undefined;
  if (user) lines.push(fmt('user', user.value.trim()));
  const env = web.program ? programSetting(web.program, 'environment') : undefined;
  const home = env ? parseSupervisorEnvironment(env.value).find((e) => e.key === 'HOME') : undefined;
  if (home) lines.push(fmt('environment', `HOME="${home.value}"`));
  lines.push(fmt('autostart', 'true'), fmt('autorestart', 'true'));
  const waits = [65, ...[web.settings.stopTimeout?.value].filter((v): v is number => typeof v === 'number')];
  lines.push(fmt('stopwaitsecs', String(Math.max(...waits) + 10)), fmt('stopasgroup', 'true'), fmt('killasgroup', 'true'));
  return lines.join(eol) + eol;
}

export const supervisorProgramsRule: Rule = {
  meta: {
    id: ID,
    description: 'supervisord programs running uWSGI, zerg pools/zerglings, Paste or galaxy-main handlers → one program running galaxyctl',
    rationale:
      'Galaxy 22.05 and later cannot run under uWSGI, and Gravity starts gunicorn, the webless job handlers and Celery itself. ' +
      'Programs that start uWSGI or the handlers directly would run them twice, or run uWSGI against a galaxy.yml that no longer has a uwsgi: section. ' +
      'They are removed; the first web program becomes one that runs `galaxyctl start --foreground`, so the existing supervisord still starts Galaxy at boot.',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §6.1–§6.3', 'GRAV process_manager/supervisor.py (program template)', 'GX-SCALE-UW (legacy programs)'],
    galaxy: { from: '22.05' },
  },
  check,
};
