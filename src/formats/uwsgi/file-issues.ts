import type { ParseIssue } from '../../core/document.js';
import type { Range } from '../../core/range.js';
import { iniSectionName } from './ini-lines.js';
import type { MagicResult, PercentJoin } from './magic.js';
import type { UwsgiFormat } from './types.js';
import type { YamlParse, YamlStop } from './yaml-lines.js';

/**
 * What uWSGI does silently to a file's text, said out loud: where its YAML reader stops, the
 * section it never reaches, a BOM hiding the section header, a `%` at the end of a line joining
 * lines. Ranges are in the original text.
 */

const tick = (s: string): string => `\`${s.replace(/\r/g, '\\r').replace(/\t/g, '\\t')}\``;

function lineRangeAt(text: string, start: number, end: number): Range {
  let e = end;
  if (e > start && text[e - 1] === '\r') e--;
  return { start, end: e };
}

export function yamlStopIssue(file: string, stop: YamlStop, range: Range, section: string): ParseIssue {
  const what = (() => {
    switch (stop.reason) {
      case 'list-item':
        return 'a YAML list item; uWSGI reads only `key: value` lines';
      case 'flow':
        return 'a line starting with `[` or `{`; uWSGI reads only `key: value` lines';
      case 'no-blank':
        return 'no blank after the colon; uWSGI needs `key: value`, with a space or a TAB after the colon';
      case 'bare-key':
        return stop.text.endsWith('\r')
          ? 'nothing after the colon but the carriage return of a CRLF line end; uWSGI needs a blank after the colon'
          : 'nothing after the colon (a nested mapping, or an empty value without a trailing blank); uWSGI cannot read it';
      case 'no-colon':
        return /^[|>]/.test(stop.previousValue ?? '')
          ? 'a block scalar line; uWSGI does not support `|`/`>` values (the option before got the indicator itself as its value)'
          : 'a line without `key: value` (a continued value, or plain text)';
    }
  })();
  const lost = stop.lostKeys.length
    ? `It never sees ${stop.lostKeys.map(tick).join(', ')}, nor anything after ${stop.lostKeys.length > 1 ? 'them' : 'it'}`
    : 'It reads nothing after this line';
  return {
    ruleId: 'uwsgi/parse-stopped',
    severity: 'warning',
    file,
    range,
    message: `uWSGI silently stops reading this file at ${tick(stop.text.trim())}: ${what}. ${lost} (the rest of the \`${section}:\` block and of the file).`,
  };
}

export interface StructureInput {
  readonly format: UwsgiFormat;
  readonly file: string;
  readonly original: string;
  readonly magic: MagicResult;
  readonly section: string;
  /** The section's spans in the original text (empty when not found). */
  readonly spans: readonly Range[];
  readonly found: boolean;
  readonly yaml?: YamlParse;
}

export function structureIssues(input: StructureInput): ParseIssue[] {
  const out: ParseIssue[] = [];
  const { file, original, section, format } = input;

  // a BOM glued to a header on line 1
  if (original.startsWith('\uFEFF') && !input.found) {
    let end = original.indexOf('\n');
    if (end < 0) end = original.length;
    const first = original.slice(1, end);
    if (isHeader(format, first, section)) {
      out.push({
        ruleId: 'uwsgi/bom-hides-section',
        severity: 'warning',
        file,
        range: lineRangeAt(original, 0, end),
        message: `the file starts with a byte order mark (BOM): uWSGI reads it as part of line 1, so it does not see the ${header(format, section)} header and reads no option from this file; save the file without BOM`,
      });
    }
  }

  for (const j of input.magic.joins) {
    const issue = percentJoinIssue(input, j);
    if (issue) out.push(issue);
  }

  for (const v of input.magic.vanished) {
    if (!input.spans.some((s) => v.at >= s.start && v.at < s.end)) continue;
    const what =
      v.ch === ''
        ? 'a `%` as the last character of the file vanishes'
        : v.ch === '\r'
          ? 'a `%` before the line end of a CRLF file takes the carriage return with it: both vanish'
          : `\`%${v.ch}\` is a magic variable uWSGI does not know: the \`%\` and the \`${v.ch}\` both vanish`;
    out.push({
      ruleId: 'uwsgi/percent-vanishes',
      severity: 'warning',
      file,
      range: { start: v.at, end: v.at + (v.ch === '' || v.ch === '\r' ? 1 : 2) },
      message: `${what}, so the value is not what is written; write \`%%\` for a literal percent sign`,
    });
  }

  if (input.yaml?.found && input.yaml.laterHeaders.length) {
    for (const h of input.yaml.laterHeaders) {
      out.push({
        ruleId: 'uwsgi/second-block-ignored',
        severity: 'warning',
        file,
        range: input.magic.map.range(h.start, h.end),
        message: `uWSGI reads only the first top-level \`${section}:\` block of a file and stops at its end: the options of this block are never read; merge them into the first one`,
      });
    }
  }

  if (!input.found) {
    out.push(
      format === 'ini'
        ? {
            ruleId: 'uwsgi/section-missing',
            severity: 'warning',
            file,
            range: { start: 0, end: 0 },
            message: `uWSGI finds no key in a \`[${section}]\` section of this file and reads no option from it (it only logs \`Can't find section "${section}"\`)`,
          }
        : {
            ruleId: 'uwsgi/section-missing',
            severity: 'info',
            file,
            range: { start: 0, end: 0 },
            message: `no top-level \`${section}:\` mapping that uWSGI recognises: it reads no option from this file, without a warning`,
          },
    );
  }
  return out;
}

function header(format: UwsgiFormat, section: string): string {
  return format === 'ini' ? `\`[${section}]\`` : `\`${section}:\``;
}

/** Whether a line (original text, no line break) is, as uWSGI reads it, a header of `section`. */
function isHeader(format: UwsgiFormat, line: string, section: string): boolean {
  if (format === 'ini') {
    const t = line.replace(/^[ \t\r]+|[ \t\r]+$/g, '');
    return t.startsWith('[') && iniSectionName(t) === section;
  }
  const hash = line.indexOf('#');
  const l = hash >= 0 ? line.slice(0, hash) : line;
  if (l === '' || /^[ \t\r]/.test(l)) return false;
  const colon = l.indexOf(':');
  return colon >= 0 && l.slice(0, colon) === section;
}

function percentJoinIssue(input: StructureInput, j: PercentJoin): ParseIssue | undefined {
  const { original, format, section, file } = input;
  const thisLine = original.slice(j.lineStart, j.percentAt);
  const next = original.slice(j.nextStart, j.nextEnd).replace(/\r$/, '');
  const inSpan = input.spans.some((s) => j.percentAt >= s.start && j.percentAt < s.end);
  const swallowsHeader = isHeader(format, next, section);
  const breaksHeader = isHeader(format, thisLine, section);
  if (!inSpan && !swallowsHeader && !breaksHeader) return undefined;
  const isComment = format === 'ini' ? /^[ \t\r]*[;#]/.test(thisLine) : thisLine.includes('#');
  let effect: string;
  if (swallowsHeader) effect = `the next line, the ${header(format, section)} header, is glued to this one and uWSGI never sees that section`;
  else if (breaksHeader) effect = `the next line is glued to the ${header(format, section)} header, which uWSGI then no longer recognises`;
  else if (isComment) effect = next.trim() ? `the next line (${tick(next.trim())}) becomes part of this comment and uWSGI never reads it` : 'the next (empty) line is glued to this comment';
  else effect = next.trim() ? `uWSGI reads this line and the next one (${tick(next.trim())}) as a single line` : 'the next (empty) line is glued to this one';
  return {
    ruleId: 'uwsgi/percent-eol',
    severity: 'warning',
    file,
    range: lineRangeAt(original, j.lineStart, j.nextStart - 1),
    message: `a \`%\` at the end of a line is a magic variable for uWSGI: the \`%\` and the line break vanish, so ${effect}; write \`%%\` for a literal percent sign`,
  };
}
