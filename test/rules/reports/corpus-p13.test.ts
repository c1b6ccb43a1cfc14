import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { HAVE_SHARED, SHARED_DIR, warnNoShared } from '../../helpers/shared.js';

/*
 * Corpus pair P13 (hexylena/git-gat 08bcb79d08 → 5869303e91, "Reports into Gravity"), the files other than
 * group_vars (whose gravity settings test/rules/ansible/corpus-pairs.test.ts compares): the plan for the
 * BEFORE snapshot against the maintainers' AFTER for templates/galaxy/config/reports.yml and the nginx
 * /reports/ location.
 */

const CORPUS = join(SHARED_DIR, 'corpus');
const BEFORE = 'hexylena__git-gat/08bcb79d08';
const AFTER = 'hexylena__git-gat/5869303e91';
const REPORTS = 'templates/galaxy/config/reports.yml';
const NGINX = 'templates/nginx/galaxy.j2';

warnNoShared('corpus pair P13 (Reports into Gravity)');

interface Change {
  file: string;
  ruleIds: string[];
  after: string;
}

describe.skipIf(!HAVE_SHARED)('P13 Reports into Gravity: reports.yml and the nginx location', () => {
  it('reports.yml loses exactly its uwsgi: section; the reports: options are theirs but for two they also changed', async () => {
    const r = await runCli(['plan', '--format', 'json', BEFORE], CORPUS);
    expect(r.code).toBe(0);
    const changes = (JSON.parse(r.stdout) as { changes: Change[] }).changes;
    const ours = changes.find((c) => c.file === `${BEFORE}/${REPORTS}`);
    expect(ours?.ruleIds).toEqual(['reports/uwsgi-to-gravity']);
    const before = readFileSync(join(CORPUS, BEFORE, REPORTS), 'utf8');
    // The section is lines 1–20; everything from `reports:` on is byte for byte the original.
    expect(ours!.after).toBe(before.slice(before.indexOf('\nreports:') + 1).replace(/(postgres[^"]*?:)[^@"]*@/g, '$1********@'));
    const theirs = parse(readFileSync(join(CORPUS, AFTER, REPORTS), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(parse(ours!.after) as object)).toEqual(Object.keys(theirs));
    expect(theirs['uwsgi']).toBeUndefined();
    // Their other edits to reports: (not part of the move, so not ours): the Paste-era prefix keys went, and
    // the template cache got a directory of its own.
    const oursReports = (parse(ours!.after) as { reports: Record<string, unknown> }).reports;
    const theirReports = theirs['reports'] as Record<string, unknown>;
    expect(Object.keys(oursReports).filter((k) => !(k in theirReports))).toEqual(['cookie-path', 'filter-with']);
  }, 60_000);

  it('the /reports/ location proxies over HTTP to gravity.reports.bind with the documented trailing slash', async () => {
    const r = await runCli(['plan', '--format', 'json', BEFORE], CORPUS);
    const changes = (JSON.parse(r.stdout) as { changes: Change[] }).changes;
    const nginx = changes.find((c) => c.file === `${BEFORE}/${NGINX}`);
    expect(nginx?.ruleIds).toEqual(['reports/nginx-uwsgi-pass']);
    const at = nginx!.after.indexOf('location /reports/ {');
    const block = nginx!.after.slice(at, nginx!.after.indexOf('}', at) + 1);
    expect(block).toBe(
      [
        'location /reports/ {',
        '        proxy_pass           http://127.0.0.1:9001/;',
        '        proxy_set_header X-Forwarded-Proto $scheme;',
        '        proxy_set_header Host $http_host;',
        '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '    }',
      ].join('\n'),
    );
    // Theirs: the same form (§1.8), to the unix socket they chose for gravity.reports.bind.
    const their = readFileSync(join(CORPUS, AFTER, NGINX), 'utf8');
    expect(their).toMatch(/location \/reports\/ \{\s*proxy_pass http:\/\/unix:\{\{ galaxy_config\.gravity\.reports\.bind \}\}:\/;/);
    // Nothing else in the file changed: the Galaxy locations were already on HTTP.
    const before = readFileSync(join(CORPUS, BEFORE, NGINX), 'utf8');
    expect(nginx!.after.slice(0, at)).toBe(before.slice(0, at));
  }, 60_000);
});
