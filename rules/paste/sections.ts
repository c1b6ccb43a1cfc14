import type { Document } from '../../src/core/document.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { iniValue, type GalaxyIniAst } from '../../src/formats/galaxy-ini/parse.js';
import { filterKind, GALAXY_FACTORY, PASTE_HTTP } from '../../src/formats/galaxy-ini/paste.js';
import type { IniSection } from '../../src/formats/ini/lossless.js';
import { conversionOf, galaxyIniDocs, type Conversion } from './convert.js';

/**
 * The Paste sections of a galaxy.ini and what each becomes (docs/galaxy-target.md §2.8): the
 * prefix filter, the gzip filter, `[server:*]`, factories Galaxy's convert does not know, and the
 * sections no Gunicorn-era Galaxy reads.
 */

interface IniSections {
  readonly doc: Document<GalaxyIniAst>;
  readonly c: Conversion;
  /** Each section with its name as Paste matches it (trimmed). */
  readonly sections: readonly { readonly s: IniSection; readonly name: string }[];
}

/**
 * Each galaxy.ini that is not a template, with its conversion and its sections: the rules that judge
 * sections one by one skip templates, whose sections are only known once Jinja has rendered them.
 */
function* untemplatedIniSections(ctx: RuleContext): Generator<IniSections> {
  for (const doc of galaxyIniDocs(ctx.deployment)) {
    if (doc.ast.templated) continue;
    const c = conversionOf(ctx.deployment, doc, ctx.target);
    yield { doc, c, sections: doc.ast.ini.sections.map((s) => ({ s, name: s.name.trim() })) };
  }
}

export const urlPrefixRule: Rule = {
  meta: {
    id: 'paste/url-prefix',
    description: '[filter:proxy-prefix] + filter-with → galaxy_url_prefix',
    rationale:
      "Galaxy's convert drops `filter-with` (printing a message about uWSGI mounts that no longer applies), so a server hosted under /galaxy loses its prefix. " +
      'Galaxy 22.01+ serves itself under `galaxy_url_prefix`; the proxy then passes the full path on (proxy/* rules).',
    severity: 'info',
    fixable: true,
    sources: ['docs/galaxy-target.md §2.8, §4.6, §7 (1)', 'GX-CM-UW, GX-CM-2205', 'GX-NGINX-GU'],
  },
  check(ctx) {
    for (const doc of galaxyIniDocs(ctx.deployment)) {
      const c = conversionOf(ctx.deployment, doc, ctx.target);
      const f = c.facts;
      if (!f.filterWith || !f.filter) continue;
      if (f.filter.kind === 'missing') {
        ctx.report({ file: doc.file.path, range: f.filterWith.range, severity: 'error', message: `\`filter-with = ${f.filter.name}\` names no [filter:${f.filter.name}] section: Paste would not start` });
      } else if (f.filter.kind === 'prefix') {
        ctx.report({
          file: doc.file.path,
          range: f.filterWith.range,
          message: f.prefix
            ? `\`filter-with = ${f.filter.name}\` served Galaxy under \`${f.prefix.value}\`: written as \`galaxy_url_prefix: ${f.prefix.value}\` (Galaxy's convert drops it); the proxy must pass the prefixed path to gunicorn unchanged`
            : `\`filter-with = ${f.filter.name}\` sets no prefix other than \`/\`: dropped`,
        });
      }
    }
  },
};

export const gzipFilterRule: Rule = {
  meta: {
    id: 'paste/gzip-filter',
    description: '[filter:gzip] (egg:Paste#gzip) → compress at the proxy',
    rationale: 'Gunicorn does not compress responses; the uWSGI-era convert turned the filter into `http-auto-gzip`, which no longer exists. The proxy does it (nginx `gzip on;`, Apache mod_deflate).',
    severity: 'warning',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.1 (http-auto-gzip), §2.8', 'GX-CM-UW', 'GX-NGINX-GU'],
  },
  check(ctx) {
    for (const doc of galaxyIniDocs(ctx.deployment)) {
      const f = conversionOf(ctx.deployment, doc, ctx.target).facts;
      if (f.filter?.kind !== 'gzip' || !f.filterWith) continue;
      ctx.report({
        file: doc.file.path,
        range: f.filterWith.range,
        message: `\`filter-with = ${f.filter.name}\` compressed Galaxy's responses in Paste; gunicorn does not: turn compression on in the proxy (nginx \`gzip on; gzip_types text/plain text/css application/json application/javascript;\`, Apache \`AddOutputFilterByType DEFLATE …\`)`,
      });
    }
  },
};

export const unknownFactoryRule: Rule = {
  meta: {
    id: 'paste/unknown-factory',
    description: 'a Paste factory, filter or server galaxy-migrate (and Galaxy\'s convert) does not know',
    rationale:
      "Galaxy's convert stops on an app factory other than galaxy.web.buildapp:app_factory and on a server other than egg:Paste#http. " +
      'A custom filter or pipeline wrapped Galaxy in code that Gunicorn under Gravity does not run: it needs a decision.',
    severity: 'error',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.8, §5.1 (_PasteAppFactoryAction)', 'GX-CM-UW, GX-CM-2205'],
  },
  check(ctx) {
    for (const { doc, c, sections } of untemplatedIniSections(ctx)) {
      const factory = c.facts.appFactory;
      if (factory && factory.value.trim() !== GALAXY_FACTORY) {
        const v = factory.value.trim();
        const other = /webapps\.reports/.test(v) ? 'the Reports app (Gravity runs it from `gravity.reports`)' : /webapps\.tool_shed/.test(v) ? 'the Tool Shed' : undefined;
        ctx.report({
          file: doc.file.path,
          range: factory.range,
          severity: other ? 'warning' : 'error',
          message: other
            ? `\`paste.app_factory = ${v}\` loads ${other}, not Galaxy: this file is not converted to a Galaxy galaxy.yml`
            : `\`paste.app_factory = ${v}\` is not Galaxy's factory (${GALAXY_FACTORY}); Galaxy's convert stops here ("unknown paste factory encountered"): decide what this app becomes`,
        });
      }
      for (const { s, name } of sections) {
        if (name.startsWith('filter:')) {
          const use = iniValue(s, 'use');
          if (filterKind(use?.value) === 'unknown') {
            ctx.report({ file: doc.file.path, range: use?.range ?? s.header, message: `[${name}] uses \`${use?.value.trim() ?? '(no use =)'}\`, a filter Galaxy's convert does not know: the code it ran around Galaxy is not carried into galaxy.yml` });
          }
        } else if (name.startsWith('server:')) {
          const use = iniValue(s, 'use');
          if (use && !PASTE_HTTP.test(use.value.trim())) {
            ctx.report({ file: doc.file.path, range: use.range, message: `[${name}] uses \`${use.value.trim()}\`, not egg:Paste#http: Galaxy's convert stops on it; only its host/port are read` });
          }
        } else if (/^(pipeline|composite|app):/.test(name) && name !== 'app:main') {
          ctx.report({ file: doc.file.path, range: s.header, message: `[${name}]: a Paste ${name.split(':')[0]} Gunicorn under Gravity does not run (Gravity loads Galaxy's own app factory)` });
        }
      }
    }
  },
};

const THREADPOOL = ['use_threadpool', 'threadpool_workers', 'threadpool_kill_thread_limit'];

export const serverSectionRule: Rule = {
  meta: {
    id: 'paste/server-section',
    description: '[server:main] → gravity.gunicorn.bind (host:port); threadpool options dropped; other [server:*] sections',
    rationale:
      "Paste's HTTP server (host, port) is the address the proxy pointed at when Galaxy ran under Paste; gunicorn binds it now. " +
      'Under uWSGI (--ini-paste), the [uwsgi] socket was the address and [server:main] was unused. Other [server:*] sections were extra Paste processes (web or job handlers).',
    severity: 'info',
    fixable: true,
    sources: ['docs/galaxy-target.md §2.8, §5.1', 'GX-CM-UW `_server_paste_to_uwsgi`'],
  },
  check(ctx) {
    for (const { doc, c, sections } of untemplatedIniSections(ctx)) {
      for (const { s, name } of sections) {
        if (!name.startsWith('server:')) continue;
        const main = c.facts.server?.section === s;
        const pool = s.entries.filter((e) => THREADPOOL.includes(e.name)).map((e) => e.key);
        const dropped = pool.length ? `; ${pool.join(', ')} dropped (gunicorn's uvicorn workers have no thread pool)` : '';
        let message: string;
        if (!main) {
          message = `[${name}] is a separate Paste process (\`--server-name=${name.slice(7)}\`): Gravity runs job handlers from \`gravity.handlers\` or the job conf's static handlers, and one gunicorn for the web (see process/*)`;
        } else if (c.uwsgi) {
          message = `[${name}] was not used: uWSGI, not Paste, served Galaxy, so gunicorn binds ${c.draft.gunicorn.has('bind') ? `\`${c.draft.gunicorn.get('bind')}\` (from the uWSGI socket)` : 'what [uwsgi] listened on'}${dropped}`;
        } else {
          message = `[${name}] → \`gravity.gunicorn.bind: ${c.draft.gunicorn.get('bind')}\` (Paste's host and port; the proxy keeps pointing at it)${dropped}`;
        }
        ctx.report({ file: doc.file.path, range: s.header, message });
      }
    }
  },
};

const LOGGING = /^(loggers|handlers|formatters|logger_.+|handler_.+|formatter_.+)$/;

export const otherSectionsRule: Rule = {
  meta: {
    id: 'paste/other-sections',
    description: 'galaxy.ini sections no Gunicorn-era Galaxy reads ([loggers]/[handler_*] logging, unused filters, custom sections)',
    rationale: 'Galaxy under Gravity reads only galaxy.yml: logging goes under `galaxy.logging` (dictConfig) or log_level/log_destination; other sections are not carried over.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.6 (logging), §5.1', 'GX-LOGGING'],
  },
  check(ctx) {
    for (const { doc, c, sections } of untemplatedIniSections(ctx)) {
      for (const { s, name } of sections) {
        if (name === 'app:main' || name === 'uwsgi' || name === 'DEFAULT' || name.startsWith('server:')) continue;
        if (name.startsWith('filter:')) {
          if (c.facts.filter?.section !== s && filterKind(iniValue(s, 'use')?.value) !== 'unknown') {
            ctx.report({ file: doc.file.path, range: s.header, message: `[${name}] is defined but no \`filter-with\` uses it: dropped` });
          }
          continue;
        }
        if (/^(pipeline|composite|app):/.test(name)) continue;
        ctx.report({
          file: doc.file.path,
          range: s.header,
          message: LOGGING.test(name)
            ? `[${name}] (Python logging fileConfig) is not carried over: set \`galaxy.logging\` (dictConfig) or \`log_level\`/\`log_destination\` in galaxy.yml`
            : `[${name}] is not a section Galaxy reads from galaxy.yml: not carried over`,
        });
      }
    }
  },
};
