#!/usr/bin/env node
// The `migrate` bin. It runs the one-file bundle cli.cjs (scripts/bundle.mjs) through V8's code cache
// (cli.cjs.cache, written by a training run at build time), so a cold start skips parsing and
// compiling most of ~750 kB of JavaScript (README, Benchmarks).
// Node 20 has no module compile cache (module.enableCompileCache is Node 22), hence vm.Script, as
// v8-compile-cache did. A cache V8 rejects (another Node or V8 version, other flags) or a missing one
// only costs the compile: the code run is the same.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');

const BUNDLE = join(__dirname, 'cli.cjs');
const CACHE = `${BUNDLE}.cache`;

/** The bundle compiled as a CommonJS module body, with the code cache when there is one. */
function compile(file = BUNDLE, cacheFile = CACHE) {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // not built (or removed): compile as usual
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  return new vm.Script(source, { filename: file, cachedData });
}

/** Runs the CLI; with `trainInto`, writes the code cache of everything the run compiled there at exit. */
function main(trainInto) {
  const script = compile();
  if (trainInto) process.on('exit', () => writeFileSync(trainInto, script.createCachedData()));
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, require, bundle, BUNDLE, __dirname);
  bundle.exports.main();
}

module.exports = { compile };
// Build time only (scripts/bundle.mjs) sets GALAXY_MIGRATE_WRITE_CODE_CACHE.
if (require.main === module) main(process.env.GALAXY_MIGRATE_WRITE_CODE_CACHE);
