import { InvalidArgumentError } from 'commander';
import { ZodError } from 'zod';
import { AppError, isAppError } from '../domain/errors.ts';

/** Machine-readable output goes to stdout only; everything for people goes to stderr or plain text. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

export class UsageError extends Error {}

/** Prints what went wrong and what to do, and sets the exit code (2 for usage errors, 1 otherwise). */
export function reportError(error: unknown): void {
  if (error instanceof UsageError) {
    process.stderr.write(`tierline: ${error.message}\nRun with --help for usage.\n`);
    process.exitCode = 2;
    return;
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    process.stderr.write(
      `tierline: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input'}\nRun with --help for usage.\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (isAppError(error)) {
    process.stderr.write(`tierline: ${error.message}\n`);
    if (error.code === 'bad_request') process.exitCode = 2;
    else process.exitCode = 1;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tierline: ${message}\n`);
  process.exitCode = 1;
}

export function parseIntOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || !Number.isInteger(n))
      throw new InvalidArgumentError(`${name} must be a whole number.`);
    return n;
  };
}

export function parseNumberOption(name: string) {
  return (value: string): number => {
    const n = Number(value.replace(/[,_]/g, ''));
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number.`);
    return n;
  };
}

export { AppError };
