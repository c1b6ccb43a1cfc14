import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../src/core/range.js';
import { findTopSections, maskRanges, stripComment } from '../../../src/formats/galaxy-yml/sections.js';

const sections = (text: string) =>
  findTopSections(new LineIndex(text)).map((s) => ({ name: s.name, text: text.slice(s.range.start, s.range.end), line: s.line, inline: s.inlineValue, indent: s.childIndent }));

describe('findTopSections', () => {
  it('finds uwsgi: first, with the column-0 comments before the next section left in the gap', () => {
    const text = 'uwsgi:\n  socket: :8080\n\n  # a comment inside\n  processes: 2\n\n# Galaxy itself\ngalaxy:\n  brand: x\n';
    expect(sections(text)).toEqual([
      { name: 'uwsgi', text: 'uwsgi:\n  socket: :8080\n\n  # a comment inside\n  processes: 2\n', line: 1, inline: '', indent: 2 },
      { name: 'galaxy', text: 'galaxy:\n  brand: x\n', line: 8, inline: '', indent: 2 },
    ]);
  });

  it('finds uwsgi: after galaxy:, at the end of a file without a final line break', () => {
    const text = 'galaxy:\n    brand: x\nuwsgi:\n    http: :8080';
    expect(sections(text).map((s) => [s.name, s.text, s.indent])).toEqual([
      ['galaxy', 'galaxy:\n    brand: x\n', 4],
      ['uwsgi', 'uwsgi:\n    http: :8080', 4],
    ]);
  });

  it('reads past the uWSGI dialect that makes the YAML invalid (key:value, repeated keys, quotes)', () => {
    const text = 'uwsgi:\n  processes:4\n  mule: a\n  mule: a\n  master: "false\n  route: ^/x#y\ngravity:\n  gunicorn: {}\n';
    expect(sections(text).map((s) => [s.name, s.line, s.inline])).toEqual([
      ['uwsgi', 1, ''],
      ['gravity', 7, ''],
    ]);
  });

  it('keeps an empty section and its inline value (`uwsgi:`, `gravity: {}`, `# comment`)', () => {
    const text = 'uwsgi:   # nothing here\ngravity: {}\ngalaxy: ~\n';
    expect(sections(text).map((s) => [s.name, s.text, s.inline])).toEqual([
      ['uwsgi', 'uwsgi:   # nothing here\n', ''],
      ['gravity', 'gravity: {}\n', '{}'],
      ['galaxy', 'galaxy: ~\n', '~'],
    ]);
  });

  it('skips a BOM, CRLF line ends, document markers, list items and quoted keys', () => {
    const text = '\uFEFF---\r\n"uwsgi":\r\n  a: b\r\n- item\r\ngalaxy:\r\n  x: 1\r\n...\r\n';
    const got = findTopSections(new LineIndex(text));
    expect(got.map((s) => [s.name, text.slice(s.range.start, s.range.end)])).toEqual([
      ['uwsgi', '"uwsgi":\r\n  a: b\r\n'],
      ['galaxy', 'galaxy:\r\n  x: 1\r\n'],
    ]);
    expect(text.slice(got[0]!.keyRange.start, got[0]!.keyRange.end)).toBe('"uwsgi"');
  });

  it('never starts the first section before a BOM on line 1', () => {
    const text = '\uFEFFgalaxy:\n  a: 1\n';
    const [g] = findTopSections(new LineIndex(text));
    expect(g?.range.start).toBe(1);
  });
});

describe('maskRanges', () => {
  it('blanks everything but line breaks, so offsets stay the same', () => {
    const text = 'a\r\nuwsgi:\n  x:y\nb';
    const masked = maskRanges(text, [{ start: 3, end: 15 }]);
    expect(masked).toBe('a\r\n      \n     \nb');
    expect(masked.length).toBe(text.length);
  });
});

describe('stripComment', () => {
  it('removes a comment after a blank, not inside quotes or glued to a word', () => {
    expect(stripComment(' {}  # c')).toBe(' {}  ');
    expect(stripComment(' "a # b"')).toBe(' "a # b"');
    expect(stripComment(' a#b')).toBe(' a#b');
  });
});
