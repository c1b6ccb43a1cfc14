import { describe, expect, it } from 'vitest';
import { memoryHost, type ReadHost } from '../../src/core/host.js';
import { memoizeRealpath } from '../../src/run/memo-host.js';

describe('memoizeRealpath (the readers of one lint run)', () => {
  it('asks the file system once per path and answers as it did, missing paths included', () => {
    const base = memoryHost({ '/d/nginx/galaxy.conf': 'server {}\n', '/d/uwsgi_params': 'uwsgi_param A b;\n' }, '/d');
    const asked: string[] = [];
    const counting: ReadHost = { ...base, realpath: (p) => (asked.push(p), base.realpath(p)) };
    const host = memoizeRealpath(counting);
    for (let i = 0; i < 3; i++) {
      expect(host.realpath('/d/uwsgi_params')).toBe('/d/uwsgi_params');
      expect(host.realpath('/d/nginx/uwsgi_params')).toBeUndefined();
      expect(host.realpath('nginx/galaxy.conf')).toBe('/d/nginx/galaxy.conf');
    }
    expect(asked).toEqual(['/d/uwsgi_params', '/d/nginx/uwsgi_params', 'nginx/galaxy.conf']);
    // Everything else goes to the host as it is.
    expect(host.readFile('/d/uwsgi_params')).toEqual({ text: 'uwsgi_param A b;\n' });
    expect(host.listDir?.('/d')).toEqual(base.listDir?.('/d'));
    expect(host.displayPath('/d/nginx/galaxy.conf')).toBe('nginx/galaxy.conf');
  });
});
