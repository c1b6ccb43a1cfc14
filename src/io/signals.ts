/**
 * Runs a synchronous write with Ctrl-C (SIGINT), SIGTERM and SIGHUP held back: with a listener
 * installed, Node delivers those signals to JavaScript only once the synchronous work is done, so
 * an apply is never cut between two files by a keypress or a service stop. (SIGKILL cannot be held;
 * the backup manifest and `migrate rollback` cover that case.)
 */
const HELD: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function holdingSignals<T>(fn: () => T): Promise<{ value: T; received: NodeJS.Signals[] }> {
  const received: NodeJS.Signals[] = [];
  const onSignal = (s: NodeJS.Signals): void => void received.push(s);
  for (const s of HELD) process.on(s, onSignal);
  try {
    const value = fn();
    // Signals that arrived meanwhile are delivered on the next turns of the event loop.
    await new Promise((r) => setTimeout(r, 20));
    return { value, received };
  } finally {
    for (const s of HELD) process.off(s, onSignal);
  }
}
