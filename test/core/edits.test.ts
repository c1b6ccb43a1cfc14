import { describe, expect, it } from 'vitest';
import { applyEdits, EditConflictError, editsOverlap } from '../../src/core/edits.js';

describe('applyEdits', () => {
  const text = 'uwsgi:\n  socket: a\ngalaxy:\n  brand: x\n';

  it('splices edits in offset order whatever order they come in', () => {
    const x = text.lastIndexOf('x');
    const out = applyEdits(text, [
      { start: x, end: x + 1, text: 'Y' },
      { start: 0, end: 5, text: 'gravity' },
    ]);
    expect(out).toBe('gravity:\n  socket: a\ngalaxy:\n  brand: Y\n');
  });

  it('keeps every byte outside the edits, CRLF and BOM included', () => {
    const crlf = '\uFEFFa: 1\r\nb: 2\r\n';
    expect(applyEdits(crlf, [{ start: 4, end: 5, text: '9' }])).toBe('\uFEFFa: 9\r\nb: 2\r\n');
    expect(applyEdits(crlf, [])).toBe(crlf);
  });

  it('refuses overlapping edits instead of corrupting text', () => {
    expect(() => applyEdits(text, [{ start: 0, end: 5, text: '' }, { start: 3, end: 8, text: '' }])).toThrow(EditConflictError);
    expect(() => applyEdits(text, [{ start: 0, end: 999, text: '' }])).toThrow(EditConflictError);
  });

  it('treats two insertions at one point as overlapping (their order would be a guess)', () => {
    expect(editsOverlap([{ start: 3, end: 3, text: 'a' }], [{ start: 3, end: 3, text: 'b' }])).toBe(true);
    expect(editsOverlap([{ start: 0, end: 3, text: '' }], [{ start: 3, end: 5, text: '' }])).toBe(false);
  });
});
