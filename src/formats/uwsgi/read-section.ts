import type { ParseIssue } from '../../core/document.js';
import type { Range } from '../../core/range.js';
import { checkLine } from './checks/index.js';
import { structureIssues, yamlStopIssue } from './file-issues.js';
import { parseIniLines } from './ini-lines.js';
import type { MagicResult } from './magic.js';
import type { Source, UwsgiFormat } from './types.js';
import { parseYamlLines } from './yaml-lines.js';

/**
 * One file's part of the reading: the selected section parsed from the magic-substituted text,
 * every option placed back on the original text, and what uWSGI does silently to the file said as
 * issues (stops, swallowed lines, hidden headers) along with the line checks of the section.
 */
export interface SectionReading {
  readonly options: readonly { readonly key: string; readonly value: string; readonly src: Source }[];
  readonly issues: readonly ParseIssue[];
  /** The section's occurrences in the original text (header to last line, line break included). */
  readonly spans: readonly Range[];
}

export interface SectionInput {
  readonly format: UwsgiFormat;
  /** Display path of the file. */
  readonly file: string;
  readonly original: string;
  readonly magic: MagicResult;
  readonly section: string;
  readonly included: boolean;
}

export function readSection(input: SectionInput): SectionReading {
  return input.format === 'ini' ? readIni(input) : readYaml(input);
}

function readYaml({ file, original, magic, section, included }: SectionInput): SectionReading {
  const parsed = parseYamlLines(magic.text, section);
  const map = magic.map;
  const spans = parsed.span ? [map.range(parsed.span.start, parsed.span.end)] : [];
  const issues: ParseIssue[] = [
    ...structureIssues({ format: 'yaml', file, original, magic, section, spans, found: parsed.found, yaml: parsed }),
  ];
  const options = parsed.options.map((o) => {
    const src = placedSource(o, map, file, included);
    const lineEnd = endBeforeCr(magic.text, o.valueStart, o.lineEnd);
    const issue = checkLine({
      format: 'yaml',
      file,
      key: o.key,
      value: o.value,
      valueRange: src.valueRange,
      valueLine: magic.text.slice(o.valueStart, lineEnd),
      cutAt: o.commentAt >= 0 ? o.commentAt - o.valueStart : -1,
      valueLineRange: map.range(o.valueStart, lineEnd),
    });
    if (issue) issues.push(issue);
    return { key: o.key, value: o.value, src };
  });
  if (parsed.stop) {
    const s = parsed.stop;
    const end = endBeforeCr(magic.text, s.lineStart, s.lineEnd);
    issues.push(yamlStopIssue(file, s, map.range(s.lineStart, end), section));
  }
  return { options, issues, spans };
}

function readIni({ file, original, magic, section, included }: SectionInput): SectionReading {
  const parsed = parseIniLines(magic.text, section);
  const map = magic.map;
  const spans = parsed.spans.map((s) => map.range(s.start, s.end));
  const issues: ParseIssue[] = [...structureIssues({ format: 'ini', file, original, magic, section, spans, found: parsed.found })];
  const options = parsed.options.map((o) => {
    const src = placedSource(o, map, file, included);
    const issue = checkLine({ format: 'ini', file, key: o.key, value: o.value, valueRange: src.valueRange });
    if (issue) issues.push(issue);
    return { key: o.key, value: o.value, src };
  });
  return { options, issues, spans };
}

/** An option's offsets in the magic-substituted text, as the reader of either format gives them. */
interface PlacedOption {
  readonly value: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** Where an option stands in the original text: the offsets are mapped back through the magic substitution. */
function placedSource(o: PlacedOption, map: MagicResult['map'], file: string, included: boolean): Source {
  return {
    file,
    range: map.range(o.keyStart, o.valueEnd),
    keyRange: map.range(o.keyStart, o.keyEnd),
    valueRange: map.range(o.valueStart, o.valueEnd),
    rawValue: o.value,
    included,
  };
}

/** A line's end without the `\r` of a CRLF file, so that a range shown to the user is the line's text only. */
function endBeforeCr(text: string, lineStart: number, lineEnd: number): number {
  return lineEnd > lineStart && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
}
