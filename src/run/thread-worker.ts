import { ALL_RULES } from '../../rules/index.js';
import type { EngineOptions } from '../core/engine.js';
import { confineHost } from '../io/confine.js';
import { nodeHost } from '../io/host.js';
import { memoizeRealpath } from './memo-host.js';
import { runServer } from './server.js';
import { BEAT, FINISHED, STARTED, take, toWire, type ThreadData, type WireMessage } from './thread-protocol.js';
import { walkedTexts } from './walk.js';

/**
 * The worker's side (entry: src/analyse-worker.ts): takes servers from the front of the queue,
 * biggest first, until the main thread, taking from the back, meets it; posts each server's
 * results, then says it is finished. A server that throws is posted as an error, and the main
 * thread runs it again itself, so that the error is the one a single thread would give.
 */
export function serveThread(data: ThreadData): void {
  const shared = new Int32Array(data.shared);
  const host = nodeHost(data.cwd, { ...data.env });
  const readers = confineHost(memoizeRealpath(host), data.roots, walkedTexts(data.groups.flat()));
  const engine: EngineOptions = { target: data.target, disabled: data.disabled, fileExists: (p) => host.realpath(p) !== undefined };
  const signal = (slot: number): void => {
    Atomics.store(shared, slot, 1);
    Atomics.notify(shared, slot);
  };
  try {
    for (;;) {
      const at = take(shared, 'front');
      signal(STARTED);
      if (at === undefined) break;
      const index = data.order[at]!;
      Atomics.add(shared, BEAT, 1);
      let message: WireMessage;
      try {
        message = { index, run: toWire(runServer(data.groups[index]!, readers, ALL_RULES, engine)) };
        data.port.postMessage(message);
      } catch (e) {
        data.port.postMessage({ index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WireMessage);
      }
      Atomics.add(shared, BEAT, 1);
    }
  } finally {
    signal(FINISHED);
  }
}
