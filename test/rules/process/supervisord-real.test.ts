import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROCESS_RULES } from '../../../rules/process/index.js';
import { corpusFiles } from '../../helpers/corpus-files.js';
import { HAVE_SHARED, warnNoShared } from '../../helpers/shared.js';
import { SUPERVISORD, supervisordAccepts, warnNoSupervisord } from '../../helpers/supervisord.js';
import { deploymentFrom, run } from './helpers.js';

warnNoSupervisord();
warnNoShared('supervisord check of the rewritten corpus files');

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/process/${name}`, import.meta.url), 'utf8');
const isTemplate = (t: string): boolean => /\{\{|\{%|\{#/.test(t);

describe.skipIf(!SUPERVISORD)('the real supervisord accepts every supervisord file the tool writes', () => {
  it('tells a good file from a bad one (the check itself works)', async () => {
    expect((await supervisordAccepts('[program:a]\ncommand = /bin/true\n')).ok).toBe(true);
    const bad = await supervisordAccepts('[program:a]\ncommand = /bin/true\n\n[group:g]\nprograms = a, missing\n');
    expect(bad.ok).toBe(false);
    expect(bad.output).toContain('names unknown program or fcgi-program missing');
  });

  it('accepts the rewritten fixture (the galaxyctl program and the trimmed group)', async () => {
    const o = run(deploymentFrom({ 'supervisor/galaxy.conf': fixture('supervisor-uwsgi-handlers.conf') }), PROCESS_RULES);
    const verdict = await supervisordAccepts(o.after['supervisor/galaxy.conf']!);
    expect(verdict.output).toMatch(/galaxy:gravity\s+STOPPED/);
    expect(verdict.ok).toBe(true);
  });

  it.skipIf(!HAVE_SHARED)('accepts every rewritten supervisord file of the corpus that is not a template', async () => {
    const files = corpusFiles().filter((f) => f.kind === 'supervisor' && !isTemplate(f.text));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      const o = run(deploymentFrom({ [f.path]: f.text }), PROCESS_RULES);
      const after = o.after[f.path];
      if (after === undefined) continue; // deleted whole
      expect(after, f.path).not.toBe(f.text);
      const verdict = await supervisordAccepts(after);
      expect(verdict.ok, `${f.path}\n${verdict.output}`).toBe(true);
    }
  });
});
