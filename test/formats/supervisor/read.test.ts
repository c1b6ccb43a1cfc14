import { describe, expect, it } from 'vitest';
import { printIni } from '../../../src/formats/ini/lossless.js';
import { expandSupervisor, parseSupervisor, parseSupervisorEnvironment, programSetting } from '../../../src/formats/supervisor/index.js';

const file = (text: string) => ({ path: 'supervisor/galaxy.conf', text, bom: false });

const CONF = [
  '; Galaxy under supervisord',
  '[program:web]',
  'command         = /srv/galaxy/venv/bin/uwsgi --ini /srv/galaxy/config/galaxy.ini ; the web server',
  'environment     = VIRTUAL_ENV="/srv/galaxy/venv",PATH="/srv/galaxy/venv/bin:%(ENV_PATH)s"',
  'secret          = pa;ss#word',
  '',
  '[program:handler]',
  'command         = python ./scripts/galaxy-main -c config/galaxy.ini',
  '    --server-name=handler%(process_num)s',
  '',
  '    --attach-to-pool=job-handlers',
  'process_name    = handler%(process_num)s',
  'NumProcs        = 3',
  '{% if extra %}',
  'stopwaitsecs    = {{ wait }}',
  '{% endif %}',
  '',
  '[group:galaxy]',
  'programs = web, handler',
  '',
].join('\n');

describe('supervisord reader', () => {
  const doc = parseSupervisor(file(CONF));

  it('gives the text back byte for byte', () => {
    expect(printIni(CONF, doc.ast)).toBe(CONF);
    expect(doc.errors).toEqual([]);
  });

  it('reads programs, groups and keys with their lines; inline comments after blanks are not values', () => {
    expect(doc.ast.programs.map((p) => p.name)).toEqual(['web', 'handler']);
    const web = doc.ast.programs[0]!;
    const cmd = programSetting(web, 'command')!;
    expect(cmd.value).toBe('/srv/galaxy/venv/bin/uwsgi --ini /srv/galaxy/config/galaxy.ini');
    expect(cmd.line).toBe(3);
    expect(CONF.slice(cmd.valueRange.start, cmd.valueRange.end)).toBe(cmd.value);
    expect(CONF.slice(cmd.comments[0]!.start, cmd.comments[0]!.end)).toBe('; the web server');
    // `;` and `#` not preceded by a blank stay in the value, as configparser keeps them
    expect(programSetting(web, 'secret')!.value).toBe('pa;ss#word');
  });

  it('joins indented continuation lines (blank lines inside kept) and folds key case', () => {
    const h = doc.ast.programs[1]!;
    expect(programSetting(h, 'command')!.value).toBe(
      'python ./scripts/galaxy-main -c config/galaxy.ini\n--server-name=handler%(process_num)s\n\n--attach-to-pool=job-handlers',
    );
    expect(programSetting(h, 'numprocs')!.value).toBe('3');
    expect(programSetting(h, 'numprocs')!.key).toBe('NumProcs');
    expect(programSetting(h, 'stopwaitsecs')!.value).toBe('{{ wait }}');
    expect(doc.ast.lines.filter((l) => l.kind === 'template').map((l) => l.line)).toEqual([14, 16]);
  });

  it('reads group members with their ranges', () => {
    const g = doc.ast.groups[0]!;
    expect(g.name).toBe('galaxy');
    expect(g.programs.map((p) => [p.name, CONF.slice(p.range.start, p.range.end)])).toEqual([
      ['web', 'web'],
      ['handler', 'handler'],
    ]);
  });

  it('section ranges: body ends after the last entry line, extent at the next header', () => {
    const web = doc.ast.programs[0]!.section;
    expect(CONF.slice(web.body.start, web.body.end)).toBe(CONF.split('\n').slice(1, 5).join('\n') + '\n');
    expect(CONF.slice(web.extent.start, web.extent.end)).toBe(CONF.split('\n').slice(1, 6).join('\n') + '\n');
  });

  it('expands %(name)s the way supervisord does, leaving unknown names', () => {
    expect(expandSupervisor('handler%(process_num)s', { process_num: 2 })).toBe('handler2');
    expect(expandSupervisor('h%(process_num)02d-%(ENV_PATH)s %%', { process_num: 7 })).toBe('h07-%(ENV_PATH)s %');
  });

  it('splits environment= like supervisord (quotes removed, Jinja kept whole)', () => {
    expect(parseSupervisorEnvironment('A="x,y",B=2, C = {{ c }}')).toEqual([
      { key: 'A', value: 'x,y' },
      { key: 'B', value: '2' },
      { key: 'C', value: '{{ c }}' },
    ]);
  });

  it('reports a line it cannot read, and never throws', () => {
    const bad = parseSupervisor(file('[program:x]\ncommand = a\nnot a key line\n'));
    expect(bad.errors.map((e) => e.message)).toEqual(['line 3 is neither a [section], a key = or : value, nor a comment']);
  });

  it('keeps CRLF line ends and reads across them', () => {
    const crlf = '[program:x]\r\ncommand = a\r\n  b\r\n';
    const d = parseSupervisor(file(crlf));
    expect(printIni(crlf, d.ast)).toBe(crlf);
    expect(programSetting(d.ast.programs[0]!, 'command')!.value).toBe('a\nb');
  });
});
