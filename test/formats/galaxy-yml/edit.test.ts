import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { memoryHost } from '../../../src/core/host.js';
import { applyEdits } from '../../../src/core/edits.js';
import { parseGalaxyYml } from '../../../src/formats/galaxy-yml/index.js';
import { insertSection, mergeIntoPair } from '../../../src/formats/galaxy-yml/edit.js';
import { renderEntries, yamlScalar, type Entry } from '../../../src/formats/galaxy-yml/write.js';

const parse = (text: string) => parseGalaxyYml({ path: 'galaxy.yml', text, bom: false }, memoryHost({}, '/d'));

const GRAVITY: Entry[] = [
  { key: 'virtualenv', value: '/srv/venv' },
  { key: 'gunicorn', value: [{ key: 'bind', value: 'unix:/srv/gunicorn.sock' }, { key: 'workers', value: 4 }] },
  { key: 'handlers', value: [{ key: 'handler', value: [{ key: 'processes', value: 2 }, { key: 'pools', value: ['job-handlers', 'workflow-schedulers'] }] }] },
];

function merge(text: string, entries: Entry[] = GRAVITY) {
  const doc = parse(text);
  const r = mergeIntoPair(doc, doc.ast.gravity!.pair!, entries, 'gravity');
  return { ...r, after: applyEdits(text, r.edits) };
}

describe('mergeIntoPair', () => {
  it('adds missing keys at the end of each block, with the block\'s own indentation, comments kept', () => {
    const text = 'gravity:\n    # my note\n    gunicorn:\n        timeout: 600\n\n    # trailing comment\ngalaxy:\n    a: 1\n';
    const { after, kept, blocked } = merge(text);
    expect(blocked).toEqual([]);
    expect(kept).toEqual([]);
    expect(after).toBe(
      'gravity:\n    # my note\n    gunicorn:\n        timeout: 600\n' +
        "        bind: 'unix:/srv/gunicorn.sock'\n        workers: 4\n\n    # trailing comment\n" +
        '    virtualenv: /srv/venv\n    handlers:\n        handler:\n            processes: 2\n            pools:\n                - job-handlers\n                - workflow-schedulers\n' +
        'galaxy:\n    a: 1\n',
    );
    expect(parseDocument(after).errors).toEqual([]);
  });

  it('fills keys with no value yet: `key:` with only comments below, `key: ~`, `key: {}`', () => {
    const text = 'gravity:\n  gunicorn:\n    # bind: x\n  handlers: {}\n  celery: ~  # c\n';
    const { after } = merge(text, [...GRAVITY, { key: 'celery', value: [{ key: 'enable', value: true }] }]);
    expect(after).toBe(
      "gravity:\n  gunicorn:\n    # bind: x\n    bind: 'unix:/srv/gunicorn.sock'\n    workers: 4\n" +
        '  handlers:\n    handler:\n      processes: 2\n      pools:\n        - job-handlers\n        - workflow-schedulers\n' +
        '  celery:  # c\n    enable: true\n' +
        '  virtualenv: /srv/venv\n',
    );
    expect(parseDocument(after).toJS().gravity.celery).toEqual({ enable: true });
  });

  it('keeps a value the admin already set and reports it; an equal value is left alone silently', () => {
    const text = 'gravity:\n  virtualenv: /other/venv\n  gunicorn:\n    workers: 4\n';
    const { after, kept } = merge(text);
    expect(kept).toEqual([{ path: 'gravity.virtualenv', wanted: '/srv/venv' }]);
    expect(after).toContain('  virtualenv: /other/venv\n');
    expect(after).not.toContain('workers: 4\n    workers');
  });

  it('refuses to merge into a flow mapping with content or a scalar, instead of guessing', () => {
    expect(merge('gravity:\n  gunicorn: {bind: x}\n').blocked).toEqual(['gravity.gunicorn is a flow mapping ({…}), not a block mapping galaxy-migrate can add keys to']);
    expect(merge('gravity:\n  handlers: none\n').blocked[0]).toMatch(/^gravity\.handlers is a value/);
  });

  it('starts a new line at the end of a file without a final line break', () => {
    expect(merge('gravity:\n  gunicorn:\n    workers: 4', [{ key: 'x', value: 1 }]).after).toBe('gravity:\n  gunicorn:\n    workers: 4\n  x: 1\n');
  });

  it('writes with the file\'s CRLF line breaks', () => {
    expect(merge('gravity:\r\n  a: 1\r\n', [{ key: 'b', value: 2 }]).after).toBe('gravity:\r\n  a: 1\r\n  b: 2\r\n');
  });
});

describe('insertSection', () => {
  it('goes before the named section, above the comment lines attached to it', () => {
    const text = '# file header\n\n# Galaxy options\ngalaxy:\n  a: 1\n';
    const doc = parse(text);
    const edit = insertSection(doc, 'gravity', [{ key: 'virtualenv', value: '/v' }], doc.ast.galaxy.section);
    expect(applyEdits(text, [edit])).toBe('# file header\n\ngravity:\n  virtualenv: /v\n\n# Galaxy options\ngalaxy:\n  a: 1\n');
  });
});

describe('renderEntries / yamlScalar', () => {
  it('quotes what YAML 1.1 would read as something else, and nothing more', () => {
    expect(['027', 'yes', 'off', '~', '', 'unix:/a.sock', '--forwarded-allow-ips="*"', "it's", '/srv/galaxy/venv', 'job-handlers', '8080', '0.0.0.0:8080', ' lead'].map(yamlScalar)).toEqual([
      "'027'",
      "'yes'",
      "'off'",
      "'~'",
      "''",
      "'unix:/a.sock'",
      '\'--forwarded-allow-ips="*"\'',
      "'it''s'",
      '/srv/galaxy/venv',
      'job-handlers',
      "'8080'",
      "'0.0.0.0:8080'",
      "' lead'",
    ]);
    expect(yamlScalar(4)).toBe('4');
    expect(yamlScalar(false)).toBe('false');
    expect(yamlScalar('a\nb')).toBe('"a\\nb"');
  });

  it('round-trips through a YAML 1.1 reader', () => {
    const entries: Entry[] = [
      { key: 'umask', value: '027' },
      { key: 'environment', value: [{ key: 'A_B', value: 'yes' }, { key: '1X', value: 'on' }] },
      { key: 'list', value: ['y', 'n'] },
      { key: 'empty', value: [] },
    ];
    const text = renderEntries(entries, 0, 2, '\n');
    expect(parseDocument(text, { version: '1.1' }).toJS()).toEqual({ umask: '027', environment: { A_B: 'yes', '1X': 'on' }, list: ['y', 'n'], empty: [] });
  });
});
