import type { Range } from '../../core/range.js';

/** A comment inside a block being replaced, with the option it stood beside or above. */
export interface BlockComment {
  /** The option's name; undefined for a comment on the block's own key line or after its last option. */
  readonly option?: string;
  /** The comment's text after `#`, trimmed. */
  readonly text: string;
}

export interface Anchor {
  readonly key: string;
  /** The option's own text: key and value, or one value of a repeated option. */
  readonly range: Range;
  /** Where its key stands (a repeated option's values share one key line). */
  readonly keyStart: number;
}

/**
 * The comments in `region` of `text`: a `#` at the start of a line's content or after whitespace
 * that is not inside one of the `scalars` (a quoted value may hold ` #`). A comment at the end of
 * a line belongs to the option on that line; a comment on a line of its own to the next option,
 * as people write them.
 */
export function commentsIn(text: string, region: Range, options: readonly Anchor[], scalars: readonly Range[]): BlockComment[] {
  const out: BlockComment[] = [];
  const inScalar = (at: number): boolean => scalars.some((r) => at >= r.start && at < r.end);
  let lineStart = text.lastIndexOf('\n', region.start - 1) + 1;
  while (lineStart < region.end) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const from = Math.max(lineStart, region.start);
    for (let i = from; i < Math.min(lineEnd, region.end); i++) {
      if (text[i] !== '#' || inScalar(i) || (i > lineStart && !/\s/.test(text[i - 1]!))) continue;
      const body = text.slice(i + 1, lineEnd).replace(/\r$/, '').trim();
      const before = text.slice(lineStart, i);
      const onLine = before.trim() !== '';
      const onThisLine = (at: number): boolean => at >= lineStart && at < i;
      const owner = onLine
        ? [...options].reverse().find((o) => onThisLine(o.range.start) || onThisLine(o.keyStart)) ??
          options.find((o) => o.range.start < lineStart && o.range.end >= lineStart)
        : options.find((o) => o.range.start >= lineEnd);
      out.push({ ...(owner ? { option: owner.key } : {}), text: body });
      break;
    }
    lineStart = lineEnd + 1;
  }
  return out;
}
