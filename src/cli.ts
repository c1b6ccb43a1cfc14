#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import type { CommandDeps } from './commands/deps.js';
import { EXIT_ERROR, type CommandIo } from './commands/io.js';
import { UsageError } from './errors.js';
import { TOOL } from './version.js';

const EXAMPLES = {
  plan: `
Examples:
  $ migrate plan samples/uwsgi-mules              # every change as a diff, with its reason
  $ migrate plan --format json config/ > plan.json
  $ migrate plan --check /srv/galaxy/config       # exit 1 if anything would change (CI)`,
  lint: `
Examples:
  $ migrate lint config/galaxy.yml
  $ migrate lint --fail-on error --format json .
  $ migrate lint --format sarif . > galaxy-migrate.sarif   # for GitHub code scanning
  $ migrate lint --format github .                         # annotations in a GitHub Actions log
  $ migrate lint --format markdown . > comment.md          # a pull-request comment
  $ migrate lint --max-warnings 0 --config ci/.galaxy-migrate.yml /srv/galaxy

Config (.galaxy-migrate.yml, found here or in a folder above):
  rules:
    uwsgi/listeners: off        # off | on | error | warning | info
  ignore:
    - "*.sample"

Silence one line, in the file's own comment syntax, on the line above it:
  # galaxy-migrate-disable-next-line uwsgi/listeners -- why
  <!-- galaxy-migrate-disable-next-line job-conf/handlers -->`,
  apply: `
Examples:
  $ migrate apply /srv/galaxy/config              # asks about each change: y apply, n skip, a all of this rule, q quit
  $ migrate apply --yes /srv/galaxy/config        # applies every change without asking
  $ migrate apply --yes --out /tmp/migrated .     # writes the migrated copy elsewhere; the original stays
  $ migrate plan --out plan.json . && migrate apply plan.json   # exactly the reviewed plan

Every changed file is backed up first under .galaxy-migrate-backup/ at the deployment root;
\`migrate rollback\` puts the last apply back.`,
  rollback: `
Examples:
  $ migrate rollback                              # in the directory apply was run on
  $ migrate rollback /srv/galaxy/config
  $ migrate rollback --list /srv/galaxy/config    # the backups and their state`,
  rules: `
Examples:
  $ migrate rules
  $ migrate explain uwsgi/listeners`,
  explain: `
Examples:
  $ migrate explain uwsgi/listeners`,
  showConfig: `
Examples:
  $ migrate show-config config/galaxy.yml         # the uwsgi: block as uWSGI reads it
  $ migrate show-config galaxy.ini:uwsgi`,
};

/**
 * argv -> command -> exit code. The only place that knows about process exit codes is `main`
 * below; commands return theirs, so tests run the CLI in-process with a fake io.
 */
export async function run(argv: readonly string[], io: CommandIo, deps: CommandDeps = {}): Promise<number> {
  let code = 0;
  const program = new Command('migrate')
    .description('Move a Galaxy server off uWSGI onto Gunicorn managed by Gravity.')
    .version(TOOL.version, '-V, --version')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });

  const formatOpt = (): Option => new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text');
  const targetOpt = (): Option => new Option('-t, --target <release>', 'Galaxy release to migrate to (22.01, 22.05, 23.0 …)').default('23.0');
  const colorOpt = (): Option => new Option('--color <when>', 'color output').choices(['auto', 'always', 'never']).default('auto');
  const configOpts = (c: Command): Command =>
    c.option('--config <file>', 'config file (default: .galaxy-migrate.yml here or in a folder above)').option('--no-config', 'use no config file');

  const plan = program
    .command('plan')
    .description('show every change the migration makes, as unified diffs with reasons (writes nothing)')
    .argument('[paths...]', 'files or directories of the deployment', [])
    .addOption(formatOpt())
    .addOption(targetOpt())
    .addOption(colorOpt())
    .option('--check', 'exit 1 when the plan changes something')
    .option('-o, --out <plan.json>', 'also save the plan, for `migrate apply plan.json` (holds real secrets: keep it private)')
    .option('--verify', 'check rewritten nginx/Apache files with the real server (nginx -t, apache2 -t) on a scratch copy')
    .addHelpText('after', EXAMPLES.plan);
  configOpts(plan).action(async (paths: string[], opts) => {
    const { planCommand } = await import('./commands/plan.js');
    code = planCommand(paths, opts, io, deps);
  });

  const lint = program
    .command('lint')
    .description('report deprecated uWSGI-era configuration; exit 1 on findings')
    .argument('[paths...]', 'files or directories of the deployment', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'github', 'markdown']).default('text'))
    .addOption(targetOpt())
    .addOption(colorOpt())
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails').choices(['error', 'warning', 'info']).default('warning'))
    .option('--max-warnings <n>', 'fail when there are more than N warnings')
    .addHelpText('after', EXAMPLES.lint);
  configOpts(lint).action(async (paths: string[], opts) => {
    const { lintCommand } = await import('./commands/lint.js');
    code = lintCommand(paths, opts, io, deps);
  });

  const apply = program
    .command('apply')
    .description('write the plan: each change shown as a diff and asked about (or --yes); atomic, all or nothing, backed up')
    .argument('[paths...]', 'files or directories of the deployment, or one plan saved by `plan --out`', [])
    .option('-y, --yes', 'apply every change without asking (for scripts)')
    .option('-o, --out <dir>', 'write the migrated deployment into DIR (new or empty) and leave the original alone')
    .addOption(new Option('-t, --target <release>', 'Galaxy release to migrate to (default 23.0)'))
    .addOption(colorOpt())
    .addHelpText('after', EXAMPLES.apply);
  configOpts(apply).action(async (paths: string[], opts) => {
    const { applyCommand } = await import('./commands/apply.js');
    code = await applyCommand(paths, opts, io, deps);
  });

  program
    .command('rollback')
    .description('put back, byte for byte, every file the last apply changed')
    .argument('[path]', 'the deployment apply was run on (default: the current directory)')
    .option('--force', 'restore even files changed again since that apply')
    .option('--list', 'list the backups and their state; restore nothing')
    .addHelpText('after', EXAMPLES.rollback)
    .action(async (path: string | undefined, opts) => {
      const { rollbackCommand } = await import('./commands/rollback.js');
      code = await rollbackCommand(path ? [path] : [], opts, io);
    });

  program
    .command('show-config')
    .description("print the options uWSGI itself reads from a file, as uWSGI's --show-config would")
    .argument('<file>', 'FILE or FILE:SECTION (default section: uwsgi)')
    .addHelpText('after', EXAMPLES.showConfig)
    .action(async (arg: string) => {
      const [{ showConfig }, { nodeHost }] = await Promise.all([import('./commands/show-config.js'), import('./io/host.js')]);
      const out = showConfig(arg, nodeHost(io.cwd, io.env));
      io.stdout(out.stdout);
      io.stderr(out.stderr);
      code = out.exitCode;
    });

  program
    .command('rules')
    .description('list every rule')
    .addHelpText('after', EXAMPLES.rules)
    .action(async () => {
      const { rulesCommand } = await import('./commands/rules.js');
      code = rulesCommand(io);
    });

  program
    .command('explain')
    .description('say why a rule exists and where its facts come from')
    .argument('<rule>', 'rule id, e.g. uwsgi/listeners')
    .addHelpText('after', EXAMPLES.explain)
    .action(async (id: string) => {
      const { explainCommand } = await import('./commands/rules.js');
      code = explainCommand(id, io);
    });

  try {
    await program.parseAsync(['node', 'migrate', ...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_ERROR;
    if (e instanceof UsageError) {
      io.stderr(`migrate: ${e.message}\n`);
      return EXIT_ERROR;
    }
    io.stderr(`migrate: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_ERROR;
  }
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) void import('./main.js').then(({ runMain }) => runMain(run));

