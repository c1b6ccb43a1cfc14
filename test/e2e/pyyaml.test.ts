import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGET } from '../../src/core/target.js';
import { detectKind } from '../../src/formats/detect.js';
import { nodeHost } from '../../src/io/host.js';
import { analyse } from '../../src/pipeline.js';
import { YAML_OPTIONS } from '../../src/formats/galaxy-yml/parse.js';
import { corpusFiles } from '../helpers/corpus-files.js';
import { HAVE_PYYAML, pyYamlLoad, untagged } from '../helpers/pyyaml.js';
import { HAVE_SHARED, PROJECT_ROOT, SHARED_DIR, warnNoShared } from '../helpers/shared.js';

/**
 * Galaxy and Gravity read their YAML with PyYAML. Every YAML file a plan writes (galaxy.yml with its
 * new `gravity:`, job_conf.yml, ansible variables, a converted galaxy.ini) must load in PyYAML
 * wherever the file as it was did, and what changed must read the same in PyYAML as in the `yaml`
 * package our plans are checked with: so the server starts on what we wrote, and reads what the plan
 * showed. Run on the sample deployment, every fixture deployment and (in CI) the corpus; and, on the
 * corpus, that our readers' YAML options read real files as PyYAML does.
 */
const YAML_KINDS = new Set(['galaxy-yml', 'uwsgi-yaml', 'job-conf-yml', 'ansible-vars']);

interface Written {
  readonly where: string;
  readonly before?: string;
  readonly after: string;
}

/** A Jinja template: ansible renders it before anything reads it as YAML (ansible variables are YAML as they stand). */
const isTemplate = (path: string, kind: string | undefined, text: string): boolean => kind !== 'ansible-vars' && (path.endsWith('.j2') || /\{[{%]/.test(text));

/**
 * The YAML files the plan of `dir` creates or modifies, templates left out.
 */
function yamlWrittenBy(dir: string): Written[] {
  const { result } = analyse(['.'], nodeHost(dir, {}), DEFAULT_TARGET);
  return result.plan.files.flatMap((f) => {
    const kind = detectKind(f.file, f.after);
    if (f.status === 'deleted' || isTemplate(f.file, kind, f.after) || !YAML_KINDS.has(kind ?? '')) return [];
    return [{ where: `${relative(PROJECT_ROOT, dir) || dir}: ${f.file}`, ...(f.status === 'modified' ? { before: f.before } : {}), after: f.after }];
  });
}

/** What is wrong with PyYAML's reading of each written file (nothing, for each, when all is well). */
function problems(written: readonly Written[]): string[] {
  const read = pyYamlLoad(written.flatMap((w) => [w.before ?? '', w.after])).map(untagged);
  return written.flatMap((w, i) => {
    const [before, after] = [w.before === undefined ? undefined : read[2 * i], read[2 * i + 1]];
    const failed = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v;
    if (failed(before)) return []; // PyYAML could not read it before either: nothing to hold the plan to
    if (failed(after)) return [`${w.where}: PyYAML cannot load what the plan writes: ${after.error}`];
    if (!(after instanceof Map)) return [];
    const ours = parseDocument(w.after, { version: '1.1', uniqueKeys: false }).toJS({ mapAsMap: true }) as unknown;
    return [...after.keys()].flatMap((key) => {
      const changed = !(before instanceof Map) || !isDeepStrictEqualJson(before.get(key), after.get(key));
      const same = ours instanceof Map && isDeepStrictEqualJson(ours.get(key), after.get(key));
      return changed && !same ? [`${w.where}: \`${String(key)}:\` reads differently in PyYAML and in the yaml package`] : [];
    });
  });
}

function isDeepStrictEqualJson(a: unknown, b: unknown): boolean {
  const plain = (v: unknown): unknown => (v instanceof Map ? [...v].map(([k, x]) => [plain(k), plain(x)]) : Array.isArray(v) ? v.map(plain) : Number.isNaN(v) ? 'NaN' : v);
  return JSON.stringify(plain(a)) === JSON.stringify(plain(b));
}

/** The deployments under `root`: each folder directly in it. */
const foldersIn = (root: string): string[] => readdirSync(root).map((n) => join(root, n)).filter((p) => statSync(p).isDirectory());

warnNoShared('PyYAML reading the corpus plans');

describe.skipIf(!HAVE_PYYAML)('PyYAML loads every YAML file a plan writes', () => {
  it('the sample deployment and every fixture deployment', () => {
    const dirs = [...foldersIn(join(PROJECT_ROOT, 'samples')), ...foldersIn(join(PROJECT_ROOT, 'test', 'fixtures'))];
    const written = dirs.flatMap(yamlWrittenBy);
    expect(written.length).toBeGreaterThan(10);
    expect(problems(written)).toEqual([]);
  });

  it.skipIf(!HAVE_SHARED)('the corpus', () => {
    const written = yamlWrittenBy(join(SHARED_DIR, 'corpus'));
    expect(written.length).toBeGreaterThan(12);
    expect(problems(written)).toEqual([]);
  }, 120_000);

  it.skipIf(!HAVE_SHARED)('and the yaml package, with our readers\' options, reads every corpus YAML file as PyYAML does (outside uwsgi:)', () => {
    const files = corpusFiles().filter((f) => YAML_KINDS.has(f.kind ?? '') && !isTemplate(f.path, f.kind, f.text));
    const py = pyYamlLoad(files.map((f) => f.text)).map(untagged);
    const differ = files.flatMap((f, i) => {
      const theirs = py[i];
      if (typeof theirs === 'object' && theirs !== null && 'error' in theirs) return [];
      const ours = parseDocument(f.text, YAML_OPTIONS).toJS({ mapAsMap: true, maxAliasCount: 100 }) as unknown;
      // uwsgi: is uWSGI's own dialect, read by our uWSGI reader and checked against uWSGI itself.
      for (const m of [ours, theirs]) if (m instanceof Map) m.delete('uwsgi');
      return isDeepStrictEqualJson(ours, theirs) ? [] : [f.path];
    });
    expect(files.length).toBeGreaterThan(20);
    expect(differ).toEqual([]);
  });
});
