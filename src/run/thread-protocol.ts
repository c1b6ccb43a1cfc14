import type { MessagePort } from 'node:worker_threads';
import { makeDocument, type FileKind, type ParseIssue, type SourceFile } from '../core/document.js';
import type { EngineResult } from '../core/engine.js';
import type { Deployment } from '../core/model.js';
import type { Target } from '../core/target.js';
import type { ServerRun } from './server.js';
import type { WalkedFile } from './walk.js';

/**
 * What the main thread and the analysis worker share (src/run/threads.ts, thread-worker.ts): the
 * servers to analyse, a small shared array through which both take servers from a queue, and the
 * shape a server's results travel in (structured clone keeps data, not prototypes or functions).
 */
export interface ThreadData {
  readonly groups: readonly (readonly WalkedFile[])[];
  /** Server indexes, biggest first: the worker takes from the front, the main thread from the back. */
  readonly order: readonly number[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly roots: readonly string[];
  readonly target: Target;
  readonly disabled?: ReadonlySet<string>;
  readonly shared: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** Slots of the shared Int32Array. */
export const LOCK = 0;
/** Next position of `order` the worker takes. */
export const FRONT = 1;
/** One past the last position of `order` not yet taken by the main thread. */
export const BACK = 2;
/** Set by the worker when it has taken its first server (or found none left). */
export const STARTED = 3;
/** Set by the worker when it takes no more servers and has posted every result. */
export const FINISHED = 4;
/** Bumped by the worker before and after each server: the main thread's sign of life. */
export const BEAT = 5;
export const SLOTS = 6;

/** Takes the next position from the front (worker) or the back (main thread), or undefined when none is left. */
export function take(shared: Int32Array, end: 'front' | 'back'): number | undefined {
  while (Atomics.compareExchange(shared, LOCK, 0, 1) !== 0) {
    // Held for a few instructions by the other thread.
  }
  try {
    const front = Atomics.load(shared, FRONT);
    const back = Atomics.load(shared, BACK);
    if (front >= back) return undefined;
    if (end === 'front') {
      Atomics.store(shared, FRONT, front + 1);
      return front;
    }
    Atomics.store(shared, BACK, back - 1);
    return back - 1;
  } finally {
    Atomics.store(shared, LOCK, 0);
  }
}

/** A server's results as posted by the worker. */
export type WireMessage =
  | { readonly index: number; readonly run: WireRun }
  | { readonly index: number; readonly error: string };

export interface WireRun {
  readonly documents: readonly { readonly file: SourceFile; readonly kind: FileKind; readonly errors: readonly ParseIssue[] }[];
  readonly deployment: Omit<Deployment, 'documents'>;
  readonly result: EngineResult;
}

export function toWire(run: ServerRun): WireRun {
  const { documents, ...rest } = run.deployment;
  return { documents: documents.map((d) => ({ file: d.file, kind: d.kind, errors: d.errors })), deployment: rest, result: run.result };
}

export function fromWire(w: WireRun): ServerRun {
  return { deployment: { ...w.deployment, documents: w.documents.map((d) => makeDocument(d.file, d.kind, undefined, d.errors)) }, result: w.result };
}
