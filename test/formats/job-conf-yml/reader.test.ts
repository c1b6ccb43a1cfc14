import { describe, expect, it } from 'vitest';
import { CST, parseDocument, Parser } from 'yaml';
import { applyEdits } from '../../../src/core/edits.js';
import { maskJinja } from '../../../src/formats/jinja.js';
import { parseJobConfYml, type JobConfYmlAst } from '../../../src/formats/job-conf-yml/index.js';
import type { JobConfView } from '../../../src/formats/job-conf/view.js';
import { applyCommonEdits, expectRenameAndTag, expectViewReads, jobConfFile } from '../../helpers/job-conf-view.js';

const file = (text: string, path = 'job_conf.yml') => jobConfFile(text, path);
const viewOf = (text: string): JobConfView => (parseJobConfYml(file(text)).ast as JobConfYmlAst).view!;

const SAMPLE = `# handlers
handling:
  assign:
    - uwsgi-mule-message
    - db-self
  default: mules   # the mules
  processes:
    main.job-handler.1:
    special0:
      tags: [special, big]
      plugins: ['local']
  max_grab: 8
runners:
  local:
    load: galaxy.jobs.runners.local:LocalJobRunner
execution:
  default: local
  environments:
    local:
      runner: local
      resubmit:
        - condition: walltime_reached
          handler: special
tools:
- id: upload1
  handler: main.job-handler.1
- handler: "mules"
  id: cat1
- class: local
  environment: local
`;

describe('YAML job conf view', () => {
  it('reads assign, default, processes (null and mapping values), tools and resubmit handlers', () => {
    const v = viewOf(SAMPLE);
    expect(v.format).toBe('yml');
    expect(v.assign!.key).toBe('assign');
    expectViewReads(v, SAMPLE, {
      methods: [['uwsgi-mule-message', 'uwsgi-mule-message'], ['db-self', 'db-self']],
      default: 'mules',
      handlers: [
        ['main.job-handler.1', [], []],
        ['special0', ['special', 'big'], ['local']],
      ],
      refs: [
        ['tool', 'upload1', 'main.job-handler.1'],
        ['tool', 'cat1', 'mules'],
        ['resubmit', undefined, 'special'],
      ],
    });
  });

  it('reads a comma list in one scalar, and the assign_with key Galaxy does not read', () => {
    const v = viewOf('handling:\n  assign_with: db-skip-locked, db-self\nrunners: {}\n');
    expect(v.assign!.key).toBe('assign_with');
    expect(v.assign!.methods.map((m) => m.value)).toEqual(['db-skip-locked', 'db-self']);
  });

  it('reads a template: {% %} lines are blank, {{ }} values are strings marked templated', () => {
    const t = `handling:
{% if jc.assign is defined %}
  assign_with:
    - {{ jc.assign }}
{% endif %}
  processes:
{% for n in range(count) %}
    handler_{{ codename }}_{{ n }}:
{% endfor %}
runners:
  local:
    load: x
`;
    const doc = parseJobConfYml(file(t, 'job_conf.yml.j2'));
    expect(doc.errors).toEqual([]);
    const v = (doc.ast as JobConfYmlAst).view!;
    expect(v.assign!.methods.map((m) => [m.value, m.templated])).toEqual([['{{ jc.assign }}', true]]);
    expect(v.handlers[0]!.id).toMatchObject({ value: 'handler_{{ codename }}_{{ n }}', templated: true });
    expect(v.handlersOpaque).toBe(true);
  });

  it('masks Jinja with text of the same length, line breaks kept', () => {
    const t = 'a: {{ x }}\n{% if y %}\nb: "{{ z\n}}"\n';
    const m = maskJinja(t, 'J');
    expect(m.masked.length).toBe(t.length);
    expect(m.masked.split('\n').length).toBe(t.split('\n').length);
    expect(m.masked).toBe('a: JJJJJJJ\n          \nb: "JJJJ\nJJ"\n');
  });

  it('reports a YAML error with its position, never throws, and marks the view incomplete', () => {
    const doc = parseJobConfYml(file('handling:\n  assign: [a\nrunners:\n'));
    expect(doc.errors.length).toBe(1);
    expect((doc.ast as JobConfYmlAst).view?.incomplete ?? true).toBe(true);
    for (let cut = 0; cut <= SAMPLE.length; cut += 5) expect(() => parseJobConfYml(file(SAMPLE.slice(0, cut)))).not.toThrow();
  });

  it('keeps the CST byte-exact (yaml CST round trip of the masked text)', () => {
    const { masked } = maskJinja(SAMPLE, 'J');
    const tokens = [...new Parser().parse(masked)];
    expect(tokens.map((t) => CST.stringify(t)).join('')).toBe(masked);
  });
});

describe('YAML job conf editor (splices, byte-exact)', () => {
  it('replaces a block list, removes entries and keys, keeps a list item whose first key goes', () => {
    const out = applyCommonEdits(SAMPLE, viewOf(SAMPLE), 'pinned_1');
    expect(out).toBe(
      SAMPLE.replace('    - uwsgi-mule-message\n    - db-self', '    - db-skip-locked')
        .replace('  default: mules   # the mules\n', '')
        .replace('    main.job-handler.1:\n', '')
        .replace('  handler: main.job-handler.1', '  handler: pinned_1')
        .replace('- handler: "mules"\n  id: cat1', '- id: cat1'),
    );
  });

  it('removes a whole processes: block, and puts assign first among what stays', () => {
    const t = 'handling:\n  processes:\n    main.job-handler.1:\n    main.job-handler.2:\n  max_grab: 8\nrunners:\n  local: {load: x}\n';
    const v = viewOf(t);
    const removal = v.edit.removeAllHandlers();
    const avoid = removal.map((x) => ({ start: x.start, end: x.end }));
    const out = applyEdits(t, [...removal, ...v.edit.insert({ assign: ['db-skip-locked'], avoid })]);
    expect(out).toBe('handling:\n  assign:\n    - db-skip-locked\n  max_grab: 8\nrunners:\n  local: {load: x}\n');
  });

  it('quotes a handler id or tag that YAML 1.1 would read as something else than its name', () => {
    const t = 'runners:\n  local:\n    load: x\n';
    const v = viewOf(t);
    const out = applyEdits(t, v.edit.insert({ assign: ['db-skip-locked'], handlers: [{ id: 'e5', tags: ['yes', '.5'] }, { id: 'web_1', tags: [] }], avoid: [] }));
    expect(out).toBe('runners:\n  local:\n    load: x\nhandling:\n  assign:\n    - db-skip-locked\n  processes:\n    "e5":\n      tags: ["yes", ".5"]\n    web_1:\n');
    expect(parseDocument(out, { version: '1.1' }).toJS().handling.processes).toEqual({ e5: { tags: ['yes', '.5'] }, web_1: null });
  });

  it('adds handling: after runners: (and its blank line) when there is none, and processes to an existing section', () => {
    const t = 'runners:\n  local:\n    load: x\n\nexecution:\n  default: local\n';
    const v = viewOf(t);
    expect(applyEdits(t, v.edit.insert({ assign: ['db-transaction-isolation'], handlers: [{ id: 'web_3', tags: [] }], avoid: [] }))).toBe(
      'runners:\n  local:\n    load: x\n\nhandling:\n  assign:\n    - db-transaction-isolation\n  processes:\n    web_3:\n\nexecution:\n  default: local\n',
    );
    const t2 = 'handling:\n  assign: [db-skip-locked]\n  processes:\n    handler0:\nruns: 1\n';
    const v2 = viewOf(t2);
    expect(applyEdits(t2, v2.edit.insert({ handlers: [{ id: 'pinned_2', tags: ['pinned'] }], avoid: [] }))).toBe(
      'handling:\n  assign: [db-skip-locked]\n  processes:\n    handler0:\n    pinned_2:\n      tags: [pinned]\nruns: 1\n',
    );
  });

  it('renames the assign_with key and sets tags on a null entry', () => {
    const t = 'handling:\n  assign_with:\n    - db-skip-locked\n  processes:\n    main.web.3:\n';
    const v = viewOf(t);
    expectRenameAndTag(t, v, 'handling:\n  assign:\n    - db-skip-locked\n  processes:\n    web_3:\n      tags: [pinned]\n', [v.edit.renameAssignKey('assign')!]);
  });

  it('replaces a flow list and a scalar, keeping quotes', () => {
    const t = "handling:\n  assign: [uwsgi-mule-message]\n  default: 'main.web.1'\n";
    const v = viewOf(t);
    expect(applyEdits(t, [v.edit.replaceAssign(['db-skip-locked'])!, v.edit.replaceValue(v.default!, 'web_1')])).toBe(
      "handling:\n  assign: [db-skip-locked]\n  default: 'web_1'\n",
    );
  });
});
