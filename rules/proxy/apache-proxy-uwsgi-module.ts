import type { Edit } from '../../src/core/finding.js';
import type { Rule } from '../../src/core/rule.js';
import { apacheDirectives, apacheModel, apacheSections, requote, showApache } from './apache-model.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { insertLinesAfter, removeStatement } from './text-edits.js';

/** `LoadModule proxy_uwsgi_module …` and `<IfModule mod_proxy_uwsgi.c>` → mod_proxy_http. */
export const apacheProxyUwsgiModule: Rule = {
  meta: {
    id: 'proxy/apache-proxy-uwsgi-module',
    description: 'mod_proxy_uwsgi gives way to mod_proxy_http (LoadModule, <IfModule>)',
    rationale:
      'The Gunicorn-era Galaxy docs load mod_proxy (and, for http:// and unix:…|http:// URLs, mod_proxy_http) instead of ' +
      'mod_proxy_uwsgi (§4.4). The LoadModule line is switched to proxy_http_module in the same directory style, or removed ' +
      'when proxy_http is already loaded; <IfModule> tests follow. While another application still proxies to uwsgi://, ' +
      'mod_proxy_uwsgi stays and mod_proxy_http is added next to it.',
    severity: 'warning',
    fixable: true,
    sources: [PROXY_SOURCES.apache],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = apacheModel(d);
    const others = model.sites.filter((s) => !s.verdict.galaxy);
    const loads = [...apacheDirectives(model, 'LoadModule')];
    const httpLoaded = loads.some((l) => l.node.args[0]?.value === 'proxy_http_module');
    for (const { file, node } of loads) {
      if (node.args[0]?.value !== 'proxy_uwsgi_module') continue;
      const so = node.args[1];
      const httpPath = so ? requote(so, so.value.replace(/mod_proxy_uwsgi\.so$/, 'mod_proxy_http.so')) : undefined;
      if (others.length) {
        if (httpLoaded) continue;
        const line = `LoadModule proxy_http_module ${httpPath ?? 'modules/mod_proxy_http.so'}`;
        ctx.report({
          file: file.path,
          range: node.range,
          message: `"${showApache(node)}" stays for the other applications still on uwsgi://; Galaxy's http:// proxying needs mod_proxy_http too`,
          fix: editFix(line, file.path, [insertLinesAfter(file.text, node.range, [line])]),
        });
        continue;
      }
      const edits: Edit[] = httpLoaded
        ? [removeStatement(file.text, node.range)]
        : [
            { start: node.args[0]!.range.start, end: node.args[0]!.range.end, text: 'proxy_http_module' },
            ...(so && httpPath ? [{ start: so.range.start, end: so.range.end, text: httpPath }] : []),
          ];
      ctx.report({
        file: file.path,
        range: node.range,
        message: httpLoaded
          ? `"${showApache(node)}" is not needed once Galaxy is proxied over HTTP, and mod_proxy_http is already loaded`
          : `"${showApache(node)}": Galaxy is proxied over HTTP now, which is mod_proxy_http`,
        fix: editFix(httpLoaded ? 'remove LoadModule proxy_uwsgi_module' : 'LoadModule proxy_http_module', file.path, edits),
      });
    }
    if (others.length) return;
    for (const { file, node } of apacheSections(model, 'IfModule')) {
      const a = node.args[0];
      if (!a) continue;
      const m = /^(!?)(proxy_uwsgi_module|mod_proxy_uwsgi\.c)$/.exec(a.value);
      if (!m) continue;
      const to = `${m[1]}${m[2] === 'proxy_uwsgi_module' ? 'proxy_http_module' : 'mod_proxy_http.c'}`;
      ctx.report({
        file: file.path,
        range: node.open,
        message: `"<${showApache(node)}>" tests for mod_proxy_uwsgi; Galaxy's proxying depends on mod_proxy_http now`,
        fix: editFix(`<IfModule ${to}>`, file.path, [{ start: a.range.start, end: a.range.end, text: requote(a, to) }]),
      });
    }
  },
};
