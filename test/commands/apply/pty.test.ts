import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TEST_CLI } from '../../helpers/build.js';
import { HAVE_TMUX, shQuote, tmuxSession, type TmuxSession } from '../../helpers/tmux.js';
import { SAMPLE, SAMPLE_AFTER, SECRETS, tempDir, textTree, writeTree } from '../../helpers/deployment.js';

/**
 * `migrate apply` in a real pseudo-terminal: tmux runs the built CLI (with the test rules), the
 * test types the answers a person would and reads the screen, then checks the files on disk are
 * exactly what was accepted. tmux comes from .ci/apt-packages.txt; without it the test is skipped
 * with a visible message.
 */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
if (!HAVE_TMUX) console.warn('[skip] apply in a pseudo-terminal: tmux is not installed (apt-get install tmux)');
let session: TmuxSession | undefined;

describe.skipIf(!HAVE_TMUX)('migrate apply in a pseudo-terminal', () => {
  beforeAll(() => ensureBuilt(), 180_000);
  afterAll(() => session?.kill());

  it('shows each change with its reason, accepts, applies all of a rule, skips and quits; disk holds exactly the accepted changes', async () => {
    const dir = writeTree(tempDir('gm-pty-'), SAMPLE);
    const exitFile = join(tempDir('gm-pty-exit-'), 'code');
    const q = shQuote;
    session = tmuxSession(`gm-pty-${process.pid}-${Date.now()}`, `cd ${q(dir)} && NO_COLOR=1 ${q(process.execPath)} ${q(TEST_CLI)} apply . ; echo $? > ${q(exitFile)}; sleep 30`);
    const { waitFor, answer, screen } = session;

    let s = await waitFor('Apply this change (1/6)?');
    expect(s).toContain('[1/6] test/socket-to-bind');
    expect(s).toContain('why: the uWSGI socket becomes the gunicorn bind');
    expect(s).toContain('+  bind: 127.0.0.1:8080');
    await answer('y');

    s = await waitFor('Apply this change (2/6)?');
    expect(s).toContain('[2/6] test/no-mules');
    await answer('a');

    s = await waitFor('Apply this change (4/6)?');
    expect(s).toContain('applied (all of this rule)');
    expect(s).toContain('+        proxy_pass http://127.0.0.1:8080;');
    await answer('n');

    s = await waitFor('Apply this change (5/6)?');
    expect(s).toContain('[5/6] test/handlers-file');
    await answer('q');

    const until = Date.now() + 20_000;
    while (!existsSync(exitFile) && Date.now() < until) await sleep(100);
    s = screen();
    expect(existsSync(exitFile), `apply did not finish; the screen shows:\n${s}`).toBe(true);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('1'); // the skipped uwsgi_pass error remains
    expect(s).toContain('3 change(s) accepted, 3 left out');
    expect(s).toMatch(/applied: 1 file\(s\) changed/);
    for (const x of SECRETS) expect(s).not.toContain(x);

    expect(textTree(dir)).toEqual({ ...SAMPLE, 'config/galaxy.yml': SAMPLE_AFTER['config/galaxy.yml'] });
  });
});
