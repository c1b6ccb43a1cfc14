// Rules for tests of apply, lint and the reports, independent of the real registry (which grows
// as formats land). Text-based and idempotent: after their fix, none of them fires again.
// Plain JavaScript so that spawned processes (node test/helpers/cli-with-test-rules.mjs) use them too.

/** @typedef {import('../../src/core/rule.js').Rule} Rule */

/** Every match of `re` (with the m and g flags) in each document, with the line it sits on. */
function* matches(ctx, re) {
  for (const doc of ctx.deployment.documents) {
    const text = doc.file.text;
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) yield { doc, text, m, index: m.index ?? 0 };
  }
}

const meta = (id, severity, fixable, description) => ({
  id,
  description,
  rationale: `${description} (a rule for tests).`,
  severity,
  fixable,
  sources: ['test/helpers/test-rules.mjs'],
});

/** @type {Rule} */
export const socketRule = {
  meta: meta('test/socket-to-bind', 'warning', true, 'socket: becomes bind:'),
  check(ctx) {
    for (const { doc, m, index } of matches(ctx, /^([ \t]*)socket:/gm)) {
      const start = index + m[1].length;
      const file = doc.file.path;
      ctx.report({
        file,
        range: { start, end: start + 6 },
        message: 'the uWSGI socket becomes the gunicorn bind',
        fix: { description: 'rename socket to bind', changes: [{ kind: 'edit', file, edits: [{ start, end: start + 6, text: 'bind' }] }] },
      });
    }
  },
};

/** @type {Rule} */
export const muleRule = {
  meta: meta('test/no-mules', 'warning', true, 'mule lines go away'),
  check(ctx) {
    for (const { doc, m, index } of matches(ctx, /^[ \t]*mule:[^\r\n]*(\r?\n|$)/gm)) {
      const file = doc.file.path;
      ctx.report({
        file,
        range: { start: index, end: index + m[0].length - m[1].length },
        message: 'mules become webless handlers',
        fix: { description: 'remove the mule', changes: [{ kind: 'edit', file, edits: [{ start: index, end: index + m[0].length, text: '' }] }] },
      });
    }
  },
};

/** @type {Rule} */
export const uwsgiPassRule = {
  meta: meta('test/uwsgi-pass', 'error', true, 'uwsgi_pass becomes proxy_pass'),
  check(ctx) {
    for (const { doc, index } of matches(ctx, /uwsgi_pass /g)) {
      const file = doc.file.path;
      ctx.report({
        file,
        range: { start: index, end: index + 10 },
        message: 'nginx must speak HTTP to gunicorn',
        fix: { description: 'proxy over HTTP', changes: [{ kind: 'edit', file, edits: [{ start: index, end: index + 11, text: 'proxy_pass http://' }] }] },
      });
    }
  },
};

/** @type {Rule} */
export const handlersFileRule = {
  meta: meta('test/handlers-file', 'info', true, 'a handlers file is created'),
  check(ctx) {
    for (const { doc, index } of matches(ctx, /^[ \t]*mule:/gm)) {
      const dir = doc.file.path.includes('/') ? doc.file.path.slice(0, doc.file.path.lastIndexOf('/') + 1) : '';
      const file = `${dir}handlers.yml`;
      if (ctx.deployment.files.has(file)) return;
      ctx.report({
        file: doc.file.path,
        range: { start: index, end: index },
        message: 'handlers get a file of their own',
        fix: { description: 'create handlers.yml', changes: [{ kind: 'create', file, text: 'gravity:\n  handlers:\n    handler:\n      processes: 2\n' }] },
      });
      return;
    }
  },
};

/** @type {Rule} */
export const assignWithRule = {
  meta: meta('test/assign-with', 'warning', true, 'uwsgi-mule-message assignment becomes db-skip-locked'),
  check(ctx) {
    for (const { doc, index } of matches(ctx, /uwsgi-mule-message/g)) {
      const file = doc.file.path;
      ctx.report({
        file,
        range: { start: index, end: index + 18 },
        message: 'handlers are assigned through the database',
        fix: { description: 'db-skip-locked', changes: [{ kind: 'edit', file, edits: [{ start: index, end: index + 18, text: 'db-skip-locked' }] }] },
      });
    }
  },
};

/** @type {Rule} */
export const processesRule = {
  meta: meta('test/processes', 'info', false, 'processes is reported'),
  check(ctx) {
    for (const { doc, m, index } of matches(ctx, /^([ \t]*)processes:/gm)) {
      const start = index + m[1].length;
      ctx.report({ file: doc.file.path, range: { start, end: start + 9 }, message: 'processes becomes gunicorn workers' });
    }
  },
};

/** In fold order: an earlier rule wins an overlap. */
export const TEST_RULES = [socketRule, muleRule, uwsgiPassRule, handlersFileRule, assignWithRule, processesRule];
