import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderEntries } from '../../src/formats/galaxy-yml/write.js';
import { yamlDoubleQuoted, yamlScalar, yamlSingleQuoted } from '../../src/formats/yaml-scalar.js';
import { fcParams, runs } from '../fuzz/arbitraries.js';
import { HAVE_PYYAML, pyYamlLoad } from '../helpers/pyyaml.js';

/**
 * Values we write into files Galaxy reads (galaxy.yml, job_conf.yml, ansible variables) must come
 * back as the same strings: from PyYAML, which Galaxy and Gravity read with, and from the `yaml`
 * package, which the next plan reads with.
 */

/** Strings near YAML's edges: number and bool look-alikes, indicators, line breaks of every kind. */
const TRICKY = ['.', '.5', '._5', '.e5', '.1e3', 'e5', 'E-1', '.inf', '.NaN', 'yes', 'Off', 'null', '~', '<<', '=', '027', '0x1F', '1_000', '1:30', '2001-12-14', 'a: b', 'a #b', '#a', '- a', '&a', '*a', '!a', '%a', '@a', '`a', '{a', '[a', ',a', '?a', '|a', '>a', "'a", '"a', 'a ', ' a', 'a\tb', 'a\nb', 'a\r\nb', 'a\rb', 'a\u0085b', 'a\u2028b', 'a\u2029b', '\ufeffa', 'a\u0090b', 'a\u007fb', 'a\ufffeb', 'a\ud800b', 'a\udc00', '\ud83d\ude00', 'é', "it's", 'unix:/srv/a.sock', '/srv/galaxy', 'job-handlers.1'];
const unit = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('.', '_', '0', '1', '5', 'e', 'E', '-', '+', ':', ' ', '#', '\t', '\n', '\r', '\u0085', '\u2028', '\ud800', "'", '"', 'a', 'y', 'n'));
const value: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit, maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 20 }));

/** `k: <value>` and `<value as key>: 1`, as the galaxy.yml writer renders them. */
const asValue = (s: string): string => renderEntries([{ key: 'k', value: s }], 0, 2, '\n');
const asKey = (s: string): string => renderEntries([{ key: s, value: 1 }], 0, 2, '\n');

function yamlPackageReads(text: string): unknown {
  const doc = parseDocument(text, { version: '1.1' });
  if (doc.errors.length) return { error: doc.errors[0]!.message };
  return doc.toJS({ mapAsMap: true });
}

describe('yamlScalar: what we write reads back as the same string', () => {
  it('quotes what YAML 1.1 reads as something else, and escapes what PyYAML cannot hold raw', () => {
    expect(['.5', '._5', 'e5', '.', 'plain/word', 'a\u0085b', 'a\u2028b', 'a\u0090b', "it's\u2029"].map(yamlScalar)).toEqual([
      "'.5'",
      "'._5'",
      "'e5'",
      "'.'",
      'plain/word',
      '"a\\u0085b"',
      '"a\\u2028b"',
      '"a\\u0090b"',
      '"it\'s\\u2029"',
    ]);
    expect(asKey('e5')).toBe("'e5': 1\n");
    expect(yamlSingleQuoted('a\u0085')).toBe('"a\\u0085"');
    expect(yamlDoubleQuoted('a"\n\u2028')).toBe('"a\\"\\n\\u2028"');
  });

  it('with the yaml package (YAML 1.1), as a value and as a key', () => {
    fc.assert(
      fc.property(value, (s) => {
        expect(yamlPackageReads(asValue(s))).toEqual(new Map([['k', s]]));
        expect(yamlPackageReads(asKey(s))).toEqual(new Map([[s, 1]]));
      }),
      fcParams(runs(3000)),
    );
  });

  it.skipIf(!HAVE_PYYAML)('with PyYAML, as Galaxy reads it, as a value and as a key', () => {
    const values = [...TRICKY, ...fc.sample(value, { numRuns: runs(2000), seed: fcParams(1).seed ?? Date.now() })];
    const read = pyYamlLoad(values.flatMap((s) => [asValue(s), asKey(s)]));
    const wrong = values.flatMap((s, i) => {
      const got = [read[2 * i], read[2 * i + 1]];
      const want = [{ map: [['k', s]] }, { map: [[s, { int: '1' }]] }];
      return JSON.stringify(got) === JSON.stringify(want) ? [] : [`${JSON.stringify(s)} → ${JSON.stringify(yamlScalar(s))} read as ${JSON.stringify(got)}`];
    });
    expect(wrong).toEqual([]);
  });
});
