/**
 * Whether a job conf is written in a plain subset of XML that fast-xml-parser's `XMLValidator`
 * (5.x, src/validator.js) always accepts, so that running the validator could only say `true`.
 *
 * Why: the validator reads the whole file a second time after this folder's own reader and was
 * about a tenth of a large lint (issue 7). It stays the judge of everything outside the subset:
 * this check answers `false` ("ask the validator") on anything unusual, so findings are the same
 * either way. The subset, on the masked text the validator sees:
 *   - an optional BOM, then an optional `<?xml ... ?>` at the very start (the validator rejects a
 *     `<?xml` declaration further in);
 *   - comments `<!-- ... -->` and whitespace around one root element;
 *   - elements with ASCII names, attributes `name="v"` / `name='v'` separated by whitespace, no
 *     space around `=`, no repeated name, values without `<` or `&`; `>` or `/>` after optional
 *     whitespace; end tags `</name>` with nothing else, closing the innermost open element;
 *   - text without `&` (entity and character references are the validator's to judge).
 * Anything else (DOCTYPE, CDATA, processing instructions past the start, an `&`, an unclosed
 * element, a second root, stray text) answers `false`.
 */
export function isPlainXml(xml: string): boolean {
  const s = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  // Any `&` (reference or bare, in text, a value or even a comment) is left to the validator: one
  // native search here lets the loop below skip text between tags without looking at it.
  if (s.includes('&')) return false;
  const n = s.length;
  let i = 0;
  if (s.startsWith('<?xml')) {
    const end = s.indexOf('?>', 2);
    if (end < 0) return false;
    i = end + 2;
  }
  const open: string[] = [];
  let rootSeen = false;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== LT) {
      // Outside the root only whitespace may stand between tags; inside, any text (no `&`, above).
      if (open.length === 0) {
        if (!isWs(c)) return false;
        i++;
      } else {
        i = s.indexOf('<', i);
        if (i < 0) return false; // the root is not closed
      }
      continue;
    }
    const next = s.charCodeAt(i + 1);
    if (next === BANG) {
      if (!s.startsWith('<!--', i)) return false;
      const end = s.indexOf('-->', i + 4);
      if (end < 0) return false;
      i = end + 3;
      continue;
    }
    if (next === SLASH) {
      const nameEnd = scanName(s, i + 2);
      if (nameEnd === i + 2 || s.charCodeAt(nameEnd) !== GT) return false;
      if (open.pop() !== s.slice(i + 2, nameEnd)) return false;
      i = nameEnd + 1;
      continue;
    }
    // A start tag: one root only.
    if (open.length === 0 && rootSeen) return false;
    const nameEnd = scanName(s, i + 1);
    if (nameEnd === i + 1) return false;
    const name = s.slice(i + 1, nameEnd);
    let j = nameEnd;
    let attrs: string[] | undefined;
    let selfClosing = false;
    for (;;) {
      const wsStart = j;
      while (j < n && isWs(s.charCodeAt(j))) j++;
      const k = s.charCodeAt(j);
      if (k === GT) {
        j++;
        break;
      }
      if (k === SLASH) {
        if (s.charCodeAt(j + 1) !== GT) return false;
        selfClosing = true;
        j += 2;
        break;
      }
      // An attribute needs whitespace before it.
      if (j === wsStart) return false;
      const attrEnd = scanName(s, j);
      if (attrEnd === j || s.charCodeAt(attrEnd) !== EQ) return false;
      const quote = s.charCodeAt(attrEnd + 1);
      if (quote !== DQ && quote !== SQ) return false;
      let v = attrEnd + 2;
      while (v < n) {
        const ch = s.charCodeAt(v);
        if (ch === quote) break;
        if (ch === LT) return false;
        v++;
      }
      if (v >= n) return false;
      const attr = s.slice(j, attrEnd);
      attrs ??= [];
      if (attrs.includes(attr)) return false;
      attrs.push(attr);
      j = v + 1;
    }
    rootSeen = true;
    if (!selfClosing) open.push(name);
    i = j;
  }
  return rootSeen && open.length === 0;
}

const LT = 0x3c;
const GT = 0x3e;
const BANG = 0x21;
const SLASH = 0x2f;
const EQ = 0x3d;
const DQ = 0x22;
const SQ = 0x27;

/** Space, tab, LF, CR: the validator's whitespace. */
function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** End of an ASCII XML name `[A-Za-z_:][A-Za-z0-9_:.-]*` starting at `from` (`from` itself when there is none). */
function scanName(s: string, from: number): number {
  const c0 = s.charCodeAt(from);
  if (!((c0 >= 0x41 && c0 <= 0x5a) || (c0 >= 0x61 && c0 <= 0x7a) || c0 === 0x5f || c0 === 0x3a)) return from;
  let j = from + 1;
  for (;;) {
    const c = s.charCodeAt(j);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x3a || c === 0x2e || c === 0x2d) j++;
    else return j;
  }
}
