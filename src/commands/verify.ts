import type { Document } from '../core/document.js';
import type { Deployment } from '../core/model.js';
import type { Plan } from '../core/plan.js';
import type { ApacheAst } from '../formats/apache/index.js';
import { includedFiles, type NginxAst } from '../formats/nginx/index.js';
import { checkApache, checkNginx, type CheckFile, type ServerCheck, type ServerKind } from '../io/server-check.js';

/**
 * `migrate plan --verify`: every nginx or Apache file the plan changes is checked by the real
 * server on a scratch copy — the file as rewritten, with what it includes (rewritten too) — and
 * the plan reports the server's own words. The check starts from the top file that includes the
 * changed one, so the snippet is read in its real context. Unrendered Jinja2 templates cannot be
 * read by a server and are said to be skipped. Nothing from the inputs is run.
 */

interface Unit {
  readonly server: ServerKind;
  readonly entry: string;
  readonly files: string[];
  readonly templated: boolean;
  /** The directory relative includes were found against (nginx's conf prefix for the check). */
  readonly prefix?: string;
}

/** Where the reader found relative includes: `snippets/x.conf` read as `nginx/snippets/x.conf` → `nginx`. */
function nginxPrefix(ast: NginxAst): string | undefined {
  const all = [ast, ...includedFiles(ast).map((f) => f.ast)];
  for (const a of all) {
    for (const inc of a.includes) {
      const f = inc.files[0];
      if (!f || inc.pattern.startsWith('/')) continue;
      const k = inc.pattern.split('/').filter(Boolean).length;
      const segs = f.path.split('/');
      return segs.slice(0, Math.max(0, segs.length - k)).join('/') || undefined;
    }
  }
  return undefined;
}

function units(d: Deployment): Unit[] {
  const out: Unit[] = [];
  for (const doc of d.documents) {
    if (doc.kind === 'nginx' && doc.ast) {
      const ast = (doc as Document<NginxAst>).ast;
      const inc = includedFiles(ast);
      const prefix = nginxPrefix(ast);
      out.push({
        server: 'nginx',
        entry: doc.file.path,
        files: [doc.file.path, ...inc.map((f) => f.path)],
        templated: ast.templated || inc.some((f) => f.ast.templated),
        ...(prefix ? { prefix } : {}),
      });
    } else if (doc.kind === 'apache' && doc.ast) {
      const ast = (doc as Document<ApacheAst>).ast;
      out.push({ server: 'apache', entry: doc.file.path, files: [doc.file.path, ...ast.included.map((f) => f.path)], templated: ast.templated || ast.included.some((f) => f.templated) });
    }
  }
  return out;
}

export function verifyPlan(d: Deployment, plan: Plan): ServerCheck[] {
  const changed = new Map(plan.files.filter((f) => f.status !== 'deleted').map((f) => [f.file, f.after]));
  const all = units(d);
  const textOf = (p: string): string => changed.get(p) ?? d.files.get(p)?.text ?? '';
  const checks: ServerCheck[] = [];
  const covered = new Set<string>();
  for (const file of changed.keys()) {
    if (covered.has(file)) continue;
    const holders = all.filter((u) => u.files.includes(file));
    if (!holders.length) continue;
    // The widest unit holding the file: a main config that includes it beats the snippet alone.
    const unit = [...holders].sort((a, b) => b.files.length - a.files.length)[0]!;
    for (const f of unit.files) if (changed.has(f)) covered.add(f);
    if (unit.templated) {
      checks.push({
        server: unit.server,
        file: unit.entry,
        skipped: 'an unrendered Jinja2 template: no server can read {{ }} or {% %}; render it (ansible) and check the result',
        output: '',
      });
      continue;
    }
    const files: CheckFile[] = unit.files.map((p) => ({ path: p, text: textOf(p) }));
    checks.push(unit.server === 'nginx' ? checkNginx(files, unit.entry, undefined, unit.prefix) : checkApache(files, unit.entry));
  }
  return checks;
}

/** The section the text report shows under the plan. */
export function renderVerification(checks: readonly ServerCheck[]): string {
  const lines = ['', 'Checked by the real servers (--verify):'];
  if (!checks.length) lines.push('  no nginx or Apache file changes: nothing to check');
  for (const c of checks) {
    const tool = c.server === 'nginx' ? 'nginx -t' : 'apache2 -t';
    const state = c.skipped ? `not checked: ${c.skipped}` : c.ok ? 'accepted' : 'REJECTED';
    lines.push(`  ${tool}  ${c.file}: ${state}`);
    for (const l of c.output.split('\n')) if (l.trim()) lines.push(`    ${l}`);
  }
  return `${lines.join('\n')}\n`;
}
