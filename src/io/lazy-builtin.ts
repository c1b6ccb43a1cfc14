import { createRequire } from 'node:module';

/*
 * Node built-ins that only some commands need, loaded on first use. child_process (with net and dgram
 * behind it), crypto and os are about a tenth of a cold `migrate plan`, which uses none of them:
 * only `plan --verify` runs a server, only `apply` and saved plans hash files. ES modules cannot
 * import synchronously on demand (process.getBuiltinModule is Node 22), so this is a CommonJS require.
 */
const requireBuiltin = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => requireBuiltin('node:child_process');
export const crypto = (): typeof import('node:crypto') => requireBuiltin('node:crypto');
export const os = (): typeof import('node:os') => requireBuiltin('node:os');
