import { describe, expect, it } from 'vitest';
import { readFixture, slice } from './helpers.js';

const read = (file: string, opts: { section?: string } = {}) => readFixture('ini', file, opts);

describe('INI reader', () => {
  it('keeps repeated keys, splits at the first =, trims blanks, keeps inline ; and # as data', () => {
    const r = read('basic.ini');
    expect(r.pairs()).toEqual([
      ['socket', '127.0.0.1:4001'],
      ['processes', '1'],
      ['processes', '4'],
      ['a', 'b=c'],
      ['novalue', ''],
      ['', 'empty-key'],
      ['spaced key', 'spaced value'],
      ['tab', 'in\tside'],
      ['inline', '1 ; not a comment'],
      ['hash', '2 # not a comment either'],
      ['quoted', "'027'"],
    ]);
    const f = 'basic.ini';
    expect(r.at(f, r.option('socket').range)).toBe('3:1');
    expect(r.at(f, r.option('processes', 1).valueRange)).toBe('5:13');
    expect(r.at(f, r.option('spaced key').keyRange)).toBe('9:3');
    expect(r.at(f, r.option('novalue').valueRange)).toBe('7:8');
    const text = r.text(f);
    expect(slice(text, r.result.sectionRange!)).toBe(text.slice(text.indexOf('[uwsgi]')));
  });

  it('reads every [uwsgi] section in order; the header loses its last character whatever it is', () => {
    const r = read('sections.ini');
    expect(r.pairs()).toEqual([
      ['b', '2'],
      ['d', '4'],
      ['i', '9'],
    ]);
    const text = r.text('sections.ini');
    expect(r.result.sectionRanges!.map((s) => slice(text, s))).toEqual(['[uwsgi]\nb = 2\n', '[uwsgi]\nd = 4\n', '[uwsgi]\ni = 9\n']);
    expect(r.result.sectionRange).toEqual(r.result.sectionRanges![0]);
  });

  it('selects [app] with file.ini:app; %x is the section', () => {
    expect(read('select.ini', { section: 'app' }).pairs()).toEqual([
      ['b', '2'],
      ['x', 'app'],
    ]);
  });

  it('a missing section is a warning, not an error', () => {
    for (const f of ['empty.ini', 'no-section.ini']) {
      const r = read(f);
      expect(r.result.fatal).toBeUndefined();
      expect(r.pairs()).toEqual([]);
      expect(r.result.issues.map((i) => [i.ruleId, i.severity])).toEqual([['uwsgi/section-missing', 'warning']]);
    }
  });

  it('a BOM hides [uwsgi] on line 1; a BOM on a comment line is harmless', () => {
    const r = read('bom.ini');
    expect(r.pairs()).toEqual([]);
    expect(r.issues('uwsgi/bom-hides-section').map((i) => i.range)).toEqual([{ start: 0, end: 8 }]);
    expect(read('bom-comment.ini').pairs()).toEqual([['a', '1']]);
    expect(read('bom-comment.ini').result.issues).toEqual([]);
  });

  it('CRLF is harmless, except that a % before it takes the CR away', () => {
    const r = read('crlf.ini');
    expect(r.pairs()).toEqual([
      ['a', '1'],
      ['master', 'false'],
      ['eol', '50'],
      ['b', '2'],
    ]);
    const [v] = r.issues('uwsgi/percent-vanishes');
    expect(r.at('crlf.ini', v!.range)).toBe('4:9');
  });

  it('a % at the end of a line joins lines: a comment swallows the next option, a value takes the next line', () => {
    const r = read('percent.ini');
    expect(r.pairs()).toEqual([
      ['a', '1'],
      ['eol', '50joined = yes'],
      ['after', '2'],
      ['discount', '50off'],
    ]);
    const joins = r.issues('uwsgi/percent-eol');
    expect(joins.map((i) => r.at('percent.ini', i.range))).toEqual(['5:1', '7:1']);
    expect(joins[0]!.message).toContain('`lost = 1`');
    const text = r.text('percent.ini');
    expect(slice(text, r.option('eol').valueRange)).toBe('50%\njoined = yes');
    expect(r.issues('uwsgi/percent-vanishes').map((i) => slice(text, i.range))).toEqual(['% ']);
  });

  it('a % at the end of a line in another section can swallow the [uwsgi] header', () => {
    const r = read('percent-header.ini');
    expect(r.pairs()).toEqual([]);
    const [j] = r.issues('uwsgi/percent-eol');
    expect(r.at('percent-header.ini', j!.range)).toBe('2:1');
    expect(j!.message).toContain('`[uwsgi]` header');
  });

  it('Paste files: only [uwsgi] is read, %(here)s stays, %d works', () => {
    const r = read('paste.ini');
    expect(r.pairs()).toEqual([
      ['socket', '127.0.0.1:4001'],
      ['log', '%(here)s/uwsgi.log'],
      ['pythonpath', `${r.cwd}/lib`],
      ['master', 'True'],
    ]);
  });

  it('reads a last line without a newline', () => {
    expect(read('no-final-newline.ini').pairs()).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });
});
