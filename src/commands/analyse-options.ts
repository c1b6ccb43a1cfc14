import { DEFAULT_TARGET, parseTarget, type Target } from '../core/target.js';
import { UsageError } from '../pipeline.js';

export type OutputFormat = 'text' | 'json';
export const FORMATS: readonly OutputFormat[] = ['text', 'json'];

export function parseFormat(value: string | undefined): OutputFormat {
  const v = (value ?? 'text') as OutputFormat;
  if (!FORMATS.includes(v)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${value}")`);
  return v;
}

export function parseTargetOption(value: string | undefined): Target {
  if (value === undefined) return DEFAULT_TARGET;
  const t = parseTarget(value);
  if (!t) throw new UsageError(`--target must be a Galaxy release from 22.01 on, such as 22.05 or 23.0 (got "${value}")`);
  return t;
}
