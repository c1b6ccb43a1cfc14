import { describe, expect, it } from 'vitest';
import { CST, Parser } from 'yaml';
import { JOBS_RULES } from '../../../rules/jobs/index.js';
import { runRules } from '../../../src/core/engine.js';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { maskJinja } from '../../../src/formats/jinja.js';
import { galaxyJobOptions } from '../../../src/formats/job-conf/galaxy.js';
import { parseJobConfYml, type JobConfYmlAst } from '../../../src/formats/job-conf-yml/index.js';
import { corpus, corpusJobConfs, deployment, HAVE_CORPUS, skipNote } from '../../rules/jobs/support.js';

skipNote('job_conf.yml corpus round trip (test/formats/job-conf-yml/corpus.test.ts)');
const files = corpusJobConfs().filter((f) => f.kind === 'job-conf-yml');
/** Jinja macros inside YAML lists: not YAML until rendered (reported as a warning, never rewritten). */
const UNREADABLE = new Set(['galaxyproject__usegalaxy-playbook/8c5ac96002/env/common/templates/galaxy/config/job_conf.yml.j2']);

(HAVE_CORPUS ? describe : describe.skip)('every job_conf.yml of ../shared/corpus', () => {
  it('there are job_conf.yml files to read', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const f of files) {
    describe(f.path, () => {
      it(UNREADABLE.has(f.path) ? 'reports that the template is not YAML before rendering (one warning)' : 'reads without an error', () => {
        const doc = parseJobConfYml({ path: f.path, text: f.text, bom: false });
        if (UNREADABLE.has(f.path)) {
          expect(doc.errors.map((e) => e.severity)).toEqual(['warning']);
          expect((doc.ast as JobConfYmlAst).view?.incomplete).toBe(true);
        } else expect(doc.errors).toEqual([]);
      });

      it('masks only Jinja, and its CST gives the masked bytes back', () => {
        const { masked, spans } = maskJinja(f.text, 'J');
        expect(masked.length).toBe(f.text.length);
        let at = 0;
        for (const s of spans) {
          expect(masked.slice(at, s.start)).toBe(f.text.slice(at, s.start));
          at = s.end;
        }
        expect(masked.slice(at)).toBe(f.text.slice(at));
        expect([...new Parser().parse(masked)].map((t) => CST.stringify(t)).join('')).toBe(masked);
      });

      it('re-emits its bytes when no rule fires, and a fixed file still reads', () => {
        const dep = deployment({ [f.path]: f.text });
        expect(runRules(dep, [], { target: DEFAULT_TARGET }).plan.files).toEqual([]);
        const r = runRules(dep, JOBS_RULES, { target: DEFAULT_TARGET });
        for (const p of r.plan.files) expect(parseJobConfYml({ path: f.path, text: p.after, bom: false }).errors).toEqual([]);
      });
    });
  }

  it('reads an inline job_config of galaxy.yml through the galaxy.yml document', () => {
    const path = 'galaxyproject__galaxy/72bfa2b76d/test/unit/config/config_manage/embedded/config/galaxy.yml';
    const dep = deployment({ 'config/galaxy.yml': corpus(path) });
    const g = galaxyJobOptions(dep.documents[0]!)!;
    expect(g.inlineJobConfig).toBeDefined();
    expect(g.inlineJobConfig!.inline).toBe(true);
    expect(g.inlineJobConfig!.file).toBe('config/galaxy.yml');
  });
});
