import type { Rule } from '../../src/core/rule.js';

/**
 * Where uWSGI itself would stop reading a configuration with an error (a missing include, an
 * include loop, a bad `set`): the galaxy.yml and uWSGI file readers report it under this id, at
 * the line uWSGI stops on. No `gravity:` section is written from such a configuration, because the
 * options after that line were never applied. The rule has nothing to check itself; it gives the
 * id its description for `migrate rules` and `migrate explain`.
 */
export const readErrorRule: Rule = {
  meta: {
    id: 'uwsgi/read-error',
    description: 'uWSGI would stop reading this configuration here (missing include, include loop, bad set)',
    rationale:
      'uWSGI reads its configuration before anything runs and exits on these errors, so the file as it stands never started the server; ' +
      'the real deployment must differ (a file only on the server, an environment variable). galaxy-migrate reports the spot and writes nothing from it.',
    severity: 'error',
    fixable: false,
    sources: ['docs/uwsgi-dialect.md §7, §9'],
    galaxy: { from: '22.01' },
  },
  check: () => undefined,
};
