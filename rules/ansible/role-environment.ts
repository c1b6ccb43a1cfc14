import type { Document } from '../../src/core/document.js';
import {
  inventoryPlace,
  parseSystemdEnvironment,
  resolveVariable,
  type AnsibleVarsAst,
  type Assignment,
  type VariableSetting,
} from '../../src/formats/ansible-vars/index.js';

/**
 * The environment the systemd units of the ansible roles gave the uWSGI processes, which Gravity's
 * services must get instead.
 *
 * - `galaxy_systemd_zergling_env` (usegalaxy_eu.galaxy_systemd, the ansible-galaxy systemd
 *   templates of the uWSGI era; GTN: "supplied to any web process (zerglings or mules)") is a
 *   string of `KEY=VALUE` words on the `Environment=` line of the units that ran uWSGI: the mule
 *   mode galaxy.service (web workers and mules) and the zerglings. The gravity-mode galaxy.service
 *   does not read it, so after the switch nothing gives it to gunicorn or the handlers: it is
 *   carried into `gravity.gunicorn.environment` and `gravity.handlers.<pool>.environment`, the
 *   processes that had it (Celery did not exist under uWSGI, and is left as Gravity starts it).
 * - `galaxy_systemd_env` (galaxyproject.galaxy) is a list, one `Environment=` line of galaxy.service
 *   per item, in every mode. In gravity mode galaxy.service runs `galaxyctl start --foreground`, so
 *   it still reaches the services; when the inventory does not set it for this host, it is set to
 *   the zergling words, so galaxy.service keeps the environment it had.
 *
 * Values are found across the inventory (src/formats/ansible-vars/inventory.ts): host_vars over
 * group_vars over group_vars/all. Jinja2 stays verbatim.
 */
export interface RoleEnvironment {
  /** Where the words come from. */
  readonly source: VariableSetting;
  readonly assignments: readonly Assignment[];
  /** Whether the inventory sets galaxy_systemd_env for this host or group already. */
  readonly systemdEnvSet: boolean;
}

export type RoleEnvironmentResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'carry'; readonly env: RoleEnvironment }
  /** Set, but not something to carry without a guess: said in a note, the user carries it. */
  | { readonly kind: 'unreadable'; readonly note: string };

export const ZERGLING_ENV = 'galaxy_systemd_zergling_env';
export const SYSTEMD_ENV = 'galaxy_systemd_env';

export function roleEnvironment(docs: readonly Document[], doc: Document<AnsibleVarsAst>): RoleEnvironmentResult {
  const zergling = resolveVariable(docs, doc, ZERGLING_ENV);
  if (zergling.kind === 'unset') return { kind: 'none' };
  if (zergling.kind === 'ambiguous') {
    return {
      kind: 'unreadable',
      note: `\`${ZERGLING_ENV}\` (the environment of the uWSGI units) is set differently by ${zergling.settings.map((s) => s.doc.file.path).join(', ')}, and which of these groups the host is in is written in the inventory file: set \`gravity.gunicorn.environment\` and \`gravity.handlers.<pool>.environment\` by hand`,
    };
  }
  const source = zergling.setting;
  const where = `\`${ZERGLING_ENV}\` (${sourceName(source, doc)})`;
  if (source.scalar === undefined) {
    return { kind: 'unreadable', note: `${where} is not a string of \`KEY=VALUE\` words: carry it into \`gravity.gunicorn.environment\` and the handlers' \`environment\` by hand` };
  }
  if (source.scalar.trim() === '') return { kind: 'none' };
  const parsed = parseSystemdEnvironment(source.scalar);
  if (!parsed.ok) {
    return { kind: 'unreadable', note: `${where} cannot be carried into Gravity's \`environment\` because ${parsed.why}: set \`gravity.gunicorn.environment\` and the handlers' \`environment\` by hand` };
  }
  return { kind: 'carry', env: { source, assignments: parsed.assignments, systemdEnvSet: resolveVariable(docs, doc, SYSTEMD_ENV).kind !== 'unset' } };
}

/** `this file` or the other file's path, for messages. */
export function sourceName(s: VariableSetting, here: Document): string {
  if (s.doc.file.path === here.file.path) return 'this file';
  const p = inventoryPlace(s.doc.file.path);
  return p ? `${p.scope === 'group' ? 'group' : 'host'} ${p.name}, ${s.doc.file.path}` : s.doc.file.path;
}
