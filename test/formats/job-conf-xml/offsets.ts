import { XMLParser } from 'fast-xml-parser';
import type { XmlNode } from '../../../src/formats/job-conf-xml/reader.js';

/** Element start offsets in document order, as fast-xml-parser's captureMetaData reports them. */
export function fxpStarts(text: string): number[] {
  const p = new XMLParser({ ignoreAttributes: false, processEntities: false, htmlEntities: false, captureMetaData: true, preserveOrder: true, trimValues: false });
  const sym = XMLParser.getMetaDataSymbol() as unknown as string;
  const out: number[] = [];
  const walk = (nodes: Record<string, unknown>[]): void => {
    for (const n of nodes) {
      const key = Object.keys(n).find((k) => k !== ':@');
      if (!key || key.startsWith('#') || key.startsWith('?')) continue;
      const meta = (n as Record<string, { startIndex?: number }>)[sym];
      if (meta?.startIndex !== undefined) out.push(meta.startIndex);
      const kids = n[key];
      if (Array.isArray(kids)) walk(kids as Record<string, unknown>[]);
    }
  };
  walk(p.parse(text) as Record<string, unknown>[]);
  return out;
}

export function ownStarts(nodes: readonly XmlNode[]): number[] {
  const out: number[] = [];
  const walk = (ns: readonly XmlNode[]): void => {
    for (const n of ns) {
      if (n.kind !== 'element') continue;
      out.push(n.range.start);
      walk(n.children);
    }
  };
  walk(nodes);
  return out;
}
