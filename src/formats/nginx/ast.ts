import type { Range } from '../../core/range.js';

/**
 * The nginx reader's tree. It is a concrete tree over the original text: every node carries its
 * [start, end) range, and the text between nodes is whitespace only, so an edit is a splice at a
 * node's range and every other byte stays as it was (tests check both).
 */

/** One word of a directive: its name or an argument. */
export interface NginxWord {
  /** The word as written, quotes and backslashes included. */
  readonly raw: string;
  /** What nginx sees: quotes removed, `\"` `\'` `\\` `\t` `\r` `\n` unescaped (ngx_conf_file.c). */
  readonly value: string;
  readonly range: Range;
  readonly quote?: '"' | "'";
  /** True when the word holds Jinja2 text (`{{ }}`, `{% %}`, `{# #}`): its value is not nginx's. */
  readonly templated: boolean;
}

export interface NginxComment {
  readonly type: 'comment';
  /** From `#` to the end of the line (line break excluded). */
  readonly range: Range;
  readonly text: string;
}

/** Jinja2 text standing where a directive could (`{% if %}`, `{{ routes }}` on its own line). */
export interface NginxTemplate {
  readonly type: 'template';
  readonly range: Range;
  readonly text: string;
  readonly tag: 'expression' | 'statement' | 'comment';
}

export interface NginxBlock {
  /** The `{`. */
  readonly open: Range;
  /** The `}`; absent when the file ended first (a parse error is reported). */
  close?: Range;
  readonly children: NginxNode[];
}

export interface NginxDirective {
  readonly type: 'directive';
  /** The name's value (`uwsgi_pass`); empty for a stray block. */
  readonly name: string;
  readonly nameWord: NginxWord;
  readonly args: readonly NginxWord[];
  /** From the name to the `;` or the block's `}` inclusive (to the last word if neither came). */
  range: Range;
  /** The `;` for a simple directive. */
  readonly semicolon?: Range;
  readonly block?: NginxBlock;
  /** For `*_by_lua_block`: the Lua between the braces, kept opaque; `block` then has no children. */
  readonly rawBody?: Range;
  /** Comments between the words of the directive (nginx allows them there). */
  readonly comments: readonly NginxComment[];
  /** The directive whose block holds this one; undefined at the top of its file. */
  readonly parent: NginxDirective | undefined;
  /** The file the directive is in (its display path). */
  readonly file: string;
}

/** A `}` or `;` where nginx expects none: reported as an error, kept so no byte is lost. */
export interface NginxStray {
  readonly type: 'stray';
  readonly range: Range;
  readonly text: string;
}

export type NginxNode = NginxDirective | NginxComment | NginxTemplate | NginxStray;

/** An `include` and what it resolved to. */
export interface NginxInclude {
  readonly directive: NginxDirective;
  readonly pattern: string;
  /** The files read for it, in nginx's (sorted glob) order. */
  readonly files: readonly NginxIncludedFile[];
  /** Why nothing was read, when nothing was. */
  readonly unresolved?: 'template' | 'not-found' | 'stock' | 'outside' | 'loop';
}

export interface NginxIncludedFile {
  /** Display path of the included file. */
  readonly path: string;
  readonly text: string;
  readonly ast: NginxAst;
}

export interface NginxAst {
  readonly nodes: readonly NginxNode[];
  /** True when the file holds Jinja2 text: an ansible template, not yet a literal config. */
  readonly templated: boolean;
  /** Every `include` in this file (not those of included files: they are in their own ast). */
  readonly includes: readonly NginxInclude[];
}
