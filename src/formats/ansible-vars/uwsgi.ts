import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Range } from '../../core/range.js';
import { columnOf } from './column.js';
import type { AnsibleVarsAst } from './parse.js';
import { scalarText } from './scalar-text.js';

/** One uWSGI option as an ansible variable holds it (a repeated option is one item per value). */
export interface AnsibleUwsgiItem {
  readonly key: string;
  /** The value as uWSGI would get it: plain scalars as written, quoted ones decoded. */
  readonly value: string;
  /** From the key (or the list item's `- `) to the end of the value. */
  readonly range: Range;
  readonly keyRange: Range;
  readonly valueRange: Range;
}

/** A `uwsgi:` key under a top-level map variable (`galaxy_config`, `galaxy_config_hash`, …). */
export interface UwsgiBlock {
  /** The top-level variable the block sits in. */
  readonly variable: string;
  /** The parent map's other keys (to see whether it already has `gravity:`). */
  readonly siblings: readonly string[];
  readonly keyRange: Range;
  /** From the `uwsgi` key to the end of its value's last content (comments after it excluded). */
  readonly range: Range;
  /** `map`: option → value or list of values; `list`: the to_uwsgi_yaml list of one-key maps. */
  readonly style: 'map' | 'list' | 'other';
  readonly items: readonly AnsibleUwsgiItem[];
  /** Why the block cannot be read as a flat option list (nested maps, logic, aliases …). */
  readonly problems: readonly string[];
  /** Column of the `uwsgi` key, and of its value's first entry (undefined when on the same line). */
  readonly keyColumn: number;
  readonly childColumn?: number;
}

const LOGIC = /^(if-.*|endif|for|for-.*|endfor|end-for)$/;

function rangeOf(n: Node | Pair): Range | undefined {
  if (isPair(n)) {
    const k = n.key as Node | null;
    const v = n.value as Node | null;
    const s = k?.range?.[0] ?? v?.range?.[0];
    const e = v?.range?.[1] ?? k?.range?.[1];
    return s === undefined || e === undefined ? undefined : { start: s, end: e };
  }
  return n.range ? { start: n.range[0], end: n.range[1] } : undefined;
}

function keyName(n: unknown): string | undefined {
  return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : undefined;
}

/**
 * Every `uwsgi:` key directly under a top-level mapping variable named `*config*` (`galaxy_config`,
 * `galaxy_config_hash`, `host_galaxy_config` …; not e.g. a telegraf plugin list), with its options read as a flat
 * list. A block the reader cannot flatten carries `problems` and whatever items it could read.
 */
export function findUwsgiBlocks(ast: AnsibleVarsAst, text: string): UwsgiBlock[] {
  const top = ast.yaml.contents;
  if (!isMap(top)) return [];
  const out: UwsgiBlock[] = [];
  for (const varPair of top.items) {
    const variable = keyName(varPair.key);
    if (variable === undefined || !/config/i.test(variable) || !isMap(varPair.value)) continue;
    const parent = varPair.value;
    const siblings = parent.items.map((p) => keyName(p.key) ?? '');
    for (const pair of parent.items) {
      if (keyName(pair.key) !== 'uwsgi' || !isScalar(pair.key) || !pair.key.range) continue;
      const keyRange = { start: pair.key.range[0], end: pair.key.range[1] };
      const items: AnsibleUwsgiItem[] = [];
      const problems: string[] = [];
      let end = keyRange.end;
      const grow = (r: Range | undefined): void => {
        if (r && r.end > end) end = r.end;
      };
      const v = pair.value as Node | null;
      let style: UwsgiBlock['style'] = 'other';
      let childColumn: number | undefined;

      const addOption = (kNode: unknown, valueNode: unknown, itemRange: Range): void => {
        const key = keyName(kNode);
        const kr = isScalar(kNode) && kNode.range ? { start: kNode.range[0], end: kNode.range[1] } : itemRange;
        if (key === undefined) {
          problems.push('an option whose name is not a plain string');
          return;
        }
        if (key === '<<') problems.push('a YAML merge key (`<<:`), whose options come from elsewhere in the file');
        else if (LOGIC.test(key)) problems.push(`uWSGI logic (\`${key}\`), which makes the options around it conditional`);
        if (valueNode === null || valueNode === undefined || isScalar(valueNode)) {
          const vr = isScalar(valueNode) && valueNode.range ? { start: valueNode.range[0], end: valueNode.range[1] } : { start: kr.end, end: kr.end };
          items.push({ key, value: isScalar(valueNode) ? scalarText(text, valueNode) : '', range: { start: itemRange.start, end: Math.max(itemRange.end, vr.end) }, keyRange: kr, valueRange: vr });
          grow(vr);
        } else if (isSeq(valueNode)) {
          for (const it of valueNode.items) {
            if (isScalar(it) && it.range) {
              const vr = { start: it.range[0], end: it.range[1] };
              items.push({ key, value: scalarText(text, it), range: vr, keyRange: kr, valueRange: vr });
              grow(vr);
            } else {
              problems.push(`\`${key}\` holds ${isAlias(it) ? 'an alias' : 'a nested block'} (uWSGI logic or a structure that is not a list of values)`);
              growDeep(it, grow);
            }
          }
        } else {
          problems.push(`\`${key}\` holds ${isAlias(valueNode) ? 'an alias' : 'a nested mapping'}, which is not a uWSGI option value`);
          growDeep(valueNode, grow);
        }
      };

      if (isMap(v)) {
        style = 'map';
        for (const p of v.items) {
          const r = rangeOf(p);
          if (!r) continue;
          childColumn ??= v.flow ? undefined : columnOf(text, r.start);
          addOption(p.key, p.value, r);
        }
      } else if (isSeq(v)) {
        style = 'list';
        for (const it of v.items) {
          const r = rangeOf(it as Node);
          if (!r) continue;
          childColumn ??= v.flow ? undefined : columnOf(text, text.lastIndexOf('-', r.start) >= 0 ? text.lastIndexOf('-', r.start) : r.start);
          if (isMap(it) && it.items.length === 1 && it.items[0]) {
            const p = it.items[0];
            addOption(p.key, p.value, r);
          } else {
            problems.push(isScalar(it) ? `a list item that is not an \`option: value\` map (\`${scalarText(text, it)}\`)` : 'a list item that is not a one-key map');
            growDeep(it, grow);
          }
        }
      } else if (isScalar(v) || isAlias(v)) {
        growDeep(v, grow);
        problems.push(isAlias(v) ? 'the value is an alias to options defined elsewhere' : 'the value is a single scalar (a Jinja expression or a file name), not the options themselves');
      } else {
        problems.push('the value is empty');
      }
      // Collections' ranges run on to the next line: the block ends with its last scalar.
      while (end > keyRange.end && /\s/.test(text[end - 1] ?? '')) end--;
      if (/\{%/.test(text.slice(keyRange.start, end))) problems.push('Jinja2 statements (`{% … %}`) that choose options when ansible renders the file');
      out.push({
        variable,
        siblings,
        keyRange,
        range: { start: keyRange.start, end },
        style,
        items,
        problems: [...new Set(problems)],
        keyColumn: columnOf(text, keyRange.start),
        ...(childColumn !== undefined ? { childColumn } : {}),
      });
    }
  }
  return out;
}

function growDeep(n: unknown, grow: (r: Range | undefined) => void): void {
  if (isPair(n)) {
    growDeep(n.key, grow);
    growDeep(n.value, grow);
  } else if (isMap(n) || isSeq(n)) {
    for (const it of n.items) growDeep(it, grow);
  } else if (isScalar(n) || isAlias(n)) {
    grow(rangeOf(n));
  }
}
