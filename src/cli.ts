#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { EXIT_ERROR, type CommandIo } from './commands/io.js';
import { UsageError } from './pipeline.js';
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
  $ migrate lint --fail-on error --format json .`,
  showConfig: `
Examples:
  $ migrate show-config config/galaxy.yml         # the uwsgi: block as uWSGI reads it
  $ migrate show-config galaxy.ini:uwsgi`,
};

/**
 * argv -> command -> exit code. The only place that knows about process exit codes is `main`
 * below; commands return theirs, so tests run the CLI in-process with a fake io.
 */
export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
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

  program
    .command('plan')
    .description('show every change the migration makes, as unified diffs with reasons (writes nothing)')
    .argument('[paths...]', 'files or directories of the deployment', [])
    .addOption(formatOpt())
    .addOption(targetOpt())
    .addOption(colorOpt())
    .option('--check', 'exit 1 when the plan changes something')
    .addHelpText('after', EXAMPLES.plan)
    .action(async (paths: string[], opts) => {
      const { planCommand } = await import('./commands/plan.js');
      code = planCommand(paths, opts, io);
    });

  program
    .command('lint')
    .description('report deprecated uWSGI-era configuration; exit 1 on findings')
    .argument('[paths...]', 'files or directories of the deployment', [])
    .addOption(formatOpt())
    .addOption(targetOpt())
    .addOption(colorOpt())
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails').choices(['error', 'warning', 'info']).default('warning'))
    .addHelpText('after', EXAMPLES.lint)
    .action(async (paths: string[], opts) => {
      const { lintCommand } = await import('./commands/lint.js');
      code = lintCommand(paths, opts, io);
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
    .action(async () => {
      const { rulesCommand } = await import('./commands/rules.js');
      code = rulesCommand(io);
    });

  program
    .command('explain')
    .description('say why a rule exists and where its facts come from')
    .argument('<rule>', 'rule id, e.g. uwsgi/listeners')
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

if (isMain()) {
  const io: CommandIo = {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
  };
  process.exitCode = await run(process.argv.slice(2), io);
}
