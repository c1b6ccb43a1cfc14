import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/core/edits.js';
import { parseJobConfXml, type JobConfXmlAst } from '../../../src/formats/job-conf-xml/index.js';
import { childElements, decodeXmlText, readXml } from '../../../src/formats/job-conf-xml/reader.js';
import { fxpStarts, ownStarts } from './offsets.js';
import type { JobConfView } from '../../../src/formats/job-conf/view.js';
import { applyCommonEdits, expectRenameAndTag, expectViewReads, jobConfFile, sliceOf as slice } from '../../helpers/job-conf-view.js';

const file = (text: string, path = 'job_conf.xml') => jobConfFile(text, path);
const viewOf = (text: string): JobConfView => (parseJobConfXml(file(text)).ast as JobConfXmlAst).view!;

const SAMPLE = `<?xml version="1.0"?>
<!-- handlers -->
<job_conf>
    <plugins workers="4">
        <plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/>
    </plugins>
    <handlers assign_with="uwsgi-mule-message, db-self" default='mules'>
        <handler id="main.job-handlers.1" tags="mules,fast"/>
        <handler id="h2">
            <plugin id="local"/>
        </handler>
    </handlers>
    <destinations default="local">
        <destination id="local" runner="local">
            <resubmit condition="walltime_reached" handler="h2"/>
        </destination>
    </destinations>
    <tools>
        <tool id="upload1" handler="main.job-handlers.1"/>
        <tool id="cat&amp;dog" handler="mules" />
    </tools>
</job_conf>
`;

describe('XML reader', () => {
  it('keeps exact ranges of elements, attributes and values', () => {
    const { tree, issues } = readXml(SAMPLE);
    expect(issues).toEqual([]);
    const root = tree.root!;
    expect(root.name).toBe('job_conf');
    expect(slice(SAMPLE, root.range)).toMatch(/^<job_conf>[\s\S]*<\/job_conf>$/);
    const handlers = childElements(root, 'handlers')[0]!;
    expect(slice(SAMPLE, handlers.startTag)).toBe(`<handlers assign_with="uwsgi-mule-message, db-self" default='mules'>`);
    const [assign, dflt] = handlers.attributes;
    expect(slice(SAMPLE, assign!.range)).toBe('assign_with="uwsgi-mule-message, db-self"');
    expect(slice(SAMPLE, assign!.valueRange)).toBe('uwsgi-mule-message, db-self');
    expect(dflt!.quote).toBe("'");
    expect(slice(SAMPLE, dflt!.valueRange)).toBe('mules');
    expect(handlers.attrsEnd).toBe(SAMPLE.indexOf(`'mules'`) + 7);
    const h2 = childElements(handlers, 'handler')[1]!;
    expect(h2.selfClosing).toBe(false);
    expect(slice(SAMPLE, h2.endTag!)).toBe('</handler>');
  });

  it('decodes predefined and character references only', () => {
    expect(decodeXmlText('a&amp;b&lt;&#65;&#x42;')).toEqual({ value: 'a&b<AB', usesEntity: false });
    expect(decodeXmlText('x&custom;y')).toEqual({ value: 'x&custom;y', usesEntity: true });
  });

  it('agrees with fast-xml-parser on where every element starts', () => {
    expect(ownStarts(readXml(SAMPLE).tree.nodes)).toEqual(fxpStarts(SAMPLE));
  });

  it('never expands entities, and lists what a DOCTYPE declares', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE job_conf [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY ext SYSTEM "file:///etc/passwd">
]>
<job_conf><handlers default="&c;"><handler id="&ext;"/></handlers></job_conf>
`;
    const doc = parseJobConfXml(file(lol));
    const tree = (doc.ast as JobConfXmlAst).tree;
    expect(tree.doctype!.entities.map((e) => [e.name, e.external])).toEqual([
      ['a', false],
      ['b', false],
      ['c', false],
      ['ext', true],
    ]);
    const v = (doc.ast as JobConfXmlAst).view!;
    expect(v.default!.value).toBe('&c;');
    expect(v.default!.templated).toBe(true); // an unexpanded entity: unknown value, never rewritten
    expect(v.handlers[0]!.id.value).toBe('&ext;');
  });

  it('reads Jinja templates: {{ }} and {% %} are opaque, also inside a tag', () => {
    const t = `<job_conf>
	<handlers{% if jc.assign_with is defined %} assign_with="{{ jc.assign_with }}"{% endif %} max_grab="8">
{% for n in range(count) %}
		<handler id="main.job-handler.{{ n + 1 }}"/>
{% endfor %}
	</handlers>
	<tools>
		<tool id="echo_{{ n }}" handler="handler{{ n }}"/>
	</tools>
</job_conf>
`;
    const doc = parseJobConfXml(file(t, 'job_conf.xml.j2'));
    expect(doc.errors).toEqual([]);
    const v = (doc.ast as JobConfXmlAst).view!;
    expect(v.templated).toBe(true);
    expect(v.assign!.templated).toBe(true);
    expect(v.assign!.methods.map((m) => m.value)).toEqual(['{{ jc.assign_with }}']);
    expect(v.handlersOpaque).toBe(true);
    expect(v.handlers[0]!.id).toMatchObject({ value: 'main.job-handler.{{ n + 1 }}', templated: true });
    expect(v.refs[0]!.value).toMatchObject({ value: 'handler{{ n }}', templated: true });
  });

  it('reports what is not well-formed, with a position, and never throws', () => {
    const bad = '<job_conf>\n  <handlers>\n    <handler id="a">\n  </handlers>\n</job_conf>\n';
    const doc = parseJobConfXml(file(bad));
    expect(doc.errors.length).toBeGreaterThan(0);
    expect(doc.errors[0]!.message).toMatch(/handler/);
    expect((doc.ast as JobConfXmlAst).view!.incomplete).toBe(true);
    const amp = parseJobConfXml(file('<job_conf>a & b</job_conf>'));
    expect(amp.errors[0]!.message).toMatch(/not well-formed XML/);
    for (let cut = 0; cut <= SAMPLE.length; cut += 7) {
      expect(() => parseJobConfXml(file(SAMPLE.slice(0, cut)))).not.toThrow();
      expect(() => parseJobConfXml(file(SAMPLE.slice(cut)))).not.toThrow();
    }
  });

  it('covers the whole text with its top-level nodes (nothing is skipped)', () => {
    const { tree } = readXml(SAMPLE);
    let at = 0;
    for (const n of tree.nodes) {
      expect(n.range.start).toBe(at);
      at = n.range.end;
    }
    expect(at).toBe(SAMPLE.length);
  });
});

describe('XML job conf view', () => {
  it('reads methods, default, handlers with tags and plugins, tool and resubmit mappings', () => {
    const v = viewOf(SAMPLE);
    expectViewReads(v, SAMPLE, {
      methods: [['uwsgi-mule-message', 'uwsgi-mule-message'], ['db-self', 'db-self']],
      default: 'mules',
      handlers: [
        ['main.job-handlers.1', ['mules', 'fast'], []],
        ['h2', [], ['local']],
      ],
      refs: [
        ['tool', 'upload1', 'main.job-handlers.1'],
        ['tool', 'cat&dog', 'mules'],
        ['resubmit', undefined, 'h2'],
      ],
    });
    expect(v.handlersOpaque).toBe(false);
  });

  it('marks <expand macro> handlers as unknown', () => {
    const v = viewOf('<job_conf><handlers><expand macro="h" id="1"/></handlers></job_conf>');
    expect(v.handlersOpaque).toBe(true);
  });
});

describe('XML job conf editor (splices, byte-exact)', () => {
  it('replaces values, removes lines and attributes, inserts attributes and handlers', () => {
    const v = viewOf(SAMPLE);
    const out = applyCommonEdits(SAMPLE, v, 'x"y', v.edit.insert({ handlers: [{ id: 'pinned_1', tags: ['pinned'] }], avoid: [] }));
    expect(out).toBe(
      SAMPLE.replace('assign_with="uwsgi-mule-message, db-self" default=\'mules\'', 'assign_with="db-skip-locked"')
        .replace('        <handler id="main.job-handlers.1" tags="mules,fast"/>\n', '')
        .replace('    </handlers>', '        <handler id="pinned_1" tags="pinned"/>\n    </handlers>')
        .replace('handler="main.job-handlers.1"', 'handler="x&quot;y"')
        .replace('<tool id="cat&amp;dog" handler="mules" />', '<tool id="cat&amp;dog" />'),
    );
  });

  it('adds <handlers assign_with=…/> after <plugins> when there is none, indented like its siblings', () => {
    const t = '<job_conf>\n\t<plugins>\n\t\t<plugin id="local" type="runner" load="x"/>\n\t</plugins>\n\t<tools/>\n</job_conf>\n';
    const v = viewOf(t);
    expect(applyEdits(t, v.edit.insert({ assign: ['db-skip-locked'], avoid: [] }))).toBe(
      '<job_conf>\n\t<plugins>\n\t\t<plugin id="local" type="runner" load="x"/>\n\t</plugins>\n\t<handlers assign_with="db-skip-locked"/>\n\t<tools/>\n</job_conf>\n',
    );
    expect(applyEdits(t, v.edit.insert({ assign: ['db-transaction-isolation'], handlers: [{ id: 'web_3', tags: [] }], avoid: [] }))).toBe(
      '<job_conf>\n\t<plugins>\n\t\t<plugin id="local" type="runner" load="x"/>\n\t</plugins>\n\t<handlers assign_with="db-transaction-isolation">\n\t\t<handler id="web_3"/>\n\t</handlers>\n\t<tools/>\n</job_conf>\n',
    );
  });

  it('opens a self-closing <handlers/> to add a handler, and keeps CRLF', () => {
    const t = '<job_conf>\r\n    <handlers assign_with="db-self"/>\r\n</job_conf>\r\n';
    const v = viewOf(t);
    expect(applyEdits(t, v.edit.insert({ handlers: [{ id: 'a', tags: ['t'] }], avoid: [] }))).toBe(
      '<job_conf>\r\n    <handlers assign_with="db-self">\r\n        <handler id="a" tags="t"/>\r\n    </handlers>\r\n</job_conf>\r\n',
    );
  });

  it('sets tags on a handler that has none', () => {
    const t = '<job_conf><handlers><handler id="main.web.3"/></handlers></job_conf>';
    expectRenameAndTag(t, viewOf(t), '<job_conf><handlers><handler id="web_3" tags="pinned"/></handlers></job_conf>');
  });
});

