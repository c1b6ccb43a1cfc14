import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { HAVE_SHARED, SHARED_DIR, warnNoShared } from '../../helpers/shared.js';

/*
 * Issue 5: on the ansible before/after pairs of the corpus (../shared/corpus/MANIFEST.md, "Before/after
 * pairs"), the plan for BEFORE is compared with the maintainers' AFTER, gravity setting by gravity setting.
 * Every key either agrees (same value on both sides) or is listed below with both exact values and why.
 *
 * Keys are dotted paths inside the `gravity:` map (`gunicorn.bind`, `handlers.handler.pools`…); lists are
 * compared whole. `galaxy_systemd_mode`, `galaxy_systemd_env` and the role's Reports switches are the top-level
 * role variables that decide how the role runs Galaxy, so they are compared too. `undefined` means "not set in
 * that file".
 *
 * The corpus's other ansible uWSGI file, galaxyproject/admin-training playbooks/day2/group_vars (d2d1afc4ec), has
 * no AFTER in the corpus, so it is not a pair here.
 */

type Flat = Record<string, unknown>;

interface Difference {
  readonly ours: unknown;
  readonly theirs: unknown;
  readonly why: string;
}

interface Pair {
  readonly id: string;
  readonly before: string;
  readonly after: string;
  /** The variable whose `gravity:` (and before that `uwsgi:`) sub-map holds the settings. */
  readonly parent: string;
  /** False where the plan leaves BEFORE as it is (nothing uWSGI-shaped in it for the ansible rule). */
  readonly planChanges?: boolean;
  /** The rule expected among those that change BEFORE (ansible/galaxy-config-uwsgi unless said). */
  readonly planRule?: string;
  /**
   * Other files of BEFORE's inventory, planned together with it: inventory path → corpus file. The
   * corpus holds each file at the commit it was taken from, so the inventory is put together in a
   * temporary directory at test time (nothing of the corpus is copied into the project).
   */
  readonly inventory?: { readonly before: string; readonly with: Readonly<Record<string, string>> };
  /** Keys whose value is the same in our plan and in their AFTER, with that value. */
  readonly agree: Flat;
  readonly differ: Readonly<Record<string, Difference>>;
}

const CORPUS = join(SHARED_DIR, 'corpus');
const ROLE_VARS = ['galaxy_systemd_mode', 'galaxy_systemd_env', 'galaxy_manage_systemd_reports', 'galaxy_systemd_reports'] as const;

function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

/** The gravity settings and the role's process variables of one ansible vars file. */
function settings(text: string, parent: string): Flat {
  const doc = (parse(text, { logLevel: 'error' }) ?? {}) as Record<string, unknown>;
  const holder = (doc[parent] ?? {}) as Record<string, unknown>;
  const out = flatten(holder['gravity'] ?? {}, '', {});
  for (const v of ROLE_VARS) if (doc[v] !== undefined) out[v] = doc[v];
  return out;
}

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** BEFORE's inventory in a temporary directory: the pair's BEFORE at `inventory.before`, the other files beside it. */
function assembleInventory(pair: Pair): { cwd: string; before: string } {
  if (!pair.inventory) return { cwd: CORPUS, before: pair.before };
  const dir = mkdtempSync(join(tmpdir(), 'gm-pair-'));
  scratch.push(dir);
  const files = { [pair.inventory.before]: pair.before, ...pair.inventory.with };
  for (const [at, from] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, at)), { recursive: true });
    copyFileSync(join(CORPUS, from), join(dir, at));
  }
  return { cwd: dir, before: pair.inventory.before };
}

async function plannedAfter(pair: Pair): Promise<string> {
  const { cwd, before } = assembleInventory(pair);
  const r = await runCli(['plan', '--format', 'json', pair.inventory ? '.' : before], cwd);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { changes: { file: string; ruleIds: string[]; after: string }[] };
  const change = out.changes.find((c) => c.file === before);
  if (!(pair.planChanges ?? true)) {
    expect(change, `the plan leaves ${before} alone`).toBeUndefined();
    return readFileSync(join(cwd, before), 'utf8');
  }
  expect(change, `the plan changes ${before}`).toBeDefined();
  expect(change!.ruleIds).toContain(pair.planRule ?? 'ansible/galaxy-config-uwsgi');
  return change!.after;
}

const CELERY_DEFAULTS =
  'they spell out Gravity’s own defaults (concurrency 2, loglevel DEBUG); we leave them unset, which is the same';
const APP_SERVER = 'they name Gravity’s default app server; we leave it unset (gunicorn), which is the same';
const PRELOAD =
  'they spell out `preload: true`, Gravity’s default with gunicorn; we leave it unset, which is the same ' +
  '(uWSGI without lazy-apps also loaded the app before forking)';
const CELERY_ON =
  'we write `enable`/`enable_beat: true` to say Celery is new and can be turned off; they leave them unset, ' +
  'i.e. Gravity’s default true: both run Celery and Celery beat';
const VIRTUALENV =
  'we carry uWSGI’s `virtualenv` over; they leave it to the role, which sets Gravity’s virtualenv to ' +
  'galaxy_venv_dir itself: the same directory';
const FORWARDED =
  'they added it together with the unix-socket bind: behind a socket gunicorn sees no peer address, so it must ' +
  'trust X-Forwarded-* from "*"; we keep the TCP 127.0.0.1 listener, whose peer gunicorn trusts by default';
const UNIX_BIND =
  'they moved the listener to a unix socket (and changed nginx to match in the same commit); we keep uWSGI’s ' +
  'address so the existing proxy still reaches Galaxy, now over HTTP';

/**
 * How both switches of a host to Gravity through the role (P12, P14) differ from ours in the same way:
 * Gravity's defaults they spell out, what we write to say what is new, the virtualenv we carry over.
 */
const ROLE_SWITCH_DIFFERENCES: Readonly<Record<string, Difference>> = {
  app_server: { ours: undefined, theirs: 'gunicorn', why: APP_SERVER },
  virtualenv: { ours: '{{ galaxy_venv_dir }}', theirs: undefined, why: VIRTUALENV },
  'gunicorn.extra_args': { ours: undefined, theirs: '--forwarded-allow-ips="*"', why: FORWARDED },
  'gunicorn.preload': { ours: undefined, theirs: true, why: PRELOAD },
  'celery.enable': { ours: true, theirs: undefined, why: CELERY_ON },
  'celery.enable_beat': { ours: true, theirs: undefined, why: CELERY_ON },
  'celery.concurrency': { ours: undefined, theirs: 2, why: CELERY_DEFAULTS },
  'celery.loglevel': { ours: undefined, theirs: 'DEBUG', why: CELERY_DEFAULTS },
};

const PAIRS: readonly Pair[] = [
  {
    id: 'P12 GTN admin training (hexylena/git-gat 2022-06-13 → 2022-06-28)',
    before: 'hexylena__git-gat/bfdb609cdd/group_vars/galaxyservers.yml',
    after: 'hexylena__git-gat/bfaa0c974d/group_vars/galaxyservers.yml',
    parent: 'galaxy_config',
    agree: {
      // Neither file sets galaxy_systemd_mode (the role's default decides; the plan's finding says to set gravity).
      // The DRMAA path stayed in the role's systemd environment, before and after.
      galaxy_systemd_env: ['DRMAA_LIBRARY_PATH="/usr/lib/slurm-drmaa/lib/libdrmaa.so.1"'],
      // Reports stayed on the role's own unit (reports.yml still uWSGI) in this step; P13 moves it.
      galaxy_manage_systemd_reports: 'yes',
    },
    differ: {
      galaxy_root: {
        ours: undefined,
        theirs: '{{ galaxy_root }}/server',
        why: 'they name the role’s galaxy_server_dir (galaxy_root/server) as Gravity’s galaxy_root; the uWSGI config had no such setting and Gravity takes it from the role’s galaxy.yml location',
      },
      ...ROLE_SWITCH_DIFFERENCES,
      'gunicorn.bind': { ours: '127.0.0.1:5000', theirs: 'unix:{{ galaxy_mutable_config_dir }}/gunicorn.sock', why: UNIX_BIND },
      'gunicorn.workers': {
        ours: 1,
        theirs: 2,
        why: 'uWSGI ran `processes: 1`; they raised gunicorn to 2 workers at the switch',
      },
      'handlers.handler.processes': {
        ours: 2,
        theirs: 3,
        why: 'uWSGI ran two mules (`mule:` ×2, farm job-handlers:1,2); they chose three handlers at the switch',
      },
      'handlers.handler.pools': {
        ours: ['job-handlers', 'workflow-schedulers'],
        theirs: ['job-handler', 'workflow-scheduler'],
        why: 'they wrote singular pool names; Galaxy’s pools (and uWSGI’s farm name here) are job-handlers and workflow-schedulers, as usegalaxy.org.au wrote them (P14)',
      },
    },
  },
  {
    id: 'P13 GTN admin training (hexylena/git-gat 2023-03-30 → 2023-04-04): Reports into Gravity',
    before: 'hexylena__git-gat/08bcb79d08/group_vars/galaxyservers.yml',
    after: 'hexylena__git-gat/5869303e91/group_vars/galaxyservers.yml',
    parent: 'galaxy_config',
    // BEFORE already runs Galaxy under Gravity; Reports still ran under uWSGI, from the `uwsgi:` section of
    // templates/galaxy/config/reports.yml (deployed by galaxy_config_templates) and the role's galaxy-reports
    // unit. Planned together with that file (and the nginx template), the plan moves Reports into Gravity.
    inventory: {
      before: 'group_vars/galaxyservers.yml',
      with: {
        'templates/galaxy/config/reports.yml': 'hexylena__git-gat/08bcb79d08/templates/galaxy/config/reports.yml',
        'templates/nginx/galaxy.j2': 'hexylena__git-gat/08bcb79d08/templates/nginx/galaxy.j2',
      },
    },
    planRule: 'reports/uwsgi-to-gravity',
    agree: {
      galaxy_root: '{{ galaxy_root }}/server',
      app_server: 'gunicorn',
      'gunicorn.bind': 'unix:{{ galaxy_mutable_config_dir }}/gunicorn.sock',
      'gunicorn.workers': 2,
      'gunicorn.extra_args': '--forwarded-allow-ips="*"',
      'gunicorn.preload': true,
      'celery.concurrency': 2,
      'celery.loglevel': 'DEBUG',
      'handlers.handler.processes': 3,
      'handlers.handler.pools': ['job-handler', 'workflow-scheduler'],
      galaxy_systemd_env: ['DRMAA_LIBRARY_PATH="/usr/lib/slurm-drmaa/lib/libdrmaa.so.1"'],
      // From reports.yml's `mount: /reports=…` (+ manage-script-name).
      'reports.enable': true,
      'reports.url_prefix': '/reports',
      // The galaxy_config_templates entry deploys reports.yml to `{{ galaxy_reports_path }}`, set in the same file.
      'reports.config_file': '{{ galaxy_config_dir }}/reports.yml',
    },
    differ: {
      'reports.bind': {
        ours: '127.0.0.1:9001',
        theirs: 'unix:{{ galaxy_mutable_config_dir }}/reports.sock',
        why: 'they moved Reports to a unix socket (and its nginx location with it, in the same commit); we keep uWSGI’s `socket: 127.0.0.1:9001`, and point the rewritten /reports/ location there over HTTP',
      },
      'reports.workers': {
        ours: 1,
        theirs: undefined,
        why: 'uWSGI ran `processes: 1` and we carry it over; they leave Gravity’s default, which is 1: the same',
      },
      galaxy_manage_systemd_reports: {
        ours: false,
        theirs: undefined,
        why: 'we switch the role’s galaxy-reports unit off with a comment saying why; they deleted the line, which leaves the role’s default, `no`: the same',
      },
    },
  },
  {
    id: 'P14 usegalaxy.org.au PROD aarnet host_vars (22.01 mules → 22.05 Gravity, c2a5795a)',
    before: 'usegalaxy-au__infrastructure/55a4c5faad/host_vars/aarnet.usegalaxy.org.au.yml',
    after: 'usegalaxy-au__infrastructure/c2a5795a4e/host_vars/aarnet.usegalaxy.org.au.yml',
    parent: 'host_galaxy_config',
    // The host's inventory: the corpus holds group_vars/galaxyservers.yml at e914ac36 (P15 AFTER, 2022-08-31) but
    // not at 55a4c5fa (later; parent of c2a5795a, 2022-09-27), so that nearest earlier version stands in for it.
    // It sets `galaxy_systemd_mode: mule` and the `galaxy_systemd_zergling_env` the host's uWSGI processes ran with.
    inventory: {
      before: 'host_vars/aarnet.usegalaxy.org.au.yml',
      with: { 'group_vars/galaxyservers.yml': 'usegalaxy-au__infrastructure/e914ac36af/group_vars/galaxyservers.yml' },
    },
    agree: {
      'handlers.handler.processes': 5,
      'handlers.handler.pools': ['job-handlers', 'workflow-schedulers'],
      // The zergling environment of group_vars, carried to the processes that had it, as they did.
      'gunicorn.environment.DRMAA_LIBRARY_PATH': '/usr/lib/slurm-drmaa/lib/libdrmaa.so.1',
      'handlers.handler.environment.DRMAA_LIBRARY_PATH': '/usr/lib/slurm-drmaa/lib/libdrmaa.so.1',
      // The group keeps mule for the hosts still on 22.01 (their uwsgi blocks in their own host_vars); this
      // host is switched in its host_vars, as they did.
      galaxy_systemd_mode: 'gravity',
      // galaxy.service (galaxyctl in gravity mode) keeps the environment the mule-mode unit had.
      galaxy_systemd_env: ['DRMAA_LIBRARY_PATH="/usr/lib/slurm-drmaa/lib/libdrmaa.so.1"'],
    },
    differ: {
      galaxy_root: {
        ours: undefined,
        theirs: '/mnt/galaxy/galaxy-app',
        why: 'they write the server directory as a literal; the uWSGI config had no such setting and Gravity takes it from the role’s galaxy.yml location',
      },
      ...ROLE_SWITCH_DIFFERENCES,
      'gunicorn.bind': { ours: '127.0.0.1:8080', theirs: 'unix:{{ galaxy_mutable_config_dir }}/gunicorn.sock', why: UNIX_BIND },
      'gunicorn.workers': {
        ours: 5,
        theirs: 4,
        why: 'uWSGI ran `processes: 5`; they lowered gunicorn to 4 workers at the switch',
      },
    },
  },
  {
    id: 'P15 usegalaxy.org.au group_vars refactor (e914ac36)',
    before: 'usegalaxy-au__infrastructure/3e88957b4a/group_vars/galaxyservers.yml',
    after: 'usegalaxy-au__infrastructure/e914ac36af/group_vars/galaxyservers.yml',
    parent: 'group_galaxy_config',
    agree: { galaxy_systemd_reports: true },
    differ: (() => {
      // Their AFTER is not a migration: it deletes the uWSGI block from the group so each host can get its own
      // (“As we migrate to 22.05 we will need to put the uwsgi/gunicorn/gravity sections into the individual
      // hostvars files”) and leaves the group on mule mode; the hosts then migrate one by one (P14).
      const moved = 'they moved the settings out of group_vars to each host (P14), so their AFTER has no gravity at all';
      return {
        virtualenv: { ours: '{{ galaxy_venv_dir }}', theirs: undefined, why: moved },
        'gunicorn.bind': { ours: '127.0.0.1:8080', theirs: undefined, why: moved },
        'gunicorn.workers': { ours: 5, theirs: undefined, why: moved },
        'celery.enable': { ours: true, theirs: undefined, why: moved },
        'celery.enable_beat': { ours: true, theirs: undefined, why: moved },
        'handlers.handler.processes': { ours: 2, theirs: undefined, why: moved },
        'handlers.handler.pools': { ours: ['job-handlers', 'workflow-schedulers'], theirs: undefined, why: moved },
        // The group's zergling environment goes with its gravity section (as P14's AFTER has it per host).
        'gunicorn.environment.DRMAA_LIBRARY_PATH': { ours: '/usr/lib/slurm-drmaa/lib/libdrmaa.so.1', theirs: undefined, why: moved },
        'handlers.handler.environment.DRMAA_LIBRARY_PATH': { ours: '/usr/lib/slurm-drmaa/lib/libdrmaa.so.1', theirs: undefined, why: moved },
        galaxy_systemd_env: {
          ours: ['DRMAA_LIBRARY_PATH="/usr/lib/slurm-drmaa/lib/libdrmaa.so.1"'],
          theirs: undefined,
          why: 'we switch the group to gravity, so its galaxy.service keeps the zergling environment through galaxy_systemd_env; they kept the group on mule (P14’s host sets it)',
        },
        galaxy_systemd_mode: {
          ours: 'gravity',
          theirs: 'mule',
          why: 'they kept the group on uWSGI mules until every host had its own gravity section; P14’s host overrides it to gravity',
        },
      };
    })(),
  },
];

warnNoShared('ansible before/after pairs of the corpus (issue 5)');

describe.skipIf(!HAVE_SHARED)('ansible before/after pairs of the corpus: our plan vs the maintainers’ AFTER', () => {
  for (const pair of PAIRS) {
    it(pair.id, async () => {
      const plan = await plannedAfter(pair);
      const theirText = readFileSync(join(CORPUS, pair.after), 'utf8');
      const ours = settings(plan, pair.parent);
      const theirs = settings(theirText, pair.parent);
      // The plan removed the uWSGI block; so did they.
      for (const text of [plan, theirText]) {
        const doc = parse(text, { logLevel: 'error' }) as Record<string, Record<string, unknown> | undefined>;
        expect(doc[pair.parent]?.['uwsgi']).toBeUndefined();
      }

      const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs), ...Object.keys(pair.differ)])].sort();
      for (const key of keys) {
        const d = pair.differ[key];
        if (d) {
          expect({ key, ours: ours[key] }).toEqual({ key, ours: d.ours });
          expect({ key, theirs: theirs[key] }).toEqual({ key, theirs: d.theirs });
          expect(d.why.length).toBeGreaterThan(20);
        } else {
          expect({ key, value: ours[key] }).toEqual({ key, value: theirs[key] });
          expect({ key, value: ours[key] }).toEqual({ key, value: pair.agree[key] });
        }
      }
      // Every agreement we claim is a key one of the two sides actually sets.
      for (const key of Object.keys(pair.agree)) expect(keys).toContain(key);
    }, 60_000);
  }
});
