import { describe, expect, it } from 'vitest';
import { printIni, readIni, SUPERVISOR, SYSTEMD, CONFIGPARSER } from '../../../src/formats/ini/lossless.js';
import { corpusFiles } from '../../helpers/corpus-files.js';
import { HAVE_SHARED, warnNoShared } from '../../helpers/shared.js';

warnNoShared('supervisord/systemd/INI corpus round-trip');

describe.skipIf(!HAVE_SHARED)('lossless INI readers on the corpus', () => {
  const files = corpusFiles();
  const pick = (pred: (path: string, kind: string | undefined) => boolean) => files.filter((f) => pred(f.path, f.kind));

  it('reads every supervisord file and gives its text back byte for byte', () => {
    const sup = pick((_, k) => k === 'supervisor');
    expect(sup.length).toBeGreaterThanOrEqual(10);
    for (const f of sup) {
      const { ast } = readIni(f.text, SUPERVISOR);
      expect(printIni(f.text, ast), f.path).toBe(f.text);
      expect(ast.sections.length, f.path).toBeGreaterThan(0);
    }
  });

  it('reads every systemd unit and gives its text back byte for byte', () => {
    const units = pick((p, k) => k === 'systemd' || /\.service(\.j2)?$/.test(p));
    expect(units.length).toBeGreaterThanOrEqual(10);
    for (const f of units) {
      const { ast, errors } = readIni(f.text, SYSTEMD);
      expect(printIni(f.text, ast), f.path).toBe(f.text);
      expect(errors, f.path).toEqual([]);
    }
  });

  it('reads every INI file (galaxy.ini, uWSGI .ini) and gives its text back byte for byte', () => {
    const inis = pick((p, k) => k === 'galaxy-ini' || k === 'uwsgi-ini' || /\.ini(\.[a-z0-9]+)?$/i.test(p));
    expect(inis.length).toBeGreaterThanOrEqual(5);
    for (const f of inis) {
      const { ast } = readIni(f.text, CONFIGPARSER);
      expect(printIni(f.text, ast), f.path).toBe(f.text);
    }
  });
});
