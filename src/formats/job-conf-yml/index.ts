import { isMap, isScalar, isSeq, parseDocument, type Document as YamlDocument, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { makeDocument, type Document, type ParseIssue, type SourceFile } from '../../core/document.js';
import type { Edit } from '../../core/finding.js';
import type { Range } from '../../core/range.js';
import { maskJinja, touchesJinja } from '../jinja.js';
import { aliasBombIssue } from '../yaml-alias-bomb.js';
import { lastPair } from '../yaml-pair.js';
import { unhashableKeyIssue } from '../yaml-unhashable-key.js';
import { yamlDoubleQuoted, yamlScalar, yamlSingleQuoted } from '../yaml-scalar.js';
import { eolOf, insertionClashes, lineContentEnd, lineEndOf, lineStartOf } from '../job-conf/text.js';
import type { AssignSetting, HandlerDef, HandlerRef, JobConfEditor, JobConfView, NewHandler, ValueRef } from '../job-conf/view.js';

export interface JobConfYmlAst {
  /** The `yaml` Document of the masked text (same offsets as the file). Never re-printed. */
  readonly yaml: YamlDocument;
  readonly jinja: readonly Range[];
  readonly view?: JobConfView;
}

/**
 * Options shared with galaxy.yml: Galaxy reads YAML with PyYAML (YAML 1.1), and uWSGI blocks
 * repeat keys, so duplicate keys must not be an error (docs/peers.md YM2, YM8).
 */
export const YAML_OPTIONS = { uniqueKeys: false, version: '1.1', prettyErrors: false, keepSourceTokens: false } as const;

/**
 * job_conf.yml (docs/galaxy-target.md §3.3, GX-JOBCONF-YML): `handling:` with `assign`,
 * `default`, `processes`; `tools:` with `handler`; `execution.environments.*.resubmit[].handler`.
 * Read with the `yaml` package for node ranges; written only by splicing text at those ranges.
 */
export function parseJobConfYml(file: SourceFile): Document<JobConfYmlAst> {
  const { masked, spans } = maskJinja(file.text, 'J');
  // PyYAML breaks lines at a lone CR too; the yaml package does not: same length, same offsets.
  const yaml = parseDocument(masked.replace(/\r(?!\n)/g, '\n'), YAML_OPTIONS);
  // The first error says where reading stopped; the rest are mostly its echoes.
  const errors: ParseIssue[] = yaml.errors.slice(0, 1).map((e) => ({
    message: `YAML: ${e.message.split('\n')[0]}${spans.length ? ' (this is a Jinja template; it was read with the {{ }}/{% %} parts left out)' : ''}`,
    // yaml may point one past the end (a missing closing quote): clamp to the text.
    range: { start: Math.min(e.pos[0], file.text.length), end: Math.min(Math.max(e.pos[1], e.pos[0]), file.text.length) },
    ...(spans.length ? { severity: 'warning' as const } : {}),
  }));
  const bomb = aliasBombIssue(yaml, masked);
  if (bomb) errors.push(bomb);
  const unhashable = yaml.errors.length ? undefined : unhashableKeyIssue(yaml);
  if (unhashable) errors.push(spans.length ? { ...unhashable, severity: 'warning' } : unhashable);
  const root = yaml.contents;
  const view = isMap(root)
    ? jobConfViewFromYaml(file.text, file.path, root, spans, false, yaml.errors.length > 0 || bomb !== undefined || unhashable !== undefined)
    : undefined;
  return makeDocument(file, 'job-conf-yml', { yaml, jinja: spans, ...(view ? { view } : {}) }, errors);
}

type Rng = [number, number, number];

function rangeOf(n: YamlNode | null | undefined): Rng | undefined {
  return (n?.range as Rng | undefined) ?? undefined;
}


/**
 * The view of a job conf mapping: a whole job_conf.yml, or the `job_config` mapping of a
 * galaxy.yml (`inline`), whose node ranges are offsets into `text`.
 */
export function jobConfViewFromYaml(text: string, file: string, root: YAMLMap, jinja: readonly Range[], inline: boolean, incomplete: boolean): JobConfView {
  const scalarRef = (n: YamlNode | null | undefined): ValueRef | undefined => {
    if (!n || !isScalar(n)) return undefined;
    const r = rangeOf(n)!;
    const range = { start: r[0], end: r[1] };
    const templated = touchesJinja(jinja, range);
    const value = templated ? text.slice(range.start, range.end) : n.value === null || n.value === undefined ? '' : String(n.value);
    return { value, range, templated };
  };
  const listRefs = (n: YamlNode | null | undefined): ValueRef[] => {
    if (!n) return [];
    if (isSeq(n)) return (n.items as YamlNode[]).map(scalarRef).filter((x): x is ValueRef => x !== undefined && x.value !== '');
    const s = scalarRef(n);
    if (!s || s.value === '') return [];
    if (s.templated) return [s];
    // A comma list in one scalar: one ref per item, each with its own range.
    const raw = text.slice(s.range.start, s.range.end);
    if (/^['"]/.test(raw)) return s.value.split(',').map((v) => ({ ...s, value: v.trim() })).filter((v) => v.value);
    const out: ValueRef[] = [];
    let at = 0;
    for (const part of raw.split(',')) {
      const lead = part.length - part.trimStart().length;
      const v = part.trim();
      if (v) out.push({ value: v, range: { start: s.range.start + at + lead, end: s.range.start + at + lead + v.length }, templated: false });
      at += part.length + 1;
    }
    return out;
  };

  const handlingPair = lastPair(root, 'handling');
  const handling = handlingPair && isMap(handlingPair.value) ? handlingPair.value : undefined;
  let assign: AssignSetting | undefined;
  let assignPair: Pair<YamlNode, YamlNode | null> | undefined;
  let dflt: ValueRef | undefined;
  let defaultPair: Pair<YamlNode, YamlNode | null> | undefined;
  let defaultPairs: Pair<YamlNode, YamlNode | null>[] = [];
  let defaultIndirect = false;
  const defs: HandlerDef[] = [];
  const defPairs = new Map<HandlerDef, Pair<YamlNode, YamlNode | null>>();
  let processesPair: Pair<YamlNode, YamlNode | null> | undefined;
  let opaque = false;

  if (handling) {
    assignPair = lastPair(handling, 'assign') ?? lastPair(handling, 'assign_with');
    if (assignPair) {
      const k = rangeOf(assignPair.key)!;
      const v = rangeOf(assignPair.value);
      assign = {
        methods: listRefs(assignPair.value),
        key: String((assignPair.key as { value: unknown }).value),
        keyRange: { start: k[0], end: k[1] },
        range: v ? { start: v[0], end: v[1] } : { start: k[1] + 1, end: k[1] + 1 },
        templated: v ? touchesJinja(jinja, { start: v[0], end: v[1] }) : false,
      };
    }
    defaultPair = lastPair(handling, 'default');
    defaultPairs = (handling.items as Pair<YamlNode, YamlNode | null>[]).filter((p) => isScalar(p.key) && String(p.key.value) === 'default');
    dflt = scalarRef(defaultPair?.value);
    if (dflt && dflt.value === '') dflt = undefined;
    defaultIndirect = Boolean(lastPair(handling, 'default_from_environ') || lastPair(handling, 'default_from_config'));
    processesPair = lastPair(handling, 'processes');
    if (processesPair && isMap(processesPair.value)) {
      for (const p of processesPair.value.items as Pair<YamlNode, YamlNode | null>[]) {
        const id = scalarRef(p.key);
        if (!id) continue;
        const body = isMap(p.value) ? p.value : undefined;
        const tagsPair = body ? lastPair(body, 'tags') : undefined;
        const tagRefs = listRefs(tagsPair?.value);
        const tagsNode = tagsPair?.value ? rangeOf(tagsPair.value) : undefined;
        const def: HandlerDef = {
          id,
          tags: tagRefs.map((t) => t.value),
          ...(tagsNode ? { tagsRef: { value: tagRefs.map((t) => t.value).join(','), range: { start: tagsNode[0], end: tagsNode[1] }, templated: tagRefs.some((t) => t.templated) } } : {}),
          range: pairRange(p),
          plugins: listRefs(body ? lastPair(body, 'plugins')?.value : undefined).map((x) => x.value),
        };
        if (id.templated) opaque = true;
        defs.push(def);
        defPairs.set(def, p);
      }
    }
    // A Jinja loop among the processes can render any number of them.
    if (processesPair) {
      const r = pairRange(processesPair);
      if (jinja.some((s) => s.start >= r.start && s.end <= r.end + 64 && text.startsWith('{%', s.start))) opaque = true;
    }
  }

  const refs: HandlerRef[] = [];
  const refPairs = new Map<HandlerRef, { map: YAMLMap; pair: Pair<YamlNode, YamlNode | null> }>();
  const toolsPair = lastPair(root, 'tools');
  if (toolsPair && isSeq(toolsPair.value)) {
    for (const item of toolsPair.value.items as YamlNode[]) {
      if (!isMap(item)) continue;
      const hp = lastPair(item, 'handler');
      const h = scalarRef(hp?.value);
      if (!hp || !h || h.value === '') continue;
      const owner = scalarRef(lastPair(item, 'id')?.value)?.value ?? scalarRef(lastPair(item, 'class')?.value)?.value;
      const r = rangeOf(item)!;
      const ref: HandlerRef = { kind: 'tool', ...(owner ? { owner } : {}), value: h, range: { start: r[0], end: r[1] } };
      refs.push(ref);
      refPairs.set(ref, { map: item, pair: hp });
    }
  }
  const execution = lastPair(root, 'execution')?.value;
  const environments = isMap(execution) ? lastPair(execution, 'environments')?.value : undefined;
  if (isMap(environments)) {
    for (const env of environments.items as Pair<YamlNode, YamlNode | null>[]) {
      const body = isMap(env.value) ? env.value : undefined;
      const resubmit = body ? lastPair(body, 'resubmit')?.value : undefined;
      if (!isSeq(resubmit)) continue;
      for (const item of resubmit.items as YamlNode[]) {
        if (!isMap(item)) continue;
        const hp = lastPair(item, 'handler');
        const h = scalarRef(hp?.value);
        if (!hp || !h || h.value === '') continue;
        const r = rangeOf(item)!;
        const ref: HandlerRef = { kind: 'resubmit', value: h, range: { start: r[0], end: r[1] } };
        refs.push(ref);
        refPairs.set(ref, { map: item, pair: hp });
      }
    }
  }

  const editor = yamlEditor({
    text,
    root,
    ...(handlingPair ? { handlingPair } : {}),
    ...(handling ? { handling } : {}),
    ...(assign ? { assign } : {}),
    ...(assignPair ? { assignPair } : {}),
    ...(defaultPair ? { defaultPair } : {}),
    defaultPairs,
    ...(processesPair ? { processesPair } : {}),
    defs,
    defPairs,
    refPairs,
  });

  return {
    file,
    format: 'yml',
    inline,
    templated: jinja.length > 0,
    incomplete,
    ...(handlingPair ? { handling: pairRange(handlingPair) } : {}),
    anchor: (() => {
      const first = (root.items as Pair<YamlNode, YamlNode | null>[])[0];
      const r = first ? rangeOf(first.key) : rangeOf(root);
      return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
    })(),
    ...(assign ? { assign } : {}),
    ...(dflt ? { default: dflt } : {}),
    defaultIndirect,
    handlers: defs,
    handlersOpaque: opaque,
    refs,
    edit: editor,
  };
}

/** From the key to the end of the value (not the trailing line break or comments after). */
function pairRange(p: Pair<YamlNode, YamlNode | null>): Range {
  const k = rangeOf(p.key)!;
  const v = rangeOf(p.value);
  return { start: k[0], end: Math.max(k[1], v ? v[1] : k[1]) };
}

/**
 * Whether a value can be written plain, in block and in flow context (`tags: [a, b]`): word
 * characters only, and read back as the same string (yamlScalar's rules: not `yes`, `.5`, `e5`…).
 */
function plainSafe(s: string): boolean {
  return /^[A-Za-z0-9_./][A-Za-z0-9_.\-/]*$/.test(s) && yamlScalar(s) === s;
}

/** A value in the style of the scalar it replaces (`like`), plain where that is safe, else quoted. */
function scalarText(value: string, like: string): string {
  if (like.startsWith("'")) return yamlSingleQuoted(value);
  if (like.startsWith('"')) return yamlDoubleQuoted(value);
  return plainSafe(value) ? value : yamlDoubleQuoted(value);
}

interface EditorParts {
  readonly text: string;
  readonly root: YAMLMap;
  readonly handlingPair?: Pair<YamlNode, YamlNode | null>;
  readonly handling?: YAMLMap;
  readonly assign?: AssignSetting;
  readonly assignPair?: Pair<YamlNode, YamlNode | null>;
  readonly defaultPair?: Pair<YamlNode, YamlNode | null>;
  /** Every `default:` of `handling:` (the last one is `defaultPair`, the one PyYAML keeps). */
  readonly defaultPairs: readonly Pair<YamlNode, YamlNode | null>[];
  readonly processesPair?: Pair<YamlNode, YamlNode | null>;
  readonly defs: readonly HandlerDef[];
  readonly defPairs: ReadonlyMap<HandlerDef, Pair<YamlNode, YamlNode | null>>;
  readonly refPairs: ReadonlyMap<HandlerRef, { map: YAMLMap; pair: Pair<YamlNode, YamlNode | null> }>;
}

function yamlEditor(x: EditorParts): JobConfEditor {
  const { text } = x;
  const eol = eolOf(text);
  const column = (offset: number): number => offset - lineStartOf(text, offset);
  const keyStart = (p: Pair<YamlNode, YamlNode | null>): number => rangeOf(p.key)![0];
  const indentOfPair = (p: Pair<YamlNode, YamlNode | null>): string => ' '.repeat(column(keyStart(p)));
  const firstPair = (m: YAMLMap): Pair<YamlNode, YamlNode | null> | undefined => (m.items as Pair<YamlNode, YamlNode | null>[])[0];
  const rootIndent = (() => {
    const f = firstPair(x.root);
    return f ? indentOfPair(f) : '';
  })();
  /** One indentation step: the distance from a key to its children, as this file writes it. */
  const unit = (() => {
    for (const p of x.root.items as Pair<YamlNode, YamlNode | null>[]) {
      if (isMap(p.value)) {
        const c = firstPair(p.value);
        if (c) {
          const d = column(keyStart(c)) - column(keyStart(p));
          if (d > 0) return ' '.repeat(d);
        }
      }
    }
    return '  ';
  })();
  const childIndent = (p: Pair<YamlNode, YamlNode | null>): string => {
    if (isMap(p.value)) {
      const c = firstPair(p.value);
      if (c) return indentOfPair(c);
    }
    return indentOfPair(p) + unit;
  };

  /**
   * The lines of a `key: value` pair, from the start of the key's line to the line break after
   * the value. When the key shares its line with a `- ` (first key of a list item), only the text
   * from the key to the next key of the item goes, so the item keeps its dash.
   */
  const pairLines = (p: Pair<YamlNode, YamlNode | null>, owner?: YAMLMap): Range => {
    const k = rangeOf(p.key)!;
    const v = rangeOf(p.value);
    const valueEnd = Math.max(k[1], v ? v[1] : k[1]);
    const ls = lineStartOf(text, k[0]);
    const lead = text.slice(ls, k[0]);
    // The value's range ends past its line break (`\n`, or the lone `\r` PyYAML also breaks at).
    const end = text[valueEnd - 1] === '\n' || text[valueEnd - 1] === '\r' ? valueEnd : lineEndOf(text, valueEnd);
    if (/^[ \t]*$/.test(lead)) return { start: ls, end };
    if (owner && /^[ \t]*-[ \t]+$/.test(lead)) {
      const items = owner.items as Pair<YamlNode, YamlNode | null>[];
      const next = items[items.indexOf(p) + 1];
      if (next) return { start: k[0], end: rangeOf(next.key)![0] };
    }
    // Flow mapping or odd layout: from the comma before the pair to the end of its value.
    let s = k[0];
    while (s > 0 && /[ \t]/.test(text[s - 1]!)) s--;
    if (text[s - 1] === ',') s--;
    return { start: s, end: v ? v[1] : k[1] };
  };

  /** Offset at the start of the line after the last content line of a block value. */
  const afterPair = (p: Pair<YamlNode, YamlNode | null>): number => {
    const r = pairLines(p);
    return r.end;
  };

  const listText = (methods: readonly string[], indent: string): string =>
    methods.map((m, i) => `${i ? `${eol}${indent}` : ''}- ${scalarText(m, '')}`).join('');

  const handlerText = (h: NewHandler, indent: string): string =>
    `${indent}${scalarText(h.id, '')}:${eol}${h.tags.length ? `${indent}${unit}tags: [${h.tags.map((t) => scalarText(t, '')).join(', ')}]${eol}` : ''}`;

  const editor: JobConfEditor = {
    replaceValue(ref, value) {
      const like = text.slice(ref.range.start, ref.range.end);
      return { start: ref.range.start, end: ref.range.end, text: scalarText(value, like) };
    },
    setTags(h, tags) {
      const flow = `[${tags.map((t) => scalarText(t, '')).join(', ')}]`;
      const p = x.defPairs.get(h)!;
      const body = isMap(p.value) ? p.value : undefined;
      const tagsPair = body ? lastPair(body, 'tags') : undefined;
      if (tagsPair) {
        const k = rangeOf(tagsPair.key)!;
        const v = rangeOf(tagsPair.value);
        // From after `tags:` to the end of its value: a block list becomes one flow list.
        const colon = text.indexOf(':', k[1]);
        return { start: colon + 1, end: v ? v[1] : colon + 1, text: ` ${flow}` };
      }
      if (body) {
        const first = firstPair(body)!;
        const at = lineStartOf(text, keyStart(first));
        return { start: at, end: at, text: `${indentOfPair(first)}tags: ${flow}${eol}` };
      }
      // `id:` with no value (or an explicit null): the mapping starts after the colon.
      const k = rangeOf(p.key)!;
      const colon = text.indexOf(':', k[1]);
      const v = rangeOf(p.value);
      const end = v && v[1] > colon + 1 ? v[1] : colon + 1;
      return { start: colon + 1, end, text: `${eol}${indentOfPair(p)}${unit}tags: ${flow}` };
    },
    removeHandler(h) {
      const r = pairLines(x.defPairs.get(h)!);
      return { start: r.start, end: r.end, text: '' };
    },
    removeAllHandlers() {
      if (!x.processesPair) return [];
      const r = pairLines(x.processesPair);
      return [{ start: r.start, end: r.end, text: '' }];
    },
    removeDefault() {
      return x.defaultPairs.map((p) => {
        const r = pairLines(p);
        return { start: r.start, end: r.end, text: '' };
      });
    },
    removeRef(ref) {
      const { map, pair } = x.refPairs.get(ref)!;
      const r = pairLines(pair, map);
      return { start: r.start, end: r.end, text: '' };
    },
    replaceAssign(methods) {
      if (!x.assign || !x.assignPair) return undefined;
      const v = x.assignPair.value;
      const r = rangeOf(v);
      if (!v || !r || (isScalar(v) && (v.value === null || v.value === ''))) {
        const k = rangeOf(x.assignPair.key)!;
        const colon = text.indexOf(':', k[1]);
        return { start: colon + 1, end: r && r[1] > colon + 1 ? r[1] : colon + 1, text: ` [${methods.map((m) => scalarText(m, '')).join(', ')}]` };
      }
      if (isSeq(v) && v.flow !== true && v.items.length) {
        const first = rangeOf(v.items[0] as YamlNode)!;
        const last = rangeOf(v.items[v.items.length - 1] as YamlNode)!;
        // Keep the first item's dash and indentation; rewrite from its value to the last value.
        const dash = text.lastIndexOf('-', first[0]);
        const indent = ' '.repeat(column(dash));
        // An empty last item ends where its comment starts (`- #note`): keep a blank before the `#`,
        // or the comment becomes part of the method's name.
        const gap = text[last[1]] === '#' ? ' ' : '';
        return { start: dash, end: last[1], text: `${listText(methods, indent)}${gap}` };
      }
      const flowList = `[${methods.map((m) => scalarText(m, '')).join(', ')}]`;
      if (isSeq(v)) return { start: r[0], end: r[1], text: flowList };
      const like = text.slice(r[0], r[1]);
      if (isScalar(v) && !/^[|>]/.test(like)) return { start: r[0], end: r[1], text: methods.length === 1 ? scalarText(methods[0]!, like) : flowList };
      // A mapping (`-:  uwsgi-mule-message`: the dash without a blank is a key) or a block scalar:
      // its range takes in the line break after it, which stays, so the next key keeps its line.
      let end = r[1];
      while (end > r[0] && /\s/.test(text[end - 1]!)) end--;
      return { start: r[0], end, text: flowList };
    },
    renameAssignKey(key) {
      if (!x.assignPair) return undefined;
      const k = rangeOf(x.assignPair.key)!;
      return { start: k[0], end: k[1], text: key };
    },
    insert({ assign: methods, handlers = [], avoid }) {
      const wantAssign = methods !== undefined && x.assign === undefined;
      if (!wantAssign && !handlers.length) return [];
      const pieces = new Map<number, string>();
      const put = (at: number, s: string): void => {
        pieces.set(at, (pieces.get(at) ?? '') + s);
      };

      if (x.handlingPair && x.handling && x.handling.items.length) {
        const hInd = childIndent(x.handlingPair);
        const items = x.handling.items as Pair<YamlNode, YamlNode | null>[];
        const assignText = wantAssign ? `${hInd}assign:${eol}${hInd}${unit}${listText(methods!, `${hInd}${unit}`)}${eol}` : '';
        if (handlers.length && x.processesPair && isMap(x.processesPair.value) && x.processesPair.value.items.length) {
          const pInd = childIndent(x.processesPair);
          put(afterPair(x.processesPair), handlers.map((h) => handlerText(h, pInd)).join(''));
        } else if (handlers.length && x.processesPair) {
          // `processes:` with no entries: the entries go right after the key.
          const k = rangeOf(x.processesPair.key)!;
          const colonLineEnd = lineContentEnd(text, k[1]);
          put(colonLineEnd, `${eol}${handlers.map((h) => handlerText(h, `${hInd}${unit}`)).join('').replace(new RegExp(`${escapeRe(eol)}$`), '')}`);
        } else if (handlers.length) {
          put(afterPair(items[items.length - 1]!), `${hInd}processes:${eol}${handlers.map((h) => handlerText(h, `${hInd}${unit}`)).join('')}`);
        }
        if (assignText) {
          // First in `handling:`, unless that line is being removed: then after the first line
          // that stays, or at the end of the section.
          let at: number | undefined;
          for (const p of items) {
            const ls = lineStartOf(text, keyStart(p));
            if (!insertionClashes(ls, avoid)) {
              at = ls;
              break;
            }
          }
          put(at ?? afterPair(items[items.length - 1]!), assignText);
        }
        return [...pieces].map(([at, s]) => ({ start: at, end: at, text: s }));
      }

      const body = (ind: string): string =>
        (wantAssign ? `${ind}assign:${eol}${ind}${unit}${listText(methods!, `${ind}${unit}`)}${eol}` : '') +
        (handlers.length ? `${ind}processes:${eol}${handlers.map((h) => handlerText(h, `${ind}${unit}`)).join('')}` : '');

      if (x.handlingPair) {
        // `handling:` with no value: the section's body goes after the key.
        const k = rangeOf(x.handlingPair.key)!;
        const colon = text.indexOf(':', k[1]);
        const v = rangeOf(x.handlingPair.value);
        const end = v && v[1] > colon + 1 && !/^\s*$/.test(text.slice(colon + 1, v[1])) ? v[1] : colon + 1;
        return [{ start: colon + 1, end, text: `${eol}${body(indentOfPair(x.handlingPair) + unit).replace(new RegExp(`${escapeRe(eol)}$`), '')}` }];
      }

      // No `handling:` at all: add it after `runners:` (or at the end), at the mapping's indentation.
      const section = `${rootIndent}handling:${eol}${body(rootIndent + unit)}`;
      const runners = lastPair(x.root, 'runners');
      if (runners) {
        // Sections separated by blank lines stay so: the new one goes after the blank line, before
        // the next key (not between a comment and the key it heads).
        const at = afterPair(runners);
        let next = at;
        while (next < text.length && /^[ \t]*(\r\n?|\n)/.test(text.slice(next, lineEndOf(text, next)))) next = lineEndOf(text, next);
        if (next > at && next < text.length && !/^[ \t]*#/.test(text.slice(next, lineEndOf(text, next)))) {
          return [{ start: next, end: next, text: `${section}${eol}` }];
        }
        // `runners:` ends the file without a line break: the new section starts on a line of its own.
        const unbroken = at === text.length && text.length > 0 && !/[\r\n]$/.test(text);
        return [{ start: at, end: at, text: `${unbroken ? eol : ''}${section}` }];
      }
      const r = rangeOf(x.root)!;
      let end = r[1];
      while (end > r[0] && /\s/.test(text[end - 1]!)) end--;
      const at = lineEndOf(text, end === 0 ? 0 : end - 1);
      const needsBreak = at === text.length && text.length > 0 && !/[\r\n]$/.test(text);
      return [{ start: at, end: at, text: `${needsBreak ? eol : ''}${section}` }];
    },
  };
  return editor;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
