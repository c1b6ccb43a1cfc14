import { describe, expect, it } from 'vitest';
import { withProgress } from '../../src/io/progress.js';
import { memoryHost } from '../../src/core/host.js';
import { scriptedPrompter } from '../../src/io/prompts.js';
import { SAMPLE, tempDir, writeTree } from '../helpers/deployment.js';
import { runWith } from '../helpers/run-with-rules.js';

const ESC = '\u001b[';

describe('colors', () => {
  it('are off for a non-terminal and for NO_COLOR, on with --color always', async () => {
    const dir = writeTree(tempDir('gm-term-'), SAMPLE);
    const asked = (color: string[], env: Record<string, string> = {}) =>
      runWith(['apply', ...color, '.'], dir, { env, deps: { interactive: true, prompter: scriptedPrompter(['quit']) } });
    expect((await asked([])).stdout).not.toContain(ESC);
    const forced = await asked(['--color', 'always']);
    expect(forced.stdout).toContain(`${ESC}32m+  bind: 127.0.0.1:8080\r${ESC}39m`);
    expect((await runWith(['lint', '--color', 'always', '.'], dir)).stdout).toContain(`${ESC}31merror${ESC}39m`);
    expect((await runWith(['lint', '.'], dir, { env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC); // NO_COLOR=1 set by runWith wins
  });
});

describe('the progress line', () => {
  const host = memoryHost(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`/d/f${i}.yml`, 'a: 1\n'])), '/d');

  it('is drawn on stderr only when enabled and reading takes long, throttled, and erased at the end', () => {
    let t = 0;
    let err = '';
    const p = withProgress(host, (s) => (err += s), true, { now: () => t, afterMs: 300, everyMs: 100 });
    for (let i = 0; i < 50; i++) {
      t += 20;
      p.host.readFile(`/d/f${i}.yml`);
    }
    p.done();
    const draws = err.split('\r\u001b[K').filter(Boolean);
    expect(draws[0]).toMatch(/^reading 15 files… f14\.yml$/);
    expect(draws.length).toBeGreaterThan(3);
    expect(draws.length).toBeLessThan(12);
    expect(err.endsWith('\r\u001b[K')).toBe(true);
  });

  it('is never drawn when stderr is not a terminal, or for a quick read', () => {
    let err = '';
    const off = withProgress(host, (s) => (err += s), false);
    for (let i = 0; i < 50; i++) off.host.readFile(`/d/f${i}.yml`);
    off.done();
    const quick = withProgress(host, (s) => (err += s), true, { now: () => 0 });
    for (let i = 0; i < 50; i++) quick.host.readFile(`/d/f${i}.yml`);
    quick.done();
    expect(err).toBe('');
  });
});

describe('--help', () => {
  it('has examples for every command', async () => {
    for (const cmd of ['plan', 'lint', 'apply', 'rollback', 'rules', 'explain', 'show-config']) {
      const r = await runWith([cmd, '--help'], tempDir());
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain('Examples:');
      expect(r.stdout, cmd).toContain(`$ migrate ${cmd}`);
    }
  });
});
