import { describe, expect, it } from 'vitest';
import { findSecrets, redact, REDACTED } from '../../src/core/secrets.js';

describe('secrets', () => {
  it('finds passwords in database URLs and values of secret-looking keys in every syntax', () => {
    const yml = [
      'galaxy:',
      '  database_connection: postgresql://galaxy:hunter2-pw@db/galaxy',
      '  id_secret: "abcdef0123456789"',
      '  master_api_key: k3y-v4lue',
      '  brand: not-a-secret',
    ].join('\n');
    expect(findSecrets(yml).sort()).toEqual(['abcdef0123456789', 'hunter2-pw', 'k3y-v4lue'].sort());
    expect(findSecrets('[app:main]\nid_secret = ini-secret-value\n')).toEqual(['ini-secret-value']);
    expect(findSecrets('<param id="password">xml-secret</param>')).toContain('xml-secret');
  });

  it('leaves templates, references and booleans alone', () => {
    expect(findSecrets('id_secret: "{{ vault_id_secret }}"\nuse_password: true\npassword: $(DB_PW)\n')).toEqual([]);
  });

  it('redacts every occurrence, longest first', () => {
    expect(redact('a=pw123 b=pw1234', ['pw123', 'pw1234'])).toBe(`a=${REDACTED} b=${REDACTED}`);
  });
});

describe('secrets in places a key name does not lead', () => {
  it('finds KEY=VALUE assignments inside uWSGI env, supervisord and systemd values', () => {
    expect(findSecrets('uwsgi:\n  env: AWS_SECRET_ACCESS_KEY=aws-s3cr3t\n  env: LANG=C\n')).toEqual(['aws-s3cr3t']);
    expect(findSecrets('environment = PATH="/usr/bin",API_TOKEN="tok-123"\n')).toContain('tok-123');
    expect(findSecrets('Environment="LANG=C" "DB_PASSWORD=pw-456"\n')).toContain('pw-456');
  });

  it('keeps a redacted YAML document valid YAML (a bare ******** would be an alias)', async () => {
    const { parse } = await import('yaml');
    const text = 'galaxy:\n  id_secret: abcdef123456\n  database_connection: postgresql://g:pw-789@db/g\n  list:\n    - abcdef123456\n';
    const out = redact(text, findSecrets(text).concat('abcdef123456'));
    expect(out).toBe(
      `galaxy:\n  id_secret: '${REDACTED}'\n  database_connection: postgresql://g:${REDACTED}@db/g\n  list:\n    - '${REDACTED}'\n`,
    );
    expect(parse(out).galaxy.id_secret).toBe(REDACTED);
  });

  it('quotes the placeholder on added and removed diff lines too', () => {
    expect(redact('+  id_secret: abcdef123456\n', ['abcdef123456'])).toBe(`+  id_secret: '${REDACTED}'\n`);
    expect(redact('id_secret = "abcdef123456"\n', ['abcdef123456'])).toBe(`id_secret = "${REDACTED}"\n`);
  });
});

describe('short plain secrets', () => {
  it('hides a password that is also an ordinary word only where it stands as a secret', () => {
    const text = 'galaxy:\n  database_connection: postgresql://galaxy:galaxy@db/galaxy\n  job_config_file: galaxy.yml\n';
    const out = redact(text, findSecrets(text));
    expect(out).toBe(`galaxy:\n  database_connection: postgresql://galaxy:${REDACTED}@db/galaxy\n  job_config_file: galaxy.yml\n`);
  });

  it('still hides a long secret wherever it appears, even without its key', () => {
    expect(redact('moved abcdef123456 to gravity\n', ['abcdef123456'])).toBe(`moved ${REDACTED} to gravity\n`);
  });
});

describe('hiding known secrets everywhere, for one deployment and for an inventory', () => {
  // A few secrets are searched one by one, many through a prefix index: both must hide the same characters.
  const unused = Array.from({ length: 40 }, (_, i) => `unused-secret-${i}-qqqq`);

  it('hides overlapping and touching occurrences as one placeholder, whichever way it searches', () => {
    const text = 'x abcd1234wxyz5 y abcd1234 z 1234wxyz5!';
    const secrets = ['abcd1234', '1234wxyz5'];
    const expected = `x ${REDACTED} y ${REDACTED} z ${REDACTED}!`;
    expect(redact(text, secrets)).toBe(expected);
    expect(redact(text, [...secrets, ...unused])).toBe(expected);
  });

  it('gives the same text with 2 or 42 secrets for random texts built from the secrets', async () => {
    const fc = (await import('fast-check')).default;
    const piece = fc.constantFrom('s3cr3t-pw', 'pw-s3cr3t', 'Zz9Zz9Zz', 'galaxy', ' ', '\n', 'a', '-', 's3c', 'Zz9');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const secrets = ['s3cr3t-pw', 'pw-s3cr3t', 'Zz9Zz9Zz'];
        const few = redact(text, secrets);
        expect(redact(text, [...secrets, ...unused])).toBe(few);
        for (const s of secrets) expect(few).not.toContain(s);
      }),
      { numRuns: 300 },
    );
  });
});
