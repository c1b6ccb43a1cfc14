import type { Range } from '../../src/core/range.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { conversionOf, galaxyIniDocs, type OptionRecord } from './convert.js';
import { LINT_DEPRECATED, REMOVED, RENAMED, unsafeValue } from './option-changes.js';
import { RESOLVES_TO, stringAsBool } from './option-types.js';

/**
 * Per-option findings of the galaxy.ini conversion (rules/paste/convert.ts does the typing once):
 * booleans whose meaning Galaxy's converter would flip, numbers that are not numbers, options the
 * schema does not know, options removed or renamed around 22.01–23.0, unsafe values, and
 * ConfigParser interpolation.
 */
function each(ctx: RuleContext, fn: (r: OptionRecord, file: string, range: Range) => void): void {
  for (const doc of galaxyIniDocs(ctx.deployment)) {
    if (doc.ast.templated) continue;
    const c = conversionOf(ctx.deployment, doc, ctx.target);
    for (const r of c.records) {
      if (!r.entry) continue;
      fn(r, doc.file.path, r.entry.range);
    }
  }
}

const SOURCES_CONVERT = ['docs/galaxy-target.md §5.1 (`_parse_option_value`)', 'galaxy lib/galaxy/util string_as_bool', 'galaxy lib/galaxy/config/schemas/config_schema.yml'];

export const boolValueRule: Rule = {
  meta: {
    id: 'paste/bool-value',
    description: 'a boolean written yes/on/1/no/off/0: true or false as Galaxy read it, not as Galaxy\'s converter would write it',
    rationale:
      'Under Paste, Galaxy read booleans with string_as_bool (true, yes, on, 1 are true). `config_manage.py convert` writes `str(value).lower() == "true"`, so `yes` becomes false: ' +
      'a converted server silently turns such options off. The value written here keeps the meaning the server had.',
    severity: 'warning',
    fixable: true,
    sources: SOURCES_CONVERT,
  },
  check(ctx) {
    each(ctx, (r, file, range) => {
      if (!r.problems.includes('bool-meaning')) return;
      const v = r.interpolated.value.trim();
      const meant = stringAsBool(v);
      const key = r.writtenKey ?? r.key;
      ctx.report({
        file,
        range,
        ...(meant === r.convertWould ? { severity: 'info' as const } : {}),
        message:
          meant === r.convertWould
            ? `\`${r.key} = ${v}\` is ${meant} for Galaxy: written as \`${key}: ${meant}\``
            : `\`${r.key} = ${v}\`: Galaxy read this as ${meant} under Paste, but Galaxy's convert would write \`${key}: ${r.convertWould}\` (only \`true\` is true to it), turning it off; written as \`${key}: ${meant}\``,
      });
    });
  },
};

export const optionTypeRule: Rule = {
  meta: {
    id: 'paste/option-type',
    description: 'an [app:main] value that is not of its option\'s type, or an option Galaxy\'s schema does not know (kept as a string)',
    rationale:
      'Galaxy\'s convert calls int() on integer options (a value such as `8080 # port` stops it) and writes unknown options as they are with a warning; ' +
      'a misspelt option has no effect under YAML either.',
    severity: 'info',
    fixable: false,
    sources: SOURCES_CONVERT,
  },
  check(ctx) {
    each(ctx, (r, file, range) => {
      if (r.problems.includes('not-a-number')) {
        ctx.report({ file, range, severity: 'warning', message: `\`${r.key} = ${r.interpolated.value.trim()}\` is not a${r.type === 'int' ? 'n integer' : ' number'} (Galaxy's \`${r.key}\` is ${r.type === 'int' ? 'an int' : 'a float'}); kept as a string: fix the value` });
      } else if (r.problems.includes('unknown')) {
        ctx.report({ file, range, message: `\`${r.key}\` is not an option of Galaxy's configuration schema; kept as a string under \`galaxy:\` (check its spelling, or whether a plugin reads it)` });
      }
      if (r.problems.includes('deprecated')) {
        ctx.report({ file, range, message: `\`${r.writtenKey ?? r.key}\` is ${LINT_DEPRECATED.get(r.writtenKey ?? r.key)}` });
      }
    });
  },
};

export const removedOptionRule: Rule = {
  meta: {
    id: 'paste/removed-option',
    description: 'an [app:main] option Galaxy removed in 22.01–22.05: not written to galaxy.yml',
    rationale: 'Galaxy ignores removed options (the features are gone); config_manage.py drops them on convert and lint warns. Keeping them hides that a feature the admin relied on no longer exists.',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §5.2, §5.3', 'GX-CM-2205 OPTION_ACTIONS', 'GX-REL-2201, GX-REL-2205'],
  },
  check(ctx) {
    each(ctx, (r, file, range) => {
      if (!r.problems.includes('removed')) return;
      const info = REMOVED.get(r.key)!;
      ctx.report({ file, range, message: `\`${r.key}\` was removed in Galaxy ${info.release} (${info.source}); not written to galaxy.yml` });
    });
  },
};

export const renamedOptionRule: Rule = {
  meta: {
    id: 'paste/renamed-option',
    description: 'an [app:main] option Galaxy renamed: written under its new name',
    rationale: 'config_manage.py lint reports renamed options as problems; Galaxy reads only the new name (or a deprecated alias that may go).',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §5.2', 'GX-CM-2205, GX-CM-NEW OPTION_ACTIONS'],
  },
  check(ctx) {
    each(ctx, (r, file, range) => {
      if (!r.problems.includes('renamed')) return;
      const to = RENAMED.get(r.key)!.to;
      ctx.report({
        file,
        range,
        message: r.writtenKey === to ? `\`${r.key}\` is now \`${to}\`: written under the new name` : `\`${r.key}\` is now \`${to}\`, which is also set: only \`${to}\` is written`,
      });
    });
  },
};

export const unsafeValueRule: Rule = {
  meta: {
    id: 'paste/unsafe-value',
    description: 'an [app:main] value config_manage.py lint calls unsafe for production (debug, default id_secret, changethis API key…)',
    rationale: 'The migration carries these values over unchanged; a production server should not keep them.',
    severity: 'warning',
    fixable: false,
    sources: ['docs/galaxy-target.md §5.2 (production-unsafe OPTION_ACTIONS)'],
  },
  check(ctx) {
    each(ctx, (r, file, range) => {
      const why = unsafeValue(r.key, r.interpolated.value, stringAsBool);
      if (why) ctx.report({ file, range, message: why });
    });
  },
};

export const legacyPathRule: Rule = {
  meta: {
    id: 'paste/legacy-path',
    description: 'a path written relative to Galaxy\'s root (`config/…`, `database/…`) → relative to config_dir/data_dir, as Galaxy reads it',
    rationale:
      'Paste-era values were relative to Galaxy\'s root; Galaxy now resolves these options against config_dir (the directory of galaxy.yml) or data_dir, ' +
      'and strips a leading `config/` or `database/` with a warning (deprecated_dirs). The value is written the way Galaxy reads it.',
    severity: 'info',
    fixable: true,
    sources: ['galaxy lib/galaxy/config/__init__.py (deprecated_dirs, strip_deprecated_dir)', 'galaxy lib/galaxy/config/schemas/config_schema.yml (path_resolves_to)'],
  },
  check(ctx) {
    each(ctx, (r, file, range) => {
      if (!r.problems.includes('legacy-path')) return;
      ctx.report({ file, range, message: `\`${r.key} = ${r.interpolated.value.trim()}\` is written \`${r.writtenKey}: ${r.written}\`: Galaxy resolves it against ${RESOLVES_TO.get(r.writtenKey ?? r.key)} and drops the leading directory itself` });
    });
  },
};

export const interpolationRule: Rule = {
  meta: {
    id: 'paste/interpolation',
    description: '%(here)s and other ConfigParser interpolation in galaxy.ini: resolved as Paste did, or reported where Python would stop',
    rationale:
      'Paste read galaxy.ini with ConfigParser, which replaces %(here)s by the ini\'s directory and %(name)s by other options; YAML has no such thing, so the values are written resolved. ' +
      'A lone `%` is an error for ConfigParser (Galaxy would not start); such values are kept as written.',
    severity: 'info',
    fixable: true,
    sources: ['docs/galaxy-target.md §5.1 (nice_config_parser, %(here)s)', 'Python configparser.BasicInterpolation', 'PasteDeploy loadwsgi NicerConfigParser'],
  },
  check(ctx) {
    for (const doc of galaxyIniDocs(ctx.deployment)) {
      if (doc.ast.templated) continue;
      const c = conversionOf(ctx.deployment, doc, ctx.target);
      for (const r of c.records) {
        if (!r.entry) continue;
        if (r.interpolated.error) {
          ctx.report({ file: doc.file.path, range: r.entry.range, severity: 'error', message: `\`${r.key}\`: Python's ConfigParser stops on this value (${r.interpolated.error}); written as it stands` });
        } else if (r.interpolated.used.length) {
          ctx.report({
            file: doc.file.path,
            range: r.entry.range,
            message: `\`${r.key}\` uses ${[...new Set(r.interpolated.used)].map((u) => `%(${u})s`).join(', ')}: written resolved, as \`${r.interpolated.value}\``,
          });
        }
      }
    }
  },
};

