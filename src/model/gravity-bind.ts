import type { Address } from '../core/model.js';
import { parseAddress } from './uwsgi-options.js';

/**
 * The address a Gravity `gunicorn.bind` value names: `unix:<path>` is gunicorn's socket spelling
 * (uWSGI's parseAddress would read `unix` as a host), anything else reads as a uWSGI address does.
 */
export function gravityBindAddress(bind: string): Address | undefined {
  return bind.startsWith('unix:') ? { kind: 'unix', path: bind.slice(5) } : parseAddress(bind);
}
