import { describe, expect, it } from 'vitest';
import type { Document } from '../../../src/core/document.js';
import {
  commentsIn,
  inventoryPlace,
  parseAnsibleVars,
  parseSystemdEnvironment,
  resolveVariable,
  type AnsibleVarsAst,
} from '../../../src/formats/ansible-vars/index.js';

const vars = (path: string, text: string): Document<AnsibleVarsAst> => parseAnsibleVars({ path, text, bom: false });

describe('inventoryPlace', () => {
  it('reads group_vars/host_vars files and directories', () => {
    expect(inventoryPlace('inv/group_vars/galaxyservers.yml')).toEqual({ root: 'inv', scope: 'group', name: 'galaxyservers' });
    expect(inventoryPlace('host_vars/web1.example.org.yml')).toEqual({ root: '', scope: 'host', name: 'web1.example.org' });
    expect(inventoryPlace('a/b/host_vars/web2/main.yml')).toEqual({ root: 'a/b', scope: 'host', name: 'web2' });
    expect(inventoryPlace('roles/galaxy/defaults/main.yml')).toBeUndefined();
  });
});

describe('resolveVariable: ansible precedence among the inventory’s vars files', () => {
  const all = vars('inv/group_vars/all.yml', 'galaxy_systemd_mode: mule\nother: 1\n');
  const group = vars('inv/group_vars/galaxyservers.yml', 'galaxy_systemd_mode: zergling\n');
  const host = vars('inv/host_vars/web1.yml', 'galaxy_systemd_mode: gravity\n');
  const bare = vars('inv/host_vars/web2.yml', 'galaxy_x: 1\n');
  const elsewhere = vars('other/group_vars/galaxyservers.yml', 'galaxy_systemd_mode: gravity\n');
  const docs = [all, group, host, bare, elsewhere];
  const value = (d: Document<AnsibleVarsAst>, name = 'galaxy_systemd_mode') => {
    const r = resolveVariable(docs, d, name);
    return r.kind === 'set' ? `${r.setting.scalar} @ ${r.setting.doc.file.path}` : r.kind;
  };

  it('host_vars over group_vars over group_vars/all; another inventory is not read', () => {
    expect(value(host)).toBe('gravity @ inv/host_vars/web1.yml');
    expect(value(bare)).toBe('zergling @ inv/group_vars/galaxyservers.yml');
    expect(value(group)).toBe('zergling @ inv/group_vars/galaxyservers.yml');
    expect(value(all)).toBe('mule @ inv/group_vars/all.yml');
    expect(value(bare, 'nothing')).toBe('unset');
  });

  it('two groups that disagree are ambiguous (the inventory file says which the host is in); the last file of a directory wins', () => {
    const other = vars('inv/group_vars/dbservers.yml', 'galaxy_systemd_mode: mule\n');
    expect(resolveVariable([...docs, other], bare, 'galaxy_systemd_mode').kind).toBe('ambiguous');
    const a = vars('inv/host_vars/web3/a.yml', 'galaxy_systemd_mode: mule\n');
    const b = vars('inv/host_vars/web3/b.yml', 'galaxy_systemd_mode: gravity\n');
    const r = resolveVariable([b, a, group], a, 'galaxy_systemd_mode');
    expect(r.kind === 'set' && r.setting.doc.file.path).toBe('inv/host_vars/web3/b.yml');
  });

  it('reads lists and quoted scalars as ansible gets them', () => {
    const d = vars('group_vars/g.yml', 'galaxy_systemd_env:\n  - A="1"\n  - \'B=2\'\ngalaxy_systemd_zergling_env: "X=1 Y=\\"a b\\""\n');
    const env = resolveVariable([d], d, 'galaxy_systemd_env');
    expect(env.kind === 'set' && env.setting.list).toEqual(['A="1"', 'B=2']);
    const z = resolveVariable([d], d, 'galaxy_systemd_zergling_env');
    expect(z.kind === 'set' && z.setting.scalar).toBe('X=1 Y="a b"');
  });
});

describe('parseSystemdEnvironment', () => {
  it('splits at unquoted whitespace, unquotes, keeps Jinja expressions whole and the words as written', () => {
    const r = parseSystemdEnvironment('DRMAA_LIBRARY_PATH="/usr/lib/libdrmaa.so.1" "B=two words" C={{ x | default("a b") }}/bin A=1 A=2');
    expect(r).toEqual({
      ok: true,
      assignments: [
        { key: 'DRMAA_LIBRARY_PATH', value: '/usr/lib/libdrmaa.so.1', raw: 'DRMAA_LIBRARY_PATH="/usr/lib/libdrmaa.so.1"' },
        { key: 'B', value: 'two words', raw: '"B=two words"' },
        { key: 'C', value: '{{ x | default("a b") }}/bin', raw: 'C={{ x | default("a b") }}/bin' },
        { key: 'A', value: '2', raw: 'A=2' },
      ],
    });
  });

  it('says why when the value is not literal assignments', () => {
    expect(parseSystemdEnvironment('{{ my_env }}')).toMatchObject({ ok: false, why: expect.stringContaining('one Jinja2 expression') });
    expect(parseSystemdEnvironment('{% if x %}A=1{% endif %}')).toMatchObject({ ok: false, why: expect.stringContaining('statements') });
    expect(parseSystemdEnvironment('A="1')).toMatchObject({ ok: false, why: 'it has an unclosed quote' });
    expect(parseSystemdEnvironment('justaword')).toMatchObject({ ok: false, why: '`justaword` is not a `KEY=VALUE` assignment' });
  });
});

describe('commentsIn', () => {
  it('finds comments outside scalars and gives each the option beside or below it', () => {
    const text = ['uwsgi: # block', '  # above a', '  a: "x # not a comment" # beside a', '  b:', '    - 1', '    - 2 # beside a b value', '  # trailing', ''].join('\n');
    const at = (s: string) => text.indexOf(s);
    const anchors = [
      { key: 'a', range: { start: at('a:'), end: at('" # beside') + 1 }, keyStart: at('a:') },
      { key: 'b', range: { start: at('1\n'), end: at('1\n') + 1 }, keyStart: at('b:') },
      { key: 'b', range: { start: at('2 #'), end: at('2 #') + 1 }, keyStart: at('b:') },
    ];
    const scalars = [{ start: at('"x'), end: at('" # beside') + 1 }];
    expect(commentsIn(text, { start: 0, end: text.length }, anchors, scalars)).toEqual([
      { text: 'block' },
      { option: 'a', text: 'above a' },
      { option: 'a', text: 'beside a' },
      { option: 'b', text: 'beside a b value' },
      { text: 'trailing' },
    ]);
  });
});
