import type { Rule } from '../../src/core/rule.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { locationPlan } from './nginx-location.js';
import { nginxModel, showDirective } from './nginx-model.js';
import { removeStatement } from './text-edits.js';

/**
 * `uwsgi_param SCRIPT_NAME /galaxy` + `uwsgi_modifier1 30` (uWSGI strips the prefix) → the prefix
 * stays in the proxied path and Galaxy's `galaxy_url_prefix` handles it.
 */
export const nginxUrlPrefix: Rule = {
  meta: {
    id: 'proxy/nginx-url-prefix',
    description: 'SCRIPT_NAME + uwsgi_modifier1 30 go: the prefix stays in the proxied path, galaxy_url_prefix handles it',
    rationale:
      'Under uWSGI a prefix was cut off by uwsgi_modifier1 30 with SCRIPT_NAME, or by mount + manage-script-name. Galaxy on ' +
      'Gunicorn expects the prefix kept in the path it receives and is told about it by galaxy_url_prefix (§4.6); ' +
      'proxy_pass without a URI part forwards the path unchanged, so the location keeps serving /prefix/… as before.',
    severity: 'warning',
    fixable: true,
    sources: [PROXY_SOURCES.prefix, PROXY_SOURCES.nginxLegacy, 'docs/galaxy-target.md §2.2 (mount → galaxy_url_prefix)'],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    const seen = new Set<unknown>();
    const modelPrefix = d.decisions.urlPrefix;
    for (const site of model.passes) {
      if (!site.verdict.galaxy || !site.location || seen.has(site.location)) continue;
      seen.add(site.location);
      const plan = locationPlan(d, site.location);
      if (!plan) continue;
      const locPath = site.location.args[site.location.args.length - 1]?.value ?? '';
      for (const a of plan.params) {
        if (a.kind !== 'prefix') continue;
        const f = model.fileOf(a.directive);
        const prefix = a.prefix.replace(/\/+$/, '');
        const agree =
          modelPrefix === undefined
            ? `set galaxy_url_prefix: ${prefix} in galaxy.yml (no uWSGI mount was read to set it)`
            : modelPrefix.replace(/\/+$/, '') === prefix
              ? `galaxy_url_prefix: ${modelPrefix} (from uWSGI's mount) serves it`
              : `but uWSGI's mount says ${modelPrefix}: galaxy_url_prefix must be one of them, check which one Galaxy is served at`;
        const notes = locPath.startsWith(prefix) ? [] : [`the location (${locPath}) does not start with ${prefix}: requests outside the prefix would now reach Galaxy unchanged`];
        ctx.report({
          file: f.path,
          range: a.directive.range,
          ...(modelPrefix !== undefined && modelPrefix.replace(/\/+$/, '') !== prefix ? { severity: 'error' as const } : {}),
          message: `"${showDirective(a.directive)}" moved the prefix out of the path for uWSGI; over HTTP the prefix stays in the path and ${agree}`,
          fix: editFix('remove SCRIPT_NAME', f.path, [removeStatement(f.text, a.directive.range)]),
          ...(notes.length ? { notes } : {}),
        });
      }
      for (const m of plan.modifiers) {
        const f = model.fileOf(m);
        const v = m.args[0]?.value;
        ctx.report({
          file: f.path,
          range: m.range,
          message:
            v === '30' && m.name === 'uwsgi_modifier1'
              ? `"${showDirective(m)}" told uWSGI to strip SCRIPT_NAME from PATH_INFO; HTTP has no such modifier and Galaxy's galaxy_url_prefix does it`
              : `"${showDirective(m)}" is a uwsgi protocol modifier with no HTTP meaning`,
          fix: editFix(`remove ${m.name}`, f.path, [removeStatement(f.text, m.range)]),
        });
      }
    }
  },
};
