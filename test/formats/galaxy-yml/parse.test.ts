import { isMap } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../../src/core/document.js';
import { memoryHost } from '../../../src/core/host.js';
import { parseGalaxyYml } from '../../../src/formats/galaxy-yml/index.js';
import { parseAs } from '../../../src/formats/parsers.js';
import { galaxyYmlUwsgi } from '../../../src/formats/galaxy-yml/extract.js';

const file = (text: string, path = 'config/galaxy.yml'): SourceFile => ({ path, text, bom: text.charCodeAt(0) === 0xfeff });
const parse = (text: string, files: Record<string, string> = {}) => parseGalaxyYml(file(text), memoryHost(files, '/d'));

const UWSGI_ERA = `# comment before
uwsgi:
  socket: /srv/galaxy/var/uwsgi.sock
  mule: lib/galaxy/main.py
  mule: lib/galaxy/main.py
  farm: job-handlers:1,2
  master: "false"
  umask: '027'
  processes:4
  threads: 2

galaxy:
  database_connection: postgresql://galaxy:pw-123456@db/galaxy
  job_config_file: job_conf.xml
  umask_like: 027
  job_config:
    runners:
      local:
        load: galaxy.jobs.runners.local:LocalJobRunner
`;

describe('parseGalaxyYml', () => {
  it('reads uwsgi: with uWSGI\'s rules and everything else with yaml, although the file is not valid YAML', () => {
    const doc = parse(UWSGI_ERA);
    expect(doc.kind).toBe('galaxy-yml');
    expect(doc.ast.yaml.errors).toEqual([]);
    expect(doc.ast.yaml.toJS()).not.toHaveProperty('uwsgi');
    expect(doc.ast.sections.map((s) => s.name)).toEqual(['uwsgi', 'galaxy']);
    // uWSGI stops at `processes:4`: the options before it, quotes kept
    expect(doc.ast.uwsgi?.read.options.map((o) => [o.key, o.value])).toEqual([
      ['socket', '/srv/galaxy/var/uwsgi.sock'],
      ['mule', 'lib/galaxy/main.py'],
      ['mule', 'lib/galaxy/main.py'],
      ['farm', 'job-handlers:1,2'],
      ['master', '"false"'],
      ['umask', "'027'"],
    ]);
    // option ranges point into the file
    const farm = doc.ast.uwsgi!.read.options[3]!;
    expect(UWSGI_ERA.slice(farm.range.start, farm.range.end)).toBe('farm: job-handlers:1,2');
  });

  it('surfaces the dialect reader\'s issues (quoted value, parse stop) with their own rule ids and lines', () => {
    const doc = parse(UWSGI_ERA);
    const at = (id: string) => doc.errors.filter((e) => e.ruleId === id).map((e) => doc.lines.position(e.range.start).line);
    expect(at('uwsgi/boolean-reads-opposite')).toEqual([7]);
    expect(at('uwsgi/quoted-value')).toEqual([8]);
    expect(at('uwsgi/parse-stopped')).toEqual([9]);
    expect(doc.errors.some((e) => e.ruleId === undefined || e.ruleId === 'parse-error')).toBe(false);
  });

  it('gives typed access to galaxy: options, read as PyYAML (YAML 1.1) reads them', () => {
    const { galaxy } = parse(UWSGI_ERA).ast;
    expect(galaxy.name).toBe('galaxy');
    expect(galaxy.databaseConnection?.value).toBe('postgresql://galaxy:pw-123456@db/galaxy');
    expect(galaxy.jobConfigFile?.value).toBe('job_conf.xml');
    expect(galaxy.get('umask_like')?.value).toBe(23); // octal in YAML 1.1
    const jc = galaxy.jobConfig;
    expect(jc?.map && isMap(jc.map)).toBe(true);
    expect(UWSGI_ERA.slice(jc!.keyRange.start, jc!.keyRange.end)).toBe('job_config');
    expect(jc?.value).toEqual({ runners: { local: { load: 'galaxy.jobs.runners.local:LocalJobRunner' } } });
  });

  it('keeps the last of repeated galaxy: keys, as Galaxy does', () => {
    const { galaxy } = parse('galaxy:\n  brand: a\n  brand: b\n').ast;
    expect(galaxy.options().map((o) => o.value)).toEqual(['a', 'b']);
    expect(galaxy.string('brand')).toBe('b');
  });

  it('works beside an existing gravity: section, with uwsgi: in the middle', () => {
    const doc = parse('gravity:\n  gunicorn:\n    bind: localhost:8080\nuwsgi:\n  http: :8080\ngalaxy:\n  brand: x\n');
    expect(doc.ast.gravity?.map?.toJSON()).toEqual({ gunicorn: { bind: 'localhost:8080' } });
    expect(doc.ast.uwsgi?.read.options.map((o) => o.key)).toEqual(['http']);
    expect(doc.errors).toEqual([]);
  });

  it('an empty uwsgi: section gives no options and no error', () => {
    const doc = parse('uwsgi:\n  # nothing\ngalaxy:\n  brand: x\n');
    expect(doc.ast.uwsgi?.read.options).toEqual([]);
    expect(doc.errors.filter((e) => e.severity !== 'info')).toEqual([]);
  });

  it('reports YAML errors outside uwsgi: as parse errors, inside the text', () => {
    const text = 'uwsgi:\n  http: :8080\ngalaxy:\n  brand: "unclosed\n';
    const doc = parse(text);
    const yamlErrors = doc.errors.filter((e) => e.message.startsWith('YAML:'));
    expect(yamlErrors.length).toBeGreaterThan(0);
    for (const e of yamlErrors) expect(e.range.end).toBeLessThanOrEqual(text.length);
  });

  it('reports a second uwsgi: section, which uWSGI never reads', () => {
    const doc = parse('uwsgi:\n  http: :8080\ngalaxy:\n  a: 1\nuwsgi:\n  http: :9090\n');
    expect(doc.ast.uwsgi?.read.options.map((o) => o.value)).toEqual([':8080']);
    expect(doc.errors.filter((e) => /second `uwsgi:`/.test(e.message)).map((e) => doc.lines.position(e.range.start).line)).toEqual([5]);
  });

  it('detects the indentation step and the line break of the file', () => {
    expect(parse('galaxy:\n    brand: x\n').ast.indent).toBe(4);
    expect(parse('galaxy:\r\n  brand: x\r\n').ast.eol).toBe('\r\n');
  });

  it('finds the app section of reports.yml', () => {
    const doc = parseGalaxyYml(file('uwsgi:\n  http: :9001\nreports:\n  a: 1\n', 'reports.yml'), memoryHost({}, '/d'));
    expect(doc.ast.galaxy.name).toBe('reports');
  });

  it('is registered for galaxy-yml, and its extractor gives the block range for the rewrite', () => {
    const text = 'x: 1\nuwsgi:\n  http: :8080\n\n  # trailing comment in the block\n\ngalaxy:\n  a: 1\n';
    const doc = parseAs('galaxy-yml', file(text), memoryHost({}, '/d'));
    const got = galaxyYmlUwsgi(doc);
    expect(got?.configs).toHaveLength(1);
    const r = got!.configs[0]!.sectionRange!;
    expect(text.slice(r.start, r.end)).toBe('uwsgi:\n  http: :8080\n\n  # trailing comment in the block\n');
  });
});

describe('standalone uWSGI files', () => {
  it('reads uwsgi-ini and uwsgi-yaml with the same reader, includes relative to the file first', () => {
    const host = memoryHost({ '/d/conf/extra.ini': '[uwsgi]\nthreads = 4\n' }, '/d');
    const ini = parseAs('uwsgi-ini', file('[uwsgi]\nsocket = :8080\ninclude = extra.ini\n', 'conf/uwsgi.ini'), host);
    const got = galaxyYmlUwsgi(ini);
    expect(got?.configs[0]?.options.map((o) => [o.key, o.value, o.file])).toEqual([
      ['socket', ':8080', 'conf/uwsgi.ini'],
      ['include', 'extra.ini', 'conf/uwsgi.ini'],
      ['threads', '4', 'conf/extra.ini'],
    ]);
    expect(got?.files.map((f) => f.path)).toContain('conf/extra.ini');
    const yml = parseAs('uwsgi-yaml', file('uwsgi:\n  socket: :8080\n', 'uwsgi.yml'), host);
    expect(galaxyYmlUwsgi(yml)?.configs[0]?.options.map((o) => o.key)).toEqual(['socket']);
  });

  it('reports where uWSGI would stop with an error (a missing include), once', () => {
    const doc = parseAs('uwsgi-ini', file('[uwsgi]\ninclude = nowhere.ini\n', 'uwsgi.ini'), memoryHost({}, '/d'));
    const errors = doc.errors.filter((e) => e.severity === 'error');
    // the reader's own error id when it gives one (uwsgi/include-missing), else uwsgi/read-error
    expect(errors.map((e) => doc.lines.position(e.range.start).line)).toEqual([2]);
    expect(errors[0]?.ruleId).toMatch(/^uwsgi\//);
    expect(errors[0]?.message).toMatch(/nowhere\.ini/);
  });
});
