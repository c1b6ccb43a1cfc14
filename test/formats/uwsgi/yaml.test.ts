import { describe, expect, it } from 'vitest';
import { FIXTURES, readFixture, slice } from './helpers.js';

const read = (file: string, opts: { section?: string } = {}) => readFixture('yaml', file, opts);

describe('embedded YAML reader: what uWSGI reads', () => {
  it('reads the first uwsgi: block of a galaxy.yml: repeated keys kept, comments and blank lines skipped', () => {
    const r = read('galaxy.yml');
    expect(r.pairs()).toEqual([
      ['http', '127.0.0.1:8080'],
      ['static-map', '/static=static'],
      ['static-map', '/favicon.ico=static/favicon.ico'],
      ['processes', '1'],
      ['processes', '4'],
      ['module', 'galaxy.webapps.galaxy.buildapp:uwsgi_app()'],
    ]);
    const f = 'galaxy.yml';
    expect(r.at(f, r.option('http').range)).toBe('5:3');
    expect(r.at(f, r.option('http').valueRange)).toBe('5:9');
    expect(r.at(f, r.option('module').keyRange)).toBe('12:3');
    expect(r.result.issues).toEqual([]);
    // the block, from `uwsgi:` to its last indented line (the column-0 comment is inside it)
    const text = r.text(f);
    expect(slice(text, r.result.sectionRange!)).toBe(text.slice(text.indexOf('uwsgi:'), text.indexOf('\ngalaxy:')));
    expect(r.result.files.map((x) => x.path)).toEqual(['galaxy.yml']);
  });

  it('splits at the first ": " (or ":\\t"), keeps other colons, trims blanks, allows an empty key', () => {
    const r = read('odd-keys.yml');
    expect(r.pairs()).toEqual([
      ['my key', 'spaced'],
      ['', 'empty key'],
      ['a:b', 'c'],
      ['spaced key', 'v'],
      ['nested', 'a: b: c'],
      ['http', ':8080'],
    ]);
  });

  it('counts TABs as indentation, accepts ":\\t", and looks for ": " first on the whole line', () => {
    const r = read('tabs.yml');
    expect(r.pairs()).toEqual([
      ['a', '1'],
      ['b', 'spaced'],
      ['g:\tx', 'y'],
      ['h', 'two  words'],
    ]);
    expect(r.at('tabs.yml', r.option('g:\tx').keyRange)).toBe('4:4');
  });

  it('reads a last line without a newline', () => {
    expect(read('no-final-newline.yml').pairs()).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('finds nothing in an indented document or under a nested uwsgi: key (no warning from uWSGI; an info here)', () => {
    for (const f of ['indented.yml', 'nested.yml']) {
      const r = read(f);
      expect(r.pairs()).toEqual([]);
      expect(r.result.issues.map((i) => [i.ruleId, i.severity])).toEqual([['uwsgi/section-missing', 'info']]);
      expect(r.result.sectionRange).toBeUndefined();
    }
  });

  it('selects another top-level block with file.yml:section, %x naming it', () => {
    expect(read('sections.yml', { section: 'app' }).pairs()).toEqual([
      ['b', 'app'],
      ['c', '3'],
    ]);
    expect(read('sections.yml').pairs()).toEqual([['a', '1']]);
  });

  it('skips --- before the section, so a later document is found; a column-0 ... ends it', () => {
    const r = read('documents.yml');
    expect(r.pairs()).toEqual([['b', '2']]);
    const issue = r.issues('uwsgi/second-block-ignored');
    expect(issue.map((i) => r.at('documents.yml', i.range))).toEqual(['8:1']);
  });
});

describe('embedded YAML reader: silent stops, reported', () => {
  it('`key:value` without a blank stops the whole file; the issue names the keys uWSGI never sees', () => {
    const r = read('stop-no-blank.yml');
    expect(r.pairs()).toEqual([['a', '1']]);
    const [stop] = r.issues('uwsgi/parse-stopped');
    expect(stop).toBeDefined();
    expect(stop!.severity).toBe('warning');
    expect(stop!.file).toBe('stop-no-blank.yml');
    expect(r.at('stop-no-blank.yml', stop!.range)).toBe('3:1');
    expect(slice(r.text('stop-no-blank.yml'), stop!.range)).toBe('  processes:4');
    expect(stop!.message).toContain('`processes`, `threads`');
    expect(stop!.message).not.toContain('`x`'); // galaxy: is another block
  });

  it('`parent: ` (trailing blank) is an empty option whose children are flattened; a bare `nested:` stops', () => {
    const r = read('stop-bare-key.yml');
    expect(r.pairs()).toEqual([
      ['parent', ''],
      ['child', '1'],
    ]);
    const [stop] = r.issues('uwsgi/parse-stopped');
    expect(r.at('stop-bare-key.yml', stop!.range)).toBe('4:1');
    expect(stop!.message).toContain('`nested`, `lost`, `after`');
  });

  it('CRLF: every value keeps its CR, `key: \\r` is empty, `key:\\r` stops', () => {
    const r = read('crlf.yml');
    expect(r.pairs()).toEqual([
      ['a', '1\r'],
      ['empty', ''],
      ['master', 'false\r'],
    ]);
    const [stop] = r.issues('uwsgi/parse-stopped');
    expect(r.at('crlf.yml', stop!.range)).toBe('6:1');
    expect(slice(r.text('crlf.yml'), stop!.range)).toBe('  bare:');
    expect(stop!.message).toContain('carriage return');
    expect(stop!.message).toContain('`bare`, `lost`');
  });

  it('a list item is skipped outside the section and stops it inside; flow values are literal text', () => {
    const r = read('lists.yml');
    expect(r.pairs()).toEqual([
      ['map', '{a: 1}'],
      ['seq', '[1, 2]'],
    ]);
    const [stop] = r.issues('uwsgi/parse-stopped');
    expect(r.at('lists.yml', stop!.range)).toBe('9:1');
    expect(stop!.message).toContain('list item');
    expect(stop!.message).toContain('`lost`');
  });

  it('a line starting with { stops', () => {
    const r = read('flow-line.yml');
    expect(r.pairs()).toEqual([['a', '1']]);
    expect(r.issues('uwsgi/parse-stopped').map((i) => r.at('flow-line.yml', i.range))).toEqual(['3:1']);
  });

  it('a block scalar gives its indicator as value, and its first line stops', () => {
    const r = read('block-scalar.yml');
    expect(r.pairs()).toEqual([
      ['a', '1'],
      ['text', '|'],
    ]);
    const [stop] = r.issues('uwsgi/parse-stopped');
    expect(r.at('block-scalar.yml', stop!.range)).toBe('4:1');
    expect(stop!.message).toContain('block scalar');
    expect(stop!.message).toContain('`b`');
  });

  it('only the first uwsgi: block counts, even when it is empty', () => {
    const a = read('second-block.yml');
    expect(a.pairs()).toEqual([['a', '1']]);
    expect(a.issues('uwsgi/second-block-ignored').map((i) => a.at('second-block.yml', i.range))).toEqual(['5:1']);
    const b = read('empty-first-block.yml');
    expect(b.pairs()).toEqual([]);
    expect(b.issues('uwsgi/second-block-ignored').map((i) => b.at('empty-first-block.yml', i.range))).toEqual(['4:1']);
    expect(slice(b.text('empty-first-block.yml'), b.result.sectionRange!)).toBe('uwsgi:\n');
  });

  it('a BOM hides a uwsgi: header on line 1', () => {
    const r = read('bom.yml');
    expect(r.pairs()).toEqual([]);
    const [bom] = r.issues('uwsgi/bom-hides-section');
    expect(bom!.range).toEqual({ start: 0, end: 7 });
    expect(r.result.files[0]!.bom).toBe(true);
  });

  it('`endfor:` without a trailing blank stops parsing and leaves the for block open', () => {
    const r = read('endfor-bare.yml');
    expect(r.pairs()).toEqual([
      ['for', 'a b'],
      ['item', 'a'],
      ['item', 'b'],
    ]);
    expect(r.issues('uwsgi/parse-stopped').map((i) => r.at('endfor-bare.yml', i.range))).toEqual(['4:1']);
    const [open] = r.issues('uwsgi/logic-block-open');
    expect(r.at('endfor-bare.yml', open!.range)).toBe('2:8');
    expect(read('endfor.yml').pairs()).toEqual([
      ['for', 'a b'],
      ['item', 'a'],
      ['item', 'b'],
      ['endfor', ''],
      ['after', '1'],
    ]);
  });
});

describe('embedded YAML reader: comments', () => {
  it('cuts every line at its first #, in words, quotes and URLs', () => {
    const r = read('comments.yml');
    expect(r.pairs()).toEqual([
      ['a', '1'],
      ['b', 'a'],
      ['c', '"quoted'],
      ['url', 'http://host/'],
      ['d', '4'],
    ]);
    // `a: 1 # a real comment` is a comment for YAML too: not reported
    const cuts = r.issues('uwsgi/inline-comment-cuts-value');
    expect(cuts.map((i) => r.at('comments.yml', i.range))).toEqual(['3:6', '4:6', '5:8']);
    expect(cuts.map((i) => slice(r.text('comments.yml'), i.range))).toEqual(['a#b', '"quoted # cut"', 'http://host/#frag']);
  });

  it('percent at the end of a line joins lines, also through a comment; ranges span the join', () => {
    const r = read('percent.yml');
    expect(r.pairs()).toEqual([
      ['limit', '100  next-key: kept?'],
      ['after', '2'],
    ]);
    const text = r.text('percent.yml');
    const limit = r.option('limit');
    expect(slice(text, limit.valueRange)).toBe('100%\n  next-key: kept?');
    const joins = r.issues('uwsgi/percent-eol');
    // the join in the galaxy: block changes nothing uWSGI reads: not reported
    expect(joins.map((i) => r.at('percent.yml', i.range))).toEqual(['5:1', '7:1']);
    expect(joins[1]!.message).toContain('`lost: 1`');
  });

  it('fixture root is physical', () => {
    expect(FIXTURES.startsWith('/')).toBe(true);
  });
});
