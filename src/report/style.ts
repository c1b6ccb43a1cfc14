/** ANSI styling that turns itself off for NO_COLOR, non-terminals and `--color never`. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  cyan(s: string): string;
}

const wrap =
  (open: number, close: number, on: boolean) =>
  (s: string): string =>
    on ? `\u001b[${open}m${s}\u001b[${close}m` : s;

export function makeStyle(on: boolean): Style {
  return {
    bold: wrap(1, 22, on),
    dim: wrap(2, 22, on),
    red: wrap(31, 39, on),
    green: wrap(32, 39, on),
    yellow: wrap(33, 39, on),
    blue: wrap(34, 39, on),
    cyan: wrap(36, 39, on),
  };
}

export function colorWanted(flag: string | undefined, isTty: boolean, env: Record<string, string | undefined>): boolean {
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty;
}
