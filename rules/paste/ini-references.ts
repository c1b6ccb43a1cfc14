import type { Document } from '../../src/core/document.js';
import type { Edit } from '../../src/core/finding.js';
import type { Rule } from '../../src/core/rule.js';
import type { IniAst, IniEntry } from '../../src/formats/ini/lossless.js';
import { valueOffsetToFile } from '../../src/formats/ini/lossless.js';
import { analyseProcesses } from '../../src/model/processes.js';
import { conversionOf, galaxyIniDocs, ymlPathFor } from './convert.js';

/**
 * Where supervisord programs and systemd units that stay name the galaxy.ini (`-c`, `--config-file`,
 * `GALAXY_CONFIG_FILE=`), the new galaxy.yml goes in its place. Programs and units that run uWSGI or
 * the handlers are not touched here: process/* replaces them, pointing at the new file already. A
 * reference the tool cannot rewrite safely (Paste's `paster serve`, uWSGI's `--ini`) is reported.
 */
const REWRITABLE = /(?:^|\s)(?:-c\s+|--config-file[=\s]+|-C\s+)$|(?:GALAXY_CONFIG_FILE|GRAVITY_CONFIG_FILE)=["']?$/;

function check(ctx: Parameters<Rule['check']>[0]): void {
  const inis = galaxyIniDocs(ctx.deployment).filter((d) => !conversionOf(ctx.deployment, d, ctx.target).blocked);
  if (!inis.length) return;
  const names = inis.map((d) => d.file.path.slice(d.file.path.lastIndexOf('/') + 1));
  const legacy = analyseProcesses(ctx.deployment.documents).services;
  for (const doc of ctx.deployment.documents) {
    if ((doc.kind !== 'supervisor' && doc.kind !== 'systemd') || !doc.ast) continue;
    const ast = doc.ast as IniAst;
    const joiner = doc.kind === 'systemd' ? ' ' : '\n';
    // A legacy unit is deleted whole; a legacy program's section is rewritten by process/*.
    if (doc.kind === 'systemd' && legacy.some((s) => s.file === doc.file.path)) continue;
    const skip = legacy.filter((s) => s.file === doc.file.path && s.section).map((s) => s.section!.extent);
    for (const section of ast.sections) {
      if (skip.some((r) => r.start <= section.body.start && section.body.end <= r.end)) continue;
      for (const e of section.entries) report(ctx, doc, e, joiner, names);
    }
  }
}

function report(ctx: Parameters<Rule['check']>[0], doc: Document, e: IniEntry, joiner: string, names: readonly string[]): void {
  const re = /[^\s"'=,]*?([A-Za-z0-9_.-]+\.ini)\b/g;
  for (const m of e.value.matchAll(re)) {
    const base = m[1]!;
    if (!names.includes(base)) continue;
    const start = m.index!;
    const path = m[0];
    const before = e.value.slice(0, start);
    const range = { start: valueOffsetToFile(e, joiner, start), end: valueOffsetToFile(e, joiner, start + path.length) };
    const replacement = ymlPathFor(path);
    if (REWRITABLE.test(before)) {
      const edit: Edit = { ...range, text: replacement };
      ctx.report({
        file: doc.file.path,
        range,
        message: `\`${path}\` → \`${replacement}\`: the ini is converted to galaxy.yml, which Galaxy and Gravity read from now on`,
        fix: { description: `point ${doc.file.path} at ${replacement}`, changes: [{ kind: 'edit', file: doc.file.path, edits: [edit] }] },
      });
    } else {
      ctx.report({
        file: doc.file.path,
        range,
        severity: 'warning',
        message: `\`${path}\` is read here as an INI file (${/paster|serve/.test(before) ? 'Paste' : /--ini|uwsgi/.test(before) ? 'uWSGI' : 'as written'}); it cannot read \`${replacement}\`: this program needs to change with the migration`,
      });
    }
  }
}

export const iniReferencesRule: Rule = {
  meta: {
    id: 'paste/ini-references',
    description: 'references to the converted galaxy.ini in supervisord programs and systemd units that stay → the new galaxy.yml',
    rationale: 'Once Galaxy runs from galaxy.yml, a program that still passes the ini (`-c galaxy.ini`, `GALAXY_CONFIG_FILE=…ini`) reads a stale configuration.',
    severity: 'warning',
    fixable: true,
    sources: ['docs/galaxy-target.md §5.1, §6.3'],
  },
  check,
};
