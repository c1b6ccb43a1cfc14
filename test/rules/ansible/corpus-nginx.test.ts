import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { diffLines } from 'diff';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { HAVE_SHARED, SHARED_DIR, warnNoShared } from '../../helpers/shared.js';

/*
 * Issue 5, P12 of the corpus (hexylena/git-gat, GTN admin training 2022-06-13 → 2022-06-28): the
 * maintainers' AFTER includes their nginx template. BEFORE's inventory (group_vars, the nginx
 * template, the job conf template) is planned together, as one model, and the planned template is
 * compared with theirs line by line. Every difference is listed with why; everything else is equal.
 */
const CORPUS = join(SHARED_DIR, 'corpus');
const BEFORE = 'hexylena__git-gat/bfdb609cdd';
const AFTER = 'hexylena__git-gat/bfaa0c974d';
const INVENTORY = ['group_vars/galaxyservers.yml', 'templates/nginx/galaxy.j2', 'templates/galaxy/config/job_conf.xml.j2'];

interface Difference {
  readonly ours: readonly string[];
  readonly theirs: readonly string[];
  readonly why: string;
}

const DIFFERENCES: readonly Difference[] = [
  {
    ours: [],
    theirs: [
      'upstream galaxy {',
      '    server unix:{{ galaxy_mutable_config_dir }}/gunicorn.sock;',
      '',
      '    # Or if you serve galaxy at a path like http(s)://fqdn/galaxy',
      '    # Remember to set galaxy_url_prefix in the galaxy.yml file.',
      '    # server unix:{{ galaxy_mutable_config_dir }}/gunicorn.sock:/galaxy;',
      '}',
      '',
    ],
    why: 'they moved gunicorn to a unix socket and named it in an upstream; we keep the listener the uWSGI block had (the gravity bind the plan writes), read from galaxy_config as the template did, so no upstream is needed',
  },
  {
    ours: ['    # The most important location block, by default all requests are sent to uWSGI'],
    theirs: [
      '    # The most important location block, by default all requests are sent to gunicorn',
      '    # If you serve galaxy at a path like /galaxy, change that below (and all other locations!)',
    ],
    why: 'they edited the comments; galaxy-migrate never rewrites comments',
  },
  {
    ours: ['        proxy_pass http://{{ galaxy_config.gravity.gunicorn.bind }};', '        proxy_set_header X-Forwarded-Proto $scheme;'],
    theirs: ['        proxy_pass http://galaxy;', ''],
    why: 'the same target by another road (their upstream, our gravity bind variable: 127.0.0.1:5000 in the planned group_vars); our X-Forwarded-Proto replaces `uwsgi_param UWSGI_SCHEME` where it stood, theirs follows Host and X-Forwarded-For (the same four headers, see below)',
  },
  {
    ours: [],
    theirs: ['        proxy_set_header X-Forwarded-Proto $scheme;'],
    why: 'the order of the four headers: theirs is the Galaxy docs’ order, ours keeps the scheme where UWSGI_SCHEME was',
  },
  {
    ours: ['    # request to uWSGI which should be spending its time doing more useful'],
    theirs: ['    # request to Gunicorn which should be spending its time doing more useful'],
    why: 'they edited a comment; galaxy-migrate never rewrites comments',
  },
];

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** The lines only one side has, hunk by hunk, in file order. */
function differences(ours: string, theirs: string): { ours: string[]; theirs: string[] }[] {
  const out: { ours: string[]; theirs: string[] }[] = [];
  let open: { ours: string[]; theirs: string[] } | undefined;
  for (const part of diffLines(ours, theirs)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (!part.added && !part.removed) {
      open = undefined;
      continue;
    }
    open ??= out[out.push({ ours: [], theirs: [] }) - 1]!;
    (part.added ? open.theirs : open.ours).push(...lines);
  }
  return out;
}

warnNoShared('P12 nginx template against the maintainers’ AFTER (issue 5)');

describe.skipIf(!HAVE_SHARED)('P12: the planned nginx template against the maintainers’ AFTER', () => {
  it('differs from theirs exactly where listed, and points at the bind written into gravity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-p12-'));
    scratch.push(dir);
    for (const f of INVENTORY) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(join(CORPUS, BEFORE, f), join(dir, f));
    }
    const r = await runCli(['plan', '--format', 'json', '.'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { changes: { file: string; after: string }[]; findings: { ruleId: string; file: string; line: number }[] };
    const ours = out.changes.find((c) => c.file === 'templates/nginx/galaxy.j2')!.after;
    const theirs = readFileSync(join(CORPUS, AFTER, 'templates/nginx/galaxy.j2'), 'utf8');
    expect(differences(ours, theirs)).toEqual(DIFFERENCES.map((d) => ({ ours: [...d.ours], theirs: [...d.theirs] })));
    // TIaaS and Reports stay on uwsgi_pass in both (their commit moved only Galaxy).
    for (const text of [ours, theirs]) {
      expect(text).toContain('uwsgi_pass {{ tiaas_listen_url }};');
      expect(text).toContain('uwsgi_pass           127.0.0.1:9001;');
    }
    // The planned group_vars bind the address the template reads.
    const vars = out.changes.find((c) => c.file === 'group_vars/galaxyservers.yml')!.after;
    expect(vars).toContain("      bind: '127.0.0.1:5000'");
  });
});
