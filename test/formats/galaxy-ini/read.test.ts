import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { interpolate, parseGalaxyIni, sectionItems } from '../../../src/formats/galaxy-ini/index.js';
import { printIni } from '../../../src/formats/ini/lossless.js';
import { corpusFiles } from '../../helpers/corpus-files.js';
import { HAVE_SHARED, warnNoShared } from '../../helpers/shared.js';

warnNoShared('galaxy.ini corpus reading');

const INI = [
  '[DEFAULT]',
  'root = /srv/galaxy',
  '',
  '[app:main]',
  '# a comment line stays out of values',
  'database_connection = postgresql://galaxy:pa#ss;word@db/galaxy',
  'file_path = %(here)s/files',
  'tool_path = %(root)s/tools',
  'percent = 100%%',
  'config = %(__file__)s',
  'admin_users = a@example.org,',
  '  b@example.org',
  '',
  '[uwsgi]',
  'mule = lib/galaxy/main.py',
  'mule = lib/galaxy/main.py',
  'set = x=%(here)s',
  '',
].join('\n');

describe('galaxy.ini reader', () => {
  const host = memoryHost({ '/srv/cfg/galaxy.ini': INI }, '/srv');
  const doc = parseGalaxyIni({ path: 'cfg/galaxy.ini', text: INI, bom: false }, host);

  it('gives the text back byte for byte and knows where the file is', () => {
    expect(printIni(INI, doc.ast.ini)).toBe(INI);
    expect(doc.ast.absPath).toBe('/srv/cfg/galaxy.ini');
    expect(doc.errors).toEqual([]);
  });

  it('reads [app:main] as Python\'s ConfigParser does: # and ; inside values kept, %(here)s, [DEFAULT], %%, continuation', () => {
    const items = Object.fromEntries(sectionItems(doc.ast, 'app:main', { here: '/srv/galaxy/config', __file__: '/srv/galaxy/config/galaxy.ini' }).map((i) => [i.key, i.value.value]));
    expect(items).toEqual({
      database_connection: 'postgresql://galaxy:pa#ss;word@db/galaxy',
      file_path: '/srv/galaxy/config/files',
      tool_path: '/srv/galaxy/tools',
      percent: '100%',
      config: '/srv/galaxy/config/galaxy.ini',
      admin_users: 'a@example.org,\nb@example.org',
      root: '/srv/galaxy',
    });
  });

  it('reads [uwsgi] as uWSGI does: repeated keys kept, no ConfigParser interpolation', () => {
    const opts = doc.ast.uwsgi!.options.map((o) => `${o.key}=${o.value}`);
    // `set = x=…` also sets option x, as uWSGI does; `%(here)s` is uWSGI's own, not ConfigParser's.
    expect(opts).toEqual(['mule=lib/galaxy/main.py', 'mule=lib/galaxy/main.py', 'set=x=%(here)s', 'x=%(here)s']);
  });

  it('interpolates like configparser.BasicInterpolation, errors included', () => {
    const look = (m: Record<string, string>) => (n: string) => m[n];
    expect(interpolate('%(a)s/%(b)s', look({ a: '%(b)s', b: 'x' })).value).toBe('x/x');
    expect(interpolate('50% off', look({})).error).toContain("'%' must be followed by '%' or '('");
    expect(interpolate('%(nope)s', look({})).error).toContain('InterpolationMissingOptionError');
    expect(interpolate('%(a)s', look({ a: '%(a)s' })).error).toContain('InterpolationDepthError');
    expect(interpolate('%(a)d', look({ a: '1' })).error).toContain('InterpolationSyntaxError');
  });

  it('reports what Python\'s ConfigParser refuses: a key set twice in a section, a section twice', () => {
    const text = '[app:main]\nbrand = a\nbrand = b\n\n[app:main]\nx = 1\n';
    const d = parseGalaxyIni({ path: 'galaxy.ini', text, bom: false }, memoryHost({}, '/'));
    expect(d.errors.map((e) => [d.lines.position(e.range.start).line, e.message])).toEqual([
      [3, "`brand` is set twice in [app:main]: Python's ConfigParser (Galaxy, Paste) stops with DuplicateOptionError"],
      [5, "section [app:main] appears twice: Python's ConfigParser (Galaxy, Paste) stops with DuplicateSectionError"],
    ]);
  });
});

describe.skipIf(!HAVE_SHARED)('galaxy.ini files of the corpus', () => {
  it('read byte for byte; the Paste sample has its server, filters and app sections', () => {
    const inis = corpusFiles().filter((f) => f.kind === 'galaxy-ini');
    expect(inis.length).toBeGreaterThanOrEqual(2);
    for (const f of inis) {
      const d = parseGalaxyIni({ path: f.path, text: f.text, bom: false }, memoryHost({}, '/'));
      expect(printIni(f.text, d.ast.ini), f.path).toBe(f.text);
    }
    const sample = inis.find((f) => f.path.endsWith('config/galaxy.ini.sample'))!;
    const d = parseGalaxyIni({ path: sample.path, text: sample.text, bom: false }, memoryHost({}, '/'));
    expect(d.ast.ini.sections.map((s) => s.name)).toEqual(['server:main', 'filter:gzip', 'filter:proxy-prefix', 'app:main', 'galaxy_amqp']);
    expect(d.ast.templated).toBe(false);
  });
});

describe('job options of [app:main], in the shape the job rules read from galaxy.yml', () => {
  it('gives database_connection, job_config_file (as Galaxy resolves it) and track_jobs_in_database with their ranges', async () => {
    const { galaxyIniJobOptions } = await import('../../../src/formats/galaxy-ini/index.js');
    const text = '[app:main]\ndatabase_connection = postgresql://g@db/galaxy\njob_config_file = config/job_conf.xml\ntrack_jobs_in_database = False\n\n[uwsgi]\nmule = lib/galaxy/main.py\n';
    const d = parseGalaxyIni({ path: 'config/galaxy.ini', text, bom: false }, memoryHost({ '/d/config/galaxy.ini': text }, '/d'));
    const o = galaxyIniJobOptions(d)!;
    expect(o.dir).toBe('config');
    expect(o.hasUwsgi).toBe(true);
    expect(o.jobConfigFile!.value).toBe('job_conf.xml');
    expect(text.slice(o.databaseConnection!.range.start, o.databaseConnection!.range.end)).toBe('postgresql://g@db/galaxy');
    expect(o.trackJobsInDatabase!.value.value).toBe('False');
  });
});
