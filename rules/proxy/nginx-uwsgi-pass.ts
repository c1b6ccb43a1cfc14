import type { Edit, FileChange } from '../../src/core/finding.js';
import type { Rule } from '../../src/core/rule.js';
import { gunicornTargetFor, needsForwardedAllowIps, nginxHttpUrl, showAddress } from './addresses.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { gunicornUpstream } from './nginx-gunicorn-upstream.js';
import { headerLines, locationPlan } from './nginx-location.js';
import { nginxModel, showDirective } from './nginx-model.js';
import { insertLinesAfter } from './text-edits.js';
import { reportsPassApp } from '../reports/nginx-uwsgi-pass.js';

/**
 * `uwsgi_pass` (TCP, `unix:`, `uwsgi://`, an upstream name) → `proxy_pass http://…` at gunicorn's
 * bind. Only Galaxy's locations change; a uwsgi_pass to another application is reported and left.
 */
export const nginxUwsgiPass: Rule = {
  meta: {
    id: 'proxy/nginx-uwsgi-pass',
    description: "nginx uwsgi_pass to Galaxy becomes proxy_pass http:// to gunicorn's bind",
    rationale:
      'Gunicorn speaks HTTP, not the uwsgi protocol: once uWSGI is gone, a uwsgi_pass to Galaxy reaches nothing. ' +
      "The rewritten location proxies over HTTP to the address written into gravity.gunicorn.bind (one model for both files), " +
      'as `http://unix:/path` for a unix socket or `http://host:port`. A location without `include uwsgi_params` also gets the ' +
      '§4.2 headers (Host, X-Forwarded-For, X-Forwarded-Proto, Upgrade) after it. A uwsgi_pass to another application ' +
      '(TIaaS, the Reports app) is reported and left alone. Say otherwise with a comment right above the uwsgi_pass or its ' +
      'location: `# galaxy-migrate: galaxy` (rewrite it) or `# galaxy-migrate: not-galaxy` (leave it).',
    severity: 'error',
    fixable: true,
    sources: [PROXY_SOURCES.nginxLegacy, PROXY_SOURCES.nginxModern, PROXY_SOURCES.nginxMapping, PROXY_SOURCES.sockets],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    const headersDone = new Set<unknown>();
    // Several gunicorn instances (zerg mode): Galaxy's passes go to one upstream listing every bind.
    const upstream = gunicornUpstream(d, model, ctx.target);
    for (const site of model.passes) {
      const { file, directive: x, verdict } = site;
      const arg = x.args[0]!;
      if (verdict.undecided) {
        // One template, several hosts whose gunicorn binds differ: no literal address is right for all.
        ctx.report({
          file: file.path,
          range: x.range,
          severity: 'error',
          message:
            `"${showDirective(x)}" is ${verdict.why}, but this file is rendered for every host of the inventory and their Galaxy configurations give gunicorn different binds (${verdict.undecided}), ` +
            'so galaxy-migrate does not choose one: write "proxy_pass http://{{ galaxy_config.gravity.gunicorn.bind }};" (each host\'s own bind, when galaxy_config is what the role reads on every host), ' +
            'or give the hosts one bind, then plan again',
        });
        continue;
      }
      if (!verdict.galaxy) {
        // The Reports app's socket: reports/nginx-uwsgi-pass rewrites it together with gravity.reports.
        if (reportsPassApp(d, ctx.target, site)) continue;
        ctx.report({
          file: file.path,
          range: x.range,
          severity: verdict.suspect ? 'warning' : 'info',
          message: `"${showDirective(x)}" is not taken as Galaxy's (${verdict.why}), so it is left as it is; whatever serves it still needs its uWSGI server`,
        });
        continue;
      }
      const t = site.target.kind === 'upstream' ? undefined : gunicornTargetFor(d, site.target);
      const balanced = upstream && (site.target.kind === 'unix' || site.target.kind === 'tcp') && !upstream.unplaced.has(site) ? upstream : undefined;
      const url = site.target.kind === 'upstream' ? `http://${site.target.name}` : balanced ? `http://${balanced.name}` : nginxHttpUrl(t!);
      const edits: Edit[] = [
        { start: x.nameWord.range.start, end: x.nameWord.range.end, text: 'proxy_pass' },
        { start: arg.range.start, end: arg.range.end, text: url },
      ];
      const plan = site.location ? locationPlan(d, site.location) : undefined;
      if (plan && plan.uwsgiParams.length === 0 && plan.missing.length && !headersDone.has(site.location)) {
        headersDone.add(site.location);
        edits.push(insertLinesAfter(file.text, site.statement.range, headerLines(plan.missing), indentOf(file.text, site.statement.range.start)));
      }
      const where = site.location ? `location ${site.location.args.map((a) => a.raw).join(' ')}` : 'this block';
      const bindWhy =
        site.target.kind === 'upstream'
          ? `the upstream's servers become gunicorn's bind (proxy/nginx-upstream)`
          : balanced
            ? `upstream "${balanced.name}" lists the binds of the ${balanced.instances.length} gunicorn instances in gravity: (${balanced.instances.map((i) => i.bind).join(', ')}); ${balanced.carriers.has(site) ? 'this fix adds it' : 'the fix of the first Galaxy location adds it'}`
            : t!.why;
      const notes: string[] = [];
      if (upstream && upstream.unplaced.has(site)) {
        notes.push(`gravity: runs ${upstream.instances.length} gunicorn instances; no \`server\` block around this location was read, so add at http level \`upstream ${upstream.name} { ${upstream.servers.join(' ')} }\` and proxy_pass http://${upstream.name} to keep serving during \`galaxyctl graceful\``);
      }
      if (t && needsForwardedAllowIps(t)) {
        notes.push(
          `gunicorn trusts X-Forwarded-* only from --forwarded-allow-ips (default 127.0.0.1); nginx reaches ${showAddress(t.address!)} from another host, so add its address there (§4.5)`,
        );
      }
      if (!verdict.confident) notes.push(`taken as Galaxy's because ${verdict.why}`);
      ctx.report({
        file: file.path,
        range: x.range,
        ...(t && !t.known ? { severity: 'warning' as const } : {}),
        message: `${where}: "${showDirective(x)}" speaks the uwsgi protocol, which Gunicorn does not; proxy over HTTP with "proxy_pass ${url}" (${bindWhy})`,
        fix: withUpstream(editFix(`proxy_pass ${url}`, file.path, edits), balanced?.carriers.get(site)),
        ...(notes.length ? { notes } : {}),
      });
    }
  },
};

function indentOf(text: string, at: number): string {
  let s = at;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return /^[ \t]*/.exec(text.slice(s))![0];
}

/** The fix, with the change that adds the gunicorn upstream when this pass carries it. */
function withUpstream(fix: ReturnType<typeof editFix>, add: FileChange | undefined): ReturnType<typeof editFix> {
  if (!add || add.kind !== 'edit') return fix;
  const same = fix.changes.find((c) => c.kind === 'edit' && c.file === add.file);
  const changes = same
    ? fix.changes.map((c) => (c === same && c.kind === 'edit' ? { ...c, edits: [...add.edits, ...c.edits] } : c))
    : [...fix.changes, add];
  return { description: `${fix.description} (and the upstream of the gunicorn instances)`, changes };
}
