import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { readUwsgiConfig } from '../../../src/formats/uwsgi/index.js';
import { checkLine } from '../../../src/formats/uwsgi/checks/index.js';
import { readFixture, slice, wrap } from './helpers.js';

describe('values uWSGI reads differently from what their author meant', () => {
  it('quoted values and quoted booleans (YAML)', () => {
    const r = readFixture('yaml', 'quotes.yml');
    const t = r.text('quotes.yml');
    const found = r.result.issues.map((i) => [i.ruleId, r.at('quotes.yml', i.range), slice(t, i.range)]);
    expect(found).toEqual([
      ['uwsgi/boolean-reads-opposite', '2:11', '"false"'],
      ['uwsgi/boolean-reads-opposite', '3:16', "'no'"],
      ['uwsgi/quoted-value', '4:10', "'027'"],
      ['uwsgi/quoted-value', '5:11', '"app:x"'],
    ]);
    expect(r.result.issues.every((i) => i.severity === 'warning' && i.file === 'quotes.yml')).toBe(true);
    expect(r.issues('uwsgi/quoted-value')[0]!.message).toContain("`'027'`");
    expect(r.issues('uwsgi/boolean-reads-opposite')[0]!.message).toContain('`master` ON');
  });

  it('a CRLF line end keeps a CR: a boolean turned on, any other value changed', () => {
    const r = readFixture('yaml', 'crlf.yml');
    const got = r.result.issues.filter((i) => i.ruleId !== 'uwsgi/parse-stopped').map((i) => [i.ruleId, r.at('crlf.yml', i.range)]);
    expect(got).toEqual([
      ['uwsgi/trailing-cr', '2:6'],
      ['uwsgi/boolean-reads-opposite', '5:11'],
    ]);
  });

  it('quotes in INI are data too', () => {
    const r = readFixture('ini', 'basic.ini');
    expect(r.issues('uwsgi/quoted-value').map((i) => r.at('basic.ini', i.range))).toEqual(['14:10']);
  });

  it('only lines of the selected section are checked', () => {
    const host = memoryHost(
      { '/d/g.yml': 'galaxy:\n  brand: "Galaxy"\n  flag: "false"\nuwsgi:\n  master: false\n' },
      '/d',
    );
    const r = wrap(readUwsgiConfig('g.yml', { host }), '/d');
    expect(r.result.issues).toEqual([]);
  });

  it('the checks one by one', () => {
    const base = { format: 'yaml' as const, file: 'f', valueRange: { start: 0, end: 1 } };
    expect(checkLine({ ...base, key: 'master', value: 'False' })).toBeUndefined();
    expect(checkLine({ ...base, key: 'master', value: 'OFF' })).toBeUndefined();
    expect(checkLine({ ...base, key: 'master', value: "'0'" })?.ruleId).toBe('uwsgi/boolean-reads-opposite');
    expect(checkLine({ ...base, key: 'processes', value: "'0'" })?.ruleId).toBe('uwsgi/quoted-value');
    expect(checkLine({ ...base, key: 'x', value: 'a', valueLine: 'a # comment', cutAt: 2 })).toBeUndefined();
    expect(checkLine({ ...base, key: 'x', value: 'a', valueLine: 'a#b', cutAt: 1 })?.ruleId).toBe('uwsgi/inline-comment-cuts-value');
    expect(checkLine({ ...base, key: 'x', value: "'a", valueLine: "'a # b'", cutAt: 3 })?.ruleId).toBe('uwsgi/inline-comment-cuts-value');
    expect(checkLine({ ...base, format: 'ini', key: 'x', value: 'v\r' })).toBeUndefined();
  });
});
