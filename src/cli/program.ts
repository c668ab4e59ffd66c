import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from './commands/accounts.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerObjectionCommands } from './commands/objections.ts';
import { registerAccountAssignCommand, registerPeopleCommands } from './commands/people.ts';
import { registerPlanCommands } from './commands/plan.ts';
import { registerSystemCommands } from './commands/system.ts';
import { registerTokenCommands } from './commands/tokens.ts';
import { printJsonError, reportError, setActiveCommand, setJsonErrors } from './output.ts';

export function buildProgram(): Command {
  const program = new Command('tierline')
    .description(
      'Tierline: target market, tiers, contact plans, agenda, objections and practice for field sales.',
    )
    .option(
      '--db <file|postgres-url>',
      'SQLite file or postgres:// URL (default: $DATABASE_URL or ./data/tierline.db)',
    )
    .option(
      '--server <url>',
      'work against a Tierline server over its API, as the API token’s user (default: $TIERLINE_SERVER)',
    )
    .option(
      '--token-file <file>',
      'file whose first line is the API token for --server (or set $TIERLINE_TOKEN_FILE / $TIERLINE_TOKEN)',
    )
    .option(
      '--token <token>',
      'the API token for --server (prefer $TIERLINE_TOKEN or --token-file: not in shell history)',
    )
    .showHelpAfterError('Run with --help for usage.')
    .exitOverride();
  registerSystemCommands(program);
  registerAccountCommands(program);
  registerAccountAssignCommand(program);
  registerPeopleCommands(program);
  registerPlanCommands(program);
  registerImportCommands(program);
  registerObjectionCommands(program);
  registerTokenCommands(program);
  registerBackupCommands(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  // Errors name request fields as the running command's own arguments and options (output.ts, namesFields).
  program.hook('preAction', (_program, actionCommand) => setActiveCommand(actionCommand));
  return program;
}

/**
 * Whether `--json` is among the arguments (before a `--` that ends the options): errors are then printed as JSON
 * on stdout too, also those commander finds before any command runs (an unknown option, a bad value).
 */
function asksForJson(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--json') return true;
  }
  return false;
}

export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  setJsonErrors(asksForJson(argv.slice(2)));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
      ) {
        // Help asked for: 0. Help shown on stderr because no command was given (`tierline accounts`): a usage
        // error, so a script that left the command out does not carry on as if it had run.
        process.exitCode = error.exitCode === 0 ? 0 : 2;
        if (process.exitCode === 2)
          printJsonError('bad_request', 'no command given: run with --help to see the commands.');
        return;
      }
      // commander already printed its message for parse errors; argument errors thrown by actions print here
      if (error.code === 'commander.invalidArgument' && !error.message.startsWith('error:')) {
        process.stderr.write(`tierline: ${error.message}\nRun with --help for usage.\n`);
      }
      printJsonError('bad_request', error.message.replace(/^error: /, ''));
      process.exitCode = 2;
      return;
    }
    reportError(error);
  } finally {
    setJsonErrors(false);
    setActiveCommand(null);
  }
}
