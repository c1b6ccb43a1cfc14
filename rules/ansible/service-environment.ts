import type { Assignment } from '../../src/formats/ansible-vars/index.js';
import { isEntries, isEntryList, type Entry } from '../../src/formats/galaxy-yml/write.js';

/**
 * Adds the role's unit environment to the gunicorn service (every instance when it is a list) and
 * to every handler pool of a drafted `gravity:` mapping: the processes uWSGI ran under that
 * environment. An `environment` the draft already has (uWSGI's own `env:`) is kept and wins for a
 * variable both set, as uWSGI applied `env:` after systemd had started it.
 */
export function withServiceEnvironment(entries: readonly Entry[], env: readonly Assignment[]): Entry[] {
  if (!env.length) return [...entries];
  const add = (service: readonly Entry[]): Entry[] => {
    const own = service.find((e) => e.key === 'environment');
    const merged = new Map(env.map((a) => [a.key, a.value] as [string, string]));
    if (own && isEntries(own.value)) for (const e of own.value) merged.set(e.key, String(e.value));
    const value: Entry[] = [...merged].map(([key, v]) => ({ key, value: v }));
    return [...service.filter((e) => e.key !== 'environment'), { key: 'environment', value }];
  };
  const out: Entry[] = entries.map((e) => {
    if (e.key === 'gunicorn') {
      if (isEntryList(e.value)) return { ...e, value: e.value.map(add) };
      if (isEntries(e.value)) return { ...e, value: add(e.value) };
    }
    if (e.key === 'handlers' && isEntries(e.value)) {
      return { ...e, value: e.value.map((h) => (isEntries(h.value) ? { ...h, value: add(h.value) } : h)) };
    }
    return e;
  });
  if (!out.some((e) => e.key === 'gunicorn')) {
    const at = out.findIndex((e) => ['celery', 'gx_it_proxy', 'handlers'].includes(e.key));
    out.splice(at < 0 ? out.length : at, 0, { key: 'gunicorn', value: add([]) });
  }
  return out;
}
