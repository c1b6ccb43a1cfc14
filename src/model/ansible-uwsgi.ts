import { hasJinja } from '../formats/jinja.js';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document } from '../core/document.js';
import type { UwsgiConfig, UwsgiOption } from '../core/model.js';
import { findUwsgiBlocks, inventoryPlace, type AnsibleVarsAst, type InventoryPlace, type UwsgiBlock } from '../formats/ansible-vars/index.js';

/**
 * The uWSGI configurations an ansible inventory holds: each `galaxy_config.uwsgi` (or
 * `host_galaxy_config.uwsgi`, `group_galaxy_config.uwsgi` …) block the ansible-galaxy role writes
 * into galaxy.yml as its `uwsgi:` section. They are uWSGI option lists like any other, so the
 * model decides the gunicorn bind, handler pools and prefix from them once (src/model/
 * ansible-decide.ts), for the ansible gravity writer and the proxy templates alike.
 *
 * They are not put in `Deployment.uwsgi`: the uwsgi/* rules report and rewrite those as galaxy.yml
 * sections, while ansible/galaxy-config-uwsgi rewrites these (with notes for every option).
 */

/** A value with a Jinja2 expression or statement, which only ansible can evaluate. */

export interface AnsibleUwsgiOption extends UwsgiOption {
  /** The value holds Jinja2 (`{{ galaxy_venv_dir }}`): kept verbatim, never evaluated. */
  readonly templated: boolean;
}

export interface AnsibleUwsgiConfig extends UwsgiConfig {
  readonly options: readonly AnsibleUwsgiOption[];
  /** Where the block is: the vars file, its top-level variable, and its place in the inventory. */
  readonly origin: {
    readonly variable: string;
    /** `group_vars/<group>`, `host_vars/<host>`, or undefined for a vars file outside both. */
    readonly place?: InventoryPlace;
    readonly block: UwsgiBlock;
  };
  /** Some option value holds Jinja2. */
  readonly templated: boolean;
}

const cache = new WeakMap<Document, readonly AnsibleUwsgiConfig[]>();

/**
 * The blocks of one ansible vars file that read as a flat uWSGI option list. A block with logic,
 * nested maps or aliases (`problems`) is left out: ansible/galaxy-config-uwsgi does not rewrite
 * it, so no decision may rest on it.
 */
export function ansibleUwsgiConfigsOf(doc: Document): readonly AnsibleUwsgiConfig[] {
  if (doc.kind !== 'ansible-vars') return [];
  const hit = cache.get(doc);
  if (hit) return hit;
  const ast = doc.ast as AnsibleVarsAst | undefined;
  const out: AnsibleUwsgiConfig[] = [];
  if (ast?.yaml && !ast.yamlErrors.length) {
    const place = inventoryPlace(doc.file.path);
    for (const block of findUwsgiBlocks(ast, doc.file.text)) {
      if (block.problems.length || !block.items.length) continue;
      const options: AnsibleUwsgiOption[] = block.items.map((it) => ({
        key: it.key,
        value: it.value,
        rawValue: it.value,
        file: doc.file.path,
        range: it.range,
        keyRange: it.keyRange,
        valueRange: it.valueRange,
        included: false,
        templated: hasJinja(it.value),
      }));
      out.push({
        file: doc.file.path,
        section: `${block.variable}.uwsgi`,
        options,
        sectionRange: block.range,
        origin: { variable: block.variable, ...(place ? { place } : {}), block },
        templated: options.some((o) => o.templated),
      });
    }
  }
  cache.set(doc, out);
  return out;
}

/** Every readable uWSGI block of the ansible vars files among `documents`, in document order. */
export function ansibleUwsgiConfigs(documents: readonly Document[]): AnsibleUwsgiConfig[] {
  return documents.flatMap((d) => [...ansibleUwsgiConfigsOf(d)]);
}

/** The model's configuration for a block of `doc` (same key offset), if the block is readable. */
export function ansibleConfigFor(doc: Document, block: UwsgiBlock): AnsibleUwsgiConfig | undefined {
  return ansibleUwsgiConfigsOf(doc).find((c) => c.origin.block.keyRange.start === block.keyRange.start);
}

export function isAnsibleUwsgiConfig(c: UwsgiConfig): c is AnsibleUwsgiConfig {
  return 'origin' in c && typeof (c as { origin?: unknown }).origin === 'object';
}

/** A `gravity.gunicorn.bind` an inventory already holds (`galaxy_config.gravity`, after a migration). */
export interface AnsibleGravityBind {
  readonly file: string;
  readonly variable: string;
  readonly place?: InventoryPlace;
  readonly bind: string;
}

/**
 * The gunicorn binds the vars file's `*config*` variables already give Gravity (the first instance
 * of a gunicorn list). Read so that a second plan, after the `uwsgi:` blocks became `gravity:`,
 * decides as the first one did.
 */
export function ansibleGravityBindsOf(doc: Document): AnsibleGravityBind[] {
  if (doc.kind !== 'ansible-vars') return [];
  const ast = doc.ast as AnsibleVarsAst | undefined;
  const top = ast?.yaml?.contents;
  if (!ast || ast.yamlErrors.length || !isMap(top)) return [];
  const place = inventoryPlace(doc.file.path);
  const out: AnsibleGravityBind[] = [];
  for (const v of top.items) {
    const variable = isScalar(v.key) ? String(v.key.value) : undefined;
    if (!variable || !/config/i.test(variable) || !isMap(v.value)) continue;
    const gravity = v.value.get('gravity');
    let gunicorn: unknown = isMap(gravity) ? gravity.get('gunicorn') : undefined;
    if (isSeq(gunicorn)) gunicorn = gunicorn.items[0];
    const bind = isMap(gunicorn) ? gunicorn.get('bind') : undefined;
    if (typeof bind === 'string' && bind.trim()) out.push({ file: doc.file.path, variable, ...(place ? { place } : {}), bind: bind.trim() });
  }
  return out;
}
