// The entry point of the bundled bin (scripts/bundle.mjs): dist/bundle/migrate.cjs loads this
// bundle with V8's code cache and calls `main`. Started directly (`node dist/bundle/cli.cjs`), the
// `isMain` check of cli.ts runs the CLI instead, so it never runs twice.
import { run } from './cli.js';
import { runMain } from './main.js';

export const main = (): Promise<void> => runMain(run);
