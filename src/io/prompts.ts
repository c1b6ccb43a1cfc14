/**
 * The per-change question of `migrate apply`. The diff and the reason are printed by the command
 * first; the prompter only asks. Tests pass a scripted prompter; the real one is built on
 * `@inquirer/prompts`, imported only when a person is actually asked.
 */
export type Decision =
  /** Apply this change. */
  | 'apply'
  /** Leave it out. */
  | 'skip'
  /** Apply this one and every later change of the same rule without asking. */
  | 'rule'
  /** Stop asking: apply what was accepted so far, leave out the rest. */
  | 'quit'
  /** Ctrl-C: write nothing at all. */
  | 'abort';

export interface Question {
  readonly ruleId: string;
  /** 1-based position among the changes, and their number. */
  readonly index: number;
  readonly total: number;
}

export interface Prompter {
  ask(q: Question): Promise<Decision>;
}

/** The answers a test scripts, in order; running out of answers is a bug in the test. */
export function scriptedPrompter(answers: readonly Decision[]): Prompter & { readonly asked: Question[] } {
  const asked: Question[] = [];
  return {
    asked,
    async ask(q) {
      asked.push(q);
      const a = answers[asked.length - 1];
      if (!a) throw new Error(`scripted prompter: no answer for question ${asked.length} (${q.ruleId})`);
      return a;
    },
  };
}

/** y / n / a / q, as facebook/codemod and `git add -p` ask; Enter takes the default (apply). */
export async function terminalPrompter(): Promise<Prompter> {
  const { expand } = await import('@inquirer/prompts');
  return {
    async ask(q) {
      try {
        return await expand<Decision>({
          message: `Apply this change (${q.index}/${q.total})?`,
          default: 'y',
          choices: [
            { key: 'y', name: 'apply this change', value: 'apply' },
            { key: 'n', name: 'skip it', value: 'skip' },
            { key: 'a', name: `apply this and every other ${q.ruleId} change`, value: 'rule' },
            { key: 'q', name: 'quit: apply what was accepted so far, skip the rest', value: 'quit' },
          ],
        });
      } catch (e) {
        if ((e as Error).name === 'ExitPromptError' || (e as Error).name === 'AbortPromptError') return 'abort';
        throw e;
      }
    },
  };
}
