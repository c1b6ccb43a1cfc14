import { describe, expect, it } from 'vitest';
import { printIni } from '../../../src/formats/ini/lossless.js';
import { expandSpecifiers, parseSize, parseSystemd, parseSystemdEnvironment, unitSetting, unitSettings } from '../../../src/formats/systemd/index.js';

const UNIT = [
  '[Unit]',
  'Description=Galaxy handlers',
  '',
  '[Service]',
  '# comment',
  'ExecStart=/srv/galaxy/venv/bin/python ./scripts/galaxy-main \\',
  '  -c /srv/galaxy/config/galaxy.yml \\',
  '; a comment inside the continuation is skipped',
  '  --server-name=handler_%I',
  'Environment=VIRTUAL_ENV=/srv/galaxy/venv "GREETING=hello world"',
  'Environment={{ extra_env }}',
  '{% if limit %}',
  'MemoryLimit = 16G',
  '{% endif %}',
  '',
  '[Install]',
  'WantedBy=multi-user.target',
].join('\n');

describe('systemd reader', () => {
  const doc = parseSystemd({ path: 'templates/systemd/galaxy-handler@.service.j2', text: UNIT, bom: false });

  it('gives the text back byte for byte and knows the unit name', () => {
    expect(printIni(UNIT, doc.ast)).toBe(UNIT);
    expect(doc.errors).toEqual([]);
    expect(doc.ast.unitName).toBe('galaxy-handler@.service');
    expect(doc.ast.template).toBe(true);
  });

  it('joins backslash continuations with a space and skips comment lines inside them', () => {
    const e = unitSetting(doc.ast, 'Service', 'ExecStart')!;
    expect(e.value).toBe('/srv/galaxy/venv/bin/python ./scripts/galaxy-main    -c /srv/galaxy/config/galaxy.yml    --server-name=handler_%I');
    expect(e.line).toBe(6);
    expect(UNIT.slice(e.lines.start, e.lines.end)).toBe(UNIT.split('\n').slice(5, 9).join('\n') + '\n');
  });

  it('keeps every Environment= line, Jinja whole; blanks around = are stripped', () => {
    const env = unitSettings(doc.ast, 'Service', 'Environment').flatMap((e) => parseSystemdEnvironment(e.value));
    expect(env).toEqual([
      { key: 'VIRTUAL_ENV', value: '/srv/galaxy/venv' },
      { key: 'GREETING', value: 'hello world' },
      { key: '{{ extra_env }}', value: '' },
    ]);
    expect(unitSetting(doc.ast, 'Service', 'MemoryLimit')!.value).toBe('16G');
  });

  it('leaves out words without `=`, which systemd ignores (fuzz seed 33, round 10: `{%` became a gravity environment key)', () => {
    expect(parseSystemdEnvironment('{% endif %}VIRTUAL_ENV=/srv/galaxy/venv A=1 justaword')).toEqual([
      { key: '%}VIRTUAL_ENV', value: '/srv/galaxy/venv' },
      { key: 'A', value: '1' },
    ]);
  });

  it('expands instance specifiers and reads sizes', () => {
    expect(expandSpecifiers('handler_%I %%i', '2')).toBe('handler_2 %i');
    expect(parseSize('16G')).toBe(16 * 1024 ** 3);
    expect(parseSize('512M')).toBe(512 * 1024 ** 2);
    expect(parseSize('{{ x }}G')).toBeUndefined();
  });

  it('warns about a line without = and goes on', () => {
    const d = parseSystemd({ path: 'x.service', text: '[Service]\nbogus\nType=simple\n', bom: false });
    expect(d.errors.map((e) => [e.message, e.severity])).toEqual([["line 2 has no '=': systemd ignores it", 'warning']]);
    expect(unitSetting(d.ast, 'Service', 'Type')!.value).toBe('simple');
  });
});
