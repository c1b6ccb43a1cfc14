#!/usr/bin/env node
// Bundles the compiled CLI (dist/src, from tsc) into dist/bundle/:
//   cli.cjs        every module `plan`, `lint`, `apply`… need, in one CommonJS file;
//   cli.cjs.cache  V8's code cache for it, from a training run of `migrate plan` on the sample;
//   migrate.cjs    the "bin" (scripts/migrate.cjs), which runs cli.cjs through that cache.
// Why: a cold `migrate plan` of ~200 small ES modules spent more time resolving and compiling than
// planning; one file halves that, and the code cache removes most of the rest (README, Benchmarks).
// CommonJS because Node 20 can give code caches only to scripts (vm.Script), not to ES modules.
// @inquirer/prompts (only `apply` asks questions) is its own file, prompts.cjs, required when asked for.
import { spawnSync } from 'node:child_process';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const final = join(root, 'dist', 'bundle');
// Built beside and swapped in, so a CLI started meanwhile (a test, a benchmark) finds a whole bundle.
const outdir = `${final}.tmp-${process.pid}`;
rmSync(outdir, { recursive: true, force: true });
/** What both bundles share: one CommonJS file per entry, for Node 20, beside the bin. */
const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.cjs' },
  legalComments: 'none',
  logLevel: 'warning',
};
await build({
  ...common,
  // analyse-worker: the worker thread lint starts for a large tree (src/run/threads.ts finds it beside cli.cjs).
  entryPoints: { cli: 'dist/src/bin.js', 'analyse-worker': 'dist/src/analyse-worker.js' },
  // import() becomes require(): V8 does not keep a vm.Script's dynamic-import callback across its
  // code cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and require() needs none.
  supported: { 'dynamic-import': false },
  plugins: [
    { name: 'prompts-apart', setup: (b) => b.onResolve({ filter: /^@inquirer\/prompts$/ }, () => ({ path: './prompts.cjs', external: true })) },
    // commander requires child_process at load (only for executable subcommands, which we have none
    // of); with net and dgram behind it, that is a sixth of `node -e 0`. It gets it on first use instead.
    {
      name: 'commander-lazy-child-process',
      setup: (b) => {
        b.onResolve({ filter: /^node:child_process$/ }, (a) => (/[\\/]commander[\\/]/.test(a.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (a) => ({
          contents: `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= process.getBuiltinModule('node:${a.path}'))[k] });`,
          loader: 'js',
        }));
      },
    },
  ],
  // The ES-module sources find package.json and their own file through import.meta.url.
  define: { 'import.meta.url': '__gmImportMetaUrl' },
  banner: { js: "const __gmImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Whitespace and syntax only: names stay, so an internal error's stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
});
// Only `apply` asks questions: the prompts library is a file of its own, required when asked for.
await build({ ...common, entryPoints: { prompts: '@inquirer/prompts' }, minify: true });
copyFileSync(join(root, 'scripts', 'migrate.cjs'), join(outdir, 'migrate.cjs'));

rmSync(final, { recursive: true, force: true });
renameSync(outdir, final);

// The training run, in the final place (V8 keeps the script's file name in the cache, and stack
// traces would name the scratch folder): the sample deployment's plan, what a newcomer runs first.
// The cache is written beside and renamed in, so a CLI started meanwhile runs without it.
const cache = join(final, 'cli.cjs.cache');
const scratch = `${cache}.tmp-${process.pid}`;
const train = spawnSync(process.execPath, [join(final, 'migrate.cjs'), 'plan', 'samples/uwsgi-mules'], {
  cwd: root,
  env: { ...process.env, GALAXY_MIGRATE_WRITE_CODE_CACHE: scratch, NO_COLOR: '1' },
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (train.status !== 0) {
  rmSync(scratch, { force: true });
  console.error(`bundle: the training run of the bundled CLI failed (exit ${train.status}):\n${train.stderr}`);
  process.exit(1);
}
renameSync(scratch, cache);
