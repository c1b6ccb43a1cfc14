import type { Rule } from '../../src/core/rule.js';
import type { NginxDirective } from '../../src/formats/nginx/index.js';
import { all, appOf, clean, hasReference, last } from '../../src/model/uwsgi-options.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { nginxModel } from './nginx-model.js';
import { insertLinesAfter } from './text-edits.js';

/**
 * uWSGI `static-map` entries that the proxy does not serve yet → static locations in the server
 * block of Galaxy's main location (§2.5: `location /static { alias $galaxy_root/static; expires 24h; }`).
 */
export const nginxStaticMap: Rule = {
  meta: {
    id: 'proxy/nginx-static-map',
    description: "uWSGI static-map entries the proxy does not serve yet become nginx static locations",
    rationale:
      'uWSGI served /static, /favicon.ico and /robots.txt itself through static-map; Gunicorn does not. The Galaxy docs have ' +
      'nginx serve them (`location /static { alias …/static; expires 24h; }`). Each static-map whose mount point no location ' +
      "of Galaxy's server block has yet becomes one, next to Galaxy's main location; a relative directory is taken from " +
      "uWSGI's chdir. Without chdir the path cannot be known and the finding has no fix.",
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §2.5', PROXY_SOURCES.nginxModern],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    const configs = d.uwsgi.filter((c) => appOf(c) === 'galaxy');
    if (!configs.length) return;
    const mains = model.passes.filter((p) => p.verdict.galaxy && p.location && isMainLocation(p.location, d.decisions.urlPrefix));
    const servers = new Set(mains.map((p) => serverOf(model, p.location!)));
    if (servers.size !== 1) return;
    const main = mains[0]!;
    const server = [...servers][0];
    const served = new Set(
      (server ? walkAll(model, server) : [])
        .filter((x) => x.name === 'location' && x.args.length)
        .map((x) => x.args[x.args.length - 1]!.value.replace(/\/+$/, '')),
    );
    const file = model.fileOf(main.location!);
    for (const config of configs) {
      const chdir = last(config, 'chdir');
      const root = chdir && !hasReference(chdir.value) ? clean(chdir.value).replace(/\/+$/, '') : undefined;
      const lines: string[] = [];
      const said: string[] = [];
      let first: (typeof config.options)[number] | undefined;
      for (const o of all(config, 'static-map')) {
        const v = clean(o.value);
        const eq = v.indexOf('=');
        if (eq <= 0) continue;
        const mount = v.slice(0, eq).replace(/\/+$/, '') || '/';
        const target = v.slice(eq + 1);
        if (served.has(mount) || hasReference(target)) continue;
        served.add(mount);
        first ??= o;
        const path = target.startsWith('/') ? target : root ? `${root}/${target}` : undefined;
        if (path) {
          lines.push(`location ${mount} {`, `    alias ${path};`, '    expires 24h;', '}');
          said.push(`${mount} from ${path}`);
        } else said.push(`${mount} from <galaxy_root>/${target} (uWSGI's chdir is not known, so this one is not written)`);
      }
      if (!first) continue;
      // One insertion for all of them: insertions at the same point would overlap.
      ctx.report({
        file: first.file,
        range: first.range,
        message: `uWSGI served ${said.join(', ')} through static-map; Gunicorn does not, so nginx serves ${said.length > 1 ? 'them' : 'it'} next to Galaxy's main location in ${file.path}`,
        ...(lines.length ? { fix: editFix('static locations', file.path, [insertLinesAfter(file.text, main.location!.range, lines)]) } : {}),
      });
    }
  },
};

function isMainLocation(loc: NginxDirective, prefix: string | undefined): boolean {
  const v = loc.args[loc.args.length - 1]?.value.replace(/\/+$/, '') ?? 'x';
  return loc.args.length <= 2 && (v === '' || (prefix !== undefined && v === prefix.replace(/\/+$/, '')));
}

function serverOf(model: ReturnType<typeof nginxModel>, x: NginxDirective): NginxDirective | undefined {
  for (let p = model.parentOf(x); p; p = model.parentOf(p)) if (p.name === 'server') return p;
  return undefined;
}

function walkAll(model: ReturnType<typeof nginxModel>, block: NginxDirective): NginxDirective[] {
  const out: NginxDirective[] = [];
  for (const n of model.childrenOf(block)) {
    if (n.type !== 'directive') continue;
    out.push(n);
    if (n.block && !n.rawBody) out.push(...walkAll(model, n));
  }
  return out;
}
