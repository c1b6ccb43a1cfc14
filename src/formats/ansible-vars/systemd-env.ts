/**
 * The `KEY=VALUE` assignments of a systemd `Environment=` value as an ansible variable holds it
 * before the role's template renders it (`galaxy_systemd_zergling_env: FOO="/a b" BAR=1`).
 * systemd splits at unquoted whitespace and removes the quotes from each word, wherever they stand
 * (`KEY="v"` and `"KEY=v"` are the same). A Jinja2 expression is one piece of a word, kept
 * verbatim: it is rendered before systemd reads the line, and its inside is not ours to split.
 */
export interface Assignment {
  readonly key: string;
  readonly value: string;
  /** The word as written, quotes included (`KEY="v"`): what one `Environment=` line of the role gets. */
  readonly raw: string;
}

export type ParsedEnvironment =
  | { readonly ok: true; readonly assignments: readonly Assignment[] }
  /** Why the value cannot be read as literal assignments (a whole-value Jinja expression, a statement …). */
  | { readonly ok: false; readonly why: string };

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits one `Environment=` value into its words, quotes removed, Jinja expressions kept whole. */
function words(text: string): { word: string; raw: string }[] | string {
  const out: { word: string; raw: string }[] = [];
  let word = '';
  let inWord = false;
  let start = 0;
  let i = 0;
  const begin = (): void => {
    if (!inWord) start = i;
    inWord = true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (text.startsWith('{{', i)) {
      const close = text.indexOf('}}', i + 2);
      if (close < 0) return 'an unclosed Jinja2 expression';
      begin();
      word += text.slice(i, close + 2);
      i = close + 2;
    } else if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return 'an unclosed quote';
      begin();
      let inner = text.slice(i + 1, close);
      if (c === '"') inner = inner.replace(/\\(["\\])/g, '$1');
      word += inner;
      i = close + 1;
    } else if (/\s/.test(c)) {
      if (inWord) out.push({ word, raw: text.slice(start, i) });
      word = '';
      inWord = false;
      i++;
    } else {
      begin();
      word += c;
      i++;
    }
  }
  if (inWord) out.push({ word, raw: text.slice(start) });
  return out;
}

/** Reads `KEY=VALUE …` (a systemd Environment= value); the list form of galaxy_systemd_env passes one word per item. */
export function parseSystemdEnvironment(text: string): ParsedEnvironment {
  if (/\{%/.test(text)) return { ok: false, why: 'Jinja2 statements (`{% … %}`) choose the assignments when ansible renders it' };
  if (/^\s*\{\{[\s\S]*\}\}\s*$/.test(text) && !/\}\}[\s\S]*\{\{/.test(text)) {
    return { ok: false, why: 'it is one Jinja2 expression, whose assignments only ansible knows' };
  }
  const split = words(text);
  if (typeof split === 'string') return { ok: false, why: `it has ${split}` };
  const assignments: Assignment[] = [];
  for (const { word: w, raw } of split) {
    const eq = w.indexOf('=');
    const key = eq < 0 ? '' : w.slice(0, eq);
    if (!KEY.test(key)) return { ok: false, why: `\`${w}\` is not a \`KEY=VALUE\` assignment` };
    const i = assignments.findIndex((a) => a.key === key);
    if (i >= 0) assignments.splice(i, 1); // systemd: a later assignment of the same variable wins
    assignments.push({ key, value: w.slice(eq + 1), raw });
  }
  return { ok: true, assignments };
}
