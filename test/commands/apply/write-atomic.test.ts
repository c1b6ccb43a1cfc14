import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles, TransactionError } from '../../../src/io/transaction.js';
import { metaOf, prepareWrite, writeFileAtomic } from '../../../src/io/write-atomic.js';
import { SAMPLE, tempDir, writeTree } from '../../helpers/deployment.js';
import { runWith } from '../../helpers/run-with-rules.js';

const isRoot = process.getuid?.() === 0;

describe('writeFileAtomic', () => {
  it('replaces the file whole, with its mode, and leaves no temporary file', () => {
    const dir = tempDir();
    const p = join(dir, 'galaxy.yml');
    writeFileSync(p, 'old\n');
    chmodSync(p, 0o640);
    writeFileAtomic(p, Buffer.from('new\n'), metaOf(p));
    expect(readFileSync(p, 'utf8')).toBe('new\n');
    expect(statSync(p).mode & 0o7777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['galaxy.yml']);
  });

  it('changes nothing until commit, and discard removes the temporary file', () => {
    const dir = tempDir();
    const p = join(dir, 'a.conf');
    writeFileSync(p, 'old\n');
    const w = prepareWrite(p, Buffer.from('new\n'), metaOf(p));
    expect(readFileSync(p, 'utf8')).toBe('old\n');
    expect(readFileSync(w.tmp, 'utf8')).toBe('new\n');
    w.discard();
    expect(readdirSync(dir)).toEqual(['a.conf']);
  });

  it.skipIf(!isRoot)('keeps the owner of the file it replaces (as root)', async () => {
    const dir = writeTree(tempDir(), SAMPLE);
    const p = join(dir, 'nginx/galaxy.conf');
    chownSync(p, 4321, 4322);
    chmodSync(p, 0o2640);
    expect((await runWith(['apply', '--yes', '.'], dir)).code).toBe(0);
    const st = statSync(p);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([4321, 4322, 0o2640]);
    expect(readFileSync(p, 'utf8')).toContain('proxy_pass');
    expect((await runWith(['rollback'], dir)).code).toBe(0);
    const back = statSync(p);
    expect([back.uid, back.gid, back.mode & 0o7777]).toEqual([4321, 4322, 0o2640]);
  });
});

describe('commitFiles (all or nothing)', () => {
  it('puts back replaced, created and deleted files when a later step fails', () => {
    const dir = writeTree(tempDir(), { 'a.txt': 'a0', 'b.txt': 'b0', 'c.txt': 'c0' });
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    const c = join(dir, 'c.txt');
    const prev = (p: string) => ({ data: readFileSync(p), meta: metaOf(p) });
    const files = [
      { kind: 'write' as const, path: a, data: Buffer.from('a1'), meta: metaOf(a), previous: prev(a) },
      { kind: 'delete' as const, path: b, previous: prev(b) },
      { kind: 'write' as const, path: join(dir, 'new/deep/n.txt'), data: Buffer.from('n1') },
      { kind: 'write' as const, path: c, data: Buffer.from('c1'), meta: metaOf(c), previous: prev(c) },
    ];
    let err: unknown;
    try {
      commitFiles(files, (step) => {
        if (step === 'commit:3') throw new Error('disk full');
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TransactionError);
    expect((err as Error).message).toBe('disk full; every file already written was put back as it was, so nothing changed');
    expect(readFileSync(a, 'utf8')).toBe('a0');
    expect(readFileSync(b, 'utf8')).toBe('b0');
    expect(readFileSync(c, 'utf8')).toBe('c0');
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('fails before touching anything when a temporary file cannot be written', () => {
    const dir = writeTree(tempDir(), { 'a.txt': 'a0' });
    const a = join(dir, 'a.txt');
    expect(() =>
      commitFiles([
        { kind: 'write', path: a, data: Buffer.from('a1'), meta: metaOf(a) },
        { kind: 'write', path: join(dir, 'a.txt', 'below-a-file'), data: Buffer.from('x') },
      ]),
    ).toThrow(TransactionError);
    expect(readFileSync(a, 'utf8')).toBe('a0');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });
});
