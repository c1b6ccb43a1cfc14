/**
 * Work counted, never timed (issue 7: tests that catch a quadratic step without a clock). While
 * `run` runs, each call of the Array searches below adds the length of the array it searches, and
 * each String split the length of the text it splits. A search of a whole list per item, or a scan
 * of a whole file per edit, makes the count grow with the square of the input; a linear pass, with
 * the input. Compare the counts of two inputs of different sizes.
 */
const SEARCHES = ['find', 'findIndex', 'filter', 'some', 'every', 'includes', 'indexOf'] as const;

export function workOf(run: () => void): number {
  let work = 0;
  const arrays = Array.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = SEARCHES.map((m) => [m, arrays[m]!] as const);
  const split = String.prototype.split;
  for (const [m, f] of saved) {
    arrays[m] = function (this: unknown[], ...a: unknown[]) {
      work += this.length;
      return f.apply(this, a);
    };
  }
  String.prototype.split = function (this: string, ...a: Parameters<typeof split>) {
    work += this.length;
    return split.apply(this, a);
  } as typeof split;
  try {
    run();
  } finally {
    for (const [m, f] of saved) arrays[m] = f;
    String.prototype.split = split;
  }
  return work;
}
