import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { readUwsgiConfig } from '../../../src/formats/uwsgi/index.js';
import { OffsetMap } from '../../../src/formats/uwsgi/offset-map.js';
import { substituteMagic, EMPTY_FILE_MAGIC } from '../../../src/formats/uwsgi/magic.js';
import { FIXTURES, readFixture, slice } from './helpers.js';

function configFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...configFiles(p));
    else if (/\.(ini|ya?ml)$/.test(name)) out.push(p);
  }
  return out;
}

describe('offsets into the original text', () => {
  const ENV = { GM_FLAG: 'on', GM_PORT: '8081' };
  for (const abs of configFiles(FIXTURES)) {
    const rel = relative(FIXTURES, abs);
    const dir = rel.split('/')[0]!;
    it(`every option of ${rel} points at its text`, () => {
      const r = readFixture(dir, relative(join(FIXTURES, dir), abs), { env: ENV });
      for (const o of r.result.options) {
        if (o.file === '<environment>') continue;
        const text = r.text(o.file);
        for (const range of [o.range, o.keyRange, o.valueRange]) {
          expect(range.start).toBeLessThanOrEqual(range.end);
          expect(range.end).toBeLessThanOrEqual(text.length);
        }
        expect(o.keyRange.start).toBe(o.range.start);
        expect(o.valueRange.end).toBe(o.range.end);
        const written = slice(text, o.valueRange);
        // where no magic variable (a `%`) changed it, the value's text is the raw value exactly
        if (!written.includes('%')) expect(written).toBe(o.rawValue);
        const key = slice(text, o.keyRange);
        if (!key.includes('%') && o.key !== 'name' && o.key !== 'other' && o.key !== 'ph' && o.key !== 'inner')
          expect(key).toBe(o.key);
      }
      for (const i of r.result.issues) {
        if (i.file === '<environment>') continue;
        expect(i.range.end).toBeLessThanOrEqual(r.text(i.file!).length);
      }
    });
  }

  it('a value joined by % at the end of a line spans both lines', () => {
    const text = 'uwsgi:\n  a: x%\n  b: y\n  c: 1\n';
    const r = readUwsgiConfig('f.yml', { host: memoryHost({ '/w/f.yml': text }, '/w') });
    const a = r.options[0]!;
    expect(a.value).toBe('x  b: y');
    expect(slice(text, a.valueRange)).toBe('x%\n  b: y');
    const c = r.options[1]!;
    expect(slice(text, c.range)).toBe('c: 1');
  });

  it('magic variables map back to the characters that wrote them', () => {
    const text = 'a%yb%dc%\nd';
    const m = substituteMagic(text, { file: { ...EMPTY_FILE_MAGIC, d: '/srv/' }, first: undefined, cwd: '/', runtime: {} });
    expect(m.text).toBe('ab/srv/cd');
    // a range starting where `%y` vanished includes it: 'b' is written as '%yb'
    expect(m.map.range(1, 2)).toEqual({ start: 1, end: 4 });
    expect(m.map.range(0, 2)).toEqual({ start: 0, end: 4 });
    // a position inside a replacement maps to the whole `%d`
    expect(m.map.range(3, 4)).toEqual({ start: 4, end: 6 });
    expect(m.map.range(2, 7)).toEqual({ start: 4, end: 6 });
    // through the % + newline join: 'cd' is written 'c%\nd'
    expect(m.map.range(7, 9)).toEqual({ start: 6, end: 10 });
    expect(OffsetMap.identity(3).range(1, 2)).toEqual({ start: 1, end: 2 });
  });
});
