/**
 * Secrets are never printed: reports, diffs, JSON and logs show `********` instead. The values are
 * found by key name across every format the tool reads (YAML `key: v`, INI `key = v`, XML
 * `<param id="key">v</param>`, nginx/Apache arguments after a key-like word), and database URLs
 * give up their password part wherever they appear.
 */
export const REDACTED = '********';

const SECRET_KEY = /(password|passwd|secret|token|api[_-]?key|private[_-]?key|id_secret|master_api_key|credential)/i;

const KEY_VALUE = [
  // YAML / ansible: `  key: value` (value to end of line, quotes stripped below)
  /^[ \t-]*["']?([A-Za-z0-9_.-]+)["']?[ \t]*:[ \t]+(.+?)[ \t]*$/gm,
  // INI / shell / systemd Environment: `key = value`, `KEY=value`
  /^[ \t]*(?:Environment[ \t]*=[ \t]*"?)?([A-Za-z0-9_.-]+)[ \t]*=[ \t]*(.+?)[ \t]*$/gm,
  // XML params: <param id="key">value</param>
  /<param\s+id=["']([^"']+)["'][^>]*>([^<]+)<\/param>/g,
  // XML attributes: key="value"
  /\b([A-Za-z0-9_.-]+)=["']([^"']+)["']/g,
];

/** URL userinfo passwords: scheme://user:PASSWORD@host */
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:([^\s@'"]+)@/gi;

export function findSecrets(text: string): string[] {
  const found = new Set<string>();
  for (const re of KEY_VALUE) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const key = m[1] ?? '';
      let value = (m[2] ?? '').trim();
      if (!SECRET_KEY.test(key)) continue;
      value = value.replace(/^["']|["']$/g, '').replace(/\s+#.*$/, '').trim();
      if (isSecretValue(value)) found.add(value);
    }
  }
  URL_PASSWORD.lastIndex = 0;
  for (const m of text.matchAll(URL_PASSWORD)) {
    const pw = m[1] ?? '';
    if (isSecretValue(pw)) found.add(pw);
  }
  return [...found];
}

/** Placeholders, references and trivial values are not secrets, and hiding them would hide meaning. */
function isSecretValue(v: string): boolean {
  if (v.length < 3) return false;
  if (/^(true|false|yes|no|on|off|null|none|changeme)$/i.test(v)) return false;
  if (/^\{\{.*\}\}$/.test(v) || /^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/.test(v) || /^%\([^)]*\)s?$/.test(v)) return false;
  if (/^[{[|>]$/.test(v)) return false;
  return true;
}

/** Replaces every occurrence of every secret, longest first (a secret may contain another). */
export function redact(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out;
}
