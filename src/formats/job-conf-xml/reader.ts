import { XMLValidator } from 'fast-xml-parser';
import type { ParseIssue } from '../../core/document.js';
import { LineIndex, type Range } from '../../core/range.js';
import { maskJinja, touchesJinja } from '../jinja.js';
import { isPlainXml } from './plain-xml.js';

/**
 * A small XML reader that keeps the offset of everything it reads.
 *
 * Why not fast-xml-parser alone: its tree has no attribute offsets at all, and with
 * `captureMetaData` it gives only an element's start offset (its `endIndex` is sometimes one past
 * the element, sometimes not) and nothing for comments; its builder re-serialises (`<x/>` becomes
 * `<x></x>`, blank lines vanish; docs/peers.md FX2/FX3). Edits here are splices at exact
 * attribute-value and element ranges, so this reader finds them itself. fast-xml-parser still does
 * what it is good at: `XMLValidator` checks well-formedness and gives the line/column of the
 * first error (FX4), and the tests cross-check this reader's element offsets against its
 * `captureMetaData` starts over every job conf of the corpus.
 *
 * Never expanded: entity references other than the five predefined ones and character
 * references stay as written (`value` keeps `&name;`), and a DOCTYPE's entity declarations are
 * only listed, so a "billion laughs" or an external entity costs nothing and reads nothing.
 */

export interface XmlAttribute {
  readonly name: string;
  /** `name="value"`, quotes included. */
  readonly range: Range;
  readonly nameRange: Range;
  /** Inside the quotes. */
  readonly valueRange: Range;
  /** The text inside the quotes as written. */
  readonly raw: string;
  /** Predefined and character references decoded; any other `&name;` left as written. */
  readonly value: string;
  readonly quote: '"' | "'";
  /** The value contains Jinja (`{{ }}`, `{% %}`): only known after rendering. */
  readonly templated: boolean;
  /** The value uses an entity this reader does not expand. */
  readonly usesEntity: boolean;
}

export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  /** From `<` of the start tag to `>` of the end tag (or of the self-closing tag). */
  range: Range;
  readonly startTag: Range;
  /** Absent for self-closing elements and for elements left unclosed. */
  endTag?: Range;
  readonly selfClosing: boolean;
  readonly attributes: readonly XmlAttribute[];
  /** Where a new attribute goes: right after the last attribute (or the name). */
  readonly attrsEnd: number;
  readonly children: XmlNode[];
  /** The start tag holds Jinja outside attribute values (e.g. `{% if %} a="b"{% endif %}`). */
  readonly templated: boolean;
  readonly parent?: XmlElement;
}

export interface XmlOther {
  readonly kind: 'text' | 'comment' | 'cdata' | 'pi' | 'doctype';
  readonly range: Range;
}

export type XmlNode = XmlElement | XmlOther;

export interface XmlEntityDecl {
  readonly name: string;
  readonly range: Range;
  /** SYSTEM or PUBLIC: would make a parser read another file or URL. */
  readonly external: boolean;
  readonly parameter: boolean;
}

export interface XmlDoctype {
  readonly range: Range;
  readonly entities: readonly XmlEntityDecl[];
  /** `<!DOCTYPE x SYSTEM "...">`: an external DTD (never fetched). */
  readonly externalSubset: boolean;
}

export interface XmlTree {
  readonly nodes: readonly XmlNode[];
  readonly root?: XmlElement;
  readonly doctype?: XmlDoctype;
  /** Jinja spans of the original text (empty for plain XML). */
  readonly jinja: readonly Range[];
}

// Character classes by UTF-16 code unit: the reader tests every character of a tag, and a
// RegExp test per character was most of its time on a large job conf (issue 7).
/** `[A-Za-z_:\u00C0-\uFFFF]` (NaN, past the end, is none). */
const isNameStart = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || c >= 0xc0;
/** `[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]`. */
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0xb7;
/** `[ \t\r\n]`. */
const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
/** One of `=`, `/`, `>`, `<`: ends an attribute name. */
const endsAttrName = (c: number): boolean => c === 0x3d || c === 0x2f || c === 0x3e || c === 0x3c;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; leaves others as written. */
export function decodeXmlText(raw: string): { value: string; usesEntity: boolean } {
  if (!raw.includes('&')) return { value: raw, usesEntity: false };
  let usesEntity = false;
  const value = raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/g, (all, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(parseInt(ref.slice(2), 16)) ?? all;
    if (ref.startsWith('#')) return safeCodePoint(parseInt(ref.slice(1), 10)) ?? all;
    const p = PREDEFINED[ref];
    if (p !== undefined) return p;
    usesEntity = true;
    return all;
  });
  return { value, usesEntity };
}

function safeCodePoint(n: number): string | undefined {
  return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

/** Escapes a value for a double- or single-quoted attribute. */
export function escapeXmlAttr(value: string, quote: '"' | "'" = '"'): string {
  const s = value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return quote === '"' ? s.replace(/"/g, '&quot;') : s.replace(/'/g, '&apos;');
}

interface MutableElement extends XmlElement {
  endTag?: Range;
  range: Range;
}

/**
 * Reads `text` (the original file text) into a tree. Never throws; problems are returned as
 * issues with ranges into `text`. Jinja is masked first (see ../job-conf/jinja.ts).
 */
export function readXml(text: string): { tree: XmlTree; issues: ParseIssue[] } {
  const { masked, spans } = maskJinja(text, ' ');
  const issues: ParseIssue[] = [];
  const top: XmlNode[] = [];
  const stack: MutableElement[] = [];
  let doctype: XmlDoctype | undefined;
  const n = masked.length;
  let i = 0;

  const add = (node: XmlNode): void => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else top.push(node);
  };
  const issue = (message: string, start: number, end = start): void => {
    issues.push({ message, range: { start, end } });
  };

  while (i < n) {
    const lt = masked.indexOf('<', i);
    if (lt < 0) {
      add({ kind: 'text', range: { start: i, end: n } });
      break;
    }
    if (lt > i) add({ kind: 'text', range: { start: i, end: lt } });
    i = lt;
    if (masked.startsWith('<!--', i)) {
      const close = masked.indexOf('-->', i + 4);
      const end = close < 0 ? n : close + 3;
      if (close < 0) issue('comment is not closed (no "-->")', i);
      add({ kind: 'comment', range: { start: i, end } });
      i = end;
    } else if (masked.startsWith('<![CDATA[', i)) {
      const close = masked.indexOf(']]>', i + 9);
      const end = close < 0 ? n : close + 3;
      if (close < 0) issue('CDATA section is not closed (no "]]>")', i);
      add({ kind: 'cdata', range: { start: i, end } });
      i = end;
    } else if (/^<!DOCTYPE/i.test(masked.slice(i, i + 9))) {
      const end = scanDoctype(masked, i);
      const body = masked.slice(i, end);
      const entities: XmlEntityDecl[] = [];
      for (const m of body.matchAll(/<!ENTITY\s+(%\s+)?([^\s>]+)([^>]*)>?/g)) {
        entities.push({
          name: m[2] ?? '',
          range: { start: i + m.index, end: i + m.index + m[0].length },
          external: /\b(SYSTEM|PUBLIC)\b/.test(m[3] ?? ''),
          parameter: Boolean(m[1]),
        });
      }
      const beforeSubset = body.split('[')[0] ?? body;
      doctype = { range: { start: i, end }, entities, externalSubset: /\b(SYSTEM|PUBLIC)\b/.test(beforeSubset) };
      add({ kind: 'doctype', range: { start: i, end } });
      i = end;
    } else if (masked.startsWith('<?', i)) {
      const close = masked.indexOf('?>', i + 2);
      const end = close < 0 ? n : close + 2;
      if (close < 0) issue('processing instruction is not closed (no "?>")', i);
      add({ kind: 'pi', range: { start: i, end } });
      i = end;
    } else if (masked.startsWith('</', i)) {
      let j = i + 2;
      while (j < n && !isWs(masked.charCodeAt(j)) && masked[j] !== '>') j++;
      const name = masked.slice(i + 2, j);
      while (j < n && isWs(masked.charCodeAt(j))) j++;
      if (masked[j] !== '>') issue(`end tag </${name}> is not closed with ">"`, i, j);
      const end = masked[j] === '>' ? j + 1 : j;
      const at = findOpen(stack, name);
      if (at < 0) {
        issue(`end tag </${name}> has no matching start tag`, i, end);
      } else {
        while (stack.length - 1 > at) {
          const open = stack.pop()!;
          issue(`<${open.name}> is not closed before </${name}>`, open.startTag.start, open.startTag.end);
          open.range = { start: open.range.start, end: i };
        }
        const el = stack.pop()!;
        el.endTag = { start: i, end };
        el.range = { start: el.range.start, end };
      }
      i = end;
    } else if (isNameStart(masked.charCodeAt(i + 1))) {
      const el = readStartTag(text, masked, i, spans, stack[stack.length - 1], issue);
      add(el);
      if (!el.selfClosing) stack.push(el as MutableElement);
      i = el.startTag.end;
    } else {
      issue('"<" that starts no tag (write &lt; in text)', i, i + 1);
      add({ kind: 'text', range: { start: i, end: i + 1 } });
      i += 1;
    }
  }
  while (stack.length) {
    const open = stack.pop()!;
    issue(`<${open.name}> is not closed`, open.startTag.start, open.startTag.end);
    open.range = { start: open.range.start, end: n };
  }

  const roots = top.filter((x): x is XmlElement => x.kind === 'element');
  if (roots.length > 1) issue(`more than one top-level element (<${roots[1]!.name}> after <${roots[0]!.name}>)`, roots[1]!.startTag.start, roots[1]!.startTag.end);
  for (const t of top) {
    if (t.kind === 'text' && /\S/.test(masked.slice(t.range.start, t.range.end))) {
      issue('text outside the root element', t.range.start, t.range.end);
      break;
    }
  }

  // Well-formedness as fast-xml-parser sees it (it reports what this tolerant reader lets pass,
  // e.g. a bare "&" in text or a repeated attribute). One error is enough to stop rewriting.
  // A file in the plain subset the validator always accepts is not read a second time.
  if (issues.length === 0 && !isPlainXml(masked)) {
    const v = XMLValidator.validate(masked, { allowBooleanAttributes: false });
    if (v !== true) {
      const idx = new LineIndex(masked);
      const line = Number.isFinite(v.err.line) && v.err.line > 0 ? v.err.line : 1;
      const col = Number.isFinite(v.err.col) && v.err.col > 0 ? v.err.col : 1;
      const at = Math.min(idx.offsetOfLine(line) + col - 1, n);
      issues.push({ message: `not well-formed XML: ${v.err.msg}`, range: { start: at, end: at } });
    }
  }

  // In a template, what looks broken may be fine once rendered: report, but as a warning.
  if (spans.length) {
    for (let k = 0; k < issues.length; k++) {
      const x = issues[k]!;
      issues[k] = { ...x, severity: 'warning', message: `${x.message} (this is a Jinja template; it was read with the {{ }}/{% %} parts left out)` };
    }
  }

  return { tree: { nodes: top, root: roots[0], doctype, jinja: spans }, issues };
}

function findOpen(stack: readonly XmlElement[], name: string): number {
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k]!.name === name) return k;
  return -1;
}

function scanDoctype(s: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let j = from + 2; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '>' && depth === 0) return j + 1;
  }
  return s.length;
}

function readStartTag(
  text: string,
  masked: string,
  start: number,
  jinja: readonly Range[],
  parent: XmlElement | undefined,
  issue: (message: string, start: number, end?: number) => void,
): XmlElement {
  const n = masked.length;
  let j = start + 1;
  while (j < n && isNameChar(masked.charCodeAt(j))) j++;
  const name = masked.slice(start + 1, j);
  let attrsEnd = j;
  const attributes: XmlAttribute[] = [];
  let selfClosing = false;
  let closed = false;
  while (j < n) {
    const wsStart = j;
    while (j < n && isWs(masked.charCodeAt(j))) j++;
    const c = masked[j];
    if (c === '>') {
      j++;
      closed = true;
      break;
    }
    if (c === '/' && masked[j + 1] === '>') {
      j += 2;
      selfClosing = true;
      closed = true;
      break;
    }
    if (c === '<' || c === undefined) break;
    if (j === wsStart && attributes.length > 0) issue(`attribute in <${name}> has no space before it`, j);
    const nameStart = j;
    while (j < n && !isWs(masked.charCodeAt(j)) && !endsAttrName(masked.charCodeAt(j))) j++;
    if (j === nameStart) {
      issue(`unexpected "${masked[j]}" in <${name}>`, j, j + 1);
      j++;
      continue;
    }
    const attrName = masked.slice(nameStart, j);
    let k = j;
    while (k < n && isWs(masked.charCodeAt(k))) k++;
    if (masked[k] !== '=') {
      issue(`attribute ${attrName} in <${name}> has no value`, nameStart, j);
      continue;
    }
    k++;
    while (k < n && isWs(masked.charCodeAt(k))) k++;
    const q = masked[k];
    if (q !== '"' && q !== "'") {
      issue(`value of ${attrName} in <${name}> is not quoted`, k);
      while (k < n && !isWs(masked.charCodeAt(k)) && masked[k] !== '>' && !(masked[k] === '/' && masked[k + 1] === '>')) k++;
      j = k;
      continue;
    }
    const close = masked.indexOf(q, k + 1);
    if (close < 0) {
      issue(`value of ${attrName} in <${name}> is not closed`, k);
      j = n;
      break;
    }
    const valueRange = { start: k + 1, end: close };
    const raw = text.slice(valueRange.start, valueRange.end);
    const templated = touchesJinja(jinja, valueRange);
    const decoded = decodeXmlText(raw);
    attributes.push({
      name: attrName,
      range: { start: nameStart, end: close + 1 },
      nameRange: { start: nameStart, end: nameStart + attrName.length },
      valueRange,
      raw,
      value: decoded.value,
      quote: q,
      templated,
      usesEntity: decoded.usesEntity,
    });
    j = close + 1;
    attrsEnd = j;
  }
  if (!closed) issue(`start tag <${name}> is not closed with ">"`, start, j);
  const startTag = { start, end: j };
  const tagTemplated = touchesJinjaOutsideValues(jinja, startTag, attributes);
  return {
    kind: 'element',
    name,
    range: { start, end: j },
    startTag,
    selfClosing,
    attributes,
    attrsEnd,
    children: [],
    templated: tagTemplated,
    ...(parent ? { parent } : {}),
  };
}

function touchesJinjaOutsideValues(jinja: readonly Range[], tag: Range, attrs: readonly XmlAttribute[]): boolean {
  for (const s of jinja) {
    if (s.end <= tag.start || s.start >= tag.end) continue;
    if (!attrs.some((a) => s.start >= a.valueRange.start && s.end <= a.valueRange.end)) return true;
  }
  return false;
}

/** The element children of `el` with the given name, in order. */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.kind === 'element' && (name === undefined || c.name === name));
}

/** Every element below `el` (depth first, document order). */
export function descendants(el: XmlElement): XmlElement[] {
  // A list made with an explicit stack: a recursive generator resumed every enclosing generator at
  // each element, and recursion of any kind would overflow on a deeply nested (hostile) file.
  const out: XmlElement[] = [];
  const stack: { el: XmlElement; next: number }[] = [{ el, next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const c = top.el.children[top.next++];
    if (!c) stack.pop();
    else if (c.kind === 'element') {
      out.push(c);
      stack.push({ el: c, next: 0 });
    }
  }
  return out;
}

export function attr(el: XmlElement, name: string): XmlAttribute | undefined {
  return el.attributes.find((a) => a.name === name);
}
