// Entry of the analysis worker thread (src/run/threads.ts starts it for large trees). Its own
// file, next to cli.ts, so that the tsc output and the bundle (scripts/bundle.mjs) both have it.
import { workerData } from 'node:worker_threads';
import { serveThread } from './run/thread-worker.js';
import type { ThreadData } from './run/thread-protocol.js';

serveThread(workerData as ThreadData);
