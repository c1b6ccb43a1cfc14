/** What a command may touch of the process: everything else goes through ReadHost. */
export interface CommandIo {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly stdoutIsTty: boolean;
  /** Whether stderr is a terminal (a progress line is drawn there); false when not given. */
  readonly stderrIsTty?: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
