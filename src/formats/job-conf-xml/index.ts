import { makeDocument, type Document, type ParseIssue, type SourceFile } from '../../core/document.js';
import type { Edit } from '../../core/finding.js';
import type { Range } from '../../core/range.js';
import { eolOf, indentBefore, insertionClashes, lineStartOf, wholeLines } from '../job-conf/text.js';
import type { AssignSetting, HandlerDef, HandlerRef, JobConfEditor, JobConfView, NewHandler, ValueRef } from '../job-conf/view.js';
import { entityBombIssue } from './entity-bomb.js';
import { attr, childElements, descendants, escapeXmlAttr, readXml, type XmlAttribute, type XmlElement, type XmlTree } from './reader.js';

export interface JobConfXmlAst {
  readonly tree: XmlTree;
  /** Absent when the root element is not `<job_conf>` or the file could not be read. */
  readonly view?: JobConfView;
}

/**
 * job_conf.xml (docs/galaxy-target.md §3.3, GX-HANDLERS-NEW `xml_to_dict`): `<handlers
 * assign_with= default= …>` with `<handler id= tags=>` children, `<tools><tool handler=>` and
 * `<resubmit handler=>`. Never throws; a file that is not well-formed is still listed, with
 * errors, and rules leave it alone.
 */
export function parseJobConfXml(file: SourceFile): Document<JobConfXmlAst> {
  const { tree, issues } = readXml(file.text);
  const bomb = tree.doctype ? entityBombIssue(file.text, tree.doctype) : undefined;
  const root = tree.root;
  const view = root && root.name === 'job_conf' ? buildView(file, tree, root, issues.length > 0 || bomb !== undefined) : undefined;
  const errors: ParseIssue[] = [...issues, ...(bomb ? [bomb] : [])];
  if (root && root.name !== 'job_conf') {
    errors.push({ message: `the root element is <${root.name}>, not <job_conf>`, range: root.startTag, severity: 'warning' });
  }
  return makeDocument(file, 'job-conf-xml', { tree, view }, errors);
}

function valueOf(a: XmlAttribute): ValueRef {
  return { value: a.value.trim(), range: a.valueRange, templated: a.templated || a.usesEntity };
}

/** Splits `a, b,c` into one ValueRef per item, each with its own range inside the attribute. */
function splitList(a: XmlAttribute): ValueRef[] {
  const out: ValueRef[] = [];
  let at = 0;
  for (const part of a.raw.split(',')) {
    const lead = part.length - part.trimStart().length;
    const v = part.trim();
    if (v) {
      const start = a.valueRange.start + at + lead;
      out.push({ value: v, range: { start, end: start + v.length }, templated: a.templated || a.usesEntity });
    }
    at += part.length + 1;
  }
  return out;
}

function buildView(file: SourceFile, tree: XmlTree, root: XmlElement, incomplete: boolean): JobConfView {
  const text = file.text;
  const handlersEl = childElements(root, 'handlers')[0];
  const defs: HandlerDef[] = [];
  const defElements = new Map<HandlerDef, XmlElement>();
  let opaque = false;
  let assign: AssignSetting | undefined;
  let dflt: ValueRef | undefined;
  let defaultIndirect = false;
  let defaultAttr: XmlAttribute | undefined;

  if (handlersEl) {
    const a = attr(handlersEl, 'assign_with');
    if (a) {
      assign = {
        methods: splitList(a),
        key: 'assign_with',
        keyRange: a.nameRange,
        range: a.valueRange,
        templated: a.templated || handlersEl.templated,
      };
    } else if (handlersEl.templated) {
      // `<handlers{% if … %} assign_with="{{ … }}"{% endif %}>`: what renders is unknown.
      opaque = true;
    }
    defaultAttr = attr(handlersEl, 'default');
    if (defaultAttr) {
      const v = valueOf(defaultAttr);
      dflt = { ...v, templated: v.templated || handlersEl.templated };
    }
    defaultIndirect = Boolean(attr(handlersEl, 'default_from_environ') || attr(handlersEl, 'default_from_config'));
    for (const c of handlersEl.children) {
      if (c.kind !== 'element') continue;
      if (c.name !== 'handler') {
        opaque = true; // <expand macro=…>: ids appear only after macro expansion
        continue;
      }
      const id = attr(c, 'id');
      if (!id) continue;
      const tagsAttr = attr(c, 'tags');
      const def: HandlerDef = {
        id: valueOf(id),
        tags: tagsAttr ? splitList(tagsAttr).map((t) => t.value) : [],
        ...(tagsAttr ? { tagsRef: valueOf(tagsAttr) } : {}),
        range: c.range,
        plugins: childElements(c, 'plugin').map((p) => attr(p, 'id')?.value ?? '').filter(Boolean),
      };
      if (def.id.templated || c.templated) opaque = true;
      defs.push(def);
      defElements.set(def, c);
    }
    // A Jinja loop or condition among the handlers can render any number of them.
    const inner = { start: handlersEl.startTag.end, end: handlersEl.endTag?.start ?? handlersEl.startTag.end };
    if (tree.jinja.some((s) => s.start >= inner.start && s.end <= inner.end && /^\{%/.test(text.slice(s.start, s.start + 2)))) opaque = true;
  }

  const refs: HandlerRef[] = [];
  const refAttrs = new Map<HandlerRef, { el: XmlElement; a: XmlAttribute }>();
  for (const tools of childElements(root, 'tools')) {
    for (const t of childElements(tools, 'tool')) {
      const h = attr(t, 'handler');
      if (!h) continue;
      const ref: HandlerRef = { kind: 'tool', owner: attr(t, 'id')?.value ?? attr(t, 'class')?.value, value: valueOf(h), range: t.startTag };
      refs.push(ref);
      refAttrs.set(ref, { el: t, a: h });
    }
  }
  for (const el of descendants(root)) {
    if (el.name !== 'resubmit') continue;
    const h = attr(el, 'handler');
    if (!h) continue;
    const ref: HandlerRef = { kind: 'resubmit', value: valueOf(h), range: el.startTag };
    refs.push(ref);
    refAttrs.set(ref, { el, a: h });
  }

  const eol = eolOf(text);
  const indentOf = (el: XmlElement): string => indentBefore(text, el.range.start) ?? '';
  const firstChildIndent = childElements(root)[0];
  const unit = (() => {
    const rootIndent = indentOf(root);
    const child = firstChildIndent ? indentBefore(text, firstChildIndent.range.start) : undefined;
    if (child !== undefined && child.startsWith(rootIndent) && child.length > rootIndent.length) return child.slice(rootIndent.length);
    return '    ';
  })();
  const childIndentOf = (parent: XmlElement): string => {
    const first = childElements(parent)[0];
    const ind = first ? indentBefore(text, first.range.start) : undefined;
    return ind ?? indentOf(parent) + unit;
  };
  const quoteOf = (r: Range): '"' | "'" => (text[r.start - 1] === "'" ? "'" : '"');
  const removeAttr = (a: XmlAttribute): Edit => {
    let s = a.range.start;
    while (s > 0 && /[ \t\r\n]/.test(text[s - 1]!)) s--;
    return { start: s, end: a.range.end, text: '' };
  };
  const handlerXml = (h: NewHandler): string =>
    `<handler id="${escapeXmlAttr(h.id)}"${h.tags.length ? ` tags="${escapeXmlAttr(h.tags.join(','))}"` : ''}/>`;

  const editor: JobConfEditor = {
    replaceValue(ref, value) {
      return { start: ref.range.start, end: ref.range.end, text: escapeXmlAttr(value, quoteOf(ref.range)) };
    },
    setTags(h, tags) {
      if (h.tagsRef) return { start: h.tagsRef.range.start, end: h.tagsRef.range.end, text: escapeXmlAttr(tags.join(','), quoteOf(h.tagsRef.range)) };
      const el = defElements.get(h)!;
      return { start: el.attrsEnd, end: el.attrsEnd, text: ` tags="${escapeXmlAttr(tags.join(','))}"` };
    },
    removeHandler(h) {
      const el = defElements.get(h)!;
      const r = wholeLines(text, el.range);
      return { start: r.start, end: r.end, text: '' };
    },
    removeAllHandlers() {
      return defs.map((d) => editor.removeHandler(d));
    },
    removeDefault() {
      return defaultAttr ? [removeAttr(defaultAttr)] : [];
    },
    removeRef(ref) {
      return removeAttr(refAttrs.get(ref)!.a);
    },
    replaceAssign(methods) {
      if (!assign) return undefined;
      return { start: assign.range.start, end: assign.range.end, text: escapeXmlAttr(methods.join(','), quoteOf(assign.range)) };
    },
    renameAssignKey() {
      return undefined;
    },
    insert({ assign: methods, handlers = [], avoid }) {
      const assignAttr = methods && !assign ? ` assign_with="${escapeXmlAttr(methods.join(','))}"` : '';
      if (handlersEl) {
        const edits: Edit[] = [];
        if (handlersEl.selfClosing) {
          // `<handlers …/>` becomes `<handlers …>` + children + `</handlers>`: one edit, from the
          // end of the attributes, so that it cannot clash with an attribute insertion there.
          if (!assignAttr && !handlers.length) return [];
          const ind = indentOf(handlersEl);
          const kids = handlers.map((h) => `${ind}${unit}${handlerXml(h)}${eol}`).join('');
          const tail = handlers.length ? `>${eol}${kids}${ind}</handlers>` : text.slice(handlersEl.attrsEnd, handlersEl.startTag.end);
          return [{ start: handlersEl.attrsEnd, end: handlersEl.startTag.end, text: assignAttr + tail }];
        }
        if (assignAttr) edits.push({ start: handlersEl.attrsEnd, end: handlersEl.attrsEnd, text: assignAttr });
        if (handlers.length && handlersEl.endTag) {
          const end = handlersEl.endTag.start;
          const ind = childIndentOf(handlersEl);
          const ls = lineStartOf(text, end);
          const atLineStart = /^[ \t]*$/.test(text.slice(ls, end)) && !insertionClashes(ls, avoid);
          const body = handlers.map((h) => `${ind}${handlerXml(h)}${eol}`).join('');
          edits.push(atLineStart ? { start: ls, end: ls, text: body } : { start: end, end, text: `${eol}${body}${indentOf(handlersEl)}` });
        }
        return edits;
      }
      if (!assignAttr && !handlers.length) return [];
      // No <handlers> yet: add one after <plugins> (or first in <job_conf>), indented like its siblings.
      const plugins = childElements(root, 'plugins')[0];
      const ind = plugins ? indentOf(plugins) : childIndentOf(root);
      const element = handlers.length
        ? `<handlers${assignAttr}>${eol}${handlers.map((h) => `${ind}${unit}${handlerXml(h)}${eol}`).join('')}${ind}</handlers>`
        : `<handlers${assignAttr}/>`;
      if (plugins) {
        const at = plugins.range.end;
        return [{ start: at, end: at, text: `${eol}${ind}${element}` }];
      }
      const at = root.startTag.end;
      return [{ start: at, end: at, text: `${eol}${ind}${element}` }];
    },
  };

  return {
    file: file.path,
    format: 'xml',
    inline: false,
    templated: tree.jinja.length > 0,
    incomplete,
    ...(handlersEl ? { handling: handlersEl.range } : {}),
    anchor: root.startTag,
    ...(assign ? { assign } : {}),
    ...(dflt ? { default: dflt } : {}),
    defaultIndirect,
    handlers: defs,
    handlersOpaque: opaque,
    refs,
    edit: editor,
  };
}
