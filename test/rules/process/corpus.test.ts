import { describe, expect, it } from 'vitest';
import { PROCESS_RULES } from '../../../rules/process/index.js';
import { runRules } from '../../../src/core/engine.js';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { corpusFiles } from '../../helpers/corpus-files.js';
import { HAVE_SHARED, warnNoShared } from '../../helpers/shared.js';
import { deploymentFrom } from './helpers.js';

warnNoShared('process rules on the corpus');

describe.skipIf(!HAVE_SHARED)('process rules on every supervisord file and systemd unit of the corpus', () => {
  const files = corpusFiles().filter((f) => f.kind === 'supervisor' || f.kind === 'systemd');

  it('read each file as its own deployment without a fix conflict, and find the legacy programs', () => {
    let legacy = 0;
    for (const f of files) {
      const d = deploymentFrom({ [f.path]: f.text });
      const { findings, plan } = runRules(d, PROCESS_RULES, { target: DEFAULT_TARGET });
      expect(plan.conflicts, f.path).toEqual([]);
      if (findings.some((x) => x.ruleId === 'process/supervisor-programs' || x.ruleId === 'process/systemd-units')) legacy++;
      for (const p of plan.files) if (p.status === 'modified') expect(p.after.length, f.path).toBeGreaterThan(0);
    }
    // Every uWSGI/handler supervisord file and unit of the manifest, minus the Gravity-era ones.
    expect(legacy).toBeGreaterThanOrEqual(17);
  });

  it('leaves the after-migration files (gunicorn, galaxyctl units) alone except for the name clash', () => {
    for (const f of files.filter((x) => /galaxy-gunicorn\.service|a3c141e4e1\/templates\/systemd\/galaxy\.service|galaxy_gunicorn\.j2|galaxy_group\.j2/.test(x.path))) {
      const { findings, plan } = runRules(deploymentFrom({ [f.path]: f.text }), PROCESS_RULES, { target: DEFAULT_TARGET });
      expect(plan.files, f.path).toEqual([]);
      expect(findings.every((x) => x.ruleId === 'process/systemd-unit-clash'), f.path).toBe(true);
    }
  });
});
