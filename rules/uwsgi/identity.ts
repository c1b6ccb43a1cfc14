import type { UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { clean } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { reportTable, type OptionRow, type Outcome } from './table.js';

const GRAVITY1 = { from: '23.0' } as const;
const BEFORE_GRAVITY1 = { to: '22.05' } as const;

/** uWSGI reads `umask` as octal (`22` is 0o022); Gravity wants the string it writes into `umask=`/`UMask=`. */
function umask(opt: UwsgiOption, draft: GravityDraft): Outcome {
  const v = clean(opt.value).trim().replace(/^0o/i, '');
  if (!/^[0-7]{1,4}$/.test(v)) return { action: 'review', message: `\`umask\` needs review: \`${v}\` is not an octal mask; set \`gravity.umask\` by hand` };
  const mask = v.length < 3 ? v.padStart(3, '0') : v;
  draft.top.set('umask', mask);
  return { action: 'map', message: `\`umask: ${v}\` → \`gravity.umask: '${mask}'\` (quoted, so YAML does not read it as a number): the umask of every Gravity service` };
}

function user(key: 'galaxy_user' | 'galaxy_group') {
  return (opt: UwsgiOption, draft: GravityDraft): Outcome => {
    const v = clean(opt.value).trim();
    draft.top.set(key, v);
    return {
      action: 'map',
      message: `\`${opt.key}: ${v}\` → \`gravity.${key}: ${v}\`: systemd (as root) runs the services as this ${key === 'galaxy_user' ? 'user' : 'group'}; under supervisord, run \`galaxyctl\` as that ${key === 'galaxy_user' ? 'user' : 'group'} instead`,
    };
  };
}

/** GRAV settings (Gravity 1.0 keys) via docs/galaxy-target.md §1.2, §1.10, §2.6. */
export const IDENTITY_TABLE: readonly OptionRow[] = [
  { match: ['umask'], action: 'map', to: 'gravity.umask', why: 'process umask', source: 'GRAV settings.py, Gravity 1.0.0 (galaxy-target.md §1.3, §2.6)', galaxy: GRAVITY1, apply: umask },
  { match: ['uid'], action: 'map', to: 'gravity.galaxy_user', why: 'service user', source: 'GRAV settings.py, Gravity 1.0.0 (galaxy-target.md §1.3, §2.6)', galaxy: GRAVITY1, apply: user('galaxy_user') },
  { match: ['gid'], action: 'map', to: 'gravity.galaxy_group', why: 'service group', source: 'GRAV settings.py, Gravity 1.0.0 (galaxy-target.md §1.3, §2.6)', galaxy: GRAVITY1, apply: user('galaxy_group') },
  {
    match: ['umask'],
    action: 'review',
    why: 'Gravity before 1.0 (Galaxy < 23.0) has no `umask` key; set it in the process manager (supervisord `umask=`, systemd `UMask=`), or target 23.0',
    source: 'GRAV HISTORY.rst 1.0.0 (galaxy-target.md §1.2, §1.10)',
    galaxy: BEFORE_GRAVITY1,
    showValue: true,
  },
  {
    match: ['uid', 'gid'],
    action: 'review',
    why: 'Gravity before 1.0 (Galaxy < 23.0) has no `galaxy_user`/`galaxy_group`; run `galaxyctl` as that user, or set `User=`/`Group=` in the systemd unit',
    source: 'GRAV HISTORY.rst 1.0.0 (galaxy-target.md §1.2, §1.10)',
    galaxy: BEFORE_GRAVITY1,
    showValue: true,
  },
  {
    match: ['immediate-uid', 'immediate-gid', 'add-gid', 'cap', 'chroot', 'jail', 'unshare', 'namespace', 'emperor-tyrant', 'setns'],
    action: 'review',
    why: 'uWSGI privilege and namespace handling has no Gravity equivalent; do it in the process manager (systemd `User=`, `CapabilityBoundingSet=`, …)',
    source: 'GRAV (galaxy-target.md §2.6)',
    showValue: true,
  },
];

export const identityRule: Rule = {
  meta: {
    id: 'uwsgi/identity',
    description: 'uid / gid / umask → gravity.galaxy_user, galaxy_group, umask (Galaxy 23.0+; reported for earlier targets)',
    rationale:
      '`galaxy_user`, `galaxy_group` and the top-level `umask` exist from Gravity 1.0 (Galaxy 23.0) on. For an earlier target they are not ' +
      'written (Gravity would silently ignore them) and the finding says where the setting goes instead.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §1.2, §1.3, §1.10, §2.6', 'GRAV settings.py'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, IDENTITY_TABLE),
};
