import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { formatShowConfig, readUwsgiConfig } from '../../../src/formats/uwsgi/index.js';

/** Token soups: the reader never throws, never reports an internal error, and keeps ranges in bounds. */
describe('robustness', () => {
  const tokens = [
    'uwsgi:', '[uwsgi]', '[app]', 'app:', '  ', '\t', '\r', '\n', '\r\n', '#', ';', '%', '%%', '%d', '%n', '%(', '%(a)', '%(a b)',
    '%(a + 1)', '$(HOME)', '@(x.txt)', '@(exec://id)', ':', ': ', '=', ' = ', 'a', 'b', 'key', 'include', 'ini', 'yaml', 'inherit',
    'set', 'set-ph', 'for', 'endfor', 'if-env', 'if-opt', 'endif', 'end', 'x.ini', 'y.yml', ':other', '- ', '[', '{', '"', "'",
    '\ufeff', 'é', '\u{1F600}', 'for-times', '9999999', 'for-glob', '*', 'listen', '%x', '%D',
  ];
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const soup = (n: number): string => Array.from({ length: n }, () => tokens[Math.floor(rnd() * tokens.length)]).join('');

  it('never throws on 400 random files', () => {
    for (let i = 0; i < 400; i++) {
      const files = { '/w/x.ini': soup(40), '/w/y.yml': soup(40), '/w/x.txt': soup(5), '/w/main.ini': soup(60), '/w/main.yml': soup(60) };
      for (const main of ['main.ini', 'main.yml']) {
        const host = memoryHost(files, '/w', { A: '1' });
        const r = readUwsgiConfig(main, { host, ...(rnd() < 0.2 ? { section: 'app' } : {}) });
        expect(r.issues.filter((x) => x.ruleId === 'uwsgi/internal-error')).toEqual([]);
        expect(typeof formatShowConfig(r.options)).toBe('string');
        for (const o of r.options) {
          const text = r.files.find((f) => f.path === o.file)?.text;
          if (text === undefined) continue;
          expect(o.valueRange.end).toBeLessThanOrEqual(text.length);
          expect(o.range.start).toBeLessThanOrEqual(o.range.end);
        }
      }
    }
  });
});

describe('bounds', () => {
  it('a huge for-times stops at a bound instead of exhausting memory', () => {
    const host = memoryHost({ '/w/a.ini': '[uwsgi]\nfor-times = 99999999\n' + 'k = %(_)\n'.repeat(20) }, '/w');
    const r = readUwsgiConfig('a.ini', { host });
    expect(r.fatal?.message).toContain('more than 100000 options');
    expect(r.issues.map((i) => i.ruleId)).toContain('uwsgi/too-many-options');
  });
});
