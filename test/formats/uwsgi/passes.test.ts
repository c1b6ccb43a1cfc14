import { describe, expect, it } from 'vitest';
import { expandValue, placeholderMath, strtoll } from '../../../src/formats/uwsgi/passes.js';
import { readFixture, slice } from './helpers.js';

const ENV = { GM_PORT: '8081', GM_WITH_PH: '%(base)/x', GM_EMPTY: '' };
const read = (file: string) => readFixture('passes', file, { env: ENV });

describe('%(placeholder) pass', () => {
  it('takes the first option of that name, from anywhere; unknown and empty stay; index 0 is not rescanned', () => {
    const r = read('placeholders.ini');
    expect(r.pairs()).toEqual([
      ['base', '/srv/galaxy'],
      ['chdir', '/srv/galaxy/server'],
      ['forward', 'L-x'],
      ['later', 'L'],
      ['dup', 'first'],
      ['dup', 'second'],
      ['use-dup', 'first'],
      ['missing', '%(no-such-option)'],
      ['empty', '%()'],
      ['paste', '/srv/galaxys'],
      ['set-ph', 'inner=%(target)'],
      ['inner', '%(target)'],
      ['target', 'T'],
      ['at-start', '%(target)'],
      ['not-at-start', 'xT'],
      ['self', '%(self)ss'],
      ['nested', '%(x/srv/galaxy)'],
    ]);
    const chdir = r.option('chdir');
    expect(chdir.rawValue).toBe('%(base)/server');
    expect(slice(r.text('placeholders.ini'), chdir.valueRange)).toBe('%(base)/server');
    expect(r.at('placeholders.ini', chdir.valueRange)).toBe('3:9');
  });

  it('mutual references settle on the one landing at index 0', () => {
    expect(read('mutual.ini').pairs()).toEqual([
      ['a', '%(a)'],
      ['b', '%(a)'],
    ]);
  });

  it('a runaway self-reference is bounded: reported, and fatal as in uWSGI', () => {
    const r = read('runaway.ini');
    expect(r.result.fatal?.message).toContain('never ends');
    expect(r.at('runaway.ini', r.result.fatal!.range)).toBe('3:1');
    const [i] = r.issues('uwsgi/runaway-expansion');
    expect(i!.severity).toBe('error');
    expect(r.option('a').value).toBe('x%(a)');
  });

  it('math: concatenation without operator, 64-bit integers, left to right, / 0 is 0', () => {
    const r = read('math.ini');
    expect(Object.fromEntries(r.pairs())).toEqual({
      cores: '8',
      two: '2',
      concat: '88',
      digits: '12',
      sum: '9',
      chain: '18',
      sub: '-6',
      div: '2',
      div0: '0',
      inc: '9',
      dec: '7',
      unknown: '5',
      spaces: '16',
    });
  });

  it('the evaluator alone', () => {
    const opt = (n: string): string | null => ({ a: '7', big: '9223372036854775807' })[n] ?? null;
    expect(placeholderMath('a a', opt)).toBe('77');
    expect(placeholderMath('big + 1', opt)).toBe('-9223372036854775808');
    expect(placeholderMath('99999999999999999999 + 0', opt)).toBe('9223372036854775807');
    expect(placeholderMath('  ', opt)).toBeNull();
    expect(placeholderMath('- 3', opt)).toBe('-3');
    expect(strtoll('  -12abc')).toBe(-12n);
    expect(strtoll('x1')).toBe(0n);
  });
});

describe('$(ENV) pass', () => {
  it('expands set variables, leaves unset ones, empties empty ones; its result goes through the % pass', () => {
    const r = read('env.ini');
    expect(r.pairs()).toEqual([
      ['base', '/srv'],
      ['port', '8081'],
      ['http', '127.0.0.1:8081'],
      ['env-ph', '/srv/x'],
      ['empty', '[]'],
      ['unset', '$(GM_UNSET)'],
      ['no-paren', '$GM_PORT'],
    ]);
  });
});

describe('@(file) pass', () => {
  it('reads files relative to the working directory, drops one trailing newline, never runs exec://', () => {
    const r = read('at.ini');
    expect(r.pairs()).toEqual([
      ['rel', 'from-file'],
      ['abs', 'from-file'],
      ['crlf', 'crlf\r'],
      ['multi', 'x-$(GM_PORT)-from-file'],
      ['cmd', '@(exec://echo hello)'],
      ['mixed', 'x-@(exec://id)-from-file'],
    ]);
    const execs = r.issues('uwsgi/exec-not-run');
    expect(execs.map((i) => r.at('at.ini', i.range))).toEqual(['6:7', '7:9']);
    expect(execs[0]!.message).toContain('`echo hello`');
    expect(r.result.files.map((f) => f.path)).toEqual(['at.ini', 'data/value.txt', 'data/crlf.txt', 'data/passes.txt']);
  });

  it('a missing file is fatal', () => {
    const r = read('at-missing.ini');
    expect(r.result.fatal?.message).toBe('open("data/missing.txt"): No such file or directory');
    expect(r.at('at-missing.ini', r.result.fatal!.range)).toBe('3:1');
  });
});

describe('the scanner', () => {
  const hook = (map: Record<string, string>) => (n: string) => map[n] ?? null;
  it('nests parentheses and restarts on a new symbol', () => {
    expect(expandValue('%(a(b))', '%', hook({ 'a(b)': 'X' })).value).toBe('X');
    expect(expandValue('%(a%(b))', '%', hook({ b: 'c', 'ac': 'Z' })).value).toBe('%(ac)');
    expect(expandValue('x%(a%(b))', '%', hook({ b: 'c', ac: 'Z' })).value).toBe('xZ');
  });
  it('stops a self-feeding expansion', () => {
    const res = expandValue('x$(A)', '$', () => 'x$(A)');
    expect(res.runaway).toBe(true);
  });
});
