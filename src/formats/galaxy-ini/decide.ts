import type { Document } from '../../core/document.js';
import type { DecisionMaker } from '../../model/build.js';
import { formatAddress } from '../../model/uwsgi-options.js';
import { GALAXY_FACTORY, pasteFacts } from './paste.js';
import type { GalaxyIniAst } from './parse.js';

/**
 * Adds what a Paste-era galaxy.ini decides to the model, where the uWSGI configuration does not:
 * the URL prefix of a `[filter:proxy-prefix]` in use (the rewritten proxy and `galaxy_url_prefix`
 * must agree), and, when no uWSGI listener exists, `[server:main]`'s `host:port` as the gunicorn
 * bind (the address the proxy already points at).
 */
export function withGalaxyIni(decide: DecisionMaker): DecisionMaker {
  return (parts) => {
    const d = decide(parts);
    const doc = parts.documents.find(
      (x): x is Document<GalaxyIniAst> =>
        x.kind === 'galaxy-ini' && Boolean(x.ast) && !(x.ast as GalaxyIniAst).templated && isGalaxyApp(x as Document<GalaxyIniAst>),
    );
    if (!doc) return d;
    const facts = pasteFacts(doc);
    let out = d;
    if (!out.urlPrefix && facts.prefix) out = { ...out, urlPrefix: facts.prefix.value };
    if (!out.gunicornBind && out.legacyListeners.length === 0 && facts.server) {
      const a = facts.server.address;
      out = {
        ...out,
        gunicornBind: formatAddress(a),
        gunicornAddress: a,
        forwardedAllowAll: false,
        legacyListeners: [{ option: 'server:main', protocol: 'http', address: a, file: doc.file.path, range: facts.server.section.header }],
      };
    }
    return out;
  };
}

/** `[app:main]` loads Galaxy (its factory, or none given), not the Reports app or the Tool Shed. */
export function isGalaxyApp(doc: Document<GalaxyIniAst>): boolean {
  const f = pasteFacts(doc).appFactory?.value.trim();
  return f === undefined || f === GALAXY_FACTORY || f === 'galaxy.webapps.galaxy.buildapp:app_factory';
}
