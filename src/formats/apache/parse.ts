import type { ParseIssue } from '../../core/document.js';
import type { Range } from '../../core/range.js';
import { jinjaEnd } from '../nginx/lexer.js';

/**
 * A lossless Apache httpd configuration reader, after server/config.c and util.c
 * (ap_cfg_getline, ap_getword_conf): one directive per logical line, a backslash at the end of a
 * line continues it, `#` starts a comment only as the first thing on a line, `<Name args>` opens a
 * section that `</Name>` closes, arguments are split on blanks with "…" or '…' quoting (a backslash
 * escapes the quote inside). Jinja2 text is kept opaque as in the nginx reader. Nodes carry ranges
 * into the original text, so rules splice and every other byte stays. Never throws.
 */

export interface ApacheWord {
  readonly raw: string;
  /** Quotes removed, `\"` / `\'` / `\\` unescaped (ap_getword_conf + substring_conf). */
  readonly value: string;
  readonly range: Range;
  readonly quote?: '"' | "'";
  readonly templated: boolean;
}

export interface ApacheDirective {
  readonly type: 'directive';
  readonly name: string;
  readonly nameWord: ApacheWord;
  readonly args: readonly ApacheWord[];
  /** From the name to the end of the last argument (continuations included, line break not). */
  readonly range: Range;
  readonly parent: ApacheSection | undefined;
  readonly file: string;
}

export interface ApacheSection {
  readonly type: 'section';
  readonly name: string;
  readonly args: readonly ApacheWord[];
  /** `<Name args>` */
  readonly open: Range;
  /** `</Name>`; absent when the file ended first. */
  close?: Range;
  /** From `<` of the opening tag to `>` of the closing one. */
  range: Range;
  readonly children: ApacheNode[];
  readonly parent: ApacheSection | undefined;
  readonly file: string;
}

export interface ApacheComment {
  readonly type: 'comment';
  readonly range: Range;
  readonly text: string;
}

export interface ApacheTemplate {
  readonly type: 'template';
  readonly range: Range;
  readonly text: string;
}

/** A `</Name>` that closes nothing: reported, kept. */
export interface ApacheStray {
  readonly type: 'stray';
  readonly range: Range;
  readonly text: string;
}

export type ApacheNode = ApacheDirective | ApacheSection | ApacheComment | ApacheTemplate | ApacheStray;

export interface ParsedApache {
  readonly nodes: ApacheNode[];
  readonly templated: boolean;
  readonly errors: ParseIssue[];
}

interface LogicalLine {
  /** Start of the first non-blank character. */
  readonly start: number;
  /** End of the logical line (before its final line break). */
  readonly end: number;
}

/** Splits into logical lines: a backslash right before the line break joins the next line. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    for (;;) {
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') j++;
      let e = j;
      // ap_cfg_getline strips trailing blanks before looking for the continuation backslash.
      while (e > i && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
      if (e > i && text[e - 1] === '\\' && j < text.length) {
        j += text[j] === '\r' && text[j + 1] === '\n' ? 2 : 1;
        continue;
      }
      break;
    }
    let s = i;
    while (s < j && (text[s] === ' ' || text[s] === '\t')) s++;
    let e = j;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) out.push({ start: s, end: e });
    i = j + (text[j] === '\r' && text[j + 1] === '\n' ? 2 : 1);
  }
  return out;
}

/** Words of [start, end): blanks and backslash-newline continuations separate them. */
function words(text: string, start: number, end: number): { range: Range; quote?: '"' | "'"; templated: boolean; unterminated?: boolean }[] {
  const out: { range: Range; quote?: '"' | "'"; templated: boolean; unterminated?: boolean }[] = [];
  let i = start;
  const isSep = (k: number): boolean => {
    const c = text[k];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') return true;
    return c === '\\' && (text[k + 1] === '\n' || text[k + 1] === '\r');
  };
  while (i < end) {
    while (i < end && isSep(i)) i++;
    if (i >= end) break;
    const s = i;
    const q = text[i];
    let templated = false;
    if (q === '"' || q === "'") {
      i++;
      while (i < end && text[i] !== q) {
        if (text[i] === '\\' && i + 1 < end) i++;
        i++;
      }
      if (i >= end) {
        out.push({ range: { start: s, end }, quote: q, templated, unterminated: true });
        break;
      }
      i++;
      out.push({ range: { start: s, end: i }, quote: q, templated: /\{[{%#]/.test(text.slice(s, i)) });
      continue;
    }
    while (i < end && !isSep(i)) {
      if (text[i] === '{') {
        const j = jinjaEnd(text, i);
        if (j >= 0 && j <= end) {
          templated = true;
          i = j;
          continue;
        }
      }
      i++;
    }
    out.push({ range: { start: s, end: i }, templated });
  }
  return out;
}

function unquote(raw: string, quote: '"' | "'" | undefined, unterminated?: boolean): string {
  if (!quote) return raw;
  const inner = raw.slice(1, unterminated ? raw.length : raw.length - 1);
  return inner.replace(/\\(["'\\])/g, '$1');
}

export function parseApacheText(text: string, file: string): ParsedApache {
  const errors: ParseIssue[] = [];
  const nodes: ApacheNode[] = [];
  let templated = false;
  const stack: ApacheSection[] = [];
  const into = (): ApacheNode[] => stack[stack.length - 1]?.children ?? nodes;
  const mkWord = (w: ReturnType<typeof words>[number]): ApacheWord => {
    const raw = text.slice(w.range.start, w.range.end);
    if (w.templated) templated = true;
    if (w.unterminated) errors.push({ message: `unterminated quoted argument (expecting ${w.quote})`, range: w.range });
    return { raw, value: unquote(raw, w.quote, w.unterminated), range: w.range, ...(w.quote ? { quote: w.quote } : {}), templated: w.templated };
  };

  for (const line of logicalLines(text)) {
    const t = text.slice(line.start, line.end);
    if (t.startsWith('#')) {
      into().push({ type: 'comment', range: { start: line.start, end: line.end }, text: t });
      continue;
    }
    const j = jinjaEnd(text, line.start);
    if (j >= 0 && j >= line.end && /^\{[%#{]/.test(t)) {
      templated = true;
      into().push({ type: 'template', range: { start: line.start, end: line.end }, text: t });
      continue;
    }
    if (t.startsWith('</')) {
      const name = /^<\/\s*([^\s>]*)/.exec(t)?.[1] ?? '';
      const top = stack[stack.length - 1];
      if (!top || !t.endsWith('>')) {
        errors.push({ message: top ? `"${t}" is not a closing tag` : `"</${name}>" without matching <${name}> section`, range: line });
        into().push({ type: 'stray', range: { start: line.start, end: line.end }, text: t });
        continue;
      }
      if (top.name.toLowerCase() !== name.toLowerCase()) {
        errors.push({ message: `expected </${top.name}> but saw </${name}>`, range: line });
      }
      top.close = { start: line.start, end: line.end };
      top.range = { start: top.open.start, end: line.end };
      stack.pop();
      continue;
    }
    if (t.startsWith('<')) {
      const gt = t.lastIndexOf('>');
      if (gt < 0) errors.push({ message: `<${t.slice(1).split(/\s/)[0]}> directive missing closing '>'`, range: line });
      const argEnd = gt < 0 ? line.end : line.start + gt;
      const nameM = /^<\s*([^\s>]*)/.exec(t)!;
      const nameEnd = line.start + nameM[0].length;
      const args = words(text, nameEnd, argEnd).map(mkWord);
      const parent = stack[stack.length - 1];
      const section: ApacheSection = {
        type: 'section',
        name: nameM[1]!,
        args,
        open: { start: line.start, end: line.end },
        range: { start: line.start, end: line.end },
        children: [],
        parent,
        file,
      };
      into().push(section);
      stack.push(section);
      continue;
    }
    const ws = words(text, line.start, line.end).map(mkWord);
    const [nameWord, ...args] = ws;
    if (!nameWord) continue;
    into().push({ type: 'directive', name: nameWord.value, nameWord, args, range: { start: line.start, end: line.end }, parent: stack[stack.length - 1], file });
  }
  for (const open of stack) errors.push({ message: `<${open.name}> was not closed`, range: open.open });
  for (const open of stack) open.range = { start: open.open.start, end: text.length };
  return { nodes, templated, errors };
}

/** Every directive and section of `nodes`, depth first, in text order. */
export function* walkApache(nodes: readonly ApacheNode[]): Generator<ApacheDirective | ApacheSection> {
  for (const n of nodes) {
    if (n.type === 'directive') yield n;
    else if (n.type === 'section') {
      yield n;
      yield* walkApache(n.children);
    }
  }
}
