import type { UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { clean } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { reportTable, targetGalaxyYml, type ApplyEnv, type OptionRow, type Outcome } from './table.js';

/** The proxy that replaces uWSGI's interactive-tool routing, with Gravity's defaults written out (§1.7). */
function enableProxy(draft: GravityDraft, env: ApplyEnv): string | undefined {
  const doc = targetGalaxyYml(env.config, env.deployment);
  const enabled = doc?.ast.galaxy.get('interactivetools_enable')?.value === true;
  if (!enabled) return 'set `galaxy.interactivetools_enable: true` and `gravity.gx_it_proxy.enable: true` (Gravity refuses to start gx-it-proxy while interactive tools are disabled)';
  draft.gxItProxy.set('enable', true);
  draft.gxItProxy.set('port', 4002);
  return undefined;
}

function route(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  const pending = enableProxy(draft, env);
  const base = `\`${opt.key}\` dropped: uWSGI's interactive-tool routing is replaced by gx-it-proxy, ` + (pending ? `which is not enabled here: ${pending}` : 'enabled as `gravity.gx_it_proxy` (port 4002)');
  return { action: pending ? 'review' : 'drop', message: `${base}; the proxy forwards the tool hosts to it (see the proxy findings)` };
}

function itMap(opt: UwsgiOption, draft: GravityDraft): Outcome {
  const v = clean(opt.value).trim();
  draft.moveToGalaxy('interactivetools_map', v, opt);
  return { action: 'move', message: `\`interactivetools_map: ${v}\` moves to \`galaxy.interactivetools_map\`: Gravity reads it there and passes it to gx-it-proxy as its sessions file` };
}

/** GX-IT, GX-IT-UW, GRAV via docs/galaxy-target.md §1.7, §2.7. */
export const INTERACTIVE_TOOLS_TABLE: readonly OptionRow[] = [
  { match: /^(route|route-.+|final-route.*|error-route.*|response-route.*)$/, action: 'drop', to: 'gravity.gx_it_proxy', why: 'interactive-tool routing', source: 'GX-IT, GX-IT-UW (galaxy-target.md §2.7)', apply: route },
  { match: ['python-raw', 'rpcvar', 'http-raw-body'], action: 'drop', why: 'pieces of uWSGI\'s interactive-tool routing, replaced by gx-it-proxy (`gravity.gx_it_proxy`) and the proxy rules', source: 'GX-IT, GX-CM-UW (galaxy-target.md §2.1, §2.7)', showValue: true },
  { match: ['interactivetools_map'], action: 'move', to: 'galaxy.interactivetools_map', why: 'the sessions database', source: 'GX-IT, GRAV (galaxy-target.md §2.7)', apply: itMap },
];

export const interactiveToolsRule: Rule = {
  meta: {
    id: 'uwsgi/interactive-tools',
    description: 'uWSGI route rules for interactive tools → gravity.gx_it_proxy; interactivetools_map → galaxy:',
    rationale:
      'Interactive tools were routed by uWSGI itself (`route-host`, `python-raw`, `rpcvar`). Under Gravity, gx-it-proxy does it ' +
      '(`gravity.gx_it_proxy: {enable: true, port: 4002}`), reading its sessions from `galaxy.interactivetools_map`, and the proxy forwards the tool hosts to it. ' +
      'gx-it-proxy only starts when `galaxy.interactivetools_enable` is true.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §1.7, §2.7, §4.7', 'GX-IT'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, INTERACTIVE_TOOLS_TABLE),
};
