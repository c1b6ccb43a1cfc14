import { describe, expect, it } from 'vitest';
import { segmentMatches } from '../../src/formats/include-paths.js';

describe('include glob segments (fnmatch)', () => {
  it('matches classes, negations and ranges as glob(3) does', () => {
    expect(segmentMatches('a[bc]d', 'abd')).toBe(true);
    expect(segmentMatches('a[!b]d', 'abd')).toBe(false);
    expect(segmentMatches('a[!b]d', 'acd')).toBe(true);
    expect(segmentMatches('a[a-c]d', 'abd')).toBe(true);
    expect(segmentMatches('*.conf', 'galaxy.conf')).toBe(true);
    expect(segmentMatches('*.conf', '.hidden.conf')).toBe(false);
  });

  it('never builds an invalid pattern: a reversed range matches nothing (found by fuzzing)', () => {
    expect(() => segmentMatches('uwsgi_params;[filter:proxy-prefix]', 'uwsgi_params;f')).not.toThrow();
    expect(segmentMatches('x[z-a]', 'xb')).toBe(false);
    expect(segmentMatches('x[^-]', 'x-')).toBe(false);
  });
});
