import { run } from '../../src/cli.js';
import type { CommandDeps } from '../../src/commands/deps.js';
import type { CommandIo } from '../../src/commands/io.js';
import { TEST_RULES } from './test-rules.mjs';
import type { Rule } from '../../src/core/rule.js';

export const RULES = TEST_RULES as readonly Rule[];

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `migrate ARGV` in-process with the test rules (unless deps says otherwise), no terminal, no color. */
export async function runWith(argv: readonly string[], cwd: string, opts: { env?: Record<string, string>; deps?: CommandDeps } = {}): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    cwd,
    env: { NO_COLOR: '1', ...opts.env },
    stdoutIsTty: false,
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  };
  const code = await run(argv, io, { rules: RULES, interactive: false, stderrIsTty: false, ...opts.deps });
  return { code, stdout, stderr };
}
