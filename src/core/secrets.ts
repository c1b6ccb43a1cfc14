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
  // Environment assignments inside a value: uWSGI `env: DB_PASSWORD=x`, supervisord
  // `environment = A="1",API_TOKEN="x"`, systemd `Environment="A=1" "SECRET=x"`, `--api-key=x`.
  /(?:^|[\s:,"'])-{0,2}([A-Za-z_][A-Za-z0-9_.-]*)=("[^"\n]*"|'[^'\n]*'|[^\s,"']+)/gm,
];

/** URL userinfo passwords: scheme://user:PASSWORD@host */
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:([^\s@'"]+)@/gi;

export function findSecrets(text: string): string[] {
  return [...new Set(secretSpans(text).map((sp) => text.slice(sp.start, sp.end)))];
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The key-value patterns with match indices, compiled once. */
const KEY_VALUE_INDEXED = KEY_VALUE.map((re) => new RegExp(re.source, `${re.flags.replace('d', '')}d`));
const URL_PASSWORD_INDEXED = new RegExp(URL_PASSWORD.source, 'gid');
/** Every key-value pattern needs a secret-like key in the text, every URL password a `://`: most texts have neither. */
const SECRET_KEY_ANYWHERE = new RegExp(SECRET_KEY.source, 'i');

/** Where a secret value stands in a text, by the key before it or the URL it is the password of. */
function secretSpans(text: string): Span[] {
  const spans: Span[] = [];
  if (SECRET_KEY_ANYWHERE.test(text)) {
    for (const re of KEY_VALUE_INDEXED) {
      for (const m of text.matchAll(re)) {
        const key = m[1] ?? '';
        const raw = m[2] ?? '';
        const at = m.indices?.[2]?.[0];
        if (!SECRET_KEY.test(key) || at === undefined) continue;
        const value = raw.trim().replace(/^["']|["']$/g, '').replace(/\s+#.*$/, '').trim();
        if (!isSecretValue(value)) continue;
        const offset = raw.indexOf(value);
        if (offset >= 0) spans.push({ start: at + offset, end: at + offset + value.length });
      }
    }
  }
  if (text.includes('://')) {
    for (const m of text.matchAll(URL_PASSWORD_INDEXED)) {
      const at = m.indices?.[1];
      if (at && isSecretValue(m[1] ?? '')) spans.push({ start: at[0], end: at[1] });
    }
  }
  return spans;
}

/**
 * A secret is hidden wherever it stands as a value (after its key, as a URL's password). It is also
 * hidden everywhere else it appears, unless it is so short and plain that it is also an ordinary
 * word of the text: a database password `galaxy` must not blank out every `galaxy.yml` of a report.
 */
function hiddenEverywhere(secret: string): boolean {
  return secret.length >= 8 || (secret.length >= 5 && /[^A-Za-z]/.test(secret));
}

/** Placeholders, references and trivial values are not secrets, and hiding them would hide meaning. */
function isSecretValue(v: string): boolean {
  if (v.length < 3) return false;
  if (/^(true|false|yes|no|on|off|null|none|changeme)$/i.test(v)) return false;
  if (/^\{\{.*\}\}$/.test(v) || /^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/.test(v) || /^%\([^)]*\)s?$/.test(v)) return false;
  if (/^[{[|>]$/.test(v)) return false;
  return true;
}

/**
 * Hides every secret value of the text itself (by key and URL), and every occurrence of the known
 * secrets that are hidden everywhere (see hiddenEverywhere). Where occurrences overlap or touch (a secret may
 * contain another), the whole run is one `********`, so no part of any secret shows. One pass over
 * the text whatever the number of secrets (an inventory has one per host), with the secrets indexed
 * by their first characters once per list.
 */
export function redact(text: string, secrets: readonly string[]): string {
  if (text.length === 0) return text;
  const spans = secretSpans(text);
  const everywhere = hiddenEverywhereOf(secrets);
  if (everywhere.length) spans.push(...occurrences(text, everywhere));
  if (spans.length === 0) return text;
  // Overlapping or touching occurrences (a secret may contain another) become one placeholder.
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let copied = 0;
  let runStart = spans[0]!.start;
  let runEnd = spans[0]!.end;
  const flush = (): void => {
    out += text.slice(copied, runStart) + placeholder(text, runStart, runEnd);
    copied = runEnd;
  };
  for (const sp of spans.slice(1)) {
    if (sp.start > runEnd) {
      flush();
      runStart = sp.start;
      runEnd = sp.end;
    } else runEnd = Math.max(runEnd, sp.end);
  }
  flush();
  return out + text.slice(copied);
}

/**
 * The secrets of a list that are hidden everywhere, filtered once per list: a report redacts every
 * finding with the same list, and a fresh array per call would also miss the index cache below
 * (an index of every host's secrets rebuilt per finding: quadratic on an inventory).
 */
const EVERYWHERE = new WeakMap<readonly string[], readonly string[]>();
function hiddenEverywhereOf(secrets: readonly string[]): readonly string[] {
  let hit = EVERYWHERE.get(secrets);
  if (!hit) EVERYWHERE.set(secrets, (hit = secrets.filter(hiddenEverywhere)));
  return hit;
}

/**
 * `********` where a YAML plain scalar would start (`id_secret: ********`) reads as an alias and
 * makes the redacted `after` invalid YAML; there the placeholder is quoted, so a report's YAML
 * still parses. Anywhere else (inside a URL, in quotes, in INI) it stays bare.
 */
function placeholder(text: string, start: number, end: number): string {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  const next = text.charAt(end);
  const startsScalar = /(^[+\- ]?|[:\-,[{][ \t]+)[ \t]*$/.test(before) && !/["']$/.test(before);
  const endsScalar = next === '' || /[\s#,\]}]/.test(next);
  return startsScalar && endsScalar ? `'${REDACTED}'` : REDACTED;
}

/**
 * Every occurrence of every secret, overlapping ones included (their union is what gets hidden, so
 * no part of any secret shows). A few secrets (one deployment) are searched one by one with the
 * native indexOf; many (an inventory has one per host) through an index of their first characters,
 * in one pass over the text.
 */
function occurrences(text: string, secrets: readonly string[]): Span[] {
  const spans: Span[] = [];
  if (secrets.length <= FEW_SECRETS) {
    for (const s of new Set(secrets)) {
      if (s.length === 0) continue;
      for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) spans.push({ start: at, end: at + s.length });
    }
    return spans;
  }
  const { byPrefix, probes, firstChars } = indexOf(secrets);
  for (let i = 0; i < text.length; i++) {
    if (!firstChars.has(text.charCodeAt(i))) continue;
    let longest = 0;
    for (const len of probes) {
      for (const s of byPrefix.get(text.slice(i, i + len)) ?? []) {
        if (s.length > longest && text.startsWith(s, i)) longest = s.length;
      }
    }
    if (longest > 0) spans.push({ start: i, end: i + longest });
  }
  return spans;
}

/** Up to this many secrets, one indexOf scan each is cheaper than building and probing an index. */
const FEW_SECRETS = 16;

/** Secrets are indexed by this many first characters (shorter ones by all of theirs). */
const PREFIX = 3;
interface SecretIndex {
  readonly byPrefix: ReadonlyMap<string, readonly string[]>;
  /** Key lengths to look up at each position. */
  readonly probes: readonly number[];
  /** The first character codes of the secrets: most positions of a text start none. */
  readonly firstChars: ReadonlySet<number>;
}
const INDEXES = new WeakMap<readonly string[], SecretIndex>();

function indexOf(secrets: readonly string[]): SecretIndex {
  const hit = INDEXES.get(secrets);
  if (hit) return hit;
  const byPrefix = new Map<string, string[]>();
  const probes = new Set<number>();
  const firstChars = new Set<number>();
  for (const s of new Set(secrets)) {
    if (s.length === 0) continue;
    firstChars.add(s.charCodeAt(0));
    const key = s.slice(0, PREFIX);
    probes.add(key.length);
    const list = byPrefix.get(key) ?? [];
    list.push(s);
    byPrefix.set(key, list);
  }
  const index = { byPrefix, probes: [...probes], firstChars };
  INDEXES.set(secrets, index);
  return index;
}
