import type { Rule } from '../../src/core/rule.js';
import { reportTable, type OptionRow } from './table.js';

/** docs/uwsgi-dialect.md §8, §9 via docs/galaxy-target.md §2.2 (`if-env`/`for`/repeated keys row). */
export const CONFIG_LOGIC_TABLE: readonly OptionRow[] = [
  {
    match: /^(include|ini|yaml|yml|json|js|xml|inherit|set|set-placeholder|set-ph|set-env|for|for-glob|for-times|for-readline|endfor|end-for|if-.+|endif|end-if|print|strict|show-config|declare-option.*)$/,
    action: 'drop',
    why: 'uWSGI configuration logic, expanded while reading: every option it produced is reported on its own line',
    source: 'uwsgi-dialect.md §8, §9 (galaxy-target.md §2.2)',
  },
];

export const configLogicRule: Rule = {
  meta: {
    id: 'uwsgi/config-logic',
    description: 'include / set / if-* / for … → expanded while reading, then dropped',
    rationale:
      'uWSGI runs `include`, `set`, `if-*` and `for` while it reads the file; galaxy-migrate does the same, so the options they produced are ' +
      'migrated one by one and the directives themselves have nothing left to say under Gravity.',
    severity: 'info',
    fixable: false,
    sources: ['docs/uwsgi-dialect.md §8, §9', 'docs/galaxy-target.md §2.2'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, CONFIG_LOGIC_TABLE),
};
