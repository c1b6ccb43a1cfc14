import type { Entry } from '../../src/formats/galaxy-yml/write.js';
import type { ReportsApp } from './model.js';

/**
 * A Paste-era Reports configuration (reports.ini, reports_wsgi.ini) is reported, not converted.
 * Its `[uwsgi]` section alone would give `gravity.reports` (bind, workers, url_prefix), but
 * Gravity runs Reports with `GALAXY_REPORTS_CONFIG=<config_file>`, which Reports (22.05+) reads as
 * YAML with a `reports:` section. Writing that file means typing every `[app:main]` option by
 * Reports' own option schema (reports_config_schema.yml); galaxy-migrate carries Galaxy's schema
 * only (rules/paste/option-types.ts), and Galaxy's own converter does the typing for Reports.
 * Writing `gravity.reports` before that file exists would have `galaxyctl update` start a Reports
 * that cannot load its configuration, so nothing is written; the finding says why and shows the
 * `reports:` mapping to add once `config_manage.py convert reports` has written reports.yml.
 */

/** The reports.yml Galaxy's `config_manage.py convert reports` writes beside the ini. */
export function convertedPath(configFile: string): string {
  return configFile.replace(/[^/]*$/, 'reports.yml');
}

/** The `gravity.reports` entries as they will read once reports.yml exists (config_file pointing there). */
export function iniEntries(app: ReportsApp): Entry[] {
  return app.entries.map((e) => (e.key === 'config_file' && typeof e.value === 'string' ? { ...e, value: convertedPath(e.value) } : e));
}

export function iniMessage(app: ReportsApp): string {
  const file = app.doc.file.path;
  return (
    `Reports is configured in an ini file (${file}), so its \`[uwsgi]\` section is not converted: Gravity runs Reports from a YAML \`config_file\` ` +
    `(a \`reports:\` section), and writing one needs each [app:main] option typed by Reports' own option schema, which galaxy-migrate does not carry; ` +
    `\`gravity.reports\` pointing at a reports.yml that does not exist yet would start a Reports that cannot load. ` +
    `Run Galaxy's \`config_manage.py convert reports\` (it writes reports.yml), then add this \`reports:\` to \`gravity:\``
  );
}
