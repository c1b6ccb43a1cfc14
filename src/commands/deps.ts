import type { Rule } from '../core/rule.js';
import type { Prompter } from '../io/prompts.js';

/**
 * What a command may be handed instead of the real thing: tests give their own rules and a
 * scripted prompter; the CLI passes nothing and gets the registry, a terminal prompt and the
 * process's own terminals.
 */
export interface CommandDeps {
  readonly rules?: readonly Rule[];
  readonly prompter?: Prompter;
  /** True when a person can answer questions (stdin and stdout are terminals). */
  readonly interactive?: boolean;
  /** True when stderr is a terminal (progress line). */
  readonly stderrIsTty?: boolean;
  readonly now?: () => Date;
}
