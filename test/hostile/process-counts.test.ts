import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PROCESSES } from '../../src/model/limits.js';
import { tempDir, writeTree } from '../helpers/deployment.js';
import { cliChild, ensureBuilt } from './child.js';

/**
 * Process counts no server runs (`numprocs = 999999999999999999992`, `mules: 100000000`, a Gravity
 * group of `processes: 100000000`) are reported, never expanded into names, binds or SQL: before,
 * each ran a plan out of memory (fuzz seed 96 found the first). Each case runs the built CLI in a
 * child process: it must end by itself with exit 0 and small memory, and say what it did not expand.
 */
const base = tempDir('gm-counts-');
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeAll(() => ensureBuilt(), 300_000);

let n = 0;
const tree = (files: Record<string, string>): string => writeTree(join(base, `d${n++}`), files);

/** Well above a plan of these few small files (about 60 MiB), far below what expanding the counts took (gigabytes). */
const MAX_RSS_MIB = 300;
const HUGE = '999999999999999999992';

function plan(files: Record<string, string>): { stdout: string; findings: { ruleId: string; message: string; notes?: string[] }[] } {
  const r = cliChild(['plan', '--format', 'json', '.'], tree(files));
  expect(r.signal).toBeNull();
  expect(r.code).toBe(0);
  expect(r.maxRssMiB).toBeLessThan(MAX_RSS_MIB);
  const out = JSON.parse(r.stdout) as { findings: { ruleId: string; message: string; notes?: string[] }[] };
  expect(out.findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
  return { stdout: r.stdout, findings: out.findings };
}

describe('process counts past what any Galaxy server runs', () => {
  it(`a supervisord handler program with numprocs = ${HUGE}: reported with the limit, no names expanded`, () => {
    const conf = `[program:handler]\ncommand = /srv/galaxy/venv/bin/python lib/galaxy/main.py -c config/galaxy.yml --server-name=handler%(process_num)s\nprocess_name = handler%(process_num)s\nnumprocs = ${HUGE}\n`;
    const { findings, stdout } = plan({ 'supervisor/galaxy.conf': conf });
    const names = findings.find((f) => f.ruleId === 'process/handler-names');
    expect(names?.message).toContain(`\`numprocs = ${HUGE}\` is more processes than galaxy-migrate expands (${MAX_PROCESSES})`);
    expect(stdout).not.toContain('handler1000');
  });

  it('mules: 100000000 in galaxy.yml and in ansible variables: the generic mules are not listed one by one', () => {
    for (const files of [
      { 'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  mules: 100000000\n  farm: job-handlers:1,2\n' },
      { 'group_vars/galaxyservers.yml': 'galaxy_config:\n  uwsgi:\n    socket: 127.0.0.1:4001\n    mules: 100000000\n    farm: job-handlers:1,2\n' },
    ]) {
      const { stdout } = plan(files);
      expect(stdout).toContain(`mule ${MAX_PROCESSES} is not migrated`);
      expect(stdout).not.toContain(`mule ${MAX_PROCESSES + 1}`);
    }
  });

  it('50,000,000 zerglings: the zerg pool is left for review, with the count and the limit', () => {
    const conf =
      '[program:zergling]\ncommand = /srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml --zerg /srv/galaxy/var/zergpool.sock\nnumprocs = 50000000\nprocess_name = zergling%(process_num)s\n' +
      '[program:zergpool]\ncommand = /srv/galaxy/venv/bin/uwsgi --master --zerg-pool /srv/galaxy/var/zergpool.sock:127.0.0.1:4001\n';
    const { stdout } = plan({ 'supervisor/galaxy.conf': conf });
    expect(stdout).toContain(`runs 50000000 zerglings, more processes than galaxy-migrate expands (${MAX_PROCESSES})`);
  });

  it('an existing gravity handler group of processes: 100000000, or 1e21, plans without an internal error', () => {
    plan({ 'config/galaxy.yml': 'gravity:\n  handlers:\n    handler:\n      processes: 100000000\n      pools: [job-handlers]\ngalaxy:\n  job_config_file: job_conf.xml\n' });
    plan({ 'config/galaxy.yml': 'gravity:\n  handlers:\n    handler:\n      processes: 1e21\n' });
  });
});
