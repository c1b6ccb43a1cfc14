import type { Deployment, GravitySetting, HandlerGroup, ProcessManagerFacts } from '../../src/core/model.js';
import { renderEntries, type Entry, type Scalar } from '../../src/formats/galaxy-yml/write.js';
import { analyseProcesses, type LegacyService, type ProcessAnalysis } from '../../src/model/processes.js';

/** The legacy services and the facts the model holds (the model's own facts when it has them). */
export function processesOf(d: Deployment): ProcessAnalysis {
  const a = analyseProcesses(d.documents);
  return d.decisions.processes ? { ...a, facts: d.decisions.processes } : a;
}

/** `config/galaxy.ini` → `config/galaxy.yml`: where the galaxy.ini conversion writes (rules/paste). */
export function convertedConfigPath(path: string): string {
  return /\.ini(\.sample)?$/i.test(path) ? path.replace(/\.ini(\.sample)?$/i, '.yml') : path;
}

/** The Galaxy config Gravity reads, as the programs named it (a galaxy.ini becomes its galaxy.yml). */
export function gravityConfigPath(facts: ProcessManagerFacts | undefined): string | undefined {
  const p = facts?.galaxyConfigFile;
  return p ? convertedConfigPath(p) : undefined;
}

/** Environment names whose values are not repeated in reports (they may be secrets). */
const SECRETISH = /pass|secret|token|key|credential/i;

const scalar = (s: GravitySetting): Scalar => s.value;

/** The handler groups as `gravity.handlers` entries. */
export function handlerEntries(groups: readonly HandlerGroup[]): Entry[] {
  return groups.map((h) => ({
    key: h.name,
    value: [
      { key: 'processes', value: h.processes },
      { key: 'pools', value: [...h.pools] },
      ...(h.nameTemplate ? [{ key: 'name_template', value: h.nameTemplate }] : []),
    ],
  }));
}

/** The facts as `gravity:` entries, in Gravity's documented order (§1.3, §1.4, §1.9). */
export function factEntries(facts: ProcessManagerFacts, opts: { handlers?: boolean; showEnvironment?: boolean } = {}): Entry[] {
  const out: Entry[] = facts.top.map((s) => ({ key: s.key, value: scalar(s) }));
  const gun: Entry[] = facts.gunicorn.map((s) => ({ key: s.key, value: scalar(s) }));
  if (facts.environment.length) {
    gun.push({
      key: 'environment',
      value: facts.environment.map((e) => ({ key: e.key, value: opts.showEnvironment || !SECRETISH.test(e.key) ? String(e.value) : `<the value ${e.key} has in the program>` })),
    });
  }
  if (gun.length) out.push({ key: 'gunicorn', value: gun });
  if (opts.handlers !== false && facts.handlers.length) out.push({ key: 'handlers', value: handlerEntries(facts.handlers) });
  return out;
}

/** The `gravity:` keys as YAML lines for a finding's notes. */
export function gravityNotes(entries: readonly Entry[]): string[] {
  return `gravity:\n${renderEntries(entries, 2, 2, '\n')}`.replace(/\n$/, '').split('\n');
}

/** What the admin runs after the files are changed (docs/galaxy-target.md §6.2). */
export function nextSteps(manager: 'supervisor' | 'systemd', services: readonly LegacyService[], configPath: string | undefined, newProgram?: string): string[] {
  const cfg = configPath ? ` --config-file ${configPath}` : '';
  if (manager === 'systemd') {
    const units = [...new Set(services.filter((s) => s.manager === 'systemd').map((s) => s.name.replace(/@\.service$/, '@*.service')))];
    return [
      'Next steps (as root, in a maintenance window):',
      `  systemctl disable --now ${units.join(' ') || 'galaxy.service'}   # stop and disable the uWSGI/handler units`,
      '  (apply removes their unit files; the copies in /etc/systemd/system must go too)',
      '  systemctl daemon-reload',
      `  galaxyctl${cfg} update   # writes galaxy-*.service units and galaxy.target (Gravity's systemd process manager)`,
      `  galaxyctl${cfg} start    # = systemctl start galaxy.target; check with galaxyctl status / galaxyctl follow`,
    ];
  }
  return [
    'Next steps (in a maintenance window):',
    `  galaxyctl${cfg} update   # as the Galaxy user: writes Gravity's own supervisord configuration`,
    `  supervisorctl reread && supervisorctl update   # stops and removes the old programs, starts ${newProgram ? `[program:${newProgram}]` : 'the new one'} (galaxyctl start --foreground)`,
    `  galaxyctl${cfg} status   # then galaxyctl${cfg} follow to watch the logs`,
  ];
}

export function serviceWhat(s: LegacyService): string {
  switch (s.role) {
    case 'web':
      return 'uWSGI as Galaxy\'s web server';
    case 'zerg-pool':
      return 'a uWSGI zerg pool';
    case 'zergling':
      return 'a uWSGI zergling (a web server attached to the zerg pool)';
    case 'paste-web':
      return 'Galaxy\'s web server under Paste';
    case 'handler':
      return 'Galaxy job handlers';
  }
}
