import type { ParseIssue } from '../../core/document.js';
import type { Range } from '../../core/range.js';
import type { NginxComment, NginxDirective, NginxNode, NginxTemplate, NginxWord } from './ast.js';
import { Lexer, type Token, unescapeWord } from './lexer.js';

/**
 * A hand-written lossless nginx reader. No npm package can be the writer here: crossplane drops
 * comments and re-quotes and re-indents on build (peers.md CP4/CP5, and it is Python), nginx-conf
 * regenerates indentation and moves comments (NC2/NC3), @webantic/nginx-config-parser cuts lines
 * at `#` and inlines includes (WB2/WB3), nginx-linter keeps a tree but has no writer (NL2), and
 * Augeas's lens covers "a limited subset" and has no npm binding (AU2). So this reader keeps
 * ranges into the original text and the rules splice; nothing is ever re-printed.
 *
 * Never throws: problems are ParseIssues and reading goes on (nginx itself stops at the first).
 */
export interface ParsedNginx {
  readonly nodes: NginxNode[];
  readonly templated: boolean;
  readonly errors: ParseIssue[];
}

const LUA_BLOCK = /_by_lua_block$/;

export function parseNginxText(text: string, file: string): ParsedNginx {
  const lx = new Lexer(text);
  const errors: ParseIssue[] = [];
  let templated = false;
  const err = (message: string, range: Range): void => {
    errors.push({ message, range });
  };

  const word = (tok: Extract<Token, { kind: 'word' }>): NginxWord => {
    const raw = text.slice(tok.range.start, tok.range.end);
    if (tok.templated) templated = true;
    if (tok.unterminated) err(`unexpected end of file, expecting ${tok.quote}`, { start: tok.range.start, end: tok.range.start + 1 });
    return {
      raw,
      value: unescapeWord(raw, tok.quote, tok.unterminated),
      range: tok.range,
      ...(tok.quote ? { quote: tok.quote } : {}),
      templated: tok.templated,
    };
  };

  /** A statement-level word that is Jinja2 text alone (`{% if %}`, `{{ routes }}` on its own line). */
  const standaloneTemplate = (tok: Extract<Token, { kind: 'word' }>): NginxTemplate | undefined => {
    if (!tok.templated || tok.quote) return undefined;
    const raw = text.slice(tok.range.start, tok.range.end);
    const m = /^\{([{%#])[\s\S]*([}%#])\}$/.exec(raw);
    if (!m) return undefined;
    // The word must be one chunk: `{{ a }}/static` or `{{ a }}{{ b }}` are words of a directive.
    const close = m[1] === '{' ? '}}' : m[1] === '%' ? '%}' : '#}';
    if (raw.indexOf(close) !== raw.length - 2) return undefined;
    const tag = m[1] === '{' ? 'expression' : m[1] === '%' ? 'statement' : 'comment';
    if (tag === 'expression') {
      // `{{ x }}` stands alone only when nothing of a directive follows on its line.
      const next = lx.peek();
      if (next && next.kind !== 'comment' && next.kind !== '}' && !text.slice(tok.range.end, next.range.start).includes('\n')) {
        return undefined;
      }
    }
    templated = true;
    return { type: 'template', range: tok.range, text: raw, tag };
  };

  const parseBlock = (parent: NginxDirective | undefined, into: NginxNode[]): Range | undefined => {
    for (;;) {
      const tok = lx.next();
      if (!tok) {
        if (parent) err('unexpected end of file, expecting "}"', parent.block?.open ?? parent.range);
        return undefined;
      }
      if (tok.kind === '}') {
        if (parent) return tok.range;
        err('unexpected "}"', tok.range);
        into.push({ type: 'stray', range: tok.range, text: '}' });
        continue;
      }
      if (tok.kind === 'comment') {
        into.push(comment(tok.range));
        continue;
      }
      if (tok.kind === ';') {
        err('unexpected ";"', tok.range);
        into.push({ type: 'stray', range: tok.range, text: ';' });
        continue;
      }
      if (tok.kind === '{') {
        err('unexpected "{"', tok.range);
        into.push(directive(undefined, tok, parent));
        continue;
      }
      const tpl = standaloneTemplate(tok);
      if (tpl) {
        into.push(tpl);
        continue;
      }
      into.push(directive(word(tok), undefined, parent));
    }
  };

  const comment = (r: Range): NginxComment => ({ type: 'comment', range: r, text: text.slice(r.start, r.end) });

  const directive = (
    name: NginxWord | undefined,
    strayOpen: Extract<Token, { kind: '{' }> | undefined,
    parent: NginxDirective | undefined,
  ): NginxDirective => {
    const args: NginxWord[] = [];
    const comments: NginxComment[] = [];
    const nameWord: NginxWord = name ?? { raw: '', value: '', range: { start: strayOpen!.range.start, end: strayOpen!.range.start }, templated: false };
    const start = nameWord.range.start;
    // Each outcome builds its node once, whole (a directive per line of a large file: no copies).
    let open = strayOpen?.range;
    while (!open) {
      const tok = lx.peek();
      if (!tok || tok.kind === '}') {
        const last = args[args.length - 1]?.range ?? nameWord.range;
        err(`directive "${nameWord.value}" is not terminated by ";"`, { start, end: last.end });
        return { type: 'directive', name: nameWord.value, nameWord, args, range: { start, end: last.end }, comments, parent, file };
      }
      lx.next();
      if (tok.kind === 'comment') comments.push(comment(tok.range));
      else if (tok.kind === ';') {
        return { type: 'directive', name: nameWord.value, nameWord, args, range: { start, end: tok.range.end }, comments, parent, file, semicolon: tok.range };
      } else if (tok.kind === '{') open = tok.range;
      else args.push(word(tok));
    }
    const children: NginxNode[] = [];
    const block = { open, children } as { open: Range; close?: Range; children: NginxNode[] };
    if (LUA_BLOCK.test(nameWord.value)) {
      const lua = lx.luaBody();
      if (lua.close) block.close = lua.close;
      else err(`unexpected end of file in the Lua block of "${nameWord.value}"`, open);
      const range = { start, end: lua.close?.end ?? text.length };
      return { type: 'directive', name: nameWord.value, nameWord, args, range, comments, parent, file, block, rawBody: lua.body };
    }
    const withBlock: NginxDirective = { type: 'directive', name: nameWord.value, nameWord, args, range: { start, end: nameWord.range.end }, comments, parent, file, block };
    const close = parseBlock(withBlock, children);
    if (close) block.close = close;
    withBlock.range = { start, end: close?.end ?? text.length };
    // Children were created with `withBlock` as their parent, so it must stay that object.
    return withBlock;
  };

  const nodes: NginxNode[] = [];
  parseBlock(undefined, nodes);
  return { nodes, templated, errors };
}

const FLATTENED = new WeakMap<readonly NginxNode[], readonly NginxDirective[]>();

/**
 * Every directive of a list of nodes, depth first, in text order (not following includes). Listed
 * once per node list and kept: the reader and several proxy rules walk every file, and a tree is
 * not changed once read (rules splice text, never nodes).
 */
export function walkDirectives(nodes: readonly NginxNode[]): readonly NginxDirective[] {
  let flat = FLATTENED.get(nodes);
  if (!flat) {
    const out: NginxDirective[] = [];
    collectDirectives(nodes, out);
    FLATTENED.set(nodes, (flat = out));
  }
  return flat;
}

function collectDirectives(nodes: readonly NginxNode[], out: NginxDirective[]): void {
  for (const n of nodes) {
    if (n.type !== 'directive') continue;
    out.push(n);
    if (n.block) collectDirectives(n.block.children, out);
  }
}
