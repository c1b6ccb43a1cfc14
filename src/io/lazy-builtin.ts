/*
 * Node built-ins that only some commands need, loaded on first use. child_process (with net and dgram
 * behind it), crypto, os and worker_threads are about a tenth of a cold `migrate plan`, which uses
 * none of them: only `plan --verify` runs a server, only `apply` and saved plans hash files, only a
 * large `lint` starts a thread. ES modules cannot import synchronously on demand;
 * process.getBuiltinModule (Node 20.16) can, without loading `node:module` for a createRequire.
 */
const builtin = <T>(id: string): (() => T) => {
  let loaded: T | undefined;
  return () => (loaded ??= process.getBuiltinModule(id) as T);
};

export const childProcess = builtin<typeof import('node:child_process')>('node:child_process');
export const crypto = builtin<typeof import('node:crypto')>('node:crypto');
export const os = builtin<typeof import('node:os')>('node:os');
export const workerThreads = builtin<typeof import('node:worker_threads')>('node:worker_threads');
export const tty = builtin<typeof import('node:tty')>('node:tty');
