import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseJobConfXml } from '../../../src/formats/job-conf-xml/index.js';
import { isPlainXml } from '../../../src/formats/job-conf-xml/plain-xml.js';
import { jobConfFile } from '../../helpers/job-conf-view.js';

// The reader skips fast-xml-parser's validator on files isPlainXml accepts (issue 7, lint
// throughput): that is only sound if the validator accepts every such file.
const valid = (s: string): boolean => XMLValidator.validate(s, { allowBooleanAttributes: false }) === true;

const JOB_CONF = `<?xml version="1.0"?>
<!-- handlers -->
<job_conf>
    <plugins workers="4">
        <plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/>
    </plugins>
    <handlers assign_with="db-skip-locked" default='mules'>
        <handler id="main.job-handlers.1" tags="mules,fast" />
        <handler id="h2"><plugin id="local"/></handler>
    </handlers>
    <tools>
        <tool id="upload1" handler="main.job-handlers.1"/>
        <tool id='it"s' handler="mules">text &gt; here? no: no ampersand</tool>
    </tools>
</job_conf>
`.replace('&gt; ', '');

/** Small well-formed documents in and around the subset, serialised with varied spacing and quotes. */
const name = fc.constantFrom('a', 'b', 'job_conf', 'x:y', 'h.1', 'tool-2', 'A_');
const ws = fc.constantFrom(' ', '  ', '\n', '\t', '\r\n', ' \n ');
const attr = fc.tuple(name, fc.constantFrom('"', "'"), fc.constantFrom('', 'v', "it's", 'a"b', '1>2', 'x/', '/', ' ')).map(([n, q, v]) => ({ n, q, v: v.includes(q) ? 'v' : v }));
const text = fc.constantFrom('', 'text', ' ', '\n  ', '> ]]>', '<!-- c -->', '<!---->');
type El = { name: string; attrs: { n: string; q: string; v: string }[]; kids: (El | string)[]; gap: string; self: boolean };
const { el } = fc.letrec<{ el: El }>((tie) => ({
  el: fc.record({
    name,
    attrs: fc.array(attr, { maxLength: 3 }),
    kids: fc.array(fc.oneof(text, tie('el')), { maxLength: 3, depthSize: 'small' }),
    gap: fc.constantFrom('', ' ', '\n'),
    self: fc.boolean(),
  }) as fc.Arbitrary<El>,
}));
const serialise = (e: El, sep: string): string => {
  const attrs = e.attrs.map((a) => `${sep}${a.n}=${a.q}${a.v}${a.q}`).join('');
  if (e.self && e.kids.length === 0) return `<${e.name}${attrs}${e.gap}/>`;
  return `<${e.name}${attrs}${e.gap}>${e.kids.map((k) => (typeof k === 'string' ? k : serialise(k, sep))).join('')}</${e.name}>`;
};
const doc = fc
  .tuple(fc.constantFrom('', '\ufeff', '<?xml version="1.0"?>', '<?xml version="1.0"?>\n', ' <?xml?>', '<?xml-stylesheet x?>'), fc.constantFrom('', '\n', '<!-- a -->\n'), el, ws, fc.constantFrom('', '\n', '<!-- z -->', 'x', '<b/>'))
  .map(([head, pre, root, sep, tail]) => head + pre + serialise(root, sep) + tail);
/** Single-character damage: what a hand-edited job conf gets wrong. */
const damage = fc.tuple(fc.nat(), fc.nat(2), fc.constantFrom('<', '>', '/', '"', "'", '=', '&', '&amp;', ' ', '!', '?', '-', 'é', '<!DOCTYPE x>', '<![CDATA[x]]>', '<?p?>'));
const damaged = fc.tuple(doc, fc.array(damage, { maxLength: 2 })).map(([d, hits]) => {
  let s = d;
  for (const [at, how, what] of hits) {
    const i = at % (s.length + 1);
    s = how === 0 ? s.slice(0, i) + what + s.slice(i) : how === 1 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + what + s.slice(i + 1);
  }
  return s;
});

describe('isPlainXml: the subset fast-xml-parser validator always accepts', () => {
  it('accepts an ordinary job conf, which the validator accepts too', () => {
    expect(isPlainXml(JOB_CONF)).toBe(true);
    expect(valid(JOB_CONF)).toBe(true);
  });

  it('answers "ask the validator" on what the validator rejects or the subset leaves out', () => {
    for (const s of [
      '<a b="1" b="2"/>', // repeated attribute
      '<a>x & y</a>', // bare ampersand
      '<a>&amp;</a>', // references are the validator's to judge
      '<a b="&amp;"/>',
      '<a b=1/>', // unquoted
      '<a b/>', // boolean attribute
      '<a b="1"c="2"/>', // no space between attributes
      '<a/><b/>', // two roots
      '<a></b>',
      '<a>', // unclosed
      'x<a/>', // text before the root
      '<a/>x',
      ' <?xml version="1.0"?><a/>', // declaration not at the start
      '<a><?pi?></a>',
      '<!DOCTYPE a><a/>',
      '<a><![CDATA[x]]></a>',
      '<a></a >',
      '<a b = "1"/>',
      '',
    ]) expect(isPlainXml(s), s).toBe(false);
  });

  it('never accepts what the validator rejects (generated documents, damaged and not)', () => {
    let plain = 0;
    fc.assert(
      fc.property(fc.oneof(doc, damaged), (s) => {
        if (!isPlainXml(s)) return;
        plain++;
        expect(valid(s), JSON.stringify(s)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // The property is an implication: make sure it was exercised.
    expect(plain).toBeGreaterThan(300);
  });

  it('a job conf the validator rejects still gets its finding (the reader asks it when unsure)', () => {
    const bad = JOB_CONF.replace('<tools>', '<tools x="1" x="2">');
    const issues = parseJobConfXml(jobConfFile(bad, 'job_conf.xml')).errors;
    expect(issues.map((e) => e.message)).toEqual([expect.stringContaining("not well-formed XML: Attribute 'x' is repeated.")]);
    expect(parseJobConfXml(jobConfFile(JOB_CONF, 'job_conf.xml')).errors).toEqual([]);
  });
});
