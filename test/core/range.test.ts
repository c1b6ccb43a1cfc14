import { describe, expect, it } from 'vitest';
import { detectEol, LineIndex } from '../../src/core/range.js';

describe('LineIndex', () => {
  const text = 'a: 1\r\nbb: 2\nccc\rlast';
  const idx = new LineIndex(text);

  it('counts LF, CRLF and lone CR line ends', () => {
    expect(idx.lineCount).toBe(4);
    expect(idx.lineStarts).toEqual([0, 6, 12, 16]);
  });

  it('maps offsets to 1-based line and column and back', () => {
    expect(idx.position(0)).toEqual({ line: 1, column: 1 });
    expect(idx.position(7)).toEqual({ line: 2, column: 2 });
    expect(idx.position(text.length)).toEqual({ line: 4, column: 5 });
    expect(idx.offsetOfLine(3)).toBe(12);
  });

  it('gives a line without and with its line break', () => {
    expect(text.slice(idx.lineRange(1).start, idx.lineRange(1).end)).toBe('a: 1');
    expect(text.slice(idx.fullLineRange(1).start, idx.fullLineRange(1).end)).toBe('a: 1\r\n');
    expect(text.slice(idx.lineRange(4).start, idx.lineRange(4).end)).toBe('last');
  });

  it('derives a location for a range', () => {
    expect(idx.location({ start: 6, end: 11 })).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 6 });
  });

  it('detects the dominant line break', () => {
    expect(detectEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(detectEol('a\nb\n')).toBe('\n');
    expect(detectEol('')).toBe('\n');
  });
});
