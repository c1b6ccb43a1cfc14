import type { CommandIo } from './commands/io.js';
import { fdOutput } from './io/fd-output.js';

type Run = (argv: readonly string[], io: CommandIo) => Promise<number>;

/** The process around `run`: output to file descriptors 1 and 2 (io/fd-output.ts), the exit code, EPIPE as a normal end. */
export async function runMain(run: Run): Promise<void> {
  const quietEnd = (): never => process.exit(process.exitCode ?? 0);
  const out = fdOutput(1, quietEnd);
  const err = fdOutput(2, quietEnd);
  const io: CommandIo = {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTty: out.isTty,
    stderrIsTty: err.isTty,
    stdout: (s) => out.write(s),
    stderr: (s) => err.write(s),
  };
  process.exitCode = await run(process.argv.slice(2), io);
}
