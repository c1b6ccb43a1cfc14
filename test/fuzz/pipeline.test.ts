import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../rules/index.js';
import type { FileKind } from '../../src/core/document.js';
import type { EngineResult } from '../../src/core/engine.js';
import type { FilePlan } from '../../src/core/plan.js';
import type { Rule } from '../../src/core/rule.js';
import { DEFAULT_TARGET } from '../../src/core/target.js';
import { PARSERS } from '../../src/formats/parsers.js';
import { nodeHost } from '../../src/io/host.js';
import { analyse, type Loaded } from '../../src/pipeline.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { fcParams, fileBytes, mutatedSeed, randomText, runs, seedOf, TIMEOUT, tokenSoup } from './arbitraries.js';

/**
 * The whole pipeline (walk, read, detect, parse, model, every rule, plan) on generated deployments
 * written to a temp dir: no exception escapes, only fixed files change, and a plan applied then
 * planned again proposes nothing. A rule that is not idempotent fails here by name.
 */
const KINDS = Object.keys(PARSERS) as FileKind[];
const base = mkdtempSync(join(tmpdir(), 'gm-fuzz-'));
// A long run (FUZZ_RUNS=20000) leaves thousands of trees: removing them outlasts the default hook timeout.
afterAll(() => rmSync(base, { recursive: true, force: true }), 120_000);
let n = 0;

type Tree = Record<string, Buffer>;

function writeTree(tree: Tree): string {
  const dir = join(base, `t${n++}`);
  mkdirSync(dir);
  for (const [rel, bytes] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), bytes);
  }
  return dir;
}

function plan(dir: string, rules: readonly Rule[]): { loaded: Loaded; result: EngineResult } {
  try {
    return analyse(['.'], nodeHost(dir, {}), DEFAULT_TARGET, undefined, rules);
  } catch (e) {
    throw new Error(`the pipeline threw: ${(e as Error).stack ?? e}`);
  }
}

function applyPlan(dir: string, files: readonly FilePlan[]): void {
  for (const f of files) {
    const abs = join(dir, f.file);
    if (f.status === 'deleted') rmSync(abs, { force: true });
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, f.after, 'utf8');
    }
  }
}

/** Checks one deployment; throws with the rule to blame. Returns the first plan for callers. */
function checkDeployment(dir: string, rules: readonly Rule[] = ALL_RULES): EngineResult {
  const { loaded, result } = plan(dir, rules);
  const texts = loaded.deployment.files;

  const internal = result.findings.filter((f) => f.ruleId === 'internal-error');
  if (internal.length) throw new Error(`a reader or rule threw (caught as internal-error): ${internal.map((f) => `${f.file}: ${f.message}`).join('; ')}`);

  for (const f of result.findings) {
    const text = texts.get(f.file)?.text;
    if (text !== undefined && !(f.range.start >= 0 && f.range.start <= f.range.end && f.range.end <= text.length)) {
      throw new Error(`${f.ruleId}: finding range [${f.range.start}, ${f.range.end}) outside ${f.file} (length ${text.length})`);
    }
  }

  const touched = new Set<string>();
  for (const f of result.findings) for (const c of f.fix?.changes ?? []) touched.add(c.file);
  for (const p of result.plan.files) {
    if (!touched.has(p.file)) throw new Error(`${p.file} is in the plan but no fix touches it (rules ${p.ruleIds.join(', ')})`);
    if (p.status !== 'created' && p.before !== texts.get(p.file)?.text) throw new Error(`${p.file}: plan's before is not the file as read`);
    if (p.status === 'modified' && p.after === p.before) throw new Error(`${p.file}: planned as modified but unchanged`);
  }
  for (const [path, file] of texts) {
    const p = result.plan.files.find((x) => x.file === path);
    if (!touched.has(path) && p && p.after !== file.text) throw new Error(`${path}: changed although no fix touches it`);
  }

  if (result.plan.files.length === 0) return result;
  const copy = `${dir}-applied`;
  cpSync(dir, copy, { recursive: true });
  applyPlan(copy, result.plan.files);
  const replanned = plan(copy, rules);
  const newProblem = newReadingProblem(loaded, replanned.loaded);
  if (newProblem) throw new Error(`the applied plan left a file less readable than it was: ${newProblem}`);
  const again = replanned.result;
  if (again.plan.files.length) {
    const blame = [...new Set(again.plan.files.flatMap((p) => p.ruleIds))];
    const detail = again.plan.files.map((p) => `--- ${p.file} (${p.ruleIds.join(', ')}) after the first apply:\n${p.before}\n+++ planned again:\n${p.after}`).join('\n');
    const conflicts = result.plan.conflicts.map((c) => `${c.ruleId} on ${c.file}: ${c.reason}`);
    const why = conflicts.length
      ? `the first plan set aside overlapping fixes (${conflicts.join('; ')}), so one apply does not finish the migration`
      : 'the rules propose changes to their own output';
    throw new Error(`not idempotent: ${blame.join(', ')} still propose changes after the plan was applied (${why})\n${detail}`);
  }
  return result;
}

/**
 * A reading problem (a parse error or a reader's warning, not a rule's finding) that a file has
 * after the apply and did not have before, named by file; a file the plan created must have none.
 * Problems compare by message with numbers left out, as the read-back guard does (src/core/read-back.ts).
 */
function newReadingProblem(before: Loaded, after: Loaded): string | undefined {
  const problems = (l: Loaded): Map<string, string[]> =>
    new Map(l.deployment.documents.map((d) => [d.file.path, d.errors.filter((e) => e.ruleId === undefined || e.ruleId === 'parse-error').map((e) => e.message)]));
  const had = problems(before);
  for (const [file, now] of problems(after)) {
    const left = (had.get(file) ?? []).map((m) => m.replace(/\d+/g, '#'));
    for (const m of now) {
      const i = left.indexOf(m.replace(/\d+/g, '#'));
      if (i < 0) return `${file}: ${m.split('\n')[0]}`;
      left.splice(i, 1);
    }
  }
  return undefined;
}

const seedPath = (k: FileKind): string => seedOf(k).path;

/** A deployment: some kinds, each a seed mutated a little (or noise), as bytes. */
const deployment: fc.Arbitrary<Tree> = fc
  .uniqueArray(fc.constantFrom(...KINDS), { minLength: 1, maxLength: KINDS.length })
  .chain((kinds) =>
    fc.tuple(
      ...kinds.map((k) =>
        fileBytes(
          fc.oneof(
            { weight: 6, arbitrary: mutatedSeed(seedOf(k), 2) },
            { weight: 1, arbitrary: randomText },
            { weight: 1, arbitrary: tokenSoup },
          ),
        ).map((b) => [seedPath(k), b] as const),
      ),
    ),
  )
  .map((entries) => readable(Object.fromEntries(entries.filter(([p]) => p !== ''))));

/** Counterexamples print as texts (bytes only where they are not UTF-8), not as Buffer arrays. */
function readable(tree: Tree): Tree {
  Object.defineProperty(tree, fc.toStringMethod, {
    enumerable: false,
    value: () => {
      const show = (b: Buffer): string => (Buffer.from(b.toString('utf8'), 'utf8').equals(b) ? JSON.stringify(b.toString('utf8')) : `hex:${b.toString('hex')}`);
      return `{\n${Object.entries(tree).map(([p, b]) => `  ${JSON.stringify(p)}: ${show(b)}`).join(',\n')}\n}`;
    },
  });
  return tree;
}

/** All seeds unmutated (so every rule has something to do), some files left out. */
const wholeSeeds: fc.Arbitrary<Tree> = fc
  .subarray(KINDS, { minLength: 1 })
  .map((kinds) => readable(Object.fromEntries(kinds.map((k) => [seedPath(k), Buffer.from(seedOf(k).text, 'utf8')]))));

describe('the whole pipeline on generated deployments', () => {
  it('plans the sample deployment, and planning its result again proposes nothing', () => {
    const dir = join(base, 'sample');
    cpSync(join(PROJECT_ROOT, 'samples', 'uwsgi-mules'), dir, { recursive: true });
    checkDeployment(dir);
  });

  it('plans the seeds of every kind together idempotently', () => {
    fc.assert(fc.property(wholeSeeds, (tree) => void checkDeployment(writeTree(tree))), fcParams(runs(8, 0.05)));
  }, TIMEOUT);

  it('never throws, changes only fixed files, and a second plan proposes nothing', () => {
    fc.assert(fc.property(deployment, (tree) => void checkDeployment(writeTree(tree))), fcParams(runs(40, 0.1)));
  }, TIMEOUT);

  it('names a rule that is not idempotent (the check itself works)', () => {
    const appender: Rule = {
      meta: { id: 'test/appender', description: 'd', rationale: 'r', severity: 'info', fixable: true, sources: [] },
      check(ctx) {
        for (const d of ctx.deployment.documents) {
          ctx.report({ message: 'm', file: d.file.path, fix: { description: 'f', changes: [{ kind: 'edit', file: d.file.path, edits: [{ start: 0, end: 0, text: '# again\n' }] }] } });
        }
      },
    };
    const dir = writeTree({ [seedPath('galaxy-yml')]: Buffer.from(seedOf('galaxy-yml').text) });
    expect(() => checkDeployment(dir, [appender])).toThrow(/not idempotent: test\/appender/);
  });

  it('finds nothing to break in an empty tree', () => {
    const r = checkDeployment(writeTree({}));
    expect(r.plan.files).toEqual([]);
  });
});
