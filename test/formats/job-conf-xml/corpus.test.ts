import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { JOBS_RULES } from '../../../rules/jobs/index.js';
import { runRules } from '../../../src/core/engine.js';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { maskJinja } from '../../../src/formats/jinja.js';
import { parseJobConfXml, type JobConfXmlAst } from '../../../src/formats/job-conf-xml/index.js';
import { readXml } from '../../../src/formats/job-conf-xml/reader.js';
import { corpusJobConfs, deployment, HAVE_CORPUS, skipNote } from '../../rules/jobs/support.js';
import { fxpStarts, ownStarts } from './offsets.js';

skipNote('job_conf.xml corpus round trip (test/formats/job-conf-xml/corpus.test.ts)');
const files = corpusJobConfs().filter((f) => f.kind === 'job-conf-xml');

(HAVE_CORPUS ? describe : describe.skip)('every job_conf.xml of ../shared/corpus', () => {
  it('there are job_conf.xml files to read', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const f of files) {
    describe(f.path, () => {
      it('reads without an error and its nodes cover every byte', () => {
        const doc = parseJobConfXml({ path: f.path, text: f.text, bom: false });
        expect(doc.errors).toEqual([]);
        expect((doc.ast as JobConfXmlAst).view).toBeDefined();
        let at = 0;
        for (const n of (doc.ast as JobConfXmlAst).tree.nodes) {
          expect(n.range.start).toBe(at);
          at = n.range.end;
        }
        expect(at).toBe(f.text.length);
      });

      it('finds every element where fast-xml-parser does', () => {
        const { masked } = maskJinja(f.text, ' ');
        if (XMLValidator.validate(masked) !== true) return; // a template fast-xml-parser cannot read either
        expect(ownStarts(readXml(f.text).tree.nodes)).toEqual(fxpStarts(masked));
      });

      it('re-emits its bytes when no rule fires, and keeps every byte no fix touches', () => {
        const dep = deployment({ [f.path]: f.text });
        expect(runRules(dep, [], { target: DEFAULT_TARGET }).plan.files).toEqual([]);
        const r = runRules(dep, JOBS_RULES, { target: DEFAULT_TARGET });
        for (const p of r.plan.files) {
          const edits = r.findings.flatMap((x) => x.fix?.changes ?? []).flatMap((c) => (c.kind === 'edit' && c.file === p.file ? c.edits : []));
          const sorted = [...edits].sort((a, b) => a.start - b.start);
          let at = 0;
          let out = 0;
          for (const e of sorted) {
            // The text between edits is the original text, byte for byte.
            const keep = f.text.slice(at, e.start);
            expect(p.after.slice(out, out + keep.length)).toBe(keep);
            out += keep.length + e.text.length;
            at = e.end;
          }
          expect(p.after.slice(out)).toBe(f.text.slice(at));
          expect(parseJobConfXml({ path: f.path, text: p.after, bom: false }).errors).toEqual([]);
        }
      });
    });
  }
});
