import type { Rule } from '../../src/core/rule.js';
import type { JobConfXmlAst } from '../../src/formats/job-conf-xml/index.js';
import { SRC } from './fix.js';

/**
 * DESIGN.md "Security and safety": XML external entities and entity expansion are off. A job conf
 * whose DOCTYPE declares entities is read without expanding them (fast-xml-parser would, with
 * limits; docs/peers.md FX5), so values built from them are not checked, and an external entity
 * would make a parser read a file or a URL.
 */
export const xmlEntitiesRule: Rule = {
  meta: {
    id: 'jobs/xml-entities',
    description: 'a job_conf.xml DOCTYPE that declares entities is reported, never expanded',
    rationale:
      'Entity declarations let an XML file pull in other files or URLs (external entities) or grow without bound ("billion laughs"). ' +
      'galaxy-migrate never expands them: `&name;` stays as written, so a handler id or attribute built from an entity is not checked ' +
      'or rewritten. Galaxy\'s job conf needs no DOCTYPE; write the values out.',
    severity: 'warning',
    fixable: false,
    sources: ['DESIGN.md (Security and safety)', 'docs/peers.md §1.10 FX5', SRC.syntax],
  },
  check(ctx) {
    for (const doc of ctx.deployment.documents) {
      if (doc.kind !== 'job-conf-xml') continue;
      const dt = (doc.ast as JobConfXmlAst | undefined)?.tree.doctype;
      if (!dt || (!dt.entities.length && !dt.externalSubset)) continue;
      const external = dt.entities.filter((e) => e.external).map((e) => e.name);
      const parts: string[] = [];
      if (dt.entities.length) parts.push(`declares ${dt.entities.length === 1 ? 'the entity' : 'entities'} ${dt.entities.map((e) => `\`${e.name}\``).join(', ')}`);
      if (external.length) parts.push(`${external.map((n) => `\`${n}\``).join(', ')} ${external.length === 1 ? 'is' : 'are'} external (SYSTEM/PUBLIC: a file or URL)`);
      if (dt.externalSubset) parts.push('it loads an external DTD');
      ctx.report({
        file: doc.file.path,
        range: dt.range,
        severity: external.length || dt.externalSubset ? 'error' : 'warning',
        message: `the DOCTYPE ${parts.join('; ')}: galaxy-migrate never expands entities, so values that use them are not checked or rewritten; write the values out and drop the DOCTYPE`,
      });
    }
  },
};
