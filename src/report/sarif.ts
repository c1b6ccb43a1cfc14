import type { RuleMeta } from '../core/rule.js';
import type { Severity } from '../core/finding.js';
import { pseudoRule } from '../core/pseudo-rules.js';
import type { Report } from './model.js';

/**
 * SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF viewers. One run; every rule of
 * the registry is described (findings point at it by `ruleIndex`), plus the ids the engine reports
 * without a rule (`parse-error`). Columns are UTF-16 code units, as our offsets are. Pure: the
 * report is already redacted, rule texts hold no secrets.
 */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function renderSarif(report: Report, tool: { name: string; version: string }, rules: readonly RuleMeta[]): string {
  const descriptors: object[] = [];
  const index = new Map<string, number>();
  const add = (id: string, description: string, rationale: string, severity: Severity, extra: Record<string, unknown> = {}): void => {
    if (index.has(id)) return;
    index.set(id, descriptors.length);
    descriptors.push({
      id,
      name: ruleName(id),
      shortDescription: { text: sentence(description) },
      fullDescription: { text: sentence(rationale) },
      help: { text: sentence(rationale), markdown: sentence(rationale) },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: extra,
    });
  };
  for (const r of rules) {
    add(r.id, r.description, r.rationale, r.severity, {
      fixable: r.fixable,
      sources: r.sources,
      tags: [r.id.split('/')[0] ?? r.id, 'galaxy', 'migration'],
    });
  }
  for (const f of report.findings) {
    const p = pseudoRule(f.ruleId);
    if (p) add(p.id, p.description, p.rationale, p.severity);
    else add(f.ruleId, `A problem found while reading the file (${f.ruleId})`, `The reader of this kind of file reports ${f.ruleId}; the message says what it found and why it matters`, f.severity);
  }

  const results = report.findings.map((f) => {
    const region: Record<string, number> = { startLine: f.location.line, startColumn: f.location.column };
    if (f.location.endLine > f.location.line || f.location.endColumn > f.location.column) {
      region.endLine = f.location.endLine;
      region.endColumn = f.location.endColumn;
    }
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: LEVEL[f.severity],
      message: { text: sentence(f.message) },
      locations: [{ physicalLocation: { artifactLocation: { uri: toUri(f.file) }, region } }],
      ...(f.fix ? { properties: { fixable: true } } : {}),
    };
  });

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: 'https://www.npmjs.com/package/galaxy-migrate',
            rules: descriptors,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** `uwsgi/mules-to-handlers` -> `UwsgiMulesToHandlers`: SARIF's `name` is an identifier-like word. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** SARIF messages are sentences ending in a period; ours leave the punctuation to the format. */
function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** A relative path as a URI reference (segments percent-encoded); an absolute one as file://. */
export function toUri(path: string): string {
  const enc = path.split('/').map(encodeURIComponent).join('/');
  return path.startsWith('/') ? `file://${enc}` : enc;
}
