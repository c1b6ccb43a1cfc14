#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli.js, from tsc) into dist/bundle/: migrate.mjs (the "bin")
// and shared chunks. Why: a cold `migrate plan` spent more time resolving and compiling ~200
// small ES modules than planning; one bundle roughly halves its CPU time (README, Benchmarks).
// Commands stay lazy: what only `apply` needs (@inquirer/prompts, the writers) is in chunks that
// load when `apply` runs, so `plan`, `lint` and `--version` never read them.
import { renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const final = join(root, 'dist', 'bundle');
// Built beside and swapped in, so a CLI started meanwhile (a test, a benchmark) finds a whole bundle.
const outdir = `${final}.tmp-${process.pid}`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // analyse-worker: the worker thread lint starts for a large tree (src/run/threads.ts finds it beside the bundle).
  entryPoints: { migrate: 'dist/src/cli.js', 'analyse-worker': 'dist/src/analyse-worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // CommonJS dependencies (commander, …) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __gmCreateRequire } from 'node:module'; const require = __gmCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
rmSync(final, { recursive: true, force: true });
renameSync(outdir, final);
