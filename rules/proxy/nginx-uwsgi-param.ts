import type { Rule } from '../../src/core/rule.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { describeScope, headerOfParam, locationPlan, ownerOf } from './nginx-location.js';
import { isParamsFile, nginxModel, showDirective } from './nginx-model.js';
import { directives } from './nginx-walk.js';
import { SCHEME_PARAMS } from './tables.js';
import { removeStatement, replaceStatement } from './text-edits.js';

/**
 * Other `uwsgi_param` lines: `HTTP_REMOTE_USER` → `proxy_set_header REMOTE_USER` (§4.3), any
 * `HTTP_X_Y` → header `X-Y`, header-looking names (`uwsgi_param Host $host`) → that header, and
 * WSGI variables HTTP cannot carry (SERVER_NAME, custom ones) removed with a finding.
 */
export const nginxUwsgiParam: Rule = {
  meta: {
    id: 'proxy/nginx-uwsgi-param',
    description: 'uwsgi_param HTTP_* (HTTP_REMOTE_USER …) becomes proxy_set_header; other uWSGI variables are removed',
    rationale:
      'uwsgi_param sets a WSGI environ variable. A variable named HTTP_X_Y is how WSGI spells the request header X-Y, so over ' +
      'HTTP it is proxy_set_header X-Y; HTTP_REMOTE_USER becomes the REMOTE_USER header, which Galaxy reads as HTTP_REMOTE_USER ' +
      '(remote_user_header), and gunicorn must trust the proxy for it (--forwarded-allow-ips). Names that look like headers ' +
      '(Host, X-Real-IP) were never headers under uWSGI; they become real ones and the finding says so. Other variables ' +
      'cannot be sent over HTTP and are removed. `if_not_empty` is dropped: proxy_set_header never sends an empty header.',
    severity: 'warning',
    fixable: true,
    sources: [PROXY_SOURCES.nginxMapping, 'PEP 3333 (HTTP_ variables)', PROXY_SOURCES.trust],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    const done = new Set<unknown>();
    for (const file of model.files.values()) {
      if (isParamsFile(file.path)) continue;
      for (const x of directives(file.ast.nodes)) {
        if (x.name !== 'uwsgi_param' || !x.args[0] || done.has(x)) continue;
        const owner = ownerOf(d, x);
        if (owner.kind === 'other') continue;
        const name = x.args[0].value;
        if (owner.kind === 'location') {
          const plan = locationPlan(d, owner.plan.location)!;
          for (const a of plan.params) {
            if (a.directive !== x) continue;
            done.add(x);
            if (a.kind === 'header') {
              const line = `proxy_set_header ${a.header} ${a.value};`;
              ctx.report({
                file: file.path,
                range: x.range,
                message: `"${showDirective(x)}" becomes "${line}"${a.note ? `: ${a.note}` : ''}`,
                fix: editFix(line, file.path, [replaceStatement(file.text, x.range, [line])]),
              });
            } else if (a.kind === 'drop' && a.family === 'param') {
              ctx.report({
                file: file.path,
                range: x.range,
                message: `"${showDirective(x)}" is removed: ${a.why}`,
                fix: editFix('remove', file.path, [removeStatement(file.text, x.range)]),
              });
            }
          }
          continue;
        }
        // A uwsgi_param at server or http level: locations that set their own headers never inherited
        // it (nginx's inheritance rule is the same for uwsgi_param and proxy_set_header), so it converts in place.
        if (SCHEME_PARAMS.includes(name) || name === 'SCRIPT_NAME') {
          if (owner.galaxy.length && !owner.other.length) {
            ctx.report({
              file: file.path,
              range: x.range,
              message: `"${showDirective(x)}" ${describeScope(model, owner.block)} is a uWSGI variable; Galaxy's locations send X-Forwarded-Proto themselves`,
              fix: editFix('remove', file.path, [removeStatement(file.text, x.range)]),
            });
          }
          continue;
        }
        if (!owner.galaxy.length || owner.other.length) continue;
        const h = headerOfParam(name);
        const value = x.args[1]?.raw ?? '""';
        const line = h ? `proxy_set_header ${h.header} ${value};` : undefined;
        ctx.report({
          file: file.path,
          range: x.range,
          message: line
            ? `"${showDirective(x)}" ${describeScope(model, owner.block)} becomes "${line}"`
            : `"${showDirective(x)}" ${describeScope(model, owner.block)} is a WSGI environ variable HTTP cannot carry; removed`,
          fix: editFix(line ?? 'remove', file.path, [line ? replaceStatement(file.text, x.range, [line]) : removeStatement(file.text, x.range)]),
        });
      }
    }
  },
};
