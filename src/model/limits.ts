/**
 * The most processes of one kind (a program's `numprocs`, `mules: N`, zerglings, a Gravity handler
 * group) that galaxy-migrate expands into names, binds and SQL. No Galaxy server runs anywhere near
 * as many (the largest public ones run tens of handlers); a larger count is a typo or hostile input,
 * and expanding it would take time and memory without bound: `numprocs = 999999999999999999992` ran
 * a plan out of memory (fuzz seed 96). Such a count is reported, never expanded.
 */
export const MAX_PROCESSES = 1000;

/** A count read from a configuration that is too large to expand (see MAX_PROCESSES). */
export function tooManyProcesses(n: number): boolean {
  return !(n <= MAX_PROCESSES);
}
