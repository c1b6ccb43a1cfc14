import { isMap, isPair, isScalar, isSeq, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { makeDocument, type Document, type ParseIssue, type SourceFile } from '../../core/document.js';
import type { ReadHost } from '../../core/host.js';
import { detectEol, LineIndex } from '../../core/range.js';
import { fatalIssue } from '../uwsgi-file/fatal.js';
import { readUwsgiFile } from '../uwsgi-file/read.js';
import { blankJinjaLogic, jinjaLogicSpans, maskJinja, touchesJinja } from '../jinja.js';
import { aliasBombIssue } from '../yaml-alias-bomb.js';
import { unhashableKeyIssue } from '../yaml-unhashable-key.js';
import { AppSection, type GalaxyYmlAst } from './ast.js';
import { findTopSections, maskRanges, type TopSection } from './sections.js';

/** The app sections a galaxy.yml-like file may hold, in the order they are looked for. */
const APP_SECTIONS = ['galaxy', 'reports', 'tool_shed'];

/**
 * YAML options for everything outside `uwsgi:`. Galaxy and Gravity read galaxy.yml with PyYAML,
 * a YAML 1.1 reader, so `027` is an octal 23 and `yes` is true for them (docs/peers.md YM8);
 * repeated keys are kept (PyYAML keeps the last, and a uWSGI-era file often has them), and
 * aliases are bounded. No reader or rule looks at a node's CST token, so none is kept (each would
 * hold its part of the lexer's output until the server's rules are done).
 */
export const YAML_OPTIONS = {
  version: '1.1',
  uniqueKeys: false,
  keepSourceTokens: false,
  prettyErrors: false,
  maxAliasCount: 100,
} as const;

/**
 * Reads a galaxy.yml (or reports.yml / tool_shed.yml): the `uwsgi:` block with uWSGI's own reader,
 * everything else with the `yaml` package from a copy of the text in which the `uwsgi:` blocks
 * are blanked, so that the uWSGI dialect (`key:value`, repeated keys) never makes the rest of the
 * file unreadable and every node's offsets are the file's. Never throws.
 */
export function parseGalaxyYml(file: SourceFile, host: ReadHost): Document<GalaxyYmlAst> {
  const lines = new LineIndex(file.text);
  const sections = findTopSections(lines);
  const issues: ParseIssue[] = [];

  const uwsgiSections = sections.filter((s) => s.name === 'uwsgi');
  // A Jinja template (galaxy.yml.j2) is read as rendering would leave it where that is known: its
  // statements are blanked, its inline expressions read as opaque text (same offsets throughout).
  const logic = jinjaLogicSpans(file.text);
  const { masked, spans: jinja } = maskJinja(maskRanges(file.text, uwsgiSections.map((s) => s.range)), 'J');
  // PyYAML breaks lines at a lone CR too; the yaml package does not: same length, same offsets.
  const yaml = parseDocument(masked.replace(/\r(?!\n)/g, '\n'), YAML_OPTIONS);
  // yaml places some errors one past the end (an unclosed quote at the end of the text): clamp.
  const at = (pos: [number, number]): { start: number; end: number } => {
    const start = Math.min(Math.max(0, pos[0]), file.text.length);
    return { start, end: Math.min(Math.max(start, pos[1]), file.text.length) };
  };
  const template = jinja.length > 0;
  for (const e of yaml.errors) {
    issues.push(
      template
        ? { message: `YAML: ${e.message} (this is a Jinja template; it was read with the {{ }}/{% %} parts left out)`, range: at(e.pos), severity: 'warning' }
        : { message: `YAML: ${e.message}`, range: at(e.pos) },
    );
  }
  for (const w of yaml.warnings) issues.push({ message: `YAML: ${w.message}`, range: at(w.pos), ruleId: 'parse-warning', severity: 'warning' });
  // Galaxy (PyYAML) reads the file as one mapping of sections; a top level of another kind (an INI
  // header `[uwsgi]` is a YAML list) makes the whole file unreadable to it, whatever uWSGI read.
  const topNode = yaml.contents;
  if (!yaml.errors.length && topNode && !isMap(topNode) && !(isScalar(topNode) && (topNode.value === null || topNode.value === ''))) {
    const [start, end] = topNode.range ?? [0, 0];
    issues.push({
      message: `the top level of this file is not a mapping of sections (line ${lines.position(start).line} is ${isSeq(topNode) ? 'a list' : 'a plain value'}): Galaxy cannot read it as its configuration`,
      range: at([start, Math.min(end, lines.lineRange(lines.position(start).line).end)]),
      ...(template ? { severity: 'warning' as const } : {}),
    });
  }
  const bomb = aliasBombIssue(yaml, masked);
  if (bomb) issues.push(bomb);
  const unhashable = yaml.errors.length ? undefined : unhashableKeyIssue(yaml);
  if (unhashable) issues.push(template ? { ...unhashable, severity: 'warning' } : unhashable);

  let uwsgi: GalaxyYmlAst['uwsgi'];
  const first = uwsgiSections[0];
  if (first) {
    const read = readUwsgiFile(file.path, host, { section: 'uwsgi', format: 'yaml', text: blankJinjaLogic(file.text, logic) });
    uwsgi = { section: first, read };
    issues.push(...read.issues);
    issues.push(...fatalIssue(read, file.path, (o) => lines.position(o).line));
    for (const extra of uwsgiSections.slice(1)) {
      issues.push({
        message: 'a second `uwsgi:` section: uWSGI reads only the first one, so nothing here was ever applied; review and delete it',
        range: extra.keyRange,
        ruleId: 'uwsgi/unknown-option',
        severity: 'warning',
      });
    }
  }

  const top = isMap(yaml.contents) ? yaml.contents : undefined;
  const pairOf = (name: string): Pair | undefined => {
    let found: Pair | undefined;
    for (const item of top?.items ?? []) if (isPair(item) && isScalar(item.key) && item.key.value === name) found = item;
    return found;
  };
  const sectionOf = (name: string): TopSection | undefined => {
    let found: TopSection | undefined;
    for (const s of sections) if (s.name === name) found = s;
    return found;
  };
  const appName = APP_SECTIONS.find((n) => sectionOf(n)) ?? 'galaxy';
  const appPair = pairOf(appName);
  // A value with a Jinja expression in it is its template text, not the filler it was read as.
  const templated = template ? (r: { start: number; end: number }): string | undefined => (touchesJinja(jinja, r) ? file.text.slice(r.start, r.end) : undefined) : undefined;
  const galaxy = new AppSection(appName, sectionOf(appName), mapOf(appPair), appPair, yaml, templated);

  const gravitySection = sectionOf('gravity');
  const gravityPair = pairOf('gravity');
  const gravityMap = mapOf(gravityPair);
  const gravity = gravitySection
    ? { section: gravitySection, ...(gravityMap ? { map: gravityMap } : {}), ...(gravityPair ? { pair: gravityPair } : {}) }
    : undefined;

  const indent =
    galaxy.section?.childIndent ?? gravitySection?.childIndent ?? sections.find((s) => s.childIndent !== undefined && s.name !== 'uwsgi')?.childIndent ?? first?.childIndent ?? 2;

  const ast: GalaxyYmlAst = {
    yaml,
    sections,
    ...(uwsgi ? { uwsgi } : {}),
    galaxy,
    ...(gravity ? { gravity } : {}),
    jinja,
    jinjaLogic: logic,
    eol: detectEol(file.text),
    indent: indent > 0 ? indent : 2,
  };
  return makeDocument(file, 'galaxy-yml', ast, issues);
}

function mapOf(pair: Pair | undefined): YAMLMap | undefined {
  return pair && isMap(pair.value) ? pair.value : undefined;
}
