import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { expandGlob } from '../../../src/formats/uwsgi/glob.js';
import { readFixture, slice } from './helpers.js';

const read = (file: string, env: Record<string, string> = { GM_FLAG: 'on' }) => readFixture('logic', file, { env });

describe('logic blocks', () => {
  it('for, for-times, for-readline, if-env, if-not-env, if-opt, if-not-opt, if-exists, if-file, if-dir; end keys kept', () => {
    const r = read('logic.ini');
    expect(r.pairs()).toEqual([
      ['for', 'a b  c'],
      ['item', 'a'],
      ['item', 'b'],
      ['item', 'c'],
      ['endfor', ''],
      ['for-times', '2'],
      ['n', 'worker-1'],
      ['n', 'worker-2'],
      ['end-for', ''],
      ['if-env', 'GM_FLAG'],
      ['flag', 'on'],
      ['endif', ''],
      ['if-env', 'GM_FLAG=off'],
      ['endif', ''],
      ['if-not-env', 'GM_UNSET'],
      ['unset', 'yes %(_)'],
      ['end-if', ''],
      ['if-opt', 'flag'],
      ['has-flag', 'on'],
      ['end', ''],
      ['if-not-opt', 'flag=on'],
      ['endif', ''],
      ['if-exists', 'data/lines.txt'],
      ['exists', 'data/lines.txt'],
      ['endif', ''],
      ['if-not-exists', 'data/nope.txt'],
      ['missing', 'data/nope.txt'],
      ['endif', ''],
      ['if-file', 'data'],
      ['endif', ''],
      ['if-dir', 'data'],
      ['is-dir', 'data'],
      ['endif', ''],
      ['for-readline', 'data/lines.txt'],
      ['line', '[one]'],
      ['line', '[two]'],
      ['line', '[]'],
      ['line', '[three]'],
      ['endfor', ''],
      ['last', '1'],
    ]);
    // every repetition points at its line, raw value as written
    const items = r.result.options.filter((o) => o.key === 'item');
    expect(items.map((o) => r.at('logic.ini', o.range))).toEqual(['3:1', '3:1', '3:1']);
    expect(items.map((o) => slice(r.text('logic.ini'), o.valueRange))).toEqual(['%(_)', '%(_)', '%(_)']);
    expect(r.result.issues).toEqual([]);
    expect(r.result.files.map((f) => f.path)).toEqual(['logic.ini', 'data/lines.txt']);
  });

  it('a block left open is reported at its opening line', () => {
    const r = read('open.ini');
    expect(r.pairs()).toEqual([
      ['a', '1'],
      ['if-env', 'GM_UNSET'],
    ]);
    const [open] = r.issues('uwsgi/logic-block-open');
    expect(r.at('open.ini', open!.range)).toBe('3:10');
  });

  it('a logic key inside an open block is fatal', () => {
    const r = read('nested.ini');
    expect(r.result.fatal?.message).toBe('recursive logic in options is not supported (option = for)');
    expect(r.at('nested.ini', r.result.fatal!.range)).toBe('3:1');
  });

  it('set adds an option, set-placeholder a placeholder that is never expanded itself', () => {
    const r = read('set.ini');
    expect(r.pairs()).toEqual([
      ['set', 'name=value'],
      ['name', 'value'],
      ['set', 'other=%(name)-x'],
      ['other', 'value-x'],
      ['set-placeholder', 'ph=%(name)'],
      ['ph', '%(name)'],
      ['use', '%(name)'],
    ]);
    const text = r.text('set.ini');
    const name = r.option('name');
    expect(slice(text, name.keyRange)).toBe('name');
    expect(slice(text, name.valueRange)).toBe('value');
    expect(r.at('set.ini', name.keyRange)).toBe('2:7');
  });

  it('set without = is fatal', () => {
    expect(read('set-invalid.ini').result.fatal?.message).toBe('invalid placeholder/--set value');
  });
});

describe('for-glob', () => {
  it('expands like glob(3): sorted, directories marked, hidden names only when asked, the pattern when nothing matches', () => {
    const host = memoryHost({ '/w/d/b.ini': '', '/w/d/a.ini': '', '/w/d/.h.ini': '', '/w/d/sub/x.ini': '', '/w/d/c.txt': '' }, '/w');
    expect(expandGlob('d/*.ini', host)).toEqual(['d/a.ini', 'd/b.ini']);
    expect(expandGlob('d/*', host)).toEqual(['d/a.ini', 'd/b.ini', 'd/c.txt', 'd/sub/']);
    expect(expandGlob('d/[!a].*', host)).toEqual(['d/b.ini', 'd/c.txt']);
    expect(expandGlob('d/.h*', host)).toEqual(['d/.h.ini']);
    expect(expandGlob('/w/d/*/?.ini', host)).toEqual(['/w/d/sub/x.ini']);
    expect(expandGlob('none*', host)).toEqual(['none*']);
    expect(expandGlob('d', host)).toEqual(['d/']);
  });
});
