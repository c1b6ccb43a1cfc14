import type { Rule, RuleContext } from '../../src/core/rule.js';
import { hasGravity1 } from '../../src/core/target.js';
import { conversionOf, galaxyIniDocs } from '../paste/convert.js';
import { factEntries, gravityConfigPath, gravityNotes, nextSteps, processesOf } from './shared.js';

const ID = 'process/gravity-settings';

/** Gravity 1.x keys (process_manager, galaxy_user, galaxy_group, top-level umask, memory_limit): Galaxy 23.0+. */
const GRAVITY1_KEYS = new Set(['process_manager', 'galaxy_user', 'galaxy_group', 'umask', 'memory_limit']);

/**
 * One finding per deployment: the `gravity:` keys that carry what the legacy supervisord programs
 * or systemd units configured (docs/galaxy-target.md §6.3), with their values and the commands to
 * run next. The galaxy.yml writers (uwsgi/section-to-gravity, paste/galaxy-ini-to-yml) read the
 * same facts from the model.
 */
function check(ctx: RuleContext): void {
  const { services, facts } = processesOf(ctx.deployment);
  if (!facts || !services.length) return;
  const first = services.find((s) => s.role === 'web' || s.role === 'zergling' || s.role === 'paste-web') ?? services[0]!;
  const gravity1 = hasGravity1(ctx.target);
  const kept = gravity1 ? facts : { ...facts, top: facts.top.filter((s) => !GRAVITY1_KEYS.has(s.key)), gunicorn: facts.gunicorn.filter((s) => s.key !== 'memory_limit') };
  const entries = factEntries(kept);
  const keys = [
    ...kept.top.map((s) => s.key),
    ...kept.gunicorn.map((s) => `gunicorn.${s.key}`),
    ...(kept.environment.length ? ['gunicorn.environment'] : []),
    ...kept.handlers.map((h) => `handlers.${h.name}`),
  ].map((k) => `\`${k}\``);
  const notes = [
    ...gravityNotes(entries),
    ...(gravity1 ? [] : [`target ${ctx.target.galaxy}: Gravity before 1.0 has no process_manager, galaxy_user, umask or memory_limit; run galaxyctl as the Galaxy user (and \`galaxyctl register\` the config first)`]),
    ...(facts.staticHandlers.length ? [`handlers ${facts.staticHandlers.join(', ')} are static handlers of the job conf: Gravity starts them by itself, with these names`] : []),
    ...(services.some((s) => s.settings.templatedEnvironment.length) ? ['a template adds more environment variables (e.g. {{ galaxy_systemd.env }}): add them under gunicorn.environment / handlers.<name>.environment'] : []),
    '',
    ...nextSteps(facts.manager, services, gravityConfigPath(facts)),
  ];
  // A galaxy.ini conversion writes these keys into the galaxy.yml it creates (paste/galaxy-ini-to-yml).
  const written = galaxyIniDocs(ctx.deployment)
    .map((d) => conversionOf(ctx.deployment, d, ctx.target))
    .find((c) => !c.blocked && c.fromProcesses.length > 0);
  // A galaxy.yml whose uwsgi: block uwsgi/section-to-gravity replaces gets them too.
  const kinds = new Map(ctx.deployment.documents.map((d) => [d.file.path, d.kind]));
  const yml = written ? undefined : ctx.deployment.uwsgi.find((c) => kinds.get(c.file) === 'galaxy-yml')?.file;
  // uwsgi/process-facts: what the uWSGI configuration sets itself (umask, chdir, virtualenv, env)
  // applied inside the process the program started, so it wins over the program's settings.
  if (yml) notes.unshift('where the uWSGI configuration sets the same key itself (its umask, chdir, virtualenv, env), the uWSGI value is written instead: it applied inside the process this program started');
  ctx.report({
    file: first.file,
    range: first.range,
    message: `Gravity takes over from ${facts.manager === 'systemd' ? 'these systemd units' : 'supervisord'}: ${keys.join(', ')} ${written || yml ? 'are written into' : 'go into'} the \`gravity:\` section of ${written ? `\`${written.target}\` (paste/galaxy-ini-to-yml)` : yml ? `\`${yml}\` (uwsgi/section-to-gravity)` : 'galaxy.yml: set them there'}`,
    notes,
  });
}

export const gravitySettingsRule: Rule = {
  meta: {
    id: ID,
    description: 'the gravity: keys (process_manager, galaxy_user, umask, memory_limit, virtualenv, galaxy_root, timeouts, handlers) that carry the legacy programs\' settings',
    rationale:
      'What supervisord or systemd configured for uWSGI and the handlers (user, umask, working directory, virtualenv, memory limit, start/stop waits, names) ' +
      'is configured in Gravity once it runs the services; without these keys Gravity runs them with its defaults (umask 022, no memory limit, supervisor as non-root).',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §1.3, §1.4, §1.9, §6.2, §6.3', 'GRAV settings.py'],
    galaxy: { from: '22.05' },
  },
  check,
};
