import type { Rule } from '../../src/core/rule.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { describeScope, ownerOf } from './nginx-location.js';
import { isParamsFile, lineOf, nginxModel, showDirective } from './nginx-model.js';
import { directives } from './nginx-walk.js';
import { UWSGI_TO_PROXY } from './tables.js';
import { insertLinesAfter, removeStatement } from './text-edits.js';

const HANDLED_ELSEWHERE = new Set(['uwsgi_pass', 'uwsgi_param', 'uwsgi_modifier1', 'uwsgi_modifier2']);

/**
 * `uwsgi_read_timeout`, `uwsgi_send_timeout`, buffers, `uwsgi_buffering`, `uwsgi_pass_header` … →
 * their `proxy_*` twins (same arguments). At server or http level shared with another application
 * that keeps uwsgi_pass, the proxy_* line is added and the uwsgi_* one kept for it.
 */
export const nginxUwsgiTuning: Rule = {
  meta: {
    id: 'proxy/nginx-uwsgi-tuning',
    description: 'uwsgi_read_timeout, uwsgi_buffers, uwsgi_buffering, uwsgi_pass_header … become their proxy_* twins',
    rationale:
      'ngx_http_uwsgi_module and ngx_http_proxy_module have the same tuning directives under two prefixes; a uwsgi_* setting ' +
      'does nothing for proxy_pass, so Galaxy would silently fall back to nginx defaults (a 60 s read timeout instead of the ' +
      "docs' 180). The directive is renamed where only Galaxy uses it; where another application in the same server still " +
      'uses uwsgi_pass, the proxy_* line is added and the uwsgi_* one kept. If the block already has the proxy_* twin, the ' +
      'uwsgi_* line goes (nginx rejects a duplicate).',
    severity: 'warning',
    fixable: true,
    sources: [PROXY_SOURCES.nginxMapping, PROXY_SOURCES.nginxModules],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    for (const file of model.files.values()) {
      if (isParamsFile(file.path)) continue;
      for (const x of directives(file.ast.nodes)) {
        if (!x.name.startsWith('uwsgi_') || HANDLED_ELSEWHERE.has(x.name)) continue;
        const owner = ownerOf(d, x);
        if (owner.kind === 'other') continue;
        const row = UWSGI_TO_PROXY[x.name];
        if (!row) {
          ctx.report({ file: file.path, range: x.range, message: `"${showDirective(x)}" has no proxy_* twin this tool knows; review it by hand` });
          continue;
        }
        const parent = model.parentOf(x);
        const siblings = parent ? model.childrenOf(parent) : file.ast.nodes;
        const twin = siblings.find((n) => n.type === 'directive' && n.name === row.proxy);
        const mixed = owner.kind === 'scope' && owner.other.length > 0;
        if (twin && twin.type === 'directive') {
          if (mixed) continue;
          ctx.report({
            file: file.path,
            range: x.range,
            message: `"${showDirective(x)}" only affected uwsgi_pass, and this block already has "${showDirective(twin)}" (line ${lineOf(model.fileOf(twin).text, twin.range.start)})`,
            fix: editFix(`remove ${x.name}`, file.path, [removeStatement(file.text, x.range)]),
          });
          continue;
        }
        if (mixed && owner.kind === 'scope') {
          const line = [row.proxy, ...x.args.map((a) => a.raw)].join(' ') + ';';
          const others = owner.other.map((p) => `${p.file.path}:${lineOf(p.file.text, p.directive.range.start)}`).join(', ');
          ctx.report({
            file: file.path,
            range: x.range,
            message: `"${showDirective(x)}" ${describeScope(model, owner.block)} also serves other applications on uwsgi_pass (${others}), so it stays for them and "${line}" is added for Galaxy`,
            fix: editFix(`add ${row.proxy}`, file.path, [insertLinesAfter(file.text, x.range, [line])]),
          });
          continue;
        }
        ctx.report({
          file: file.path,
          range: x.range,
          message: `"${showDirective(x)}" does nothing for proxy_pass; the same setting is ${row.proxy}`,
          fix: editFix(row.proxy, file.path, [{ start: x.nameWord.range.start, end: x.nameWord.range.end, text: row.proxy }]),
        });
      }
    }
  },
};
