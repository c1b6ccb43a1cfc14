import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { os, workerThreads } from '../io/lazy-builtin.js';
import type { EngineOptions } from '../core/engine.js';
import type { ServerRun } from './server.js';
import { BACK, BEAT, FINISHED, fromWire, SLOTS, STARTED, take, type ThreadData, type WireMessage } from './thread-protocol.js';
import type { WalkedFile } from './walk.js';

/**
 * Two threads for a large tree: the servers of an inventory are independent (each its own model,
 * src/model/partition.ts), so a worker thread analyses some while the main thread does the rest,
 * and the results are put back in server order, so the output is byte for byte the single-thread
 * one. Parsed trees cannot cross threads (prototypes and functions do not survive a structured
 * clone), so a server is analysed whole on one thread and only its findings, plan and model facts
 * travel. The commands stay synchronous: the main thread waits with Atomics.wait and reads the
 * worker's messages with receiveMessageOnPort.
 *
 * `auto` uses the worker only above THREADS_MIN_BYTES and with two cores: the worker compiles and
 * warms up its own copy of the code (about 15% more CPU in all), which a 5 MB inventory does not
 * win back and a 55 MB one does (README, Benchmarks). `on` forces it (tests), `off` never
 * (GALAXY_MIGRATE_THREADS).
 */
export type ThreadsChoice = 'auto' | 'on' | 'off';

/** Below this much text a second thread does not pay for its start-up (measured: README, Benchmarks). */
export const THREADS_MIN_BYTES = 24 * 1024 * 1024;

/** The worker's young generation (V8 semi-spaces): see runServersInThreads. */
const YOUNG_GENERATION_MB = 96;

/** A worker silent this long (no server started or finished) is given up on: its servers run here. */
const SILENCE_MS = 60_000;

export function parseThreadsChoice(v: string | undefined): ThreadsChoice {
  return v === 'on' || v === 'off' ? v : 'auto';
}

export function threadsWanted(choice: ThreadsChoice, files: readonly WalkedFile[], servers: number): boolean {
  if (choice === 'off' || servers < 2) return false;
  if (choice === 'on') return true;
  let bytes = 0;
  for (const f of files) bytes += f.file.text.length;
  return bytes >= THREADS_MIN_BYTES && os().availableParallelism() >= 2;
}

export interface ThreadContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly roots: readonly string[];
  readonly engine: EngineOptions;
  /** `on`: the worker must take part (it gets the first server), and a failure is an error, not a fallback. */
  readonly forced: boolean;
}

/** Runs every server (on this thread with `here`, or on the worker) and returns the runs in server order. */
export function runServersInThreads(groups: readonly (readonly WalkedFile[])[], ctx: ThreadContext, here: (group: readonly WalkedFile[]) => ServerRun): ServerRun[] {
  const runs: (ServerRun | undefined)[] = new Array(groups.length);
  const entry = workerEntry();
  if (!entry) {
    if (ctx.forced) throw new Error('the analysis worker (analyse-worker.js) is missing from this installation');
    return groups.map(here);
  }
  const sizes = groups.map((g) => g.reduce((n, f) => n + f.file.text.length, 0));
  const order = groups.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const sharedBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const shared = new Int32Array(sharedBuffer);
  Atomics.store(shared, BACK, order.length);
  const { MessageChannel, receiveMessageOnPort, Worker } = workerThreads();
  const { port1, port2 } = new MessageChannel();
  const data: ThreadData = {
    groups,
    order,
    cwd: ctx.cwd,
    env: { ...ctx.env },
    roots: ctx.roots,
    target: ctx.engine.target,
    ...(ctx.engine.disabled ? { disabled: new Set(ctx.engine.disabled) } : {}),
    shared: sharedBuffer,
    port: port2,
  };
  // A young generation larger than a fresh thread's default: parsing makes many short-lived
  // objects, and fewer, larger scavenges cost less (the main thread cannot be given this: it is a flag).
  const worker = new Worker(entry, { workerData: data, transferList: [port2], stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  worker.unref();
  try {
    if (ctx.forced && Atomics.wait(shared, STARTED, 0, SILENCE_MS) === 'timed-out') throw new Error('the analysis worker did not start');
    const mine = new Set<number>();
    for (let at = take(shared, 'back'); at !== undefined; at = take(shared, 'back')) {
      const index = order[at]!;
      mine.add(index);
      runs[index] = here(groups[index]!);
    }
    // Every server is taken now; wait for the worker's, unless it took none (it may not have started).
    if (mine.size < groups.length) awaitWorker(shared);
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
      const msg = m.message as WireMessage;
      if ('run' in msg) runs[msg.index] = fromWire(msg.run);
      else if (ctx.forced) throw new Error(`the analysis worker failed: ${msg.error}`);
    }
    if (ctx.forced && runs.some((r) => r === undefined)) throw new Error('the analysis worker stopped before it was done');
    // What the worker did not deliver (it failed, or stopped answering) is analysed here.
    return runs.map((r, i) => r ?? here(groups[i]!));
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/** Waits until the worker is finished, or silent for SILENCE_MS. */
function awaitWorker(shared: Int32Array): void {
  let beat = Atomics.load(shared, BEAT);
  while (Atomics.load(shared, FINISHED) === 0) {
    if (Atomics.wait(shared, FINISHED, 0, SILENCE_MS) !== 'timed-out') continue;
    const now = Atomics.load(shared, BEAT);
    if (now === beat) return;
    beat = now;
  }
}

/**
 * The worker's entry beside this code: `analyse-worker.js` of the tsc output (dist/src), or the
 * bundle's own entry (dist/bundle/analyse-worker.cjs or .mjs, scripts/bundle.mjs). Absent when run
 * from the TypeScript sources (tests in-process): then everything runs on one thread.
 */
function workerEntry(): URL | undefined {
  for (const rel of ['./analyse-worker.cjs', './analyse-worker.mjs', '../analyse-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}
