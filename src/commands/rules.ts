import { ALL_RULES } from '../../rules/index.js';
import { pseudoRule } from '../core/pseudo-rules.js';
import { UsageError } from '../pipeline.js';
import type { CommandIo } from './io.js';

/** `migrate rules`: one line per rule. */
export function rulesCommand(io: CommandIo): number {
  const width = Math.max(...ALL_RULES.map((r) => r.meta.id.length), 10);
  for (const r of ALL_RULES) {
    io.stdout(`${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(7)}  ${r.meta.fixable ? 'fix' : '   '}  ${r.meta.description}\n`);
  }
  return 0;
}

/** `migrate explain RULE`: why the rule exists and where its facts come from. */
export function explainCommand(id: string, io: CommandIo): number {
  const m = ALL_RULES.find((x) => x.meta.id === id)?.meta ?? pseudoRule(id);
  if (!m) throw new UsageError(`no rule "${id}"; \`migrate rules\` lists them`);
  const releases = m.galaxy ? `Galaxy ${m.galaxy.from ?? 'any'} to ${m.galaxy.to ?? 'latest'}` : 'every Galaxy release';
  io.stdout(
    `${m.id} (${m.severity}${m.fixable ? ', fixable' : ''}; ${releases})\n\n${m.description}\n\n${m.rationale}\n\nSources:\n` +
      m.sources.map((s) => `  - ${s}\n`).join(''),
  );
  return 0;
}
