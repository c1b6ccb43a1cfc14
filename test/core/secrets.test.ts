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
