import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Document, FileKind } from '../../src/core/document.js';
import { memoryHost } from '../../src/core/host.js';
import { ENTITY_DEPTH_LIMIT } from '../../src/formats/job-conf-xml/entity-bomb.js';
import { PARSERS } from '../../src/formats/parsers.js';
import { aliasBombIssue } from '../../src/formats/yaml-alias-bomb.js';

/**
 * Alias and entity bombs at the reader: what is reported (rule, line, words) and, as much, what is
 * not (ordinary merges, recursive structures, plain entities), and that no shape of input makes
 * the count itself throw or take long.
 */
function parse(kind: FileKind, path: string, text: string): Document {
  return PARSERS[kind]({ path, text, bom: false }, memoryHost({}));
}

function lineOf(doc: Document, offset: number): number {
  return doc.lines.position(offset).line;
}

const OPTIONS = { version: '1.1', uniqueKeys: false, prettyErrors: false } as const;

describe('YAML alias bombs', () => {
  it('a wide bomb (one anchor of 2,000 values repeated 600 times) is reported at the alias that passes the limit', () => {
    const text = `base: &b [${Array(2000).fill('x').join(', ')}]\nuses:\n${Array.from({ length: 600 }, () => '  - *b').join('\n')}\n`;
    const issue = aliasBombIssue(parseDocument(text, OPTIONS), text);
    // 2,001 values per use: the 500th use passes 1,000,000; the file holds 2,005 itself (the map, 2 keys, 2 lists, 2,000 items).
    expect(issue?.message).toMatch(/^YAML: an alias bomb: its aliases expand this file to more than 1,000,000 values \(it holds 2,005 itself\); \*b here repeats &b \(line 1\), 2,001 values at each use\./);
    expect(text.slice(issue!.range.start, issue!.range.end)).toBe('*b');
    expect(text.slice(0, issue!.range.start).split('\n').length).toBe(2 + 500);
  });

  it('ordinary merges are not reported, even thousands of them in a large file', () => {
    const defaults = Array.from({ length: 30 }, (_, i) => `  k${i}: v${i}`).join('\n');
    const envs = Array.from({ length: 3000 }, (_, i) => `  e${i}:\n    <<: *defaults\n    runner: r${i % 7}`).join('\n');
    const text = `defaults: &defaults\n${defaults}\nenvironments:\n${envs}\n`;
    expect(aliasBombIssue(parseDocument(text, OPTIONS), text)).toBeUndefined();
  });

  it('a file whose aliases add ten times what it holds, but under 1,000,000, is not reported', () => {
    const text = `a: &a [${Array(99).fill('x').join(', ')}]\nb: [${Array(9000).fill('*a').join(', ')}]\n`;
    expect(aliasBombIssue(parseDocument(text, OPTIONS), text)).toBeUndefined();
  });

  it('a recursive structure (an alias inside the value it names) counts once, as PyYAML builds it once', () => {
    const text = 'a: &a\n  self: *a\n  more: [*a, *a]\n';
    expect(aliasBombIssue(parseDocument(text, OPTIONS), text)).toBeUndefined();
  });

  it('unresolved aliases, aliases as keys and deep nesting neither throw nor report', () => {
    for (const text of ['a: *nothing\nb: &x 1\n', '? &k [1, 2]\n: v\n*k : w\n', `x: &a 1\ny: ${'['.repeat(20_000)}*a${']'.repeat(20_000)}\n`, `x: &a 1\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}- *a`).join('\n')}\n`]) {
      expect(() => aliasBombIssue(parseDocument(text, OPTIONS), text)).not.toThrow();
      expect(aliasBombIssue(parseDocument(text, OPTIONS), text)).toBeUndefined();
    }
  });

  it('an exponential bomb of 40 levels is counted without expanding it (a number, not a hang)', () => {
    const lines = ['l0: &l0 [x, x]'];
    for (let i = 1; i <= 40; i++) lines.push(`l${i}: &l${i} [*l${i - 1}, *l${i - 1}]`);
    const text = `${lines.join('\n')}\n`;
    const t = Date.now();
    const issue = aliasBombIssue(parseDocument(text, OPTIONS), text);
    expect(Date.now() - t).toBeLessThan(5_000);
    // l16 holds 2^18 - 1 values; the aliases on the l17 line carry the count past 1,000,000.
    expect(issue?.message).toContain('*l16 here repeats &l16 (line 17), 262,143 values at each use');
  });

  it('each YAML reader carries it as a parse error (galaxy.yml, job_conf.yml, ansible vars) at the alias line', () => {
    const bomb = (indent: string): string => {
      const lines = [`${indent}l0: &l0 [${Array(10).fill('x').join(', ')}]`];
      for (let i = 1; i <= 7; i++) lines.push(`${indent}l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
      return lines.join('\n');
    };
    const cases: [FileKind, string, string][] = [
      ['galaxy-yml', 'galaxy.yml', `uwsgi:\n  socket: :8080\ngalaxy:\n${bomb('  ')}\n`],
      ['job-conf-yml', 'job_conf.yml', `runners:\n  local:\n    load: x\nhandling:\n${bomb('  ')}\n`],
      ['ansible-vars', 'group_vars/all.yml', `galaxy_config:\n${bomb('  ')}\n`],
    ];
    for (const [kind, path, text] of cases) {
      const doc = parse(kind, path, text);
      const bombs = doc.errors.filter((e) => /alias bomb/.test(e.message));
      expect(bombs, kind).toHaveLength(1);
      const e = bombs[0]!;
      expect(e.ruleId ?? 'parse-error').toBe('parse-error');
      expect(e.severity ?? 'error').toBe('error');
      // Up to l4 the aliases add 123,440 values; each *l4 on the l5 line adds 111,111 more.
      expect(text.slice(e.range.start, e.range.end)).toBe('*l4');
      expect(lineOf(doc, e.range.start)).toBe(text.split('\n').findIndex((l) => l.includes('l5: &l5')) + 1);
    }
  });

  it('the ansible reader keeps it in yamlErrors, so the ansible rules leave the file alone', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 7; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(i === 1 ? '*a' : `*a${i - 1}`).join(', ')}]`);
    const doc = parse('ansible-vars', 'group_vars/all.yml', `${lines.join('\n')}\n`);
    expect((doc.ast as { yamlErrors: string[] }).yamlErrors).toEqual([expect.stringMatching(/^YAML: an alias bomb/)]);
  });
});

describe('XML entity bombs', () => {
  const xml = (decls: string): string => `<?xml version="1.0"?>\n<!DOCTYPE job_conf [\n${decls}\n]>\n<job_conf>\n  <handlers default="h">\n    <handler id="h"/>\n  </handlers>\n</job_conf>\n`;
  const bombsIn = (text: string): string[] =>
    parse('job-conf-xml', 'job_conf.xml', text)
      .errors.filter((e) => e.message.startsWith('XML: an entity bomb'))
      .map((e) => `${text.slice(0, e.range.start).split('\n').length}: ${e.message}`);

  it('plain, external and parameter entities are not bombs (the jobs/xml-entities rule speaks of them)', () => {
    expect(bombsIn(xml('  <!ENTITY host "galaxy.example.org">\n  <!ENTITY ext SYSTEM "file:///etc/passwd">\n  <!ENTITY % p "&lt;">'))).toEqual([]);
    expect(bombsIn(xml(`  <!ENTITY a "${'x'.repeat(1000)}">\n  <!ENTITY b "${'&a;'.repeat(900)}">`))).toEqual([]);
  });

  it('nested entities past 1,000,000 characters: at the DOCTYPE line, naming the entity and its line', () => {
    expect(bombsIn(xml(`  <!ENTITY a "${'x'.repeat(1000)}">\n  <!ENTITY b "${'&a;'.repeat(1001)}">`))).toEqual([
      '2: XML: an entity bomb in the DOCTYPE: &b; (line 4) expands to 1,001,000 characters, more than 1,000,000. An XML reader that expands entities (Galaxy\'s) runs out of memory or refuses the file: it is not migrated',
    ]);
  });

  it('a `>` inside an entity value does not hide the entities it repeats', () => {
    const decls = [`  <!ENTITY a "x>${'y'.repeat(998)}">`, ...Array.from({ length: 3 }, (_, i) => `  <!ENTITY e${i} ">${`&${i ? `e${i - 1}` : 'a'};`.repeat(200)}">`)].join('\n');
    expect(bombsIn(xml(decls))).toEqual([expect.stringContaining('&e1; (line 5) expands to 40,000,')]);
  });

  it('a loop, and a chain nested deeper than any file written by hand, are reported without overflowing the stack', () => {
    expect(bombsIn(xml('  <!ENTITY a "&b;">\n  <!ENTITY b "&c;">\n  <!ENTITY c "&a;">'))).toEqual([expect.stringContaining('&a; refers back to itself (an entity loop)')]);
    const chain = Array.from({ length: 50_000 }, (_, i) => `<!ENTITY e${i} "${i < 49_999 ? `&e${i + 1};` : 'end'}">`).join('\n');
    expect(bombsIn(xml(chain))).toEqual([expect.stringContaining(`&e0; (line 3) nests entities more than ${ENTITY_DEPTH_LIMIT.toLocaleString('en-US')} deep`)]);
  });

  it('a bomb makes the job conf view incomplete, so no rule edits it', () => {
    const doc = parse('job-conf-xml', 'job_conf.xml', xml(`  <!ENTITY a "${'x'.repeat(1000)}">\n  <!ENTITY b "${'&a;'.repeat(1001)}">`));
    expect((doc.ast as { view?: { incomplete: boolean } }).view?.incomplete).toBe(true);
  });
});
