import type { Range } from '../../core/range.js';

/**
 * nginx's tokenizer, written after ngx_conf_read_token() in src/core/ngx_conf_file.c:
 * - words end at space, tab, CR, LF, `;` or `{` (not at `}`: `${var}` and `a}b` are one word);
 * - `{` right after `$` belongs to the word (`${upload_field_name}`);
 * - a quote opens a quoted word only at the start of a word; inside it a backslash escapes;
 * - `#` starts a comment only at the start of a word;
 * - `}` closes a block only at the start of a word.
 * Added for ansible templates: `{{ … }}`, `{% … %}` and `{# … #}` are opaque text inside a word or a
 * quoted string (unquoted `{{` is never valid nginx, so this cannot misread a real config).
 */

export type Token =
  | { readonly kind: 'word'; readonly range: Range; readonly quote?: '"' | "'"; readonly templated: boolean; readonly unterminated?: boolean }
  | { readonly kind: 'comment'; readonly range: Range }
  | { readonly kind: ';'; readonly range: Range }
  | { readonly kind: '{'; readonly range: Range }
  | { readonly kind: '}'; readonly range: Range };

/** Space, tab, CR or LF, by char code (the lexer's hot loops compare codes, not one-char strings). */
const isSpaceCode = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10;

/** The end (exclusive) of a Jinja2 chunk starting at `at` (`{{`, `{%` or `{#`), or -1. */
export function jinjaEnd(text: string, at: number): number {
  if (text[at] !== '{') return -1;
  const c = text[at + 1];
  const close = c === '{' ? '}}' : c === '%' ? '%}' : c === '#' ? '#}' : undefined;
  if (!close) return -1;
  const end = text.indexOf(close, at + 2);
  if (end < 0) return -1;
  // A chunk does not run past a blank line or very far: beyond that it is not Jinja.
  const body = text.slice(at + 2, end);
  if (body.length > 4000 || /\n[ \t]*\n/.test(body)) return -1;
  return end + 2;
}

export class Lexer {
  pos = 0;
  /**
   * The token peek() read and the position after it (-1: none). The parser peeks before nearly
   * every token it takes, so the token is kept rather than read a second time by next().
   */
  private peeked: Token | undefined;
  private peekedEnd = -1;
  constructor(readonly text: string) {}

  /** Next token, or undefined at the end of the text. */
  next(): Token | undefined {
    if (this.peekedEnd >= 0) {
      this.pos = this.peekedEnd;
      this.peekedEnd = -1;
      return this.peeked;
    }
    return this.scan();
  }

  /** Peeks at the next token without consuming it. */
  peek(): Token | undefined {
    if (this.peekedEnd < 0) {
      const at = this.pos;
      this.peeked = this.scan();
      this.peekedEnd = this.pos;
      this.pos = at;
    }
    return this.peeked;
  }

  private scan(): Token | undefined {
    const t = this.text;
    while (this.pos < t.length && isSpaceCode(t.charCodeAt(this.pos))) this.pos++;
    if (this.pos >= t.length) return undefined;
    const start = this.pos;
    const c = t[start];
    if (c === '#') {
      let end = t.indexOf('\n', start);
      if (end < 0) end = t.length;
      if (end > start && t[end - 1] === '\r') end--;
      this.pos = end;
      return { kind: 'comment', range: { start, end } };
    }
    if (c === ';' || c === '}') {
      this.pos++;
      return c === ';' ? { kind: ';', range: { start, end: start + 1 } } : { kind: '}', range: { start, end: start + 1 } };
    }
    if (c === '{') {
      if (jinjaEnd(t, start) < 0) {
        this.pos++;
        return { kind: '{', range: { start, end: start + 1 } };
      }
      return this.word(start);
    }
    if (c === '"' || c === "'") return this.quoted(start, c);
    return this.word(start);
  }

  private word(start: number): Token {
    const t = this.text;
    let i = start;
    let templated = false;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 92 /* \\ */) {
        i += 2;
        continue;
      }
      if (c === 123 /* { */) {
        const j = jinjaEnd(t, i);
        if (j >= 0) {
          templated = true;
          i = j;
          continue;
        }
        if (i > start && t.charCodeAt(i - 1) === 36 /* $ */) {
          i++;
          continue;
        }
        break;
      }
      if (isSpaceCode(c) || c === 59 /* ; */) break;
      i++;
    }
    this.pos = Math.min(i, t.length);
    return { kind: 'word', range: { start, end: this.pos }, templated };
  }

  private quoted(start: number, q: '"' | "'"): Token {
    const t = this.text;
    let i = start + 1;
    let templated = false;
    while (i < t.length) {
      const c = t[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '{') {
        const j = jinjaEnd(t, i);
        // Inside quotes a Jinja chunk only counts when it closes on the same line.
        if (j >= 0 && !t.slice(i, j).includes('\n')) {
          templated = true;
          i = j;
          continue;
        }
      }
      if (c === q) {
        this.pos = i + 1;
        return { kind: 'word', range: { start, end: i + 1 }, quote: q, templated };
      }
      i++;
    }
    this.pos = t.length;
    return { kind: 'word', range: { start, end: t.length }, quote: q, templated, unterminated: true };
  }

  /**
   * The Lua body of a `*_by_lua_block` whose `{` was just read: balanced braces, skipping Lua
   * strings (`'…'`, `"…"`, long brackets) and comments (`--`, `--[[ ]]`), as lua-nginx-module's own
   * lexer does. Returns the body and the closing brace (undefined when the file ended first).
   */
  luaBody(): { body: Range; close?: Range } {
    this.peekedEnd = -1; // it reads from `pos` on its own
    const t = this.text;
    const start = this.pos;
    let depth = 1;
    let i = start;
    const longBracket = (at: number): number => {
      // `[` `=`* `[` → the level, or -1
      if (t[at] !== '[') return -1;
      let j = at + 1;
      while (t[j] === '=') j++;
      return t[j] === '[' ? j - at - 1 : -1;
    };
    const skipLong = (at: number, level: number): number => {
      const close = `]${'='.repeat(level)}]`;
      const end = t.indexOf(close, at + level + 2);
      return end < 0 ? t.length : end + close.length;
    };
    while (i < t.length) {
      const c = t[i];
      if (c === '-' && t[i + 1] === '-') {
        const level = longBracket(i + 2);
        if (level >= 0) i = skipLong(i + 2, level);
        else {
          const nl = t.indexOf('\n', i);
          i = nl < 0 ? t.length : nl;
        }
        continue;
      }
      if (c === '[') {
        const level = longBracket(i);
        if (level >= 0) {
          i = skipLong(i, level);
          continue;
        }
      }
      if (c === '"' || c === "'") {
        i++;
        while (i < t.length && t[i] !== c && t[i] !== '\n') i += t[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          this.pos = i + 1;
          return { body: { start, end: i }, close: { start: i, end: i + 1 } };
        }
      }
      i++;
    }
    this.pos = t.length;
    return { body: { start, end: t.length } };
  }
}

/** nginx's unescaping of a word (ngx_conf_read_token's copy loop), after removing the quotes. */
export function unescapeWord(raw: string, quote: '"' | "'" | undefined, unterminated = false): string {
  const inner = quote ? raw.slice(1, unterminated ? raw.length : raw.length - 1) : raw;
  // Most words have no backslash: nothing to unescape, and no string built character by character.
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      const n = inner[i + 1];
      if (n === '"' || n === "'" || n === '\\') {
        out += n;
        i++;
        continue;
      }
      if (n === 't' || n === 'r' || n === 'n') {
        out += n === 't' ? '\t' : n === 'r' ? '\r' : '\n';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}
