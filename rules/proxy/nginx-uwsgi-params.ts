import type { Rule } from '../../src/core/rule.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { describeScope, headerLines, isUwsgiParamsInclude, ownerOf } from './nginx-location.js';
import { nginxModel, showDirective } from './nginx-model.js';
import { directives } from './nginx-walk.js';
import { GALAXY_PROXY_HEADERS } from './tables.js';
import { removeStatement, replaceStatement } from './text-edits.js';

/** `include uwsgi_params` → the proxy_set_header set of §4.2 in Galaxy's locations. */
export const nginxUwsgiParams: Rule = {
  meta: {
    id: 'proxy/nginx-uwsgi-params',
    description: 'include uwsgi_params in a Galaxy location becomes the proxy_set_header set of the Galaxy docs',
    rationale:
      'uwsgi_params gave Galaxy the client Host, address and scheme as uWSGI variables. Over HTTP they travel as headers: ' +
      `${GALAXY_PROXY_HEADERS.map((h) => `proxy_set_header ${h.header} ${h.value}`).join('; ')} (§4.2). ` +
      'Headers the location already sets, or that its uwsgi_param lines become, are not repeated (nginx would send both). ' +
      'A second include in the same location is removed.',
    severity: 'warning',
    fixable: true,
    sources: [PROXY_SOURCES.nginxModern, PROXY_SOURCES.nginxMapping],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    for (const file of model.files.values()) {
      for (const x of directives(file.ast.nodes)) {
        if (!isUwsgiParamsInclude(x)) continue;
        const owner = ownerOf(d, x);
        if (owner.kind === 'other') continue;
        if (owner.kind === 'location') {
          const plan = owner.plan;
          const first = plan.uwsgiParams[0] === x;
          if (first) {
            const lines = headerLines(plan.missing);
            ctx.report({
              file: file.path,
              range: x.range,
              message: lines.length
                ? `"${showDirective(x)}" sends uWSGI variables; over HTTP Galaxy needs ${plan.missing.map((h) => h.header).join(', ')} as headers`
                : `"${showDirective(x)}" sends uWSGI variables; the headers Galaxy needs are already set in this location`,
              fix: editFix('proxy_set_header lines', file.path, [lines.length ? replaceStatement(file.text, x.range, lines) : removeStatement(file.text, x.range)]),
              ...(plan.hostRead || !plan.missing.some((h) => h.header === 'Host')
                ? {}
                : {
                    notes: [
                      "Host follows the Galaxy docs ($http_host: the client's Host as sent). The uwsgi_params this server includes was not among the files read: if it sets HTTP_HOST (Debian's stable packages pass $host, without the port), use that value to keep what Galaxy saw, or name nginx's directory too so the tool reads it",
                    ],
                  }),
            });
          } else {
            ctx.report({
              file: file.path,
              range: x.range,
              message: `"${showDirective(x)}" is repeated in this location; the headers replace the first one, so this one goes`,
              fix: editFix('remove the repeated include', file.path, [removeStatement(file.text, x.range)]),
            });
          }
          continue;
        }
        const where = describeScope(model, owner.block);
        if (owner.galaxy.length && !owner.other.length) {
          ctx.report({
            file: file.path,
            range: x.range,
            message: `"${showDirective(x)}" ${where} only served Galaxy's locations, which now set their own proxy headers`,
            fix: editFix('remove include uwsgi_params', file.path, [removeStatement(file.text, x.range)]),
          });
        } else if (owner.other.length) {
          ctx.report({
            file: file.path,
            range: x.range,
            severity: 'info',
            message: `"${showDirective(x)}" ${where} is kept: other applications there still use uwsgi_pass`,
          });
        }
      }
    }
  },
};
