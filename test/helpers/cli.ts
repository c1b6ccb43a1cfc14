import { run } from '../../src/cli.js';
import type { CommandIo } from '../../src/commands/io.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `migrate ARGV` in-process, as a user would from `cwd`, with a clean environment. */
export async function runCli(argv: readonly string[], cwd: string = process.cwd(), env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    cwd,
    env: { NO_COLOR: '1', ...env },
    stdoutIsTty: false,
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
