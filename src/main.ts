import type { CommandIo } from './commands/io.js';

type Run = (argv: readonly string[], io: CommandIo) => Promise<number>;

/** The process around `run`: real streams, the exit code, EPIPE as a normal end. */
export async function runMain(run: Run): Promise<void> {
  // `migrate lint | head`: a reader that stops early is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const io: CommandIo = {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
  };
  process.exitCode = await run(process.argv.slice(2), io);
}
