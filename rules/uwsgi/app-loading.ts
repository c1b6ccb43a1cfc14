import type { UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { urlPrefixOf } from '../../src/model/decide.js';
import { clean, flag } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { absolutePath, reportTable, type ApplyEnv, type OptionRow, type Outcome } from './table.js';

function virtualenv(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  const v = clean(opt.value).trim();
  const abs = absolutePath(v, env);
  if (!abs) {
    return {
      action: 'review',
      message: `\`${opt.key}: ${v}\` needs review: Gravity wants an absolute \`gravity.virtualenv\`, and this path is relative with no absolute \`chdir\` to resolve it against; write the full path by hand`,
    };
  }
  draft.top.set('virtualenv', abs);
  return { action: 'map', message: `\`${opt.key}: ${v}\` → \`gravity.virtualenv: ${abs}\`${abs !== v ? ` (resolved against \`chdir\`)` : ''}: Gravity runs every service from this virtualenv` };
}

function chdir(opt: UwsgiOption, draft: GravityDraft): Outcome {
  const v = clean(opt.value).trim();
  if (!v.startsWith('/')) {
    return { action: 'review', message: `\`chdir: ${v}\` needs review: a relative directory; set \`gravity.galaxy_root\` to Galaxy's absolute root by hand` };
  }
  draft.top.set('galaxy_root', v.replace(/\/+$/, '') || '/');
  return { action: 'map', message: `\`chdir: ${v}\` → \`gravity.galaxy_root\`: Gravity starts every service in that directory` };
}

function mount(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  const v = clean(opt.value).trim();
  const prefix = urlPrefixOf({ ...env.config, options: [opt] });
  if (!prefix) return { action: 'drop', message: `\`mount: ${v}\` dropped: Galaxy is mounted at \`/\`, which is what Gunicorn serves` };
  // Several mounts: only Galaxy's own comes along (the prefix the decisions chose).
  if (urlPrefixOf(env.config) !== prefix) return { action: 'review', message: `\`mount: ${v}\` needs review: it mounts another app, which Gunicorn under Gravity does not serve` };
  if (env.primary && env.decisions.urlPrefix && env.decisions.urlPrefix !== prefix) {
    return {
      action: 'review',
      message: `\`mount: ${v}\` needs review: galaxy: already sets \`galaxy_url_prefix: ${env.decisions.urlPrefix}\`, which wins under Gunicorn, while uWSGI served Galaxy at \`${prefix}\`; the proxy follows \`${env.decisions.urlPrefix}\``,
    };
  }
  draft.moveToGalaxy('galaxy_url_prefix', prefix, opt);
  const manage = flag(env.config, 'manage-script-name');
  return {
    action: 'move',
    message:
      `\`mount: ${v}\` moves to \`galaxy.galaxy_url_prefix: ${prefix}\`: Galaxy (22.01 and later) serves itself under the prefix, and the proxy passes the full path on` +
      (manage === false ? ' (`manage-script-name` was off, so the proxy set SCRIPT_NAME; it no longer needs to)' : ''),
  };
}

function pythonpath(opt: UwsgiOption, _draft: GravityDraft, env: ApplyEnv): Outcome {
  const v = clean(opt.value).trim().replace(/\/+$/, '');
  const lib = env.chdir ? `${env.chdir.replace(/\/+$/, '')}/lib` : undefined;
  if (v === 'lib' || v === './lib' || v === lib || /(^|\/)server\/lib$/.test(v) || /\/galaxy[^/]*\/lib$/.test(v)) {
    return { action: 'drop', message: `\`${opt.key}: ${v}\` dropped: Gravity runs gunicorn with \`--pythonpath lib\` and \`PYTHONPATH=lib\` from galaxy_root` };
  }
  return {
    action: 'review',
    message: `\`${opt.key}: ${v}\` needs review: Gravity puts only Galaxy's \`lib\` on the Python path; if Galaxy needs this directory too, install it into the virtualenv`,
  };
}

/** GRAV, GX-SCALE-UW, GX-REL-2201 via docs/galaxy-target.md §2.2. */
export const APP_LOADING_TABLE: readonly OptionRow[] = [
  { match: ['module', 'wsgi-file', 'wsgi', 'callable', 'file'], action: 'drop', why: "Gravity always loads `galaxy.webapps.galaxy.fast_factory:factory()` (an ASGI app) in gunicorn", source: 'GRAV state.py (galaxy-target.md §2.2)', showValue: true },
  { match: ['mount'], action: 'move', to: 'galaxy.galaxy_url_prefix', why: 'the URL prefix', source: 'GX-REL-2201, GX-OPTS, GX-NGINX-GU (galaxy-target.md §2.2, §4.6)', showValue: true, apply: mount },
  { match: ['manage-script-name'], action: 'drop', why: 'Galaxy strips `galaxy_url_prefix` itself; the proxy passes the full path', source: 'GX-NGINX-GU (galaxy-target.md §2.2, §4.6)', showValue: true },
  { match: ['virtualenv', 'venv', 'home', 'pyhome'], action: 'map', to: 'gravity.virtualenv', why: 'the virtualenv', source: 'GRAV settings (galaxy-target.md §2.2)', showValue: true, apply: virtualenv },
  { match: ['pythonpath', 'python-path', 'pp'], action: 'drop', why: 'Gravity sets the Python path', source: 'GRAV state.py (galaxy-target.md §2.2)', showValue: true, apply: pythonpath },
  { match: ['chdir'], action: 'map', to: 'gravity.galaxy_root', why: 'the working directory', source: 'GRAV process_manager/__init__.py (galaxy-target.md §2.2)', showValue: true, apply: chdir },
  { match: ['chdir2'], action: 'review', why: 'it changed directory after loading the app; Gravity has only `galaxy_root`, set it to Galaxy\'s root', source: 'GRAV (galaxy-target.md §2.2)', showValue: true },
  { match: ['plugin', 'plugins', 'plugins-dir', 'plugin-dir', 'need-plugin', 'need-plugins', 'autoload'], action: 'drop', why: "uWSGI's language plugins (a distribution uWSGI needed `python3`); gunicorn runs from the virtualenv", source: 'GX-SCALE-UW (galaxy-target.md §2.2)', showValue: true },
  { match: ['paste', 'ini-paste', 'ini-paste-logged', 'paste-logger'], action: 'drop', why: 'Gravity loads Galaxy from galaxy.yml (its own `-c`/`$GRAVITY_CONFIG_FILE`), never through PasteDeploy', source: 'GX-CM-UW, GRAV (galaxy-target.md §2.2, §2.8)', showValue: true },
  { match: ['galaxy_config_file'], action: 'drop', why: 'Gravity is pointed at galaxy.yml itself (`galaxyctl -c`, `$GRAVITY_CONFIG_FILE`); a separate Gravity file names it with `gravity.galaxy_config_file`', source: 'GRAV, GX-STACK-UW get_app_kwds (galaxy-target.md §2.2)', showValue: true },
  { match: ['single-interpreter', 'need-app', 'py-autoreload', 'python-autoreload', 'import', 'pyimport', 'python-import', 'shared-import', 'spooler-import'], action: 'drop', why: 'options of the uWSGI Python loader; gunicorn loads Galaxy its own way (`py-autoreload` was a development aid)', source: 'GX-SCALE-UW (galaxy-target.md §2.2)', showValue: true },
];

export const appLoadingRule: Rule = {
  meta: {
    id: 'uwsgi/app-loading',
    description: 'module, mount, virtualenv, pythonpath, chdir, plugin → Gravity keys, galaxy_url_prefix or dropped',
    rationale:
      'Gravity loads Galaxy itself (a fixed ASGI factory, `--pythonpath lib`), so `module`, `pythonpath` and `plugin` go; `virtualenv` becomes ' +
      '`gravity.virtualenv` (absolute: relative paths are resolved against `chdir` or flagged), `chdir` becomes `gravity.galaxy_root`, and a ' +
      '`mount` prefix becomes `galaxy.galaxy_url_prefix` (new in 22.01), with the proxy passing the full path.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.2, §4.6', 'GRAV settings.py, state.py', 'GX-REL-2201'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, APP_LOADING_TABLE),
};
