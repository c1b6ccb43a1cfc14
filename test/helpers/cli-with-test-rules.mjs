// The built CLI (dist/), run as a process, with the test rules instead of the registry: the
// pseudo-terminal and crash tests spawn this. Run `npm run build` first (test/helpers/build.ts).
import { run } from '../../dist/src/cli.js';
import { TEST_RULES } from './test-rules.mjs';

const io = {
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTty: Boolean(process.stdout.isTTY),
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
};
process.exitCode = await run(process.argv.slice(2), io, { rules: TEST_RULES });
